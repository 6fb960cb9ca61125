"""How chapters and ranges are named in answers, summaries and podcast intros."""

from __future__ import annotations

import re


def chapter_name(title: str) -> str:
    """'I' -> 'chapter I'; 'Loomings' -> '“Loomings”' (titles that are only numbers read badly)."""
    title = title.strip()
    if re.fullmatch(r"(chapter\s+)?([ivxlcdm]+|\d+)\.?", title, re.I):
        return title if title.lower().startswith("chapter") else f"chapter {title}"
    return f"“{title}”"


def chapter_range(first: str, last: str) -> str:
    """'chapters III to IV' or '“Loomings” to “The Carpet-Bag”'."""
    a, b = chapter_name(first), chapter_name(last)
    if a.startswith("chapter ") and b.startswith("chapter "):
        return f"chapters {a[8:]} to {b[8:]}"
    return f"{a} to {b}"


def heading(title: str, label: str | None) -> str:
    """A chapter as the document numbers it: its title when that carries the number
    ("2. Network Architecture", "CHAPTER IV"), else "IV: The Law of Club and Fang"."""
    title = title.strip()
    if not label:
        return title
    own = rf"^\W*(?:(?:chapter|chap\.|part|book|section|appendix)\s+)?{re.escape(label)}\b"
    if re.match(own, title, re.I) or title == label:
        return title
    return f"{label}: {title}"
