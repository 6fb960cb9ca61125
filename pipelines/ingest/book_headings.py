"""Chapter headings of a book printed to PDF without an outline.

Books head their chapters `CHAPTER I`, `Chapter 1`, `CHAPTER ONE`, `Chapter the First`,
with a title on the same line or the next; group them under `BOOK` / `PART` / `VOLUME`;
or use a lone numeral (`IV`, `12`) over a title line, or only an upper-case title. Around
them sit page furniture (running heads, page numbers), a contents page listing the same
headings, and licence banners (Project Gutenberg). The rules, in order:

1. furniture: page numbers (a bare number at the top or foot whose value follows the page
   index) and lines repeated at the top or foot of many pages are not text;
2. a contents page (a `Contents` line, or a page made of heading-like entries near the
   front) is front matter: its entries never become chapters, they confirm the headings
   found later in the body;
3. candidates: a labelled heading (`CHAPTER`, `BOOK` ...) must stand out (larger or bold
   type, or space around it); a lone numeral or an upper-case title must stand out by its
   type and, when there is a contents page, be listed there; numbers only go forward;
4. the strongest family wins: labelled chapters, else lone numerals, else upper-case titles.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipelines.types import ChapterKind


@dataclass
class BookLine:
    text: str
    page: int  # 0-based page index
    y: float = 0.0
    size: float = 0.0
    bold: bool = False


@dataclass
class BookHeading:
    """A cut: the line where it starts, its title, level and (for matter) its kind."""

    line: int
    title: str
    level: int = 0
    kind: ChapterKind | None = None
    part: bool = False  # BOOK / PART / VOLUME: the parent of the chapters after it


@dataclass
class Contents:
    lines: set[int] = field(default_factory=set)
    numbers: set[int] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    start: int | None = None


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
             "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
             "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip
_ORD_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$", re.I)
_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty)(?:[- ](?:one|two|three|four|five|six|seven|eight|"
    r"nine|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))?|" + "|".join(
        sorted(_UNITS[1:] + _ORDINALS[1:] + list(_ORD_TENS), key=len, reverse=True)
    ) + ")"
)  # fmt: skip
_NUM = rf"(?:\d{{1,3}}|[ivxlcdm]{{1,8}}|{_WORD_NUM})"
_LABELLED = re.compile(
    rf"^(?P<word>chapter|chap\.|book|part|volume)\s+(?:the\s+)?(?P<num>{_NUM})\b\.?"
    r"(?:\s*[.:—–-]\s*|\s+)?(?P<title>.*)$",
    re.I,
)
_LONE = re.compile(r"^(?P<num>\d{1,3}|[IVXLC]{1,7})\.?$")
_UNNUMBERED = re.compile(
    r"^(prologue|preface|foreword|introduction|epilogue|afterword|postscript|conclusion|"
    r"appendix(\s+[A-Z0-9]{1,2})?|author'?s note|a note on the text|etymology|extracts|"
    r"glossary|notes|index)\.?$",
    re.I,
)
_CONTENTS = re.compile(r"^(table of )?contents\.?$", re.I)
_PAGE_NO = re.compile(
    r"^[-–—(\[\s]*(?:page\s+)?(\d{1,4}|[ivxlc]{1,7})(?:\s+of\s+\d+)?[-–—)\]\s]*$", re.I
)
_LICENCE = re.compile(
    r"^(\*+\s*)?(end of (the |this )?project gutenberg|(the )?full project gutenberg licen[cs]e)",
    re.I,
)
_TOC_ENTRY_TAIL = re.compile(r"[\s.·…_-]+(\d{1,4}|[ivxlc]{1,7})$", re.I)


def number(token: str) -> int | None:
    """12, XII, twelve, twelfth, twenty-first -> an int; None when it is no number."""
    t = token.lower().replace(" ", "-")
    if t.isdigit():
        return int(t)
    if t in _UNITS:
        return _UNITS.index(t)
    if t in _ORDINALS:
        return _ORDINALS.index(t)
    if t in _TENS:
        return _TENS[t]
    if t in _ORD_TENS:
        return _ORD_TENS[t]
    if "-" in t:
        tens, unit = t.split("-", 1)
        if tens in _TENS:
            rest = number(unit)
            return _TENS[tens] + rest if rest is not None and rest < 10 else None
    if _ROMAN.match(t):
        return _roman(t)
    return None


def _roman(value: str) -> int:
    table = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total, prev = 0, 0
    for ch in reversed(value.lower()):
        n = table[ch]
        total, prev = (total - n, prev) if n < prev else (total + n, n)
    return total


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _titlelike(title: str) -> bool:
    words = title.split()
    if not words or len(words) > 12 or len(title) > 90:
        return False
    letters = sum(ch.isalpha() for ch in title)
    if letters < 2 or letters < 0.6 * len(title.replace(" ", "")):
        return False
    if title.endswith((",", ";", "-")):
        return False
    return title[0].isupper() or title[0].isdigit() or title[0] in "\"'“‘(«"


def _caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


# --- furniture --------------------------------------------------------------------------


def furniture(pages: list[list[BookLine]]) -> list[set[int]]:
    """Per page, the indexes of its lines that are running heads, feet or page numbers."""
    edges: list[list[int]] = []
    for lines in pages:
        if not lines:
            edges.append([])
            continue
        ys = sorted({round(ln.y) for ln in lines})
        top, bottom = ys[-2:] if len(ys) > 1 else ys, ys[:2]
        edges.append(
            [i for i, ln in enumerate(lines) if round(ln.y) in top or round(ln.y) in bottom]
        )
    # page numbers: the printed number minus the page index is the same on many pages
    offsets: Counter[int] = Counter()
    for p, idx in enumerate(edges):
        for i in idx:
            m = _PAGE_NO.match(pages[p][i].text)
            if m and m[1].isdigit():
                offsets[int(m[1]) - p] += 1
    common = {o for o, n in offsets.items() if n >= 3}
    keys: Counter[tuple[str, float]] = Counter()
    for p, idx in enumerate(edges):
        for k in {_edge_key(pages[p][i]) for i in idx}:
            keys[k] += 1
    repeated = max(3, len(pages) // 10)
    body = _body_size([ln for lines in pages for ln in lines])
    out: list[set[int]] = []
    for p, idx in enumerate(edges):
        found: set[int] = set()
        for i in idx:
            ln = pages[p][i]
            m = _PAGE_NO.match(ln.text)
            page_number = m is not None and (
                (m[1].isdigit() and int(m[1]) - p in common) or m[1].islower()
            )
            running = keys[_edge_key(ln)] >= repeated and ln.size <= body * 1.05
            if page_number or running:
                found.add(i)
        out.append(found)
    return out


def _edge_key(line: BookLine) -> tuple[str, float]:
    return (re.sub(r"\d+", "#", line.text.lower()), round(line.size))


# --- the contents page ------------------------------------------------------------------


def _toc_entry(text: str) -> tuple[int | None, str] | None:
    """(number, title words) of a contents line ('CHAPTER I ..... 3', '1  Loomings  5')."""
    body = _TOC_ENTRY_TAIL.sub("", text).strip() if _TOC_ENTRY_TAIL.search(text) else text
    if not body or not _titlelike(body):
        return None
    if m := _LABELLED.match(body):
        return number(m["num"]), _words(m["title"])
    if m := re.match(r"^(\d{1,3}|[IVXLC]{1,7})[.:)]?\s+(\S.*)$", body):
        return number(m[1]), _words(m[2])
    if _UNNUMBERED.match(body) or _caps(body) or body.istitle():
        return None, _words(body)
    return None


def contents(lines: list[BookLine], page_count: int) -> Contents:
    """The contents page(s) near the front, if any."""
    front = max(3, min(15, page_count // 5))
    toc = Contents()
    by_page: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.page < front:
            by_page.setdefault(ln.page, []).append(i)
    start = next(
        (i for i, ln in enumerate(lines) if ln.page < front and _CONTENTS.match(ln.text)), None
    )
    pages: list[int] = []
    if start is not None:
        pages = [lines[start].page]
    else:
        for p, idx in sorted(by_page.items()):
            labelled = [i for i in idx if _LABELLED.match(_TOC_ENTRY_TAIL.sub("", lines[i].text))]
            if len(labelled) >= 3 and len(labelled) >= 0.4 * len(idx):
                pages, start = [p], labelled[0]
                break
    if start is None:
        return toc
    # the contents go on over the next pages while those are made of entries
    while pages[-1] + 1 < front:
        idx = by_page.get(pages[-1] + 1, [])
        entries = [
            i for i in idx if _toc_entry(lines[i].text) and _TOC_ENTRY_TAIL.search(lines[i].text)
        ]
        if not idx or len(entries) < 0.6 * len(idx):
            break
        pages.append(pages[-1] + 1)
    toc.start = start
    for i, ln in enumerate(lines):
        if ln.page in pages and i >= start:
            entry = _toc_entry(ln.text) if i > start or not _CONTENTS.match(ln.text) else None
            # a long line after the entries: the page goes on with body text
            if entry is None and i > start and toc.lines and len(ln.text.split()) > 12:
                break
            toc.lines.add(i)
            if entry:
                num, title = entry
                if num is not None:
                    toc.numbers.add(num)
                if title:
                    toc.titles.add(title)
    return toc


# --- headings ---------------------------------------------------------------------------


def detect(lines: list[BookLine], page_count: int) -> list[BookHeading]:
    """Chapter cuts of a book, front/back matter included; [] when it does not read as one."""
    if not lines:
        return []
    body = _body_size(lines)
    leading = _leading(lines)
    toc = contents(lines, page_count)
    has_toc = len(toc.numbers) + len(toc.titles) >= 3

    def stands_out(i: int) -> bool:
        ln = lines[i]
        return ln.size >= body * 1.1 or (ln.bold and ln.size >= body * 0.95)

    def apart(i: int) -> bool:
        ln = lines[i]
        prev = lines[i - 1] if i > 0 else None
        if prev is None or prev.page != ln.page:
            return True
        return prev.y - ln.y > 1.6 * leading

    def confirmed(num: int | None, title: str) -> bool:
        return (num is not None and num in toc.numbers) or (
            bool(title) and _words(title) in toc.titles
        )

    def subtitle(i: int) -> tuple[str, int]:
        """The title line(s) under a label ('CHAPTER I' / 'THE TIME TRAVELLER')."""
        parts: list[str] = []
        j = i + 1
        while j < len(lines) and len(parts) < 2 and lines[j].page == lines[i].page:
            text = lines[j].text
            if _LABELLED.match(text) or _LONE.match(text) or not _titlelike(text.rstrip(".")):
                break
            if not (stands_out(j) or _caps(text)):
                break
            if parts and (lines[j].size, lines[j].bold) != (lines[j - 1].size, lines[j - 1].bold):
                break
            parts.append(text)
            j += 1
        return " ".join(parts), j - 1

    labelled: list[BookHeading] = []
    lone: list[BookHeading] = []
    caps: list[BookHeading] = []
    others: list[BookHeading] = []
    last: dict[str, int] = {}
    lone_last = 0
    skip_until = -1
    for i, ln in enumerate(lines):
        if i in toc.lines or i <= skip_until:
            continue
        text = ln.text
        if m := _LABELLED.match(text):
            n = number(m["num"])
            word = m["word"].lower().rstrip(".")
            word = {"chap": "chapter", "vol": "volume"}.get(word, word)
            title = m["title"].strip()
            if n is None or (title and not _titlelike(title.rstrip("."))):
                continue
            if not (stands_out(i) or apart(i) or confirmed(n, title)):
                continue
            prev = last.get(word, 0)
            is_part = word != "chapter"
            restart = word == "chapter" and any(h.part for h in labelled[-1:]) and n <= 2
            if not (prev < n <= prev + 3 or (prev == 0 and n <= 5) or restart):
                continue
            last[word] = n
            end = i
            if not title:
                sub, end = subtitle(i)
            if title:  # printed on one line: keep it as printed
                full = text.rstrip(" .")
            else:
                label = text.rstrip(" .:—–-")
                full = f"{label}. {sub.rstrip(' .')}" if sub else label
            skip_until = end
            labelled.append(BookHeading(i, full, 0, None, part=is_part))
            continue
        if m := _LONE.match(text):
            n = number(m["num"])
            if n is None or not (lone_last < n <= lone_last + 3 or (lone_last == 0 and n <= 3)):
                continue
            title, end = subtitle(i)
            if not (stands_out(i) and ln.size >= body * 1.2) and not confirmed(n, title):
                continue
            if has_toc and not confirmed(n, title):
                continue
            lone_last = n
            skip_until = end
            lone.append(
                BookHeading(
                    i, f"{text.rstrip('.')}. {title.rstrip(' .')}" if title else text.rstrip(".")
                )
            )
            continue
        if _UNNUMBERED.match(text) and (stands_out(i) or apart(i)) and len(text) > 3:
            others.append(BookHeading(i, text.rstrip(".")))
            continue
        caps_title = _caps(text) and _titlelike(text) and stands_out(i) and ln.page > 0
        if caps_title and (not has_toc or confirmed(None, text)):
            caps.append(BookHeading(i, text.rstrip(" .")))

    chapters = [h for h in labelled if not h.part]
    if len(chapters) >= 2 or (chapters and any(h.part for h in labelled)):
        found = labelled
    elif len(lone) >= 3:
        found = lone
    elif len(caps) >= 3 and len({(lines[h.line].size, lines[h.line].bold) for h in caps}) == 1:
        found = caps
    else:
        return []
    seen: set[str] = set()
    extra = []
    for h in others:  # each unnumbered heading once, outside the contents
        key = _words(h.title)
        if key not in seen:
            seen.add(key)
            extra.append(h)
    found = sorted(found + extra, key=lambda h: h.line)
    return _with_matter(found, lines, toc)


def _with_matter(
    found: list[BookHeading], lines: list[BookLine], toc: Contents
) -> list[BookHeading]:
    """Levels under parts, the contents page, and the licence at the end."""
    in_part = False
    for h in found:
        if h.part:
            in_part = True
        elif in_part and not _UNNUMBERED.match(h.title):
            h.level = 1
    out = list(found)
    if toc.start is not None and toc.start < found[0].line:
        out.append(BookHeading(toc.start, "Contents", 0, ChapterKind.FRONT_MATTER))
    licence = next(
        (i for i in range(found[-1].line + 1, len(lines)) if _LICENCE.match(lines[i].text)), None
    )
    if licence is not None:
        out.append(BookHeading(licence, "Project Gutenberg licence", 0, ChapterKind.BACK_MATTER))
    return sorted(out, key=lambda h: h.line)


def _body_size(lines: list[BookLine]) -> float:
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[round(ln.size, 1)] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _leading(lines: list[BookLine]) -> float:
    gaps: Counter[int] = Counter()
    for a, b in zip(lines, lines[1:], strict=False):
        if a.page == b.page and 0 < a.y - b.y < 60:
            gaps[round(a.y - b.y)] += 1
    return float(gaps.most_common(1)[0][0]) if gaps else 12.0
