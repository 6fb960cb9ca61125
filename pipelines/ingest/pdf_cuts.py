"""Where a PDF's chapters start: from its outline, from headings printed in its text (a
paper's numbered sections, a book's chapter headings), or, failing both, every ten pages.

A cut is a page and a char offset in that page's body text (pdf_pages.Page). Each cut
keeps the document's own number for its chapter (`label`: "2.1", "IV", "A") when the
printed heading shows one, even where the outline leaves it out.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from pipelines.ingest import book_headings, kinds, sections
from pipelines.ingest.pdf_outline import OutlineEntry
from pipelines.ingest.pdf_pages import Caption, Page
from pipelines.ingest.pdf_text import join
from pipelines.types import ChapterKind, count_words

log = logging.getLogger(__name__)

PAGES_PER_GROUP = 10
MIN_WORDS_BEFORE = 20  # fewer words above a heading on its page: a running header
_LABEL = re.compile(
    r"^(?:(?:chapter|section|part|appendix)\s+)?(?P<num>\d{1,2}(?:\.\d{1,2})*|[IVXLC]{1,6}|[A-H])"
    r"(?:[.:)]|\s)",
    re.I,
)


@dataclass
class Cut:
    """Where a chapter starts: page index (0-based) and char offset in that page."""

    title: str
    page: int
    offset: int = 0
    level: int = 0
    parent: int | None = None  # index into the list of cuts
    kind: ChapterKind | None = None
    book: bool = False  # found by book-heading detection
    label: str | None = None


def book_found(cuts: list[Cut]) -> bool:
    return any(c.book for c in cuts)


def shift_parents(cuts: list[Cut], at: int) -> None:
    """Parents at or after list position `at` move one down (a cut was inserted there)."""
    for cut in cuts:
        if cut.parent is not None and cut.parent >= at:
            cut.parent += 1


# --- the outline -------------------------------------------------------------------------


def outline_cuts(outline: list[OutlineEntry], pages: list[Page]) -> list[Cut]:
    cuts: list[Cut] = []
    kept: dict[int, int] = {}  # outline index -> cut index
    last_page = 0
    for i, entry in enumerate(outline):
        if entry.page < last_page:
            log.info("outline entry %r goes back to page %d; skipped", entry.title, entry.page + 1)
            continue
        page = pages[entry.page]
        offset, label = find_title(page.text, entry.title)
        if offset == 0 and entry.top is not None:
            offset = _offset_at(page, entry.top)
        if cuts and cuts[-1].page == entry.page and offset < cuts[-1].offset:
            offset = cuts[-1].offset  # never before the previous cut on the same page
        parent = kept.get(entry.parent) if entry.parent is not None else None
        kind = kinds.kind_from_title(entry.title)  # None: decided when chapters are made
        kept[i] = len(cuts)
        title = entry.title
        own = _LABEL.match(title + " ")
        if own and (own["num"][0].isdigit() or own[0].rstrip()[-1:] in ".:)"):
            label = own["num"].rstrip(".")  # the outline carries the number itself
        elif label and kind is None:
            title = f"{label}. {title}"  # the document's own number, which the outline left out
        cuts.append(Cut(title, entry.page, offset, entry.depth, parent, kind, label=label))
        last_page = entry.page
    if cuts and (cuts[0].page > 0 or cuts[0].offset > 0):
        _add_front_matter(cuts, pages)
    return cuts


def find_title(page_text: str, title: str) -> tuple[int, str | None]:
    """Where a heading line matching the title starts on its page (0 if not found, or only
    a running header is above it), and the number printed before it."""
    words = re.findall(r"\w+", title)
    if not words:
        return 0, None
    # allow a short label before the title ("1. More Formalities", "Chapter One: ...")
    prefix = r"(?im)^(?P<prefix>[^\n]{0,24}?[\s.:)\]])?[^\w\n]*"
    body = r"\W+".join(map(re.escape, words))
    m = re.search(prefix + body + r"[^\w\n]*$", page_text)
    if m is None:  # a run-in heading: "2.2. Closeness centrality. The closeness ..."
        m = re.search(prefix + body + r"[.:]\s", page_text)
    if m is None or count_words(page_text[: m.start()]) < MIN_WORDS_BEFORE:
        return 0, _label(m["prefix"]) if m else None
    return m.start(), _label(m["prefix"])


def _label(prefix: str | None) -> str | None:
    if not prefix:
        return None
    m = _LABEL.match(prefix.strip() + " ")
    return m["num"].rstrip(".") if m else None


def _offset_at(page: Page, top: float) -> int:
    """The offset of the first body line at or below an outline destination's height."""
    for line, offset in zip(page.lines, page.offsets, strict=False):
        if line.top <= top + 2:
            return offset
    return 0


def _add_front_matter(cuts: list[Cut], pages: list[Page]) -> None:
    first = cuts[0]
    before = "".join(p.text for p in pages[: first.page]) + pages[first.page].text[: first.offset]
    if count_words(before) == 0:
        return
    shift_parents(cuts, 0)
    cuts.insert(0, Cut("Front matter", 0, 0, 0, None, ChapterKind.FRONT_MATTER))


# --- headings printed in the text ----------------------------------------------------------


def _apart(page: Page) -> list[bool]:
    """Which lines have more space above them than a line of text would."""
    out = []
    prev = None
    for line in page.lines:
        if prev is None:
            out.append(True)
        else:
            gap = prev.y - line.y
            out.append(gap < 0 or gap > 1.45 * max(line.size, prev.size, 1.0))
        prev = line
    return out


def heading_cuts(pages: list[Page]) -> tuple[list[Cut], list[sections.Heading]]:
    where: list[tuple[int, int]] = []
    texts: list[str] = []
    sizes: list[float] = []
    bold: list[bool] = []
    apart: list[bool] = []
    for p_index, page in enumerate(pages):
        for line, offset in zip(page.lines, page.offsets, strict=True):
            where.append((p_index, offset))
            texts.append(line.text)
            sizes.append(line.size)
            bold.append(line.bold)
        apart.extend(_apart(page))
    headings = sections.detect(texts, sizes=sizes, bold=bold, apart=apart)
    if not headings:
        return [], []
    cuts: list[Cut] = []
    parents: list[int] = []  # the last cut at each level
    for h in headings:
        page_no, offset = where[h.line]
        parents = parents[: h.level]
        parent = parents[-1] if parents else None
        cuts.append(
            Cut(
                h.title,
                page_no,
                offset,
                h.level,
                parent,
                kinds.kind_from_title(h.title),
                label=h.number,
            )  # fmt: skip
        )
        parents.append(len(cuts) - 1)
    return cuts, headings


# --- an outline-less book --------------------------------------------------------------------


def book_cuts(pages: list[Page]) -> tuple[list[Cut], list[Page]] | None:
    """Chapters of an outline-less book (see book_headings), on pages without their
    running heads and page numbers; None when the text does not read as a book."""
    lines = [
        [book_headings.BookLine(ln.text, p, ln.y, ln.size, ln.bold) for ln in page.lines]
        for p, page in enumerate(pages)
    ]
    drop = book_headings.furniture(lines)
    clean: list[Page] = []
    flat: list[book_headings.BookLine] = []
    where: list[tuple[int, int]] = []
    for p, page in enumerate(pages):
        kept = [ln for i, ln in enumerate(page.lines) if i not in drop[p]]
        text, offsets = join([ln.text for ln in kept])
        captions = []
        for cap in page.captions:
            line = sum(1 for i in range(min(cap.line, len(page.lines))) if i not in drop[p])
            offset = offsets[line] if line < len(offsets) else len(text)
            captions.append(Caption(line, offset, cap.text))
        clean.append(Page(text, kept, offsets, captions, page.footnotes))
        flat.extend(book_headings.BookLine(ln.text, p, ln.y, ln.size, ln.bold) for ln in kept)
        where.extend((p, off) for off in offsets)
    headings = book_headings.detect(flat, len(pages))
    if not headings:
        return None
    cuts: list[Cut] = []
    part: int | None = None
    for h in headings:
        page_no, offset = where[h.line]
        if h.part:
            part = len(cuts)
        parent = part if h.level > 0 else None
        kind = h.kind or kinds.kind_from_title(h.title)
        label = _book_label(h.title) if h.kind is None else None
        cuts.append(Cut(h.title, page_no, offset, h.level, parent, kind, book=True, label=label))
    first = cuts[0]
    before = "".join(p.text for p in clean[: first.page]) + clean[first.page].text[: first.offset]
    if count_words(before):
        shift_parents(cuts, 0)
        cuts.insert(0, Cut("Front matter", 0, 0, 0, None, ChapterKind.FRONT_MATTER, book=True))
    return cuts, clean


def _book_label(title: str) -> str | None:
    """'CHAPTER IV' -> 'IV', 'BOOK I. NEW BEDFORD' -> 'I', '12' -> '12'; else None."""
    m = re.match(r"^(?:chapter|chap\.|part|book|volume)\s+(?:the\s+)?(\w+)\b", title, re.I)
    if m:
        return m[1]
    m = re.match(r"^(\d{1,3}|[IVXLC]{1,7})\.?$", title.strip())
    return m[1] if m else None


def page_group_cuts(page_count: int) -> list[Cut]:
    return [
        Cut(f"Pages {start + 1}–{min(start + PAGES_PER_GROUP, page_count)}", start)
        for start in range(0, page_count, PAGES_PER_GROUP)
    ]
