"""Printed lines back into words as the author wrote them.

A hyphen at the end of a line is either the typesetter's (a word broken in two: "com-" +
"pile") or the author's ("64-" + "component", "state-of-the-" + "art"). The line break is
joined without the hyphen only where it broke a word: the letters before it are lower
case, the next line goes on in lower case, and the document does not write the pair with
a hyphen elsewhere while never writing it joined. A digit or a capital before the hyphen
("64-", "GPU-") keeps it. Ligatures and soft hyphens are already plain (pdf_chars).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BROKEN = re.compile(r"([A-Za-z]*)([A-Za-z])-$")
_NEXT_WORD = re.compile(r"^([a-z][\w'’]*)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Lower-case words (hyphenated ones too) that a document prints inside its lines."""
    words: set[str] = set()
    for text in texts:
        body = text[:-1] if text.endswith("-") else text
        words.update(w.lower() for w in _WORD.findall(body))
    return words


def keeps_hyphen(before: str, after: str, vocab: set[str] | None = None) -> bool:
    """Whether "before-" at a line's end and "after" on the next line are one hyphenated
    word (keep the hyphen) rather than one word broken by the line (drop it)."""
    m = _BROKEN.search(before)
    nxt = _NEXT_WORD.match(after)
    if m is None or nxt is None:
        return True  # "64-", "GPU-"-like ends, or a next line that does not go on a word
    head, tail = (m[1] + m[2]), nxt[1]
    if any(ch.isupper() for ch in head[1:]):
        return True  # an acronym or a name: "RNN-based"
    if vocab:
        joined, hyphened = (head + tail).lower(), f"{head}-{tail}".lower()
        if hyphened in vocab and joined not in vocab:
            return True
    return False


def join(texts: list[str], vocab: set[str] | None = None) -> tuple[str, list[int]]:
    """Lines joined by newlines, and where each line starts in the result; a word broken
    across two lines is joined (without its hyphen) on the first line."""
    parts: list[str] = []
    offsets: list[int] = []
    size = 0
    for text in texts:
        if parts and parts[-1].endswith("-") and text[:1].isalpha():
            if not keeps_hyphen(parts[-1], text, vocab):
                parts[-1] = parts[-1][:-1]
                size -= 1
            offsets.append(size)
        else:
            if parts:
                parts.append("\n")
                size += 1
            offsets.append(size)
        parts.append(text)
        size += len(text)
    return "".join(parts), offsets


def join_lines(texts: list[str], vocab: set[str] | None = None) -> str:
    """Lines of one block (a note, a caption) as one run of text."""
    return join(texts, vocab)[0].replace("\n", " ")
