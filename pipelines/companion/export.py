"""Flashcards out of Folio: an Anki deck (genanki) and a CSV file, one card per quiz
question, the answer with the quoted passage and where it is on the back."""

from __future__ import annotations

import csv
import hashlib
import html
import io
from pathlib import Path

from pipelines.companion.quiz import Quiz
from pipelines.errors import FolioError

CSV_FIELDS = ["question", "answer", "chapter", "page", "quote", "source"]
_MODEL_ID = 1_607_392_319  # fixed: Anki keeps one note type for every Folio deck


def _stable_id(text: str) -> int:
    """Anki wants numeric ids that stay the same when a deck is exported again."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) + (1 << 30)


def write_anki(quizzes: list[Quiz], path: Path | str, *, deck_name: str = "") -> Path:
    """An .apkg of the quizzes' questions (genanki); raises FolioError when it is missing."""
    try:
        import genanki
    except ImportError as exc:
        raise FolioError("Anki export needs genanki: pip install genanki") from exc
    if not quizzes or not any(q.items for q in quizzes):
        raise FolioError("There are no questions to export.")
    first = quizzes[0]
    name = deck_name or f"{first.source_title} (Folio)"
    model = genanki.Model(
        _MODEL_ID,
        "Folio question",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Where"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer"><b>{{Answer}}</b><br><small>{{Where}}</small>',
            }
        ],
    )
    deck = genanki.Deck(_stable_id(f"{first.source_id}:{name}"), name)
    for quiz in quizzes:
        for item in quiz.items:
            where = f"{item.chapter_title}" + (f", p. {item.page}" if item.page else "")
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=[
                        html.escape(item.question),
                        html.escape(item.answer),
                        f"{html.escape(where)}: “{html.escape(item.quote)}”",
                    ],
                    guid=genanki.guid_for(quiz.source_id, item.passage_id, item.question),
                    tags=[f"chapter-{item.chapter_index}"],
                )
            )
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(out))
    return out


def quiz_csv(quizzes: list[Quiz]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for quiz in quizzes:
        for item in quiz.items:
            writer.writerow(
                {
                    "question": item.question,
                    "answer": item.answer,
                    "chapter": item.chapter_title,
                    "page": item.page or "",
                    "quote": item.quote,
                    "source": quiz.source_title,
                }
            )
    return buffer.getvalue()
