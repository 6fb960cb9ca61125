"""The offline writer with a small local model: host B's questions written by it, host
A's long sentences retold when asked for; every line still cited, and nothing voiced
that failed a check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.errors import BackendError
from pipelines.evaluation import podcast_eval as pe
from pipelines.llm.bundled import QWEN_1_5B, bundled_model
from pipelines.podcast.faithful import question_problem, reaction_problem
from pipelines.podcast.material import gather, segments_for
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.script import write_script
from pipelines.podcast.writers import assisted, extractive
from pipelines.testing.scripted_llm import ScriptedLLM
from pipelines.types import Source
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import SHARED_SOURCES, TIME_MACHINE

pytestmark = pytest.mark.slow
POINTS = Path(__file__).resolve().parents[2] / "eval" / "podcast"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Source]:
    ws = Workspace(tmp_path_factory.mktemp("assisted-home"))
    return ws, library.add_file(session_of(ws), TIME_MACHINE).source


def _material(ws: Workspace, source: Source, minutes: float):
    chapter = next(c.index for c in source.chapters if c.title == "VII")
    request = PodcastRequest(source.id, [chapter], minutes=minutes).checked()
    return request, gather(ws, source, request.chapters, max_segments=segments_for(minutes * 150))


@pytest.mark.parametrize(
    "reply",
    [
        # a fluent story of its own, and no question at all: every rewrite is refused
        "The Eloi were not happy with their situation. They felt sorry and wanted help.",
        BackendError("the model crashed"),
    ],
)
def test_rewrites_that_fail_a_check_are_never_voiced(book, reply) -> None:
    ws, source = book
    request, material = _material(ws, source, 2)
    skeleton = extractive.write(
        material, request, words_per_minute=round(150 * assisted.SKELETON_STRETCH)
    )
    seen: list[tuple[int, int]] = []
    script = assisted.write(
        material,
        request,
        words_per_minute=150,
        llm=ScriptedLLM(default=reply) if isinstance(reply, str) else ScriptedLLM([reply] * 200),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [t.text for t in script.turns] == [t.text for t in skeleton.turns]
    assert [t.passage_ids for t in script.turns] == [t.passage_ids for t in skeleton.turns]
    assert seen and seen[-1][0] == seen[-1][1]  # progress reached the end
    note = script.settings["writer_notes"][-1]
    assert "0 host questions, 0 sentences retold" in note and "failed a check" in note


def test_a_faithful_retelling_replaces_the_sentence_and_keeps_its_citation(book) -> None:
    ws, source = book
    request, material = _material(ws, source, 2)

    def plain(messages) -> str:  # the same words, one long sentence made two
        text = messages[-1].content
        return text.replace(", and ", ". Then ", 1) if ", and " in text else text

    script = assisted.write(material, request, words_per_minute=150, llm=ScriptedLLM([plain] * 500))
    told = [t for t in script.turns[1:-2] if t.speaker == "Ada" and ". Then " in t.text]
    assert told, "no line was retold"
    assert all(t.passage_ids for t in told)


@pytest.fixture(scope="module")
def _bundled_model_installed() -> None:
    if bundled_model() is None:
        pytest.fail("the bundled model is not installed; `make test` installs it")


needs_model = pytest.mark.usefixtures("_bundled_model_installed")


@pytest.fixture(scope="module")
def fairy_tale(tmp_path_factory: pytest.TempPathFactory):
    kp = pe.load_key_points(POINTS / "emperors-new-clothes.json")
    home = tmp_path_factory.mktemp("tale-home")
    ws = Workspace(home)
    source = library.add_file(session_of(ws), SHARED_SOURCES / kp.doc).source
    chapter = next(c for c in source.chapters if kp.chapter.lower() in c.title.lower())
    return ws, source, chapter, kp


def _write(ws: Workspace, source: Source, chapter, **podcast):
    request = PodcastRequest(source.id, [chapter.index], minutes=3)
    return write_script(session_of(ws, podcast=podcast), request)


@needs_model
def test_the_bundled_model_asks_host_bs_questions_that_the_next_line_answers(fairy_tale) -> None:
    """By default the model only writes host B's questions: host A's lines are the
    rules writer's (the text's own words), and each new question is answered next."""
    ws, source, chapter, kp = fairy_tale
    rules = _write(ws, source, chapter, helper_model="off")
    script = _write(ws, source, chapter, helper_model="auto")
    assert script.settings["writer"] == "assisted"
    assert script.settings["helper_model"]["sha256"] == QWEN_1_5B.sha256
    assert [t.text for t in script.turns if t.speaker == "Ada"] == [
        t.text for t in rules.turns if t.speaker == "Ada"
    ]
    changed = [
        i
        for i, (new, old) in enumerate(zip(script.turns, rules.turns, strict=True))
        if new.text != old.text
    ]
    assert len(changed) >= 3, "the model wrote almost none of host B's lines"
    for i in changed:
        before, line, after = script.turns[i - 1 : i + 2]
        assert line.speaker == "Ben"
        assert question_problem(line.text, before.text, after.text) is None or (
            reaction_problem(line.text, before.text) is None
        )
    scores = pe.score_script(script, kp.points)
    assert scores["junk"] == 0
    assert scores["coherent"] >= 0.8
    assert scores["dangling"] <= 0.10


@needs_model
def test_retelling_when_asked_for_keeps_to_the_chapters_names(fairy_tale) -> None:
    """With retelling on, the model's plain-English lines bring in no name the chapter
    lacks, and the episode keeps the rules writer's quality floors and length."""
    ws, source, chapter, kp = fairy_tale
    script = _write(ws, source, chapter, helper_model="auto", helper_retells=True)
    text = re.sub(r"\s+", " ", chapter.text)
    host_a = " ".join(t.text for t in script.turns[1:-2] if t.speaker == "Ada")
    retold = [s for s in re.split(r"(?<=[.!])\s+", host_a) if s and s not in text]
    assert len(retold) >= 5, "the model retold almost nothing"
    names = set(re.findall(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b", host_a))  # mid-sentence capitals
    unknown = {n for n in names if n.lower() not in text.lower()}
    assert not unknown, f"names the chapter doesn't have: {unknown}"
    scores = pe.score_script(script, kp.points)
    assert scores["junk"] == 0
    assert scores["coherent"] >= 0.8
    assert scores["dangling"] <= 0.10
    assert abs(scores["words"] - 3 * 150) <= 0.15 * 3 * 150
