"""The planner -> writer -> checks chain replayed from a capable model's recorded replies:
what a listener gets from Folio with such a model, checked with no model running."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.notes import store
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.script import write_script
from pipelines.testing.replay_llm import ReplayLLM
from pipelines.types import count_words
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import TIME_MACHINE

pytestmark = pytest.mark.slow

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "standin" / "time-machine-iii"


def test_a_recorded_capable_model_gives_an_episode_that_meets_every_check(tmp_path) -> None:
    ws = Workspace(tmp_path / "home")
    source = library.add_file(session_of(ws), TIME_MACHINE).source
    chapter = next(c for c in source.chapters if c.title == "III")
    llm = ReplayLLM(RECORDED)
    script = write_script(session_of(ws, llm), PodcastRequest(source.id, [chapter.index]))
    assert llm.position == 3  # notes, plan, dialogue: no repair was needed
    turns = script.turns
    speakers = [t.speaker for t in turns]
    assert all(a != b for a, b in zip(speakers, speakers[1:], strict=False))
    assert all(
        not t.text.endswith("?") or nxt.speaker != t.speaker
        for t, nxt in zip(turns, turns[1:], strict=False)
    ) and not turns[-1].text.endswith("?")
    spoken = " ".join(t.text for t in turns)
    assert "[" not in spoken and "**" not in spoken
    words = sum(count_words(t.text) for t in turns)
    assert 0.85 * 750 <= words <= 1.15 * 750
    ben = sum(count_words(t.text) for t in turns if t.speaker == "Ben")
    assert ben / words >= 0.3
    ids = {p.id for p in ws.passages_for(chapter_ids=[chapter.id])}
    assert all(t.passage_ids and set(t.passage_ids) <= ids for t in turns)
    assert len(set(t.segment for t in turns)) >= 3  # beats become chapter marks
    assert script.settings["writer"] == "model" and script.settings["whole_text_in_prompt"]
    assert store.load(ws, chapter, llm.describe()) is not None  # the notes are kept
