"""A whole-book question answered by a capable model, replayed: the requests and replies
of a run against the stand-in reader (`eval/companion/run_with_model.py`): the notes of
each chapter of Alice, then the answer from those notes and the passages they point to."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.answers.qa import answer
from pipelines.testing.replay_llm import ReplayLLM
from pipelines.types import Scope
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import ALICE

pytestmark = pytest.mark.slow

RECORDED = Path(__file__).parent / "replay" / "alice-wholebook"


def test_model_answers_a_whole_book_question_from_its_notes(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "home")
    alice = library.add_file(session_of(ws), ALICE).source
    llm = ReplayLLM(RECORDED)
    result = answer(session_of(ws, llm), "What is the name of Alice's cat?", Scope.sources(alice))
    assert llm.position == len(llm.requests)  # every chapter's notes, then the answer
    assert result.supported and "Dinah" in result.text
    assert result.citations and all("Dinah" in c.quote for c in result.citations)
    cited = ws.get_passages([c.passage_id for c in result.citations])
    assert all(p.source_id == alice.id for p in cited.values())
    assert "Chapter notes:" in llm.calls[-1][-1].content
