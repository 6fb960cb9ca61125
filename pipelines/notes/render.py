"""Notes as a model reads them: each chapter's points, turning points, numbers, people
and quotable lines, with the prompt's passage keys in place of passage ids."""

from __future__ import annotations

from collections.abc import Callable

from pipelines.notes.schema import ChapterNotes, Point

KeyFor = Callable[[str], str | None]  # passage id -> "P3" (None when not in the prompt)


def notes_text(notes: list[ChapterNotes], key_for: KeyFor) -> str:
    parts: list[str] = []
    for chapter in notes:
        lines = [f"## Notes on {chapter.chapter_title}"]
        lines += [f"- {_point(p, key_for)}" for p in chapter.points]
        if chapter.turning_points:
            lines.append("Turning points:")
            lines += [f"- {_point(p, key_for)}" for p in chapter.turning_points]
        if chapter.numbers:
            lines.append("Numbers:")
            lines += [f"- {_point(p, key_for)}" for p in chapter.numbers]
        if chapter.entities:
            lines.append("People, places and terms:")
            lines += [f"- {e.name}: {e.line}" for e in chapter.entities]
        if chapter.quotes:
            lines.append("Quotable lines:")
            lines += [f'- "{q.text}" [{key_for(q.passage_id) or "?"}]' for q in chapter.quotes]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def _point(point: Point, key_for: KeyFor) -> str:
    keys = [k for k in (key_for(i) for i in point.passage_ids) if k]
    return point.text + (f" [{', '.join(keys)}]" if keys else "")
