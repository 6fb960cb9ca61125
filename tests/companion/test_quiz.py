"""Chapter quizzes: 5-10 questions, every answer word for word in the passage it cites,
that passage in the chapter; a model's question whose answer the passage lacks is
dropped; the cards export to a real Anki package and to CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from pipelines.companion.export import quiz_csv, write_anki
from pipelines.companion.quiz import (
    MAX_QUESTIONS,
    MIN_QUESTIONS,
    answer_in_passage,
    chapter_quiz,
    is_right,
)
from pipelines.testing.scripted_llm import ScriptedLLM
from tests.sessions import session_of

pytestmark = pytest.mark.slow


def _check(ws, quiz, chapter) -> None:
    assert MIN_QUESTIONS <= len(quiz.items) <= MAX_QUESTIONS
    passages = ws.get_passages([i.passage_id for i in quiz.items])
    for item in quiz.items:
        passage = passages[item.passage_id]
        assert passage.chapter_id == chapter.id, item
        assert answer_in_passage(item.answer, passage.text), item
        assert item.answer.lower() not in item.question.lower().replace("_____", ""), item


def test_offline_quiz_answers_are_in_their_passages(companion_ws) -> None:
    ws, source, alice = companion_ws
    session = session_of(ws)
    for book in (source, alice):
        for chapter in [c for c in book.chapters if c.kind.is_body and c.word_count > 300][:4]:
            _check(ws, chapter_quiz(session, book, chapter.index), chapter)


def test_model_questions_are_checked_against_the_text(companion_ws) -> None:
    ws, source, _ = companion_ws
    chapter = next(c for c in source.chapters if c.title == "II")
    # quizzes are kept per model: another test's scripted model made this chapter's already
    shutil.rmtree(ws.cache_dir / "quiz", ignore_errors=True)
    reply = {
        "questions": [
            {"question": "Who tried to relieve the tension with anecdotes?", "answer": "the Journalist", "passage": "P2"},
            {"question": "What time was it by the Medical Man?", "answer": "half-past seven", "passage": "P1"},
            {"question": "What colour is the machine?", "answer": "bright purple", "passage": "P1"},
        ]
    }  # fmt: skip
    llm = ScriptedLLM([json.dumps(reply)], context_window=32768)
    quiz = chapter_quiz(session_of(ws, llm), source, chapter.index)
    answers = [i.answer for i in quiz.items]
    assert "bright purple" not in answers  # not in the text: dropped
    assert "half-past seven" in answers or "the Journalist" in answers
    _check(ws, quiz, chapter)  # topped up to at least five from the text


def test_reader_answers_are_checked() -> None:
    from pipelines.companion.quiz import QuizItem

    item = QuizItem("Who?", "Mrs. Watchett", "p", "", 5, "III")
    assert is_right(item, "mrs watchett") and is_right(item, "Watchett")
    assert not is_right(item, "Filby") and not is_right(item, "")


def test_flashcards_export_to_anki_and_csv(companion_ws, tmp_path: Path) -> None:
    ws, source, _ = companion_ws
    session = session_of(ws)
    quizzes = [chapter_quiz(session, source, n) for n in (3, 4)]
    count = sum(len(q.items) for q in quizzes)
    deck = write_anki(quizzes, tmp_path / "tm.apkg")
    with zipfile.ZipFile(deck) as package:
        (tmp_path / "col.db").write_bytes(package.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "col.db") as db:
        notes = [row[0].split("\x1f") for row in db.execute("SELECT flds FROM notes")]
    assert len(notes) == count
    assert {n[1] for n in notes} == {i.answer for q in quizzes for i in q.items}
    rows = list(csv.DictReader(io.StringIO(quiz_csv(quizzes))))
    assert len(rows) == count and rows[0]["chapter"] == "I" and rows[0]["answer"]
