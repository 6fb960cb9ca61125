"""A PDF page's characters with their look and place, grouped into lines (pypdfium2).

pdfium's text API gives every character's box, font size and weight and its angle, at C
speed; pypdf (kept for opening, encryption, metadata and the outline) only reports text
fragments. Characters are read in content-stream order and a line ends where the baseline
moves; a smaller character raised or lowered within a line is a superscript or subscript
and stays in it (`Line.marks` keeps the leading one, a footnote's mark). Wide gaps inside a
line are kept as `Line.gaps` so that the layout step can split a line where it crosses a
column gutter. Rotated characters (an arXiv stamp or a journal id printed down the margin)
are set aside, and so is what pdfium inserts by itself (line breaks).

Figures: the boxes of the page's images, drawings and embedded forms, so text inside a
figure (its axis labels, its legend) can be told from the prose around it.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_LIGATURES = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st", "\u00ad": "-", "\ufffe": "-", "\x02": "-",
    "\u2010": "-", "\u2011": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}  # fmt: skip
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\x00"}
# TeX sets an accent as its own glyph next to the letter: "F´ısica", "J˛edrzej", "M¨uller"
_ACCENTS = {
    "\u00b4": "\u0301", "`": "\u0300", "\u00a8": "\u0308", "\u02c6": "\u0302", "^": "\u0302",
    "\u02dc": "\u0303", "~": "\u0303", "\u00b8": "\u0327", "\u02db": "\u0328", "\u02c7": "\u030c",
    "\u02d8": "\u0306", "\u02d9": "\u0307", "\u02da": "\u030a", "\u00af": "\u0304", "\u02dd": "\u030b",
}  # fmt: skip
MAX_GRAPHICS = 4000  # page objects looked at for figures; a huge drawing costs no more
SUPERSCRIPT_RATIO = 0.85  # a char this much smaller than its line, off its baseline


@dataclass
class Line:
    """One printed line: its text, box (PDF points, y up), type size and weight."""

    text: str
    x: float = 0.0  # left
    y: float = 0.0  # baseline
    size: float = 0.0  # the size most of its characters are set in
    bold: bool = False
    x1: float = 0.0  # right
    top: float = 0.0
    marks: str = ""  # a raised mark the line starts with ("1", "∗", "†")
    gaps: list[tuple[int, float, float]] = field(default_factory=list, repr=False)
    # (char offset in text, gap start x, gap end x) of each gap wider than one em
    raised: list[tuple[int, int]] = field(default_factory=list, repr=False)
    # (start, end) offsets in text of runs set smaller and above the baseline (superscripts)

    @property
    def est_end(self) -> float:
        return self.x1


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    kind: str  # "image" | "path" | "form"


@dataclass
class PageChars:
    lines: list[Line]
    width: float
    height: float
    graphics: list[Box] = field(default_factory=list)
    rotated_text: str = ""  # stamps printed down the margin


def normalise(ch: str) -> str:
    """Ligatures unfolded, soft and non-breaking hyphens and spaces made plain."""
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    if ch in _DROP or (unicodedata.category(ch) == "Cc" and ch not in "\t"):
        return ""
    return ch


class _Builder:
    """Accumulates characters into lines."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.chars: list[str] = []
        self.weights: dict[tuple[float, bool], int] = {}
        self.line: Line | None = None
        self.last_x1 = 0.0
        self.last_size = 0.0
        self.space = False
        self.pending_accent = ""
        self.length = 0
        self.char_marks: list[tuple[int, int, float, float]] = []  # start, end, size, base
        self.lead: (
            list[str] | None
        ) = []  # the line's first chars while they are all raised and small
        self.lead_size = 0.0
        self.lead_base = 0.0

    def close(self) -> None:
        line = self.line
        if line is not None:
            text = "".join(self.chars).strip()
            if text:
                (size, bold), _ = max(self.weights.items(), key=lambda kv: kv[1])
                line.text, line.size, line.bold = text, size, bold
                lead = len("".join(self.chars)) - len("".join(self.chars).lstrip())
                line.gaps = [(max(0, o - lead), a, b) for o, a, b in line.gaps]
                line.raised = self._raised(line, lead)
                self.lines.append(line)
        self.line, self.chars, self.weights, self.space = None, [], {}, False
        self.lead = []
        self.char_marks = []
        self.length = 0

    def _raised(self, line: Line, lead: int) -> list[tuple[int, int]]:
        runs: list[tuple[int, int]] = []
        for start, end, size, base in self.char_marks:
            if size < SUPERSCRIPT_RATIO * line.size and base > line.y + 0.2 * line.size:
                start, end = max(0, start - lead), max(0, end - lead)
                if runs and runs[-1][1] >= start - 1:
                    runs[-1] = (runs[-1][0], end)
                else:
                    runs.append((start, end))
        return runs

    def add(
        self, text: str, left: float, right: float, b: float, top: float, size: float, bold: bool
    ) -> None:
        line = self.line
        if line is not None:
            height = max(size, line.size, 1.0)
            small = size < SUPERSCRIPT_RATIO * line.size or line.size < SUPERSCRIPT_RATIO * size
            dy = abs(b - line.y)
            forward = left >= self.last_x1 - 0.3 * height  # a raised mark goes on, never back
            off_line = dy > (0.75 if small and forward else 0.35) * height
            back = left < self.last_x1 - 2.0 * height
            if off_line or back:
                self.close()
                line = None
        if line is None:
            line = self.line = Line("", x=left, y=b, size=size, x1=right, top=top)
            self.last_x1 = left
            self.lead, self.lead_size, self.lead_base = [], size, b
        if self.lead is not None and size == self.lead_size and len(self.lead) < 4:
            self.lead.append(text)
        elif (
            self.lead
            and size * SUPERSCRIPT_RATIO > self.lead_size
            and b < self.lead_base - 0.1 * size
        ):
            line.marks = "".join(self.lead).strip()  # raised small chars led: a note's mark
            line.size = size
            self.lead = None
        else:
            self.lead = None
        gap = left - self.last_x1
        em = max(size, self.last_size, 1.0)
        if self.chars and gap > 1.0 * em:
            line.gaps.append((self.length, self.last_x1, left))
        if self.chars and (self.space or gap > 0.2 * em) and not self.chars[-1].endswith(" "):
            self.chars.append(" ")
            self.length += 1
        self.space = False
        if self.pending_accent:
            text = unicodedata.normalize("NFC", text.replace("ı", "i") + self.pending_accent)
            self.pending_accent = ""
        at = self.length
        self.length += len(text)
        self.char_marks.append((at, self.length, size, b))
        self.chars.append(text)
        key = (round(size, 1), bold)
        self.weights[key] = self.weights.get(key, 0) + len(text)
        if size >= SUPERSCRIPT_RATIO * line.size and b < line.y - 0.1 * size:
            line.y = b  # the baseline is the lowest full-size char's
        if size > line.size and len(self.chars) == 1:
            line.size = size
        line.x1 = max(line.x1, right)
        line.top = max(line.top, top)
        self.last_x1, self.last_size = right, size


def read_page(page: Any, *, with_graphics: bool = True) -> PageChars:
    """The page's lines in content-stream order (see module doc)."""
    import pypdfium2.raw as raw

    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range() if count else ""
        handle = textpage.raw
        if len(text) != count:  # characters outside the BMP: ask one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
        builder = _Builder()
        rotated: list[str] = []
        box = raw.FS_RECTF()
        ref = ctypes.byref(box)
        matrix = raw.FS_MATRIX()
        mref = ctypes.byref(matrix)
        get_matrix = raw.FPDFText_GetMatrix
        loose_box, font_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
        weight = raw.FPDFText_GetFontWeight
        plain: dict[str, str] = {}  # char -> its normalised form (a page has few distinct)
        for i, ch in enumerate(text):
            if ch == " " or ch == "\t":
                builder.space = True
                continue
            if ch in "\r\n":
                continue  # pdfium's own line breaks: lines are found from the places
            if ch in _ACCENTS:
                if i + 1 < count and text[i + 1].isalpha():
                    builder.pending_accent = _ACCENTS[ch]
                    continue
                if builder.chars and builder.chars[-1][-1:].isalpha():  # "Andre´"
                    last = builder.chars[-1]
                    builder.chars[-1] = last[:-1] + unicodedata.normalize(
                        "NFC", last[-1] + _ACCENTS[ch]
                    )
                    continue
            out = plain.get(ch)
            if out is None:
                out = plain[ch] = normalise(ch)
            if not out:
                continue
            size = font_size(handle, i)
            if get_matrix(handle, i, mref):  # the size as printed: Tf size times the scale
                if abs(matrix.b) > abs(matrix.a):  # turned a quarter: a margin stamp
                    rotated.append(out)
                    continue
                size *= math.hypot(matrix.c, matrix.d)
            loose_box(handle, i, ref)
            builder.add(
                out, box.left, box.right, box.bottom, box.top, size, weight(handle, i) >= 600
            )
        builder.close()
    finally:
        textpage.close()
    graphics = _graphics(page) if with_graphics else []
    return PageChars(builder.lines, width, height, graphics, "".join(rotated))


def _graphics(page: Any) -> list[Box]:
    import pypdfium2.raw as raw

    kinds = {raw.FPDF_PAGEOBJ_IMAGE: "image", raw.FPDF_PAGEOBJ_PATH: "path",
             raw.FPDF_PAGEOBJ_FORM: "form"}  # fmt: skip
    boxes: list[Box] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    handle = page.raw
    count = min(raw.FPDFPage_CountObjects(handle), MAX_GRAPHICS)
    for i in range(count):
        obj = raw.FPDFPage_GetObject(handle, i)
        kind = kinds.get(raw.FPDFPageObj_GetType(obj))
        if kind is None:
            continue
        if raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            boxes.append(Box(left.value, bottom.value, right.value, top.value, kind))
    return boxes
