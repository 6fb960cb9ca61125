"""'Previously on…': what the chapters before this one said, from their notes (so it
holds nothing from this chapter or later)."""

from __future__ import annotations

from pipelines.notes.schema import ChapterNotes

MAX_POINTS = 6


def previously_on(notes: list[ChapterNotes], *, max_points: int = MAX_POINTS) -> str:
    """A short recap of the chapters whose notes are given, latest chapter weighted most:
    its turning points and main points, and one line for each earlier chapter."""
    if not notes:
        return ""
    *earlier, last = notes
    lines = [f"In “{n.chapter_title}”, {_first(n)}" for n in earlier[-3:] if _first(n)]
    main = (last.turning_points or [])[:2] + [
        p for p in last.points if p.text not in {t.text for t in last.turning_points}
    ]
    told = " ".join(p.text for p in main[: max(1, max_points - len(lines))])
    lines.append(f"In “{last.chapter_title}”: {told}" if told else "")
    return " ".join(line for line in lines if line)


def _first(notes: ChapterNotes) -> str:
    points = notes.turning_points or notes.points
    if not points:
        return ""
    text = points[0].text
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
