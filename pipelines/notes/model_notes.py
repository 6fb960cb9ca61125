"""Chapter notes written by a language model from the chapter's whole text.

One request per chapter when the chapter fits the model's window (with room for the
reply); a longer chapter is read in consecutive parts, one request each, and the parts'
notes are joined in order. The model sees keyed passages ("[P3] …") and cites them; keys
it invents are dropped, and a quotation that is not word for word in the text is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from pydantic import BaseModel, Field

from pipelines.llm.base import LLM, Message
from pipelines.llm.structured import complete_model
from pipelines.llm.tokens import count_message_tokens, estimate_tokens
from pipelines.notes.schema import (
    ChapterNotes,
    Entity,
    NotesPoint,
    NotesReply,
    Point,
    Quote,
)
from pipelines.text.passage_keys import keyed_passages
from pipelines.types import Chapter, Passage, Source

NOTES_REPLY_TOKENS = 2500  # room kept for the JSON reply

SYSTEM = """You take careful reading notes on one chapter of a book (or one section of a paper or document). The notes are the only memory a podcast writer and a reading companion will have of this text, so they must be complete, faithful and specific.

Use only the passages given. Each passage starts with its key in brackets, like [P3].

Reply with one JSON object and nothing else:
{"points": [{"text": "...", "passages": ["P1"]}],
 "entities": [{"name": "...", "kind": "person|place|term", "line": "...", "passages": ["P2"]}],
 "turning_points": [{"text": "...", "passages": ["P4"]}],
 "numbers": [{"text": "...", "passages": ["P5"]}],
 "quotes": [{"text": "...", "passage": "P6"}]}

- points: what happens (a story) or what is claimed and shown (non-fiction), in the order of the text; about one point per 300 words of text, each one plain sentence that names who or what it is about (no pronoun without its name), with the keys of the passages it rests on. Say plainly what the text makes clear even when it only implies it, and nothing it does not make clear.
- entities: the people, places and terms of this text, each with one line on who or what they are as of this point in the text.
- turning_points: the moments that change the course (decisions, discoveries, reversals, revelations) or, in a paper, the main findings and conclusions.
- numbers: figures that matter (results, dates, sizes, counts), each as a sentence saying what the number measures. Empty when there are none.
- quotes: two to five memorable lines copied word for word from the passages (at most 30 words each), each with its passage key.
Leave out references, figure and table captions, page furniture and licence text."""


def notes_messages(
    source: Source, chapter: Chapter, keyed_text: str, part: tuple[int, int] | None
) -> list[Message]:
    authors = f" by {', '.join(source.authors[:3])}" if source.authors else ""
    where = f"{source.kind} “{source.title}”{authors}"
    which = f"“{chapter.title}”" + (f", part {part[0]} of {part[1]}" if part else "")
    return [
        Message("system", SYSTEM),
        Message("user", f"From the {where}: {which}.\n\nPassages:\n\n{keyed_text}"),
    ]


def model_notes(
    llm: LLM,
    source: Source,
    chapter: Chapter,
    passages: list[Passage],
    *,
    maker: str,
    progress: Callable[[int, int], None] | None = None,
) -> ChapterNotes:
    """Notes of `chapter`, read in as few requests as the model's window allows.
    Raises BackendError when the model fails (the caller falls back to offline notes)."""
    notes = ChapterNotes(
        chapter_id=chapter.id,
        chapter_index=chapter.index,
        chapter_title=chapter.title,
        made_by=maker,
    )
    parts = split_to_fit(passages, llm.context_window, source, chapter)
    for n, part in enumerate(parts, 1):
        if progress:
            progress(n - 1, len(parts))
        start = passages.index(part[0]) + 1
        text, keys = keyed_passages(part, start=start)
        label = (n, len(parts)) if len(parts) > 1 else None
        reply = complete_model(
            llm,
            notes_messages(source, chapter, text, label),
            NotesReply,
            max_tokens=NOTES_REPLY_TOKENS,
        )
        _merge(notes, reply, keys)
    if progress:
        progress(len(parts), len(parts))
    return notes


class SectionNotes(NotesReply):
    section: str = ""


class SectionsReply(BaseModel):
    """Notes on several short sections of one paper or document, in one request."""

    sections: list[SectionNotes] = Field(default_factory=list)


GROUP_SYSTEM = (
    SYSTEM.replace(
        "on one chapter of a book (or one section of a paper or document)",
        "on several consecutive sections of a paper or document, each section on its own",
    )
    .replace(
        "Reply with one JSON object and nothing else:\n",
        'Reply with one JSON object and nothing else: {"sections": [one object per section, in '
        'order, each with "section" (its title as given) and these keys:\n',
    )
    .replace('"passage": "P6"}]}', '"passage": "P6"}]}]}')
)


def grouped_notes(
    llm: LLM, source: Source, group: list[tuple[Chapter, list[Passage]]], *, maker: str
) -> list[ChapterNotes]:
    """Notes of several short sections of a non-fiction source in one request (spoilers
    do not apply to a paper; a book's chapters are always read one by one). Sections
    the model leaves out get empty notes; the caller makes those offline."""
    blocks, keys, start = [], {}, 1
    for chapter, passages in group:
        text, mine = keyed_passages(passages, start=start)
        start += len(passages)
        keys.update(mine)
        blocks.append(f"# Section: {chapter.title}\n\n{text}")
    authors = f" by {', '.join(source.authors[:3])}" if source.authors else ""
    messages = [
        Message("system", GROUP_SYSTEM),
        Message(
            "user",
            f"From the {source.kind} “{source.title}”{authors}: {len(group)} sections.\n\n"
            + "\n\n".join(blocks),
        ),
    ]
    reply = complete_model(
        llm, messages, SectionsReply, max_tokens=NOTES_REPLY_TOKENS + 700 * len(group)
    )
    out = []
    by_title = {_plain(s.section): s for s in reply.sections}
    for n, (chapter, _) in enumerate(group):
        notes = ChapterNotes(
            chapter_id=chapter.id,
            chapter_index=chapter.index,
            chapter_title=chapter.title,
            made_by=maker,
        )
        found = by_title.get(_plain(chapter.title))
        if found is None and len(reply.sections) == len(group):
            found = reply.sections[n]
        if found is not None:
            _merge(notes, found, keys)
        out.append(notes)
    return out


def _plain(title: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", title.lower()).split())


def group_tokens(passages: list[Passage]) -> int:
    return sum(estimate_tokens(p.text) + 6 for p in passages)


def split_to_fit(
    passages: list[Passage], window: int, source: Source, chapter: Chapter
) -> list[list[Passage]]:
    """Consecutive groups of passages, each fitting one notes request."""
    frame = count_message_tokens(notes_messages(source, chapter, "", (9, 9)))
    budget = max(800, window - NOTES_REPLY_TOKENS - frame)
    parts: list[list[Passage]] = [[]]
    used = 0
    for passage in passages:
        cost = estimate_tokens(passage.text) + 6
        if parts[-1] and used + cost > budget:
            parts.append([])
            used = 0
        parts[-1].append(passage)
        used += cost
    return [p for p in parts if p]


def _merge(notes: ChapterNotes, reply: NotesReply, keys: dict[str, Passage]) -> None:
    notes.points += [_point(p, keys) for p in reply.points if p.text.strip()]
    notes.turning_points += [_point(p, keys) for p in reply.turning_points if p.text.strip()]
    notes.numbers += [_point(p, keys) for p in reply.numbers if p.text.strip()]
    known = {e.name.lower() for e in notes.entities}
    for entity in reply.entities:
        if entity.name.strip() and entity.name.lower() not in known:
            known.add(entity.name.lower())
            notes.entities.append(
                Entity(
                    name=entity.name.strip(),
                    kind=entity.kind,
                    line=" ".join(entity.line.split()),
                    passage_ids=_ids(entity.passages, keys),
                )
            )
    for quote in reply.quotes:
        found = verbatim_passage(quote.text, keys.get(_norm_key(quote.passage)), keys.values())
        if found is not None:
            notes.quotes.append(Quote(text=" ".join(quote.text.split()), passage_id=found.id))


def _point(point: NotesPoint, keys: dict[str, Passage]) -> Point:
    return Point(text=" ".join(point.text.split()), passage_ids=_ids(point.passages, keys))


def _norm_key(key: str) -> str:
    digits = re.sub(r"\D", "", key)
    return f"P{digits}" if digits else key


def _ids(wanted: list[str], keys: dict[str, Passage]) -> list[str]:
    """Passage ids of the keys the model cited; invented keys are dropped."""
    found = [keys[k].id for k in map(_norm_key, wanted) if k in keys]
    return list(dict.fromkeys(found))


def normalise_quote(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub("[‘’`´]", "'", text)
    text = re.sub("[“”«»]", '"', text)
    text = re.sub("[—–-]+", "-", text)
    return " ".join(re.sub(r"[^\w'\-\s]", " ", text).split())


def verbatim_passage(quote: str, cited: Passage | None, passages: object) -> Passage | None:
    """The passage that holds `quote` word for word (the cited one first), or None."""
    wanted = normalise_quote(quote)
    if len(wanted.split()) < 3:
        return None
    candidates = [cited] if cited is not None else []
    candidates += [p for p in passages if p is not cited]  # type: ignore[attr-defined]
    for passage in candidates:
        if wanted in normalise_quote(passage.text):
            return passage
    return None
