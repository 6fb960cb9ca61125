"""Whole-book and "so far" questions through the chapter notes first.

Passage search alone cannot answer "who is X?" or "what happens to Y?" over thirty
chapters: the words of the question are spread over many passages, or are not in any.
The notes of each chapter name its people and its events with the passages they rest
on. So a question over several chapters of a book is matched against the notes of
those chapters; the passages the best notes point to join the search's passages (first),
and a model also reads the notes themselves. Citations are always to passages.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.llm.tokens import estimate_tokens
from pipelines.notes.render import KeyFor, notes_text
from pipelines.notes.schema import ChapterNotes
from pipelines.text.sentences import terms
from pipelines.types import Answer, Scope, ScoredPassage, SourceKind

if TYPE_CHECKING:
    from pipelines.session import Session
    from pipelines.types import Chapter, Source

log = logging.getLogger(__name__)

MIN_CHAPTERS = 2  # a scope of one chapter is answered from its passages as before
NOTE_PASSAGES = 4  # passages the best notes bring in, ahead of the search's
ON_DEMAND_WORDS = 40_000  # notes made while a question waits (The Time Machine: 32,000)
MAX_NOTES_CHAPTERS = 40  # chapters whose notes a model reads in full (else the best ones)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


@dataclass
class NoteItem:
    """One line of the notes: a point, an entity's line, or a quotable line."""

    text: str
    passage_ids: list[str]
    chapter: ChapterNotes
    name: str = ""  # the entity's name, for entity lines


@dataclass
class NotesRoute:
    """What the notes add to an answer: passages first, and the notes a model reads."""

    hits: list[ScoredPassage]
    notes: list[ChapterNotes] = field(default_factory=list)
    matched: list[NoteItem] = field(default_factory=list)
    added: int = 0  # passages the notes add to the answer's pool of best hits

    def notes_for_model(self, key_for: KeyFor, budget_tokens: int | None = None) -> str:
        """The notes a model reads: all the chapters' when they are few, else those whose
        notes matched; within `budget_tokens` (a small window keeps room for passages:
        the matched chapters only, else no notes)."""
        chosen = self.notes if len(self.notes) <= MAX_NOTES_CHAPTERS else self._matched()
        for notes in (chosen, self._matched()):
            text = notes_text(notes, key_for)
            if budget_tokens is None or estimate_tokens(text) <= budget_tokens:
                return text
        return ""

    def _matched(self) -> list[ChapterNotes]:
        wanted = {id(item.chapter) for item in self.matched}
        return [n for n in self.notes if id(n) in wanted]


def scope_chapters(session: Session, scope: Scope) -> tuple[Source, list[Chapter]] | None:
    """The body chapters of a multi-chapter scope over one book, or None."""
    if len(scope.source_ids) != 1:
        return None
    source = session.workspace.get_source(scope.source_ids[0])
    if source.kind != SourceKind.BOOK:
        return None
    inside = set(scope.chapter_ids) if scope.chapter_ids is not None else None
    chapters = [
        c
        for c in source.chapters
        if c.kind.is_body and c.word_count and (inside is None or c.id in inside)
    ]
    return (source, chapters) if len(chapters) >= MIN_CHAPTERS else None


def route(
    session: Session, question: str, scope: Scope, hits: list[ScoredPassage]
) -> NotesRoute | None:
    """The notes' passages ahead of `hits`, or None when the scope is one chapter, not a
    book, or its notes match nothing in the question."""
    from pipelines.notes.service import notes_for

    found = scope_chapters(session, scope)
    if found is None:
        return None
    source, chapters = found
    chapters = _affordable(session, chapters)
    if len(chapters) < MIN_CHAPTERS:
        return None
    notes = notes_for(session, source, chapters).notes
    matched = best_items(question, notes)
    if not matched:
        return NotesRoute(hits, notes)
    wanted: list[str] = []
    for item in matched:
        for pid in item.passage_ids[:1]:
            if pid not in wanted:
                wanted.append(pid)
    wanted = wanted[:NOTE_PASSAGES]
    passages = session.workspace.get_passages(wanted)
    top = hits[0].score if hits else 1.0
    from_notes = [
        ScoredPassage(passages[pid], top * (1.0 - 0.01 * n))
        for n, pid in enumerate(wanted)
        if pid in passages
    ]
    seen = {h.passage.id for h in from_notes}
    rest = [h for h in hits if h.passage.id not in seen]
    # Their passages come first (a model reads the notes and cites them); offline the
    # answer's pool of best passages grows by as many, so the search's best stay in it.
    return NotesRoute([*from_notes, *rest], notes, matched, len(from_notes))


def _affordable(session: Session, chapters: list[Chapter]) -> list[Chapter]:
    """The chapters whose notes a question may use: all of them when the missing ones are
    few enough to make now, else only the kept ones (a long book's notes are made once,
    by who's who, a recap or a podcast, not while someone waits for an answer)."""
    from pipelines.notes import store
    from pipelines.notes.service import maker_of

    maker = maker_of(session.llm)
    kept = [c for c in chapters if store.load(session.workspace, c, maker) is not None]
    missing = sum(c.word_count for c in chapters) - sum(c.word_count for c in kept)
    if missing <= ON_DEMAND_WORDS:
        return chapters
    log.info("Notes missing for %d words of the scope: using the %d kept", missing, len(kept))
    return kept


def note_items(notes: list[ChapterNotes]) -> list[NoteItem]:
    items: list[NoteItem] = []
    for chapter in notes:
        for point in [*chapter.turning_points, *chapter.points, *chapter.numbers]:
            items.append(NoteItem(point.text, point.passage_ids, chapter))
        for entity in chapter.entities:
            items.append(
                NoteItem(f"{entity.name}: {entity.line}", entity.passage_ids, chapter, entity.name)
            )
        for quote in chapter.quotes:
            items.append(NoteItem(quote.text, [quote.passage_id], chapter))
    return [i for i in items if i.passage_ids]


def best_items(question: str, notes: list[ChapterNotes], *, k: int = 6) -> list[NoteItem]:
    """The note lines that share the most (rare) words with the question, BM25-style; an
    entity whose name the question says counts double."""
    items = note_items(notes)
    wanted = set(terms(question))
    if not items or not wanted:
        return []
    bags = [Counter(terms(i.text)) for i in items]
    df = Counter(t for bag in bags for t in set(bag))
    n = len(items)
    names = {m.lower() for m in _NAME.findall(question[1:])}
    avg = sum(sum(b.values()) for b in bags) / n or 1.0
    scored: list[tuple[float, int]] = []
    for idx, (item, bag) in enumerate(zip(items, bags, strict=True)):
        length = sum(bag.values()) or 1
        score = 0.0
        for term in wanted & set(bag):
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            tf = bag[term]
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg))
        if item.name and item.name.lower() in names:
            score *= 2
        if score > 0:
            scored.append((score, idx))
    scored.sort(reverse=True)
    if not scored:
        return []
    best = scored[0][0]
    return [items[i] for s, i in scored[:k] if s >= 0.5 * best]


def guard_answer(session: Session, scope: Scope, answer: Answer) -> Answer:
    """In "up to chapter N" mode, a sentence of the answer that names someone the reader
    has not met yet is left out (a model may know the book); nothing left: not in text."""
    from pipelines.companion.spoilers import SpoilerGuard
    from pipelines.text.sentences import split_sentences

    if not answer.supported or not scope.chapter_ids or len(scope.source_ids) != 1:
        return answer
    source = session.workspace.get_source(scope.source_ids[0])
    inside = set(scope.chapter_ids)
    if len(inside) >= len(source.chapters):
        return answer
    last = max((c.index for c in source.chapters if c.id in inside), default=0)
    guard = SpoilerGuard.for_reader(source, last)
    if guard.safe(answer.text):
        return answer
    kept = [
        answer.text[a:b] for a, b in split_sentences(answer.text) if guard.safe(answer.text[a:b])
    ]
    if not kept:
        answer.supported = False
        answer.text = (
            "The chapters you have read so far don't say; the answer may come later in the book."
        )
        answer.citations = []
        return answer
    answer.text = " ".join(k.strip() for k in kept)
    used = {int(m) for m in re.findall(r"\[(\d+)\]", answer.text)}
    answer.citations = [c for c in answer.citations if c.number in used]
    answer.notes.append("A sentence naming something from later chapters was left out.")
    return answer
