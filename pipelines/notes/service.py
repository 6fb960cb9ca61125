"""Notes for the chapters a person chose: kept ones when the chapter and the maker are
unchanged, else made now (by the session's model, or offline by the digest) and kept.

`notes_for` is what plans, summaries, recaps and the reading companion call. Each
chapter's notes come from that chapter alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.errors import BackendError, UnreachableError
from pipelines.notes import store
from pipelines.notes.digest_notes import MAKER as OFFLINE_MAKER
from pipelines.notes.digest_notes import offline_notes
from pipelines.notes.schema import ChapterNotes
from pipelines.text.narration import Narrator, find_narrator, find_teller
from pipelines.types import Chapter, Source, SourceKind

if TYPE_CHECKING:
    from pipelines.llm.base import LLM
    from pipelines.session import Session

log = logging.getLogger(__name__)

# progress(message, done, total): "notes on chapter III (2/5)"
NotesProgress = Callable[[str, int, int], None]


@dataclass
class NotesResult:
    notes: list[ChapterNotes]
    made: int = 0  # how many were made now (the rest were kept ones)
    problems: list[str] = field(default_factory=list)  # chapters the model could not do


# A notes request keeps 2,500 tokens for its reply (model_notes.NOTES_REPLY_TOKENS) and
# needs room for some passages: a smaller window gets the digest's notes, at once.
MIN_NOTES_WINDOW = 4096


def maker_of(llm: LLM | None) -> str:
    """Who makes notes for this model: its identity, or the offline digest (no model, or
    one whose window cannot hold a notes request)."""
    if llm is None or not llm.generates or llm.context_window < MIN_NOTES_WINDOW:
        return OFFLINE_MAKER
    return llm.describe()


def notes_for(
    session: Session,
    source: Source,
    chapters: list[Chapter],
    *,
    progress: NotesProgress | None = None,
    offline: bool = False,
) -> NotesResult:
    """Notes of each chapter with text, in reading order."""
    ws = session.workspace
    llm = None if offline else session.llm
    maker = maker_of(llm)
    result = NotesResult([])
    with_text = [c for c in chapters if c.word_count > 0]
    people: tuple[Narrator | None, Narrator | None] | None = None
    made_together: dict[str, ChapterNotes] = {}
    if maker != OFFLINE_MAKER and llm is not None and source.kind != SourceKind.BOOK:
        made_together = _sections_together(session, source, with_text, maker, result, progress)
    for n, chapter in enumerate(with_text):
        if progress:
            progress(f"notes on {chapter.title}", n, len(with_text))
        kept = store.load(ws, chapter, maker)
        if kept is not None:
            result.notes.append(kept)
            continue
        passages = ws.passages_for(chapter_ids=[chapter.id])
        notes: ChapterNotes | None = made_together.get(chapter.id)
        if notes is not None and notes.is_empty:
            notes = None  # the model skipped this section: read it on its own below
        if notes is None and maker != OFFLINE_MAKER and llm is not None:
            from pipelines.notes.model_notes import model_notes

            try:
                notes = model_notes(llm, source, chapter, passages, maker=maker)
            except BackendError as exc:
                log.warning("Model notes failed for %s: %s", chapter.title, exc)
                result.problems.append(f"{chapter.title}: {exc}")
                if isinstance(exc, UnreachableError):
                    llm = None  # the rest from the text: not one more wait per chapter
        if notes is None:
            notes = store.load(ws, chapter, OFFLINE_MAKER)
            if notes is None:
                people = people or _people(source)
                notes = offline_notes(
                    chapter,
                    passages,
                    is_paper=source.kind == SourceKind.PAPER,
                    narrator=people[0],
                    teller=people[1],
                )
                store.save(ws, chapter, OFFLINE_MAKER, notes)
                result.made += 1
        else:
            store.save(ws, chapter, maker, notes)
            result.made += 1
        result.notes.append(notes)
    if progress:
        progress("notes ready", len(with_text), len(with_text))
    return result


def _sections_together(
    session: Session,
    source: Source,
    chapters: list[Chapter],
    maker: str,
    result: NotesResult,
    progress: NotesProgress | None,
) -> dict[str, ChapterNotes]:
    """A paper's or document's short sections, several to a request (as many as fit the
    model's window); a section that fills a request on its own is left to `notes_for`."""
    from pipelines.notes.model_notes import NOTES_REPLY_TOKENS, group_tokens, grouped_notes

    ws, llm = session.workspace, session.llm
    budget = max(800, llm.context_window - NOTES_REPLY_TOKENS - 1500)
    groups: list[list[tuple[Chapter, list]]] = [[]]
    used = 0
    for chapter in chapters:
        if store.load(ws, chapter, maker) is not None:
            continue
        passages = ws.passages_for(chapter_ids=[chapter.id])
        cost = group_tokens(passages) + 700
        if cost > budget // 2:
            continue  # a long section gets a request of its own
        if groups[-1] and used + cost > budget:
            groups.append([])
            used = 0
        groups[-1].append((chapter, passages))
        used += cost
    made: dict[str, ChapterNotes] = {}
    for n, group in enumerate(g for g in groups if len(g) > 1):
        if progress:
            progress(f"notes on {len(group)} sections", n, len(groups))
        try:
            for notes in grouped_notes(llm, source, group, maker=maker):
                made[notes.chapter_id] = notes
        except BackendError as exc:
            log.warning("Grouped notes failed: %s", exc)
            result.problems.append(f"{len(group)} sections: {exc}")
    return made


def _people(source: Source) -> tuple[Narrator | None, Narrator | None]:
    """Who tells the book ("I" as Ishmael) and who tells a story inside it: read over the
    body so every chapter's notes name them the same way."""
    if source.kind == SourceKind.PAPER:
        return None, None
    text = " ".join(c.text for c in source.chapters if c.kind.is_body)
    return find_narrator(text, source.authors), find_teller(text)
