"""'Previously on…': a short recap of chapters 1..N-1 before chapter N, from their notes,
each line cited. The chapter just before N is told most (its turning points, then its
main points); a few chapters before that get one line each. Nothing of chapter N or
later is read, and a line naming someone the reader has not met yet is left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.companion.cite import Citer
from pipelines.companion.known import chapters_before
from pipelines.companion.spoilers import SpoilerGuard
from pipelines.notes.schema import ChapterNotes, Point
from pipelines.notes.service import NotesProgress, notes_for
from pipelines.types import Citation, Source

if TYPE_CHECKING:
    from pipelines.session import Session

LAST_CHAPTER_POINTS = 4
EARLIER_CHAPTERS = 3


@dataclass
class RecapLine:
    chapter_title: str
    text: str
    passage_ids: list[str] = field(default_factory=list)


@dataclass
class Recap:
    before_chapter: int
    lines: list[RecapLine]
    text: str = ""  # the lines with [n] markers
    citations: list[Citation] = field(default_factory=list)
    made_by: str = ""

    @property
    def plain(self) -> str:
        """The recap without markers (what a podcast host says)."""
        return " ".join(
            f"In “{line.chapter_title}”, {_lower_first(line.text)}" for line in self.lines
        )


def recap_lines(notes: list[ChapterNotes], guard: SpoilerGuard | None = None) -> list[RecapLine]:
    """The lines of a recap of the chapters whose notes are given (in reading order)."""
    guard = guard or SpoilerGuard()
    if not notes:
        return []
    *earlier, last = notes
    lines = []
    for chapter in earlier[-EARLIER_CHAPTERS:]:
        point = next((p for p in _ranked(chapter) if guard.safe(p.text)), None)
        if point is not None:
            lines.append(RecapLine(chapter.chapter_title, point.text, point.passage_ids))
    told = [p for p in _ranked(last) if guard.safe(p.text)][:LAST_CHAPTER_POINTS]
    told.sort(key=lambda p: _position(last, p))
    lines += [RecapLine(last.chapter_title, p.text, p.passage_ids) for p in told]
    return lines


def _ranked(chapter: ChapterNotes) -> list[Point]:
    """Turning points first, then the other points in order."""
    turning = {p.text for p in chapter.turning_points}
    return [*chapter.turning_points, *(p for p in chapter.points if p.text not in turning)]


def _position(chapter: ChapterNotes, point: Point) -> int:
    texts = [p.text for p in chapter.points]
    return texts.index(point.text) if point.text in texts else len(texts)


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first in ("The", "A", "An", "He", "She", "They", "It", "In", "At", "When", "After"):
        return text[:1].lower() + text[1:]
    return text


def previously_on(
    session: Session,
    source: Source,
    chapter: int,
    *,
    progress: NotesProgress | None = None,
    offline: bool = False,
) -> Recap:
    """The recap a reader sees before chapter `chapter` (empty before the first one)."""
    before = chapters_before(source, chapter)
    result = notes_for(session, source, before, progress=progress, offline=offline)
    guard = SpoilerGuard.for_reader(source, before[-1].index) if before else SpoilerGuard()
    lines = recap_lines(result.notes, guard)
    ids = [pid for line in lines for pid in line.passage_ids]
    citer = Citer(source, session.workspace.get_passages(ids) if ids else {})
    parts: list[str] = []
    current = ""
    for line in lines:
        cited = citer.cite(line.text, line.passage_ids, most=1)
        if line.chapter_title != current:
            current = line.chapter_title
            parts.append(f"**{current}.** {cited}")
        else:
            parts[-1] += f" {cited}"
    made_by = ", ".join(sorted({n.made_by for n in result.notes if n.made_by}))
    return Recap(chapter, lines, "\n\n".join(parts), citer.citations, made_by)
