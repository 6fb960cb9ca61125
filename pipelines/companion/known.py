"""What a reader knows at chapter N: the notes of the body chapters 1..N (made now when
they are not kept yet), and nothing of the chapters after."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.notes.service import NotesProgress, NotesResult, notes_for
from pipelines.types import Chapter, Scope, Source

if TYPE_CHECKING:
    from pipelines.session import Session


def chapters_upto(source: Source, upto: int | None) -> list[Chapter]:
    """Body chapters with text up to chapter `upto` (the whole book when None), in
    reading order; `Scope.upto` decides what "up to" means for nested chapters."""
    if upto is None:
        allowed = {c.id for c in source.chapters}
    else:
        allowed = set(Scope.upto(source, upto).chapter_ids or [])
    return [c for c in source.chapters if c.id in allowed and c.kind.is_body and c.word_count]


def chapters_before(source: Source, n: int) -> list[Chapter]:
    """Body chapters read before chapter `n` starts."""
    return [c for c in chapters_upto(source, n) if c.index < n]


def notes_upto(
    session: Session,
    source: Source,
    upto: int | None,
    *,
    progress: NotesProgress | None = None,
    offline: bool = False,
) -> NotesResult:
    """Notes of chapters 1..upto, each made from its own chapter alone."""
    return notes_for(
        session, source, chapters_upto(source, upto), progress=progress, offline=offline
    )
