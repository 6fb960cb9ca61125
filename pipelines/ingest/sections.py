"""Find section headings in plain lines of text (PDFs without an outline, .txt files).

A heading is a short line that looks like "1. Introduction", "3.1 Traces",
"2 Related Work", "1 INTRODUCTION", "CHAPTER I", "Chapter 3: The Sea", or one of the
few unnumbered headings every paper has (Abstract, References, Acknowledgments,
Appendix, Conclusions). Numbered lists, table rows, captions, page numbers and
running headers look similar, so a candidate must also pass:

- shape: few words, mostly letters, no sentence-ending period, not a caption;
- order: top-level numbers only go forward (1, 2, 3 ... small gaps allowed) and a
  subsection must sit under its own parent (3.1 only after 3);
- style, when known (PDF): larger or bolder than the body text;
- repetition: a line that recurs on many pages is a running header, not a heading.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

_NUMBERED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,2})(?:\.|:)?\s+(?P<title>\S.*)$")
_CHAPTER = re.compile(
    r"^(?:chapter|part|book)\s+(?P<num>[0-9]{1,3}|[ivxlc]{1,7}|[a-z]+)\b[.:\s—–-]*(?P<title>.*)$",
    re.I,
)
_UNNUMBERED = re.compile(
    r"^(?:abstract|references|bibliography|acknowledge?ments?|conclusions?|"
    r"concluding remarks|appendix(?:\s+[A-Z0-9]{1,2})?|appendices|introduction|"
    r"related work|summary|discussion|preface|epilogue|prologue|index)"
    r"(?:\s*[:.—–-]\s*(?P<rest>.*))?$",
    re.I,
)
_ROMAN_NUMBERED = re.compile(r"^(?P<num>[IVX]{1,5})\.\s+(?P<title>[A-Z][^a-z]*[A-Z].*)$")
_LETTERED = re.compile(r"^(?P<num>[A-H])\.\s+(?P<title>[A-Z].*)$")
_CAPTION = re.compile(r"^(fig(ure)?|table|listing|algorithm|eq(uation)?)\.?\s*\d", re.I)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
MAX_WORDS = 12
MAX_CHARS = 90


@dataclass
class Heading:
    """A heading found at `line` (an index into the lines given)."""

    line: int
    title: str
    level: int = 0
    number: str | None = None


def body_size(sizes: Sequence[float], texts: Sequence[str]) -> float:
    """The font size most characters are set in (0 when sizes are unknown)."""
    weights: Counter[float] = Counter()
    for size, text in zip(sizes, texts, strict=False):
        if size > 0:
            weights[round(size, 1)] += len(text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _looks_like_title(title: str) -> bool:
    words = title.split()
    if not words or len(words) > MAX_WORDS or len(title) > MAX_CHARS:
        return False
    if title.endswith((".", ",", ";", "-")) and not title.endswith(".."):
        return False  # a sentence or a line cut mid-sentence, not a heading
    letters = sum(ch.isalpha() for ch in title)
    if letters < 3 or letters < 0.6 * len(title.replace(" ", "")):
        return False  # table rows, numbers, formulas
    if not (title[0].isupper() or title[0] in "\"'“‘(«"):
        return False
    return not _CAPTION.match(title) and "=" not in title


def _roman(value: str) -> int | None:
    table = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, prev = 0, 0
    for ch in reversed(value.lower()):
        n = table.get(ch)
        if n is None:
            return None
        total, prev = (total - n, prev) if n < prev else (total + n, n)
    return total


def _chapter_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token.lower()) or _roman(token)


def _emphasized(
    i: int, sizes: Sequence[float] | None, bold: Sequence[bool] | None, body: float
) -> bool:
    if not sizes or body <= 0:
        return True  # no style known (plain text): shape and order rules decide
    size = sizes[i]
    is_bold = bool(bold[i]) if bold else False
    return size >= body * 1.08 or (is_bold and size >= body * 0.95)


def _roman_heading(text: str, state: dict[str, int]) -> Heading | None:
    """'II. SYSTEM PARAMETERS' (IEEE, REVTeX) and 'A. Experimental Results' under it."""
    if m := _ROMAN_NUMBERED.match(text):
        n = _roman(m["num"])
        last = state.get("roman", 0)
        if n is not None and 0 < n - last <= 2 and _looks_like_title(m["title"]):
            state["roman"], state["letter"] = n, 0
            return Heading(0, f"{m['num']}. {m['title'].strip()}", 0, m["num"])
    elif state.get("roman") and (m := _LETTERED.match(text)):
        n = ord(m["num"]) - ord("A") + 1
        if n - state.get("letter", 0) == 1 and _looks_like_title(m["title"]):
            state["letter"] = n
            return Heading(0, f"{m['num']}. {m['title'].strip()}", 1, m["num"])
    return None


def detect(
    lines: Sequence[str],
    *,
    sizes: Sequence[float] | None = None,
    bold: Sequence[bool] | None = None,
    apart: Sequence[bool] | None = None,
) -> list[Heading]:
    """Headings in reading order. `sizes`/`bold` (same length as `lines`) are optional;
    `apart` says which lines have space above them (a heading set like the body, or
    smaller, must)."""
    texts = [" ".join(line.split()) for line in lines]
    roman: dict[str, int] = {}
    body = body_size(sizes, texts) if sizes else 0.0
    counts = Counter(t.lower() for t in texts if t)
    headings: list[Heading] = []
    top: int | None = None  # last top-level section number
    sub: list[int] = []  # numbers below the top level, e.g. [1] after "3.1"
    chapter: int | None = None
    for i, text in enumerate(texts):
        if not text or len(text) > MAX_CHARS or counts[text.lower()] > 2:
            continue
        spaced = apart is not None and (
            apart[i]
            or (i > 0 and bool(re.search(r"([.:!?]|\(\d+\))$", texts[i - 1])))
            or (i > 0 and len(texts[i - 1]) <= 6)  # after an equation's pieces
        )
        if spaced and (h := _roman_heading(text, roman)):
            h.line = i
            headings.append(h)
            continue
        if not _emphasized(i, sizes, bold, body) and not _bibliography_follows(texts, i):
            continue
        if m := _CHAPTER.match(text):
            n = _chapter_number(m["num"])
            title = m["title"].strip()
            forward = n is not None and (chapter is None or n > chapter)
            if forward and (not title or _looks_like_title(title)):
                chapter = n
                headings.append(Heading(i, text, 0, m["num"]))
            continue
        if m := _NUMBERED.match(text):
            title = m["title"].strip()
            parts = [int(p) for p in m["num"].split(".")]
            if not _looks_like_title(title) or parts[0] == 0:
                continue
            if len(parts) == 1:
                ok = (top is None and parts[0] <= 2) or (
                    top is not None and 0 < parts[0] - top <= 2
                )
                if ok:
                    top, sub = parts[0], []
                    headings.append(Heading(i, f"{parts[0]}. {title}", 0, str(parts[0])))
            elif top is not None and parts[0] == top and len(parts) - 1 <= len(sub) + 1:
                depth = len(parts) - 1
                prev = sub[depth - 1] if depth <= len(sub) else 0
                if 0 < parts[-1] - prev <= 2:
                    sub = [*sub[: depth - 1], parts[-1]]
                    label = ".".join(map(str, parts))
                    headings.append(Heading(i, f"{label} {title}", depth, label))
            continue
        if m := _UNNUMBERED.match(text):
            rest = (m["rest"] or "").strip()
            if rest and re.match(r"^(abstract|summary|acknowledge?ments?)", text, re.I):
                continue  # "Abstract. We present ..." is a run-in paragraph, not a heading
            if rest and not _looks_like_title(rest):
                continue  # "Abstract. We present ..." is a run-in paragraph, not a heading
            headings.append(Heading(i, text.rstrip(":. "), 0, None))
    if apart is not None and sizes and not any(h.number for h in headings):
        headings = _styled(texts, sizes, bold, apart, headings)
    return _drop_stray_unnumbered(headings)


def _styled(
    texts: list[str],
    sizes: Sequence[float],
    bold: Sequence[bool] | None,
    apart: Sequence[bool],
    found: list[Heading],
) -> list[Heading]:
    """Unnumbered papers: every line set apart in the style of their "Introduction"
    (or "Methods", "Discussion" ...) heading is a section heading too."""
    known = [
        h for h in found if not re.match(r"^(abstract|references|bibliography)", h.title, re.I)
    ]
    if not known:
        return found
    first = known[0].line
    style = (round(sizes[first], 1), bool(bold[first]) if bold else False)
    at = {h.line for h in found}
    out = list(found)
    for i in range(first + 1, len(texts)):
        text = texts[i]
        same = abs(sizes[i] - style[0]) < 0.3 and (bool(bold[i]) if bold else False) == style[1]
        if i in at or not same or not apart[i] or not _looks_like_title(text):
            continue
        if i + 1 < len(texts) and apart[i + 1] is False and abs(sizes[i + 1] - sizes[i]) < 0.3:
            continue  # a line of a paragraph in the same type, not a heading
        out.append(Heading(i, text.rstrip(":. "), 0, None))
    return sorted(out, key=lambda h: h.line)


_REFS_HEAD = re.compile(r"^(references|bibliography|works cited|literature cited)$", re.I)
_REF_ENTRY = re.compile(
    r"^(\[\d{1,3}\]|\d{1,3}\.\s+[A-Z]|[A-Z][\w'’-]+,\s+(?:[A-Z]\.|[A-Z][a-z]+))"
)


def _bibliography_follows(texts: Sequence[str], i: int) -> bool:
    """A 'References' line set like body text still heads the list of references under it."""
    if not _REFS_HEAD.match(texts[i]):
        return False
    following = [t for t in texts[i + 1 : i + 6] if t]
    return sum(1 for t in following if _REF_ENTRY.match(t)) >= 2


def _drop_stray_unnumbered(headings: list[Heading]) -> list[Heading]:
    """Keep each unnumbered heading word once (the first), e.g. one 'References'."""
    seen: set[str] = set()
    out: list[Heading] = []
    for h in headings:
        key = h.title.lower() if h.number is None else f"#{h.level}:{h.title.lower()}"
        if key in seen:
            continue
        seen.add(key)
        out.append(h)
    return out
