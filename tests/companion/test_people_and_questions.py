"""Who's who, "previously on" and whole-book questions, built from the chapter notes."""

from __future__ import annotations

import time

import pytest

from pipelines.answers.qa import answer
from pipelines.companion.people import find_entry, people_so_far, whos_who
from pipelines.companion.recap import previously_on
from pipelines.notes.service import notes_for
from pipelines.testing.scripted_llm import ScriptedLLM
from pipelines.types import Scope
from tests.companion.conftest import TM_IV, TM_V
from tests.sessions import session_of

pytestmark = pytest.mark.slow


def test_whos_who_so_far(companion_ws) -> None:
    ws, source, _ = companion_ws
    session = session_of(ws)
    entries = people_so_far(session, source, TM_V)
    filby = find_entry(entries, "Filby")
    assert filby is not None and filby.kind == "person" and filby.first_title == "I"
    assert "Filby" in filby.quote and filby.passage_id
    passage = ws.get_passages([filby.passage_id])[filby.passage_id]
    assert passage.chapter_index == filby.first_chapter  # the line is cited where it is
    traveller = find_entry(entries, "the Time Traveller")
    assert traveller is not None and traveller.deeds  # what he has done so far
    assert all(d.chapter_index <= TM_V for d in traveller.deeds)
    weena = find_entry(entries, "Weena")
    assert weena is not None and weena.first_title == "V"
    assert find_entry(people_so_far(session, source, TM_IV), "Weena") is None
    # people come first, then places and terms
    kinds = [e.kind for e in entries]
    assert kinds == sorted(kinds, key=["person", "place", "term"].index)


def test_whos_who_from_kept_notes_is_quick(companion_ws) -> None:
    ws, source, _ = companion_ws
    notes = notes_for(session_of(ws), source, list(source.chapters)).notes
    started = time.perf_counter()
    entries = whos_who(notes * 10)  # as many notes as a book ten times as long
    assert time.perf_counter() - started < 2.0
    assert find_entry(entries, "Morlocks") is not None


def test_previously_on_recaps_the_chapters_before(companion_ws) -> None:
    ws, source, _ = companion_ws
    recap = previously_on(session_of(ws), source, TM_V)
    assert recap.lines and {line.chapter_title for line in recap.lines} <= {"I", "II", "III", "IV"}
    assert recap.lines[-1].chapter_title == "IV"  # the chapter just read is told most
    cited = ws.get_passages([c.passage_id for c in recap.citations])
    assert all(p.chapter_index < TM_V for p in cited.values())
    assert not previously_on(session_of(ws), source, 3).lines  # nothing before chapter I


def test_whole_book_question_goes_through_the_notes(companion_ws) -> None:
    ws, _, alice = companion_ws
    result = answer(session_of(ws), "What is the name of Alice's cat?", Scope.sources(alice))
    assert result.supported and "Dinah" in result.text
    assert any("Dinah" in c.quote for c in result.citations)


def test_a_model_reads_the_notes_and_cites_passages(companion_ws) -> None:
    ws, _, alice = companion_ws
    llm = ScriptedLLM(context_window=32768)
    notes_for(session_of(ws), alice, list(alice.chapters))  # offline notes, kept

    def reply(messages):  # noqa: ANN001, ANN202
        prompt = messages[-1].content
        if messages[0].content.startswith("You take careful"):
            return '{"points": [], "entities": []}'
        assert "Chapter notes:" in prompt and "Dinah" in prompt
        key = next(line.split("]")[0][1:] for line in prompt.splitlines() if line.startswith("[P"))
        return f"Alice's cat is called Dinah [{key}] [P999]."

    llm.enqueue(*([reply] * 40))
    result = answer(session_of(ws, llm), "What is Alice's cat called?", Scope.sources(alice))
    assert "Dinah" in result.text and result.citations
    assert "P999" not in result.text  # an invented key is dropped
