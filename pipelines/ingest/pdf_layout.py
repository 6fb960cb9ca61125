"""Text of one PDF page in reading order, line by line, with font size and weight.

pypdf's `extract_text()` follows the content stream, which for most TeX papers is
already column order, but other producers write two-column pages line by line across
the gutter, which interleaves the columns. So we collect the positioned fragments that
pypdf's visitor reports, rebuild lines, and when a page looks two-column (many lines
start at a second left margin near the middle) we read it in bands: full-width lines
(title, abstract, wide figures) cut the page into bands, and within a band the left
column is read top to bottom before the right one. Single-column pages keep the
stream order, which is what `extract_text()` gives and is usually right.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from pypdf import PageObject

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|medi(?!um)|[-,]bd\b", re.I)
_AVG_EM = 0.45  # rough average glyph width in ems, to guess how far a line reaches


@dataclass
class Line:
    """One line of text with what we know of its look (size in points, bold font)."""

    text: str
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0
    bold: bool = False
    sizes: list[tuple[int, float]] = field(default_factory=list, repr=False)

    @property
    def est_end(self) -> float:
        return self.x + len(self.text) * max(self.size, 1.0) * _AVG_EM


def _fragments(page: PageObject) -> list[tuple[str, float, float, float, bool]]:
    frags: list[tuple[str, float, float, float, bool]] = []

    def visit(text: str, cm: list, tm: list, font: dict | None, font_size: float) -> None:
        if not text:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(font_size) * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        name = str(font.get("/BaseFont", "")) if font else ""
        frags.append((text, x, y, size, bool(_BOLD.search(name))))

    page.extract_text(visitor_text=visit)
    return frags


def _lines(frags: list[tuple[str, float, float, float, bool]]) -> list[Line]:
    """Join fragments into lines: a newline in the text, or a jump in y, ends a line."""
    lines: list[Line] = []
    cur: Line | None = None
    chars: list[tuple[int, float, bool]] = []  # (chars, size, bold) per piece of cur

    def close() -> None:
        nonlocal cur, chars
        if cur is not None and cur.text.strip():
            weights: Counter[tuple[float, bool]] = Counter()
            for n, size, bold in chars:
                weights[(round(size, 1), bold)] += n
            (cur.size, cur.bold), _ = weights.most_common(1)[0]
            cur.text = re.sub(r"[ \t\u00a0]+", " ", cur.text).strip()
            lines.append(cur)
        cur, chars = None, []

    for text, x, y, size, bold in frags:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i > 0:
                close()
            if not piece:
                continue
            if cur is not None:
                tol = 0.7 * max(size, cur.size or size, 1.0)
                # a fragment far from the line's baseline, or back at a left margin
                # that is well to the left, starts a new line (not a superscript)
                if abs(y - cur.y) > tol:
                    close()
            if cur is None:
                cur = Line(text="", x=x, y=y, size=size)
            elif piece[:1].isalnum() and cur.text[-1:].isalnum() and x > cur.est_end + 20:
                cur.text += " "
            cur.text += piece
            chars.append((len(piece.strip()), size, bold))
    close()
    return lines


def _right_margin(lines: list[Line], width: float) -> float | None:
    """The x where a right column starts, when enough lines start there."""
    starts = Counter(round(ln.x / 3) * 3 for ln in lines if 0.35 * width < ln.x < 0.65 * width)
    if not starts:
        return None
    x, count = starts.most_common(1)[0]
    left = sum(1 for ln in lines if ln.x < 0.3 * width and ln.est_end < x + 0.1 * width)
    if count >= 6 and left >= 6 and count >= 0.2 * len(lines):
        return float(x)
    return None


def _two_column_order(lines: list[Line], gutter: float, width: float) -> list[Line]:
    """Bands between full-width lines; in each band the left column, then the right.

    Inside a column we keep the stream order (not a sort by y), so a figure's labels
    stay together instead of being shuffled into the body text beside them.
    """
    top = max((ln.y for ln in lines if ln.x >= gutter - 6), default=0.0)

    def is_wide(ln: Line) -> bool:
        if ln.x >= gutter - 6:
            return False
        # above the right column's first line (title block), or reaching across it
        return ln.y > top + 2 or ln.est_end > gutter + 0.12 * width

    wide_ys = sorted((ln.y for ln in lines if is_wide(ln)), reverse=True)

    def key(item: tuple[int, Line]) -> tuple[int, int, float]:
        i, ln = item
        if is_wide(ln):
            return (wide_ys.index(ln.y), 2, -ln.y)
        band = sum(1 for y in wide_ys if y > ln.y)
        return (band, 0 if ln.x < gutter - 6 else 1, i)

    return [ln for _, ln in sorted(enumerate(lines), key=key)]


def page_lines(page: PageObject) -> list[Line]:
    """The page's lines in reading order."""
    lines = _lines(_fragments(page))
    try:
        box = page.cropbox
        width = float(box.width)
        rotated = int(page.get("/Rotate", 0) or 0) % 180 != 0
    except Exception:  # a malformed box: trust the stream order
        return lines
    if rotated or width <= 0 or len(lines) < 12:
        return lines
    gutter = _right_margin(lines, width)
    if gutter is None:
        return lines
    return _two_column_order(lines, gutter, width)
