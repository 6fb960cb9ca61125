"""Checks every line must pass before a voice says it, whoever wrote it (the offline
writer or a language model): no references, tables, captions, equations or licence
text; nothing unspeakable ("[3]", raw symbols); no line that opens on a pronoun or a
connective the listener can't place."""

from __future__ import annotations

import re

from pipelines.text.prose import non_prose_reason

_UNSPEAKABLE = re.compile(r"\[\s*\d+|\[P\d+\]|[{}<>\\^_|#*~]|\b\w+\d\w*\s*=|https?://")
_OPENING = re.compile(r"^[\"“'‘(]*([A-Za-z]+)")
DANGLING_STARTS = {
    "he", "she", "it", "they", "him", "her", "them", "his", "hers", "its", "their",
    "this", "these", "those", "that", "but", "and", "so", "then", "yet", "however", "thus",
    "therefore", "also", "still", "or", "nor", "hence", "moreover", "meanwhile",
}  # fmt: skip


def line_problem(text: str, previous: str) -> str | None:
    """Why `text` must not be voiced after `previous`, or None when it may."""
    reason = non_prose_reason(text)
    if reason and reason != "fragment":
        return reason
    if _UNSPEAKABLE.search(text):
        return "unspeakable"
    if dangles(text, previous):
        return "dangling"
    return None


def dangles(text: str, previous: str) -> bool:
    """Does `text` open on a pronoun or connective with nothing in `previous` to hold it?"""
    match = _OPENING.match(text.strip())
    if not match:
        return False
    first = match.group(1).lower()
    if first not in DANGLING_STARTS:
        return False
    if first in ("but", "and", "so", "then", "yet", "however", "thus", "therefore", "also"):
        return not previous.strip()  # a connective needs something said just before
    inside = re.sub(r"(^|[.!?]\s+)[\"“']?[A-Z][a-z]*", r"\1", previous.strip())
    return not re.search(r"\b[A-Z][a-z]+", inside)
