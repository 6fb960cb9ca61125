"""What each line of a page is: body, page furniture, footnote, caption or figure label.

Told apart by place and type, the way a reader's eye does it:

- furniture: page numbers and running heads, the lines at the top or foot of a page that
  repeat (digits aside) on other pages;
- figure labels: text inside a figure (a cluster of drawings, an image or an embedded form)
  that is not set like a paragraph of the body;
- footnotes: a block of smaller type at the foot of a column, below all of its body text,
  that starts with a note mark (raised, or a symbol), carries a publisher's notice, or sits
  under a rule;
- captions: a "Figure 3." / "Fig. 3" / "Table 2:" / "TABLE II" block that starts where a
  paragraph of the body could not go on, in its own type or after a gap, and ends where
  the spacing or the type changes (so a body sentence after it stays in the body).

Everything else is body, in reading order (pdf_layout).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from pipelines.ingest.pdf_chars import Box, Line, PageChars
from pipelines.ingest.pdf_text import join_lines

_CAPTION = re.compile(
    r"^(?i:fig(?:ure)?\.?|table|tab\.|chart|scheme|plate|exhibit)\s*"
    r"(?:\d+|[IVXL]+)(?:[a-z])?(?:\s*[.:|—–-]\s*(?=\S)|\s+(?=[A-Z(])|\s*$)"
)
_PAGE_NO = re.compile(
    r"^[-–—(\[\s]*(?:page\s+)?(\d{1,4}|[ivxlc]{1,7})(?:\s+of\s+\d+)?[-–—)\]\s]*$", re.I
)
_NOTE_MARK = re.compile(r"^(?:[*∗†‡§¶#⋆✉♯]|\(?[a-z\d]{1,2}\))")
_NOTICE = re.compile(
    r"permission|copyright|©|licen[cs]|creative commons|received|accepted|published|"
    r"e-?mail|https?://|www\.|doi|correspond|preprint|submitted|contribut|affiliat|funded|"
    r"proceedings|conference|journal|arxiv|\bvol\.|issn|isbn",
    re.I,
)
_CITED = re.compile(r"\[\d{1,3}\]|\(\d{4}\)|\b(?:19|20)\d{2}[a-z]?\.")
_ENDS_SENTENCE = re.compile(r"[.!?:][\"”’)\]]*$")
FOOT_RATIO = 0.92  # footnote type is at most this size of the body's


@dataclass
class Zoned:
    """A page split into its parts; `captions` are (body line index they stood before, text)."""

    body: list[Line]
    captions: list[tuple[int, str]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)


def _key(line: Line) -> str:
    return re.sub(r"\d+|[ivxlc]+$", "#", line.text.lower()).strip()


def _edges(lines: list[Line]) -> list[int]:
    """Indexes of the lines on the two highest and two lowest baselines of a page (none
    on a page of a few lines: there they are its text, not its frame)."""
    if len(lines) < 4:
        return []
    ys = sorted({round(ln.y) for ln in lines})
    keep = set(ys[-2:]) | set(ys[:2])
    return [i for i, ln in enumerate(lines) if round(ln.y) in keep]


def running_keys(pages: list[list[Line]]) -> set[str]:
    """Texts (digits as '#') at a page's top or foot that repeat on other pages, and
    "@N" for each page-number offset (printed number minus page index) seen on several
    pages: a bare number at the edge of a page is its number only when it follows on."""
    counts: Counter[str] = Counter()
    for p, lines in enumerate(pages):
        keys = {_key(lines[i]) for i in _edges(lines)}
        for i in _edges(lines):
            m = _PAGE_NO.match(lines[i].text)
            if m and m[1].isdigit():
                keys.add(f"@{int(m[1]) - p}")
        counts.update(keys)
    need = max(2, min(4, len(pages) // 5))
    return {k for k, n in counts.items() if n >= need and k}


_REFS_HEAD = re.compile(r"^(?:\d{1,2}\.?\s+)?(references|bibliography|literature cited)$", re.I)


def body_size(pages: list[list[Line]]) -> float:
    """The type size most of the text is set in, before the references (a long list of
    references in small type must not pass for the body)."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if weights and _REFS_HEAD.match(ln.text.strip()):
                return weights.most_common(1)[0][0]
            weights[round(ln.size * 2) / 2] += len(ln.text)
    return weights.most_common(1)[0][0] if weights else 0.0


def _furniture(lines: list[Line], keys: set[str], body: float, page: int) -> set[int]:
    out = set()
    for i in _edges(lines):
        ln = lines[i]
        m = _PAGE_NO.match(ln.text)
        number = m is not None and (
            not m[1].isdigit() or f"@{int(m[1]) - page}" in keys or ln.size <= body * 1.05
        )
        if number or (_key(ln) in keys and ln.size <= body * 1.1 and not m):
            out.add(i)
    return out


def _figures(page: PageChars) -> list[Box]:
    """Regions of the page covered by a figure: clustered drawings, images, forms."""
    area = page.width * page.height
    boxes = [
        b
        for b in page.graphics
        if (b.x1 - b.x0) * (b.y1 - b.y0) < 0.6 * area and (b.x1 - b.x0 > 1 or b.y1 - b.y0 > 1)
    ]
    clusters: list[tuple[Box, int, bool]] = []  # box, paths in it, has image/form
    for b in sorted(boxes, key=lambda b: -b.y1):
        solid = b.kind != "path"
        for n, (c, paths, img) in enumerate(clusters):
            if b.x0 <= c.x1 + 3 and b.x1 >= c.x0 - 3 and b.y0 <= c.y1 + 3 and b.y1 >= c.y0 - 3:
                merged = Box(min(c.x0, b.x0), min(c.y0, b.y0), max(c.x1, b.x1), max(c.y1, b.y1), "")
                clusters[n] = (merged, paths + (not solid), img or solid)
                break
        else:
            clusters.append((Box(b.x0, b.y0, b.x1, b.y1, ""), int(not solid), solid))
    return [
        c
        for c, paths, img in clusters
        if (img or paths >= 8) and (c.x1 - c.x0) >= 40 and (c.y1 - c.y0) >= 20
    ]


def _is_prose(line: Line, body: float) -> bool:
    return abs(line.size - body) < 0.6 and len(line.text) >= 40 and " " in line.text


def _inside(line: Line, box: Box) -> bool:
    cx, cy = (line.x + line.x1) / 2, (line.y + line.top) / 2
    return box.x0 - 2 <= cx <= box.x1 + 2 and box.y0 - 2 <= cy <= box.y1 + 2


def _column_of(line: Line, gutter: float | None) -> int:
    if gutter is None:
        return 0
    if line.x1 <= gutter + 2:
        return 1
    if line.x >= gutter - 2:
        return 2
    return 0


def _footnotes(
    lines: list[Line],
    skip: set[int],
    body: float,
    gutter: float | None,
    rules: list[Box],
    page_height: float,
) -> tuple[set[int], list[str]]:
    """Indexes of footnote lines, and the notes' texts."""
    taken: set[int] = set()
    notes: list[str] = []
    columns: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if i not in skip:
            columns.setdefault(_column_of(ln, gutter), []).append(i)

    def is_body(i: int) -> bool:  # set like the body, and no note's mark
        return abs(lines[i].size - body) < 0.6 and not lines[i].marks

    lowest = min(
        (lines[i].y for i in range(len(lines)) if i not in skip and is_body(i)), default=None
    )
    for col, idx in columns.items():
        prose = [lines[i].y for i in idx if is_body(i)]
        if col == 0 and gutter is not None:
            prose = [lowest] if lowest is not None else []  # under both columns
        if not prose:
            continue
        floor = min(prose)
        small = [i for i in idx if lines[i].y < floor - 1]
        if not small:
            continue
        top = max(small, key=lambda i: lines[i].y)
        marked_apart = bool(lines[top].marks) and floor - lines[top].y > 1.8 * lines[top].size
        if not marked_apart and any(lines[i].size > body * FOOT_RATIO for i in small):
            continue
        block = sorted(small, key=lambda i: -lines[i].y)
        first = lines[block[0]]
        text = " ".join(lines[i].text for i in block)
        letters = sum(ch.isalpha() for ch in text)
        rule_above = any(
            r.y1 - r.y0 < 2 and first.top <= r.y0 <= first.top + 14 and r.x0 <= first.x + 4
            for r in rules
        )
        marked = bool(first.marks) or bool(_NOTE_MARK.match(first.text))
        if letters < 0.5 * len(text.replace(" ", "")) or first.text.startswith("["):
            continue
        if first.top - lines[block[-1]].y > 0.4 * page_height or len(_CITED.findall(text)) >= 2:
            continue  # a reference list in small type, not notes
        if not (marked or rule_above or _NOTICE.search(text)):
            continue
        taken.update(block)
        notes.extend(_split_notes([lines[i] for i in block]))
    return taken, notes


def _split_notes(lines: list[Line]) -> list[str]:
    notes: list[list[str]] = []
    for ln in lines:
        starts = bool(ln.marks) or (bool(_NOTE_MARK.match(ln.text)) and not notes) or not notes
        if starts or (_NOTE_MARK.match(ln.text) and _ENDS_SENTENCE.search(notes[-1][-1])):
            text = f"{ln.marks} {ln.text[len(ln.marks) :].lstrip()}" if ln.marks else ln.text
            notes.append([text])
        else:
            notes[-1].append(ln.text)
    return [" ".join(join_lines(n).split()) for n in notes]


def _caption_starts(lines: list[Line], i: int, body: float, labels: set[int]) -> bool:
    ln = lines[i]
    if not _CAPTION.match(ln.text):
        return False
    prev = next((lines[k] for k in range(i - 1, -1, -1) if k not in labels), None)
    if prev is None or abs(ln.size - body) >= 0.6 or ln.bold:
        return True
    leading = 1.25 * max(ln.size, 1.0)
    gap = prev.y - ln.y
    same_column = abs(prev.x - ln.x) < 0.6 * max(ln.x1 - ln.x, 1)
    if not same_column or gap < 0 or gap > 1.6 * leading:
        return True  # nothing of the body right above it
    # a body line ending "see" continued onto "Figure 1. The main idea ...": still body
    return bool(_ENDS_SENTENCE.search(prev.text)) and (
        prev.x1 < ln.x1 - 0.15 * (ln.x1 - ln.x) or gap > 1.3 * leading
    )


def _caption_run(lines: list[Line], i: int, skip: set[int]) -> list[int]:
    run = [i]
    spacing: float | None = None
    k = i + 1
    while k < len(lines) and len(run) < 12:
        if k in skip:
            k += 1
            continue
        prev, ln = lines[run[-1]], lines[k]
        gap = prev.y - ln.y
        if _CAPTION.match(ln.text) or abs(ln.size - prev.size) > 0.4 or gap <= 0:
            break
        if spacing is None:
            if gap > 1.6 * max(prev.size, 1.0):
                break
            spacing = gap
        elif gap > spacing * 1.25 + 0.5:
            break
        if abs(ln.x - prev.x) > 0.5 * max(prev.x1 - prev.x, 1) and ln.x > prev.x1:
            break  # the other column
        run.append(k)
        k += 1
    return run


def zone(page: PageChars, lines: list[Line], *, body: float, keys: set[str],
         gutter: float | None, index: int = 0) -> Zoned:  # fmt: skip
    """Split a page's lines (in reading order) into body, captions and footnotes."""
    skip = _furniture(lines, keys, body, index)
    figures = [
        f
        for f in _figures(page)
        # a region holding paragraphs is a frame or a wrapper around the page, not a figure
        if sum(1 for ln in lines if _inside(ln, f) and _is_prose(ln, body)) < 3
    ]
    labels = {
        i
        for i, ln in enumerate(lines)
        if i not in skip and any(_inside(ln, f) for f in figures) and not _CAPTION.match(ln.text)
    }
    skip |= labels
    rules = [b for b in page.graphics if b.kind == "path" and b.y1 - b.y0 < 2 and b.x1 - b.x0 > 30]
    notes_at, notes = _footnotes(lines, skip, body, gutter, rules, page.height)
    skip |= notes_at
    body_lines: list[Line] = []
    captions: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        if i in skip:
            i += 1
            continue
        if _caption_starts(lines, i, body, labels):
            run = _caption_run(lines, i, skip)
            text = join_lines([lines[k].text for k in run])
            captions.append((len(body_lines), " ".join(text.split())))
            skip.update(run)
            i += 1
            continue
        body_lines.append(lines[i])
        i += 1
    return Zoned(body_lines, captions, notes)
