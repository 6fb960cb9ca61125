"""The model-first writer with a scripted model: notes -> plan -> dialogue -> checks that
repair. What a listener would notice: no citation key voiced, no host twice in a row, no
question left hanging, faulty lines sent back to the model (not cut), nothing from a
chapter after the chosen ones, and a long selection written beat by beat within an 8k
window."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import pytest

from pipelines.llm.base import Message
from pipelines.llm.tokens import count_message_tokens
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.script import write_script
from pipelines.testing.scripted_llm import ScriptedLLM
from pipelines.types import Source, count_words
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import TIME_MACHINE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Source]:
    ws = Workspace(tmp_path_factory.mktemp("model-writer-home"))
    return ws, library.add_file(session_of(ws), TIME_MACHINE).source


def _index(source: Source, title: str) -> int:
    return next(c.index for c in source.chapters if c.title == title)


def _keys(messages: Sequence[Message]) -> list[str]:
    return re.findall(r"\[(P\d+)\]", messages[-1].content)


def notes_reply(messages: Sequence[Message]) -> str:
    keys = _keys(messages) or ["P1"]
    return json.dumps(
        {
            "points": [
                {"text": "The Time Traveller sees the white sphinx.", "passages": keys[:1]},
                {"text": "He meets the little people.", "passages": keys[1:2] + ["P999"]},
            ],
            "entities": [{"name": "Time Traveller", "kind": "person", "line": "The narrator."}],
            "turning_points": [],
            "numbers": [],
            "quotes": [{"text": "an invented line that is not in the book", "passage": keys[0]}],
        }
    )


def plan_reply(messages: Sequence[Message]) -> str:
    keys = _keys(messages) or ["P1"]
    beats = [
        {"title": f"Beat {n}", "words": 100, "points": ["a point"], "passages": keys[n : n + 2]}
        for n in range(3)
    ]
    return json.dumps({"title": "The sphinx", "beats": beats})


GOOD = (
    "The Time Traveller stood before the great white sphinx, and the little people "
    "gathered round him in the rain."
)


def dialogue_reply(bad: bool):
    def reply(messages: Sequence[Message]) -> str:
        lines = ["[[1]]"]
        for n in range(22):
            who = "Ada" if n % 2 == 0 else "Ben"
            lines.append(f"{who}: {GOOD} [P1, P2]")
            if n == 10 and bad:
                lines.append("Ada: Darwin would have loved this. (P2)")
                lines.append("Ada: And then a second Ada line.")
        if bad:
            lines.append("Ben: But what happens next?")
        return "\n".join(lines)

    return reply


def route(messages: Sequence[Message], *, bad_dialogue: bool = True) -> str:
    system = messages[0].content
    last = messages[-1].content
    if system.startswith("You take careful reading notes"):
        return notes_reply(messages)
    if system.startswith("You plan one episode"):
        return plan_reply(messages)
    if "These lines have problems" in last:
        return "\n".join(f"{m.group(1)}. Ada: {GOOD}" for m in re.finditer(r"- line (\d+):", last))
    if "Fix these problems" in last:
        return dialogue_reply(bad=False)(messages)
    return dialogue_reply(bad=bad_dialogue)(messages)


def test_faulty_lines_go_back_to_the_model_and_nothing_is_voiced_wrong(book) -> None:
    ws, source = book
    llm = ScriptedLLM(default=None, context_window=32768)
    llm.enqueue(*([route] * 8))
    script = write_script(
        session_of(ws, llm), PodcastRequest(source.id, [_index(source, "IV")], minutes=2)
    )
    asked = [c.messages[-1].content for c in llm.calls]
    assert any("Fix these problems" in a and "Darwin" in a for a in asked)
    assert any("speaks twice in a row" in a for a in asked)
    assert any("not answered" in a for a in asked)
    assert script.settings["writer"] == "model" and script.settings["repair_rounds"] >= 1
    spoken = " ".join(t.text for t in script.turns)
    assert "[" not in spoken and "P1" not in spoken and "Darwin" not in spoken
    assert all(a.speaker != b.speaker for a, b in zip(script.turns, script.turns[1:], strict=False))
    assert not script.turns[-1].text.endswith("?")
    ids = {p.id for p in ws.passages_for(chapter_ids=[source.chapter(_index(source, "IV")).id])}
    assert all(t.passage_ids and set(t.passage_ids) <= ids for t in script.turns)
    assert script.settings["written_by"] == "scripted"
    assert abs(script.word_count - 300) <= 0.15 * 300 or script.settings["mended_lines"] >= 0


def test_a_model_that_writes_nonsense_leaves_an_offline_script_with_a_note(book) -> None:
    ws, source = book
    llm = ScriptedLLM(default="Sure! Here is a podcast: Ada says hi", context_window=32768)
    script = write_script(
        session_of(ws, llm), PodcastRequest(source.id, [_index(source, "II")], minutes=2)
    )
    assert script.settings["writer"] == "extractive"
    assert any("written offline" in n for n in script.settings["notes"])
    assert script.settings["written_by"].startswith("offline")


def test_reading_up_to_chapter_three_never_shows_the_model_a_later_name(book) -> None:
    """Weena and the Morlocks first appear in chapter V: an episode of chapters I-III and
    the notes it is planned from never mention them."""
    ws, source = book
    llm = ScriptedLLM(default=None, context_window=32768)
    llm.enqueue(*([lambda m: route(m, bad_dialogue=False)] * 10))
    chapters = [_index(source, t) for t in ("I", "II", "III")]
    script = write_script(session_of(ws, llm), PodcastRequest(source.id, chapters, minutes=2))
    sent = " ".join(m.content for c in llm.calls for m in c.messages)
    assert "Weena" not in sent and "Morlock" not in sent
    assert sum("careful reading notes" in c.messages[0].content for c in llm.calls) == 3
    assert script.turns


def test_a_selection_too_long_for_an_8k_window_is_written_beat_by_beat(book) -> None:
    ws, source = book
    llm = ScriptedLLM(default=None, context_window=8192)
    llm.enqueue(*([lambda m: route(m, bad_dialogue=False)] * 16))
    seen: list[str] = []
    chapters = [_index(source, t) for t in ("V", "VI", "VII")]
    script = write_script(
        session_of(ws, llm),
        PodcastRequest(source.id, chapters, minutes=3),
        progress=lambda what, done, total: seen.append(what),
    )
    assert not script.settings["whole_text_in_prompt"]
    assert all(count_message_tokens(c.messages) + c.max_tokens <= 8192 for c in llm.calls)
    assert any(w.startswith("writing beat 2 of 3") for w in seen)
    assert any(w.startswith("notes on VI") for w in seen)
    assert sum(count_words(t.text) for t in script.turns) > 0
