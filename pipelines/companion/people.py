"""Who's who so far: the people, places and recurring terms of chapters 1..N, from their
notes: where each first appears, what they have done so far, and one cited line.

Built from kept notes only (no model request), so it is quick even for a long book.
The same name in several chapters is one entry ("Mrs. Watchett" and "Watchett", "the
Morlocks" and "Morlock" are merged); a line that names someone the reader has not met
yet is left out (`SpoilerGuard`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.companion.spoilers import SpoilerGuard
from pipelines.notes.digest_notes import MAKER as OFFLINE_MAKER
from pipelines.notes.names import PERSON_TITLES
from pipelines.notes.schema import ChapterNotes, Point
from pipelines.notes.service import NotesProgress
from pipelines.text.sentences import sentence_texts
from pipelines.types import Passage, Source

if TYPE_CHECKING:
    from pipelines.session import Session

MAX_DEEDS = 4
KIND_ORDER = {"person": 0, "place": 1, "term": 2}


@dataclass
class Deed:
    """Something the notes of one chapter say about an entry."""

    chapter_index: int
    chapter_title: str
    text: str
    passage_ids: list[str] = field(default_factory=list)


@dataclass
class WhoEntry:
    name: str
    kind: str
    first_chapter: int  # chapter index
    first_title: str
    line: str  # who or what it is, as of the latest chapter that says
    passage_id: str | None  # the passage that line rests on
    quote: str = ""  # the words of that passage that name it
    chapters: list[int] = field(default_factory=list)
    deeds: list[Deed] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return len(self.chapters)


def name_key(name: str) -> str:
    """'the Morlocks' / 'Morlock' -> 'morlock'; 'Mrs. Watchett' -> 'watchett'."""
    words = [w for w in re.findall(r"[\w'’-]+", name.lower()) if w not in ("the", "a", "an")]
    if len(words) > 1 and words[0].rstrip(".") in PERSON_TITLES:
        words = words[1:]
    key = " ".join(w.removesuffix("’s").removesuffix("'s") for w in words)
    return key[:-1] if key.endswith("s") and len(key) > 4 and not key.endswith("ss") else key


def _mentions(text: str, name: str, lowered: str | None = None) -> bool:
    """Does `text` (`lowered`: the same, lower-cased) name `name`?"""
    found = _name_pattern(name)
    if found is None:
        return False
    needle, pattern = found
    # who's who of a long book asks ~500,000 times: a plain substring test first
    return needle in (lowered if lowered is not None else text.lower()) and bool(
        pattern.search(text)
    )


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> tuple[str, re.Pattern[str]] | None:
    core = name_key(name)
    if not core:
        return None
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in core.split()) + r"s?\b"
    return core.split()[0], re.compile(pattern, re.I)


def whos_who(
    notes: list[ChapterNotes],
    passages: dict[str, Passage] | None = None,
    *,
    guard: SpoilerGuard | None = None,
) -> list[WhoEntry]:
    """Entries over the notes given (chapters 1..N in reading order): people first, then
    places and terms, the most present first. `passages` (id -> passage) gives each
    line its quoted words."""
    guard = guard or SpoilerGuard()
    entries: dict[str, WhoEntry] = {}
    kinds: dict[str, Counter[str]] = {}
    for chapter in notes:
        for entity in chapter.entities:
            key = name_key(entity.name)
            if not key or not guard.safe(entity.name):
                continue
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = WhoEntry(
                    name=entity.name,
                    kind=entity.kind,
                    first_chapter=chapter.chapter_index,
                    first_title=chapter.chapter_title,
                    line="",
                    passage_id=None,
                )
            if len(entity.name) > len(entry.name) and entity.name.lower().endswith(key[:4]):
                entry.name = entity.name  # the fuller form: "Mrs. Watchett"
            kinds.setdefault(key, Counter())[entity.kind] += 1
            if chapter.chapter_index not in entry.chapters:
                entry.chapters.append(chapter.chapter_index)
            # a model's line says who they are as of this chapter (the latest is best);
            # the digest's is the sentence that first names them (the first is best)
            latest_wins = chapter.made_by != OFFLINE_MAKER
            if entity.line and guard.safe(entity.line) and (latest_wins or not entry.line):
                entry.line = entity.line
                entry.passage_id = next(iter(entity.passage_ids), entry.passage_id)
    points = _points(notes)
    for key, entry in entries.items():
        entry.kind = _kind(kinds[key])
        entry.deeds = _deeds(entry, points, guard)
        if passages and entry.passage_id in passages:
            entry.quote = _quote(passages[entry.passage_id].text, entry.name)
    return sorted(
        entries.values(),
        key=lambda e: (KIND_ORDER.get(e.kind, 3), -e.mentions, e.first_chapter, e.name),
    )


def _kind(votes: Counter[str]) -> str:
    """A person in any chapter is a person (the digest calls someone a term where no
    verb of speech or title says otherwise)."""
    if votes["person"]:
        return "person"
    return votes.most_common(1)[0][0]


Points = list[tuple[ChapterNotes, list[tuple[Point, str]]]]  # each point with its lower case


def _points(notes: list[ChapterNotes]) -> Points:
    """Each chapter's turning points, then its points, each with its text lower-cased."""
    return [(c, [(p, p.text.lower()) for p in [*c.turning_points, *c.points]]) for c in notes]


def _deeds(entry: WhoEntry, points: Points, guard: SpoilerGuard) -> list[Deed]:
    """What the notes say about the entry, in reading order; the latest few are kept."""
    found: list[Deed] = []
    for chapter, chapter_points in reversed(points):  # from the latest, until enough
        for point, lowered in chapter_points:
            if not _mentions(point.text, entry.name, lowered) or not guard.safe(point.text):
                continue
            if any(d.text == point.text for d in found):
                continue
            found.append(
                Deed(chapter.chapter_index, chapter.chapter_title, point.text, point.passage_ids)
            )
            break  # one per chapter: the turning point first
        if len(found) == MAX_DEEDS:
            break
    return found[::-1]


def _quote(text: str, name: str, limit: int = 40) -> str:
    """The sentence of a passage that names `name` (else its first), at most `limit` words."""
    sentences = sentence_texts(text)
    chosen = next((s for s in sentences if _mentions(s, name)), sentences[0] if sentences else "")
    words = chosen.split()
    return " ".join(words) if len(words) <= limit else " ".join(words[:limit]) + "…"


def find_entry(entries: list[WhoEntry], name: str) -> WhoEntry | None:
    key = name_key(name)
    return next((e for e in entries if name_key(e.name) == key), None)


def people_so_far(
    session: Session,
    source: Source,
    upto: int | None,
    *,
    progress: NotesProgress | None = None,
    offline: bool = False,
) -> list[WhoEntry]:
    """Who's who for a reader at chapter `upto` (the whole book when None)."""
    from pipelines.companion.known import notes_upto

    notes = notes_upto(session, source, upto, progress=progress, offline=offline).notes
    ids = [e.passage_ids[0] for n in notes for e in n.entities if e.passage_ids]
    passages = session.workspace.get_passages(ids) if ids else {}
    return whos_who(notes, passages, guard=SpoilerGuard.for_reader(source, upto))
