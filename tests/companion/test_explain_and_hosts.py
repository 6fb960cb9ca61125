"""Explain a passage (model, or dictionary glosses offline) and ask an episode's hosts."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from pipelines.companion.explain import explain_passage, hard_words
from pipelines.companion.hosts import (
    ask_hosts,
    exchange_turns,
    exchanges_of,
    save_exchange,
    voice_exchange,
)
from pipelines.errors import BackendError, FolioError
from pipelines.podcast.episodes import get_episode, render_episode
from pipelines.testing.scripted_llm import ScriptedLLM
from pipelines.types import Host, Script, Turn
from tests.sessions import session_of

pytestmark = pytest.mark.slow

OPENING = "The Time Traveller (for so it will be convenient to speak of him) was expounding a recondite matter to us."


def test_hard_words_are_glossed_offline() -> None:
    glossed = {g.word: g.meaning for g in hard_words(OPENING + " His grey eyes twinkled.")}
    assert "recondite" in glossed and "penetrate" in glossed["recondite"]
    assert "Traveller" not in glossed and "grey" not in glossed  # a name; an everyday word


def test_explain_offline_and_with_a_model(companion_ws) -> None:
    ws, source, _ = companion_ws
    offline = explain_passage(session_of(ws), source, 3, OPENING)
    assert offline.text == "" and any(g.word == "recondite" for g in offline.glosses)
    llm = ScriptedLLM(["He was explaining a difficult idea to his friends."], context_window=32768)
    explained = explain_passage(session_of(ws, llm), source, 3, OPENING)
    assert explained.text.startswith("He was explaining")
    assert "recondite" in llm.calls[-1].messages[-1].content  # the passage went to the model
    failing = ScriptedLLM([BackendError("server down")], context_window=32768)
    fallback = explain_passage(session_of(ws, failing), source, 3, OPENING)
    assert fallback.glosses and fallback.notes
    with pytest.raises(FolioError):
        explain_passage(session_of(ws), source, 3, "   ")


@pytest.fixture(scope="module")
def episode(companion_ws):
    ws, source, _ = companion_ws
    chapter = source.chapter(5)  # III: the Time Traveller comes back and starts his story
    script = Script(
        "Chapter three",
        [Host("Ada"), Host("Ben")],
        [
            Turn("Ada", "The Time Traveller comes back to his dinner guests."),
            Turn("Ben", "And he starts telling them his story."),
        ],
        source_ids=[source.id],
        chapter_ids=[chapter.id],
    )
    return render_episode(session_of(ws, tts__engine="espeak"), script)


def test_the_hosts_answer_a_listener_and_it_is_kept(companion_ws, episode) -> None:
    ws, source, _ = companion_ws
    session = session_of(ws, tts__engine="espeak")
    exchange = ask_hosts(
        session, episode, "Who came in and walked towards the garden door?", at_s=4.0
    )
    assert [t.speaker for t in exchange.turns][:2] == ["Ben", "Ada"]
    said = " ".join(t.text for t in exchange.turns)
    # host A says the sentence that answers, though the chapter has it second
    assert exchange.supported and "Watchett" in exchange.turns[1].text
    assert not said.count("From chapter")
    assert "[" not in " ".join(t.text for t in exchange.turns)  # citations are not voiced
    allowed = set(episode.script.chapter_ids)
    cited = ws.get_passages([c.passage_id for c in exchange.citations])
    assert cited and all(p.chapter_id in allowed for p in cited.values())
    path = voice_exchange(session, episode, exchange)
    with wave.open(str(path)) as audio:
        assert audio.getnframes() / audio.getframerate() > 2.0
    save_exchange(ws, episode, exchange)
    kept = exchanges_of(ws, episode.id)
    assert kept[-1].question == exchange.question and kept[-1].audio_path == str(path)
    transcript = Path(get_episode(ws, episode.id).transcript_path).with_suffix(".txt")
    assert "Listener question (at 0:04)" in transcript.read_text("utf-8")


def test_offline_host_a_says_the_best_supported_sentence_and_the_reply_stays_short() -> None:
    text = "From chapter III: The lab went dark. [1] Mrs. Watchett came in. [2]"
    turns = exchange_turns("Who came in?", text, True, ["Ada", "Ben"], best_first=[2, 1])
    assert [t.speaker for t in turns] == ["Ben", "Ada", "Ben", "Ada"]
    assert turns[1].text.startswith("Mrs. Watchett came in.")
    assert "The lab went dark." in turns[2].text  # added, its capital kept
    long = "From chapter III: " + "word " * 50 + "[1] " + "more " * 40 + "[2]"
    short = exchange_turns("Who?", long, True, ["Ada", "Ben"], best_first=[1, 2])
    assert len(short) == 3 and "more" not in " ".join(t.text for t in short)


def test_a_question_the_chapters_do_not_answer(companion_ws, episode) -> None:
    ws, _, _ = companion_ws
    exchange = ask_hosts(session_of(ws), episode, "What is the capital of Peru?")
    assert not exchange.supported and "don't say" in exchange.turns[1].text
