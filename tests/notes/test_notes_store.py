"""Chapter notes are made once and kept: reused while the chapter and the maker are the
same, made anew when either changes; a failing model leaves offline notes, not none."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.errors import BackendError
from pipelines.notes import store
from pipelines.notes.service import notes_for
from pipelines.testing.scripted_llm import ScriptedLLM
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import TIME_MACHINE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory):
    ws = Workspace(tmp_path_factory.mktemp("notes-home"))
    return ws, library.add_file(session_of(ws), TIME_MACHINE).source


def test_offline_notes_are_the_chapters_own_and_kept(book) -> None:
    ws, source = book
    chapter = next(c for c in source.chapters if c.title == "VII")
    first = notes_for(session_of(ws), source, [chapter])
    assert first.made == 1 and first.notes[0].made_by == "offline digest"
    notes = first.notes[0]
    assert len(notes.points) >= 4
    ids = {p.id for p in ws.passages_for(chapter_ids=[chapter.id])}
    assert all(set(p.passage_ids) <= ids for p in notes.points)  # nothing from elsewhere
    again = notes_for(session_of(ws), source, [chapter])
    assert again.made == 0 and again.notes[0] == notes


def test_changed_text_or_another_model_makes_notes_anew(book, tmp_path: Path) -> None:
    ws, source = book
    chapter = next(c for c in source.chapters if c.title == "III")
    notes_for(session_of(ws), source, [chapter])
    assert store.load(ws, chapter, "offline digest") is not None
    changed = type(chapter)(**{**chapter.__dict__, "text": chapter.text + " An added line."})
    assert store.load(ws, changed, "offline digest") is None  # made from other text
    failing = ScriptedLLM([BackendError("server down")] * 4)
    result = notes_for(session_of(ws, failing), source, [chapter])
    assert result.problems and result.notes[0].made_by == "offline digest"
    assert len(failing.calls) == 1
