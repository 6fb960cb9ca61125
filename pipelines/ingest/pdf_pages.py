"""Every page of a PDF as body text, captions and footnotes (pdfium for the page, the rest
ours): characters -> lines (pdf_chars) -> reading order (pdf_layout) -> parts of the page
(pdf_zones) -> words joined across line breaks (pdf_text).

Some measures need the whole document: the body's type size, the running heads that
repeat from page to page, and the words it prints (to tell a broken word from a
hyphenated one), so the pages are read first and zoned after.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipelines.errors import IngestError
from pipelines.ingest import pdf_layout, pdf_text, pdf_zones
from pipelines.ingest.pdf_chars import Line, PageChars, read_page

log = logging.getLogger(__name__)


@dataclass
class Caption:
    """A figure/table caption taken out of the prose: it stood before body line `line`
    (char `offset` of the page text)."""

    line: int
    offset: int
    text: str


@dataclass
class Page:
    """One page's body text, where each of its lines starts in it, and its asides."""

    text: str
    lines: list[Line] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)


def _open(data: bytes, file_name: str):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(file_name, "the PDF is damaged or truncated.") from exc


def _read(doc, index: int) -> tuple[PageChars, list[Line], float | None]:  # type: ignore[no-untyped-def]
    page = doc[index]
    try:
        chars = read_page(page)
        rotated = int(page.get_rotation() or 0) % 180 != 0
    finally:
        page.close()
    lines = chars.lines
    gutter = None if rotated else pdf_layout.find_gutter(lines, chars.width)
    if gutter is not None:
        rules = [
            (b.y0 + b.y1) / 2
            for b in chars.graphics
            if b.kind == "path" and b.y1 - b.y0 < 2 and b.x0 < gutter - 40 and b.x1 > gutter + 40
        ]
        lines = pdf_layout.column_order(pdf_layout.split_at(lines, gutter), gutter, rules)
    return chars, lines, gutter


def read_pages(data: bytes, file_name: str, page_count: int) -> list[Page]:
    doc = _open(data, file_name)
    try:
        read: list[tuple[PageChars, list[Line], float | None]] = []
        for i in range(page_count):
            try:
                read.append(_read(doc, i))
            except Exception as exc:  # one broken page should not cost the whole document
                log.info("page %d unreadable: %r", i + 1, exc)
                read.append((PageChars([], 0, 0), [], None))
    finally:
        doc.close()
    all_lines = [lines for _, lines, _ in read]
    _plain_if_all_bold(all_lines)
    body = pdf_zones.body_size(all_lines)
    keys = pdf_zones.running_keys(all_lines)
    vocab = pdf_text.vocabulary(ln.text for lines in all_lines for ln in lines)
    pages = []
    for index, (chars, lines, gutter) in enumerate(read):
        zoned = pdf_zones.zone(chars, lines, body=body, keys=keys, gutter=gutter, index=index)
        text, offsets = pdf_text.join([ln.text for ln in zoned.body], vocab)
        captions = [
            Caption(line, offsets[line] if line < len(offsets) else len(text), caption)
            for line, caption in zoned.captions
        ]
        pages.append(Page(text, zoned.body, offsets, captions, zoned.footnotes))
    return pages


def _plain_if_all_bold(pages: list[list[Line]]) -> None:
    """Some producers report every font as bold; then weight tells nothing."""
    total = sum(len(ln.text) for lines in pages for ln in lines)
    bold = sum(len(ln.text) for lines in pages for ln in lines if ln.bold)
    if total and bold > 0.5 * total:
        for lines in pages:
            for ln in lines:
                ln.bold = False
