"""A page's lines in reading order: columns found from where the text is, not guessed.

Lines come in content-stream order (pdf_chars). Many producers write two-column pages
column by column, others line by line across the gutter, which interleaves the columns.
So the gutter is found from the page: the x in the middle of the page that the fewest
lines cover while many lines end left of it and many start right of it. A line that
runs across the gutter only through a wide gap is two lines, one per column. Full-width
lines (title, a one-column abstract, a wide figure's caption) cut the page into bands;
within a band the left column is read top to bottom, then the right one. A narrow column
beside a wide one (a journal's margin notes) is a side column, read after the main one.
"""

from __future__ import annotations

from dataclasses import replace

from pipelines.ingest.pdf_chars import Line

BIN = 2.0  # points per bin when measuring how many lines cover each x
MIN_COLUMN_LINES = 6


def _covers(lines: list[Line], width: float) -> list[int]:
    bins = [0] * (int(width / BIN) + 2)
    for ln in lines:
        # a wide gap inside a line covers nothing
        spans = []
        start = ln.x
        for _, a, b in ln.gaps:
            spans.append((start, a))
            start = b
        spans.append((start, ln.x1))
        for a, b in spans:
            for k in range(max(0, int(a / BIN)), min(len(bins), int(b / BIN) + 1)):
                bins[k] += 1
    return bins


def find_gutter(lines: list[Line], width: float) -> float | None:
    """The x between two columns, or None for a one-column page."""
    if len(lines) < 2 * MIN_COLUMN_LINES or width <= 0:
        return None
    bins = _covers(lines, width)
    lo, hi = int(0.25 * width / BIN), int(0.75 * width / BIN)
    if hi <= lo:
        return None
    least = min(bins[lo:hi])
    # the longest run of least-covered bins in the middle of the page is the gutter
    best: tuple[int, int] | None = None
    run_start = None
    for k in range(lo, hi + 1):
        if k < hi and bins[k] <= least:
            run_start = k if run_start is None else run_start
            continue
        if run_start is not None:
            if best is None or k - run_start > best[1] - best[0]:
                best = (run_start, k)
            run_start = None
    if best is None:
        return None
    gutter = (best[0] + best[1]) / 2 * BIN
    left = sum(1 for ln in lines if ln.x1 <= gutter and ln.x1 - ln.x > 0.15 * width)
    right = sum(1 for ln in lines if ln.x >= gutter and ln.x1 - ln.x > 0.15 * width)
    if left < MIN_COLUMN_LINES or right < MIN_COLUMN_LINES:
        return None
    if least > 0.5 * (left + right):
        return None
    return gutter


def split_at(lines: list[Line], gutter: float) -> list[Line]:
    """Lines that cross the gutter through a wide gap, as one line per side."""
    out: list[Line] = []
    for ln in lines:
        cut = next(
            ((o, a, b) for o, a, b in ln.gaps if a <= gutter + BIN and b >= gutter - BIN), None
        )
        if cut is None:
            out.append(ln)
            continue
        offset, a, b = cut
        left_text, right_text = ln.text[:offset].rstrip(), ln.text[offset:].lstrip()
        if not left_text or not right_text:
            out.append(ln)
            continue
        gaps_left = [g for g in ln.gaps if g[0] < offset]
        gaps_right = [(o - offset, x0, x1) for o, x0, x1 in ln.gaps if o > offset]
        out.append(replace(ln, text=left_text, x1=a, gaps=gaps_left, marks=ln.marks))
        out.append(replace(ln, text=right_text, x=b, gaps=gaps_right, marks=""))
    return out


def _is_wide(ln: Line, gutter: float) -> bool:
    return ln.x < gutter - BIN and ln.x1 > gutter + BIN


def column_order(lines: list[Line], gutter: float, rules: list[float] | None = None) -> list[Line]:
    """Bands between full-width lines and rules; in each band the left column, then the
    right (a rule across both columns, e.g. above the references, starts a new band)."""
    wide = {round(ln.y, 1) for ln in lines if _is_wide(ln, gutter)}
    wide_ys = sorted(wide | {round(y, 1) for y in rules or []}, reverse=True)
    left_w = [ln.x1 - ln.x for ln in lines if ln.x1 <= gutter]
    right_w = [ln.x1 - ln.x for ln in lines if ln.x >= gutter]
    side = _side_column(left_w, right_w)

    def key(item: tuple[int, Line]) -> tuple[int, int, float, int]:
        i, ln = item
        if round(ln.y, 1) in wide and _is_wide(ln, gutter):
            return (wide_ys.index(round(ln.y, 1)), 2, -ln.y, i)
        band = sum(1 for y in wide_ys if y > ln.y)
        column = 0 if ln.x1 <= gutter + BIN else 1
        if side == column:
            column += 2  # a margin column is read after the main one
        return (band, column, -round(ln.y), i)

    return [ln for _, ln in sorted(enumerate(lines), key=key)]


def _side_column(left: list[float], right: list[float]) -> int | None:
    """0 or 1 when that column is a narrow margin column beside the main text."""
    if not left or not right:
        return None
    lw, rw = max(left), max(right)
    if lw < 0.5 * rw:
        return 0
    if rw < 0.5 * lw:
        return 1
    return None


def reading_order(lines: list[Line], width: float, *, rotated: bool = False) -> list[Line]:
    """The page's lines in reading order (one column: the stream order, which is the
    order most producers write; furniture and notes are told apart by place later)."""
    if rotated:
        return lines
    gutter = find_gutter(lines, width)
    if gutter is None:
        return lines
    return column_order(split_at(lines, gutter), gutter)
