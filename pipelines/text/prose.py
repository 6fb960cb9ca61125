"""Is a sentence prose a person would read aloud, and how does it sound when spoken?

`non_prose_reason` rejects, by shape, what a listener must never hear: bibliography
entries, table rows, captions, equations, page furniture and licence text.
`speakable` turns printed text into text for a voice: no citation markers, no footnote
numbers, no broken hyphenation, plain quotes.
"""

from __future__ import annotations

import re
import unicodedata

_REFERENCE = [
    re.compile(r"\barXiv\b|\bpreprint\b|\bdoi\b|\bISBN\b|\bISSN\b", re.I),
    re.compile(r"\bIn Proc(eedings|\.)|\bProc\. of\b|\bConference on\b|\bSymposium on\b"),
    re.compile(r"\bet al\.?[,)]?\s*(\(?\d{4}\)?)"),
    re.compile(r"\bvol\.\s*\d|\bpp\.\s*\d+\s*[-–]\s*\d+|\bno\.\s*\d+,", re.I),
    re.compile(r"^\s*\[\d+\]\s"),  # "[12] A. Author, ..."
    re.compile(r"(?:\b[A-Z]\.\s?){1,3}[A-Z][a-z]+,\s(?:and\s)?(?:\b[A-Z]\.\s?){1,3}[A-Z][a-z]+"),
    re.compile(r"https?://|www\.\w|\w@\w+\.\w"),
]
_CAPTION = re.compile(r"^\s*(Fig(ure)?|Table|Tab|Listing|Algorithm|Plate)\.?\s*[0-9IVX]+[.:]", re.I)
_FURNITURE = re.compile(
    r"Project Gutenberg|gutenberg\.org|\blicen[cs]e\b|\bcopyright\b|All rights reserved|"
    r"Creative Commons|\bpermission to make digital\b|^\s*page \d+\s*$",
    re.I,
)
_MATH = re.compile(r"[=<>≤≥±×÷∑∏∫√∞∈∀∃→←↔⊂⊆∪∩λμσπθαβγδ^_{}|\\]")
_CITATION_MARK = re.compile(r"\s*\[(?:\d+(?:\s*[-–,]\s*\d+)*|[A-Z][A-Za-z]+\s?\d{2,4}[a-z]?)\]")
_PAREN_REF = re.compile(
    r"\s*\((?:see\s)?(?:Fig(?:ure)?s?|Table|Tab|Section|Sec|Eq|Equation|Appendix)\.?\s*[\w.]+\)",
    re.I,
)
# "(men, n = 12)", "(p < 0.05)", "(95% CI 1.2-3.4)": statistics a voice reads as noise
_PAREN_STATS = re.compile(r"\s*\((?=[^()]*(?:[=<>≤≥]|\bCI\b|\bSD\b))[^()]{1,60}\)")
_FOOTNOTE = re.compile(r"(?<=[a-z.,;:”\)])\d{1,2}(?=\s|$)")
_HYPHEN_BREAK = re.compile(r"(\w)- (\w)")
_SPACES = re.compile(r"\s+")


def non_prose_reason(text: str) -> str | None:
    """Why `text` is not prose to read aloud ('reference', 'table', ...), or None."""
    stripped = text.strip()
    words = stripped.split()
    if len(words) < 4:
        return "fragment"
    if _CAPTION.match(stripped):
        return "caption"
    if _FURNITURE.search(stripped):
        return "furniture"
    if any(p.search(stripped) for p in _REFERENCE):
        return "reference"
    digits = sum(ch.isdigit() for ch in stripped)
    letters = sum(ch.isalpha() for ch in stripped)
    numeric_words = sum(bool(re.fullmatch(r"[\d.,%x×]+", w)) for w in words)
    if letters < 0.6 * len(stripped.replace(" ", "")) or (
        digits > 0.12 * len(stripped) and numeric_words >= 3
    ):
        return "table"
    if numeric_words >= 4 and numeric_words > 0.25 * len(words):
        return "table"
    capitalised = sum(w[:1].isupper() for w in words)
    if len(words) >= 6 and capitalised > 0.7 * len(words):
        return "table"  # title-cased header rows: "Layer Type Complexity per Layer ..."
    if len(_MATH.findall(stripped)) >= 3:
        return "equation"
    if re.search(r"[a-z]{22,}", stripped):
        return "broken"  # words run together by PDF extraction: "groupswereconductedwith"
    if "•" in stripped or "▪" in stripped:
        return "table"  # a bulleted list run into one line
    if not re.search(r"[a-z]{3}", stripped):
        return "furniture"
    return None


def is_prose(text: str) -> bool:
    return non_prose_reason(text) is None


def speakable(text: str) -> str:
    """Printed text as a voice should say it."""
    text = unicodedata.normalize("NFKC", text)  # ligatures: "eﬃcient" -> "efficient"
    text = re.sub("[\u200b-\u200f\u2060\ufeff\u00ad]", "", text)  # invisible joiners
    text = re.sub(r"\s*\(\d{1,3}(?:,\s*\d{1,3})*\)", "", text)  # "(4)", "(3, 7)" citations
    text = _CITATION_MARK.sub("", text)
    text = _PAREN_REF.sub("", text)
    text = _PAREN_STATS.sub("", text)
    text = _FOOTNOTE.sub("", text)
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    text = text.replace("’", "'").replace("‘", "'")
    text = text.replace("“", '"').replace("”", '"').replace("''", '"')
    text = re.sub(r'"\s*"', '"', text)
    text = text.replace("—", ", ").replace("–", " to ").replace("…", "...")
    text = text.replace("&", "and").replace("%", " percent")
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:?!.])\s*,", r"\1", text)  # "?—" became "?,"
    return _SPACES.sub(" ", text).strip()
