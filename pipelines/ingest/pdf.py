"""PDF -> Source: chapters from the outline, else from headings in the text, else page groups.

Text is extracted page by page in reading order (two-column pages are read column by
column, see pdf_layout). Every chapter keeps `page_spans`, the char offset where each
of its pages begins, so a passage can later be cited as "p. 45". Page numbers are
physical, 1-based page indexes.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from pipelines.errors import IngestError, LimitError
from pipelines.ingest import book_headings, kinds, pdf_meta, sections
from pipelines.ingest.pdf_layout import Line, page_lines
from pipelines.ingest.pdf_outline import OutlineEntry, read_outline, structures_document
from pipelines.settings import IngestSettings
from pipelines.types import (
    CAPTIONS_MARKER,
    Chapter,
    ChapterKind,
    PageSpan,
    Source,
    SourceKind,
    count_words,
)

log = logging.getLogger(__name__)
# pypdf warns loudly (and per glyph) about fonts it half-understands; the text is fine.
logging.getLogger("pypdf").setLevel(logging.ERROR)

PAGES_PER_GROUP = 10
BOOK_MIN_PAGES = 20  # shorter files without an outline are read as papers/documents
MIN_WORDS_BEFORE = 20  # fewer words above a heading on its page: a running header
_HYPHEN_END = re.compile(r"\w-$")
_CAPTION_START = re.compile(r"^(fig(ure)?\.?|table|tab\.)\s*\d+[a-z]?\s*[.:|—–]\s*\S", re.I)
MAX_CAPTION_LINES = 8


@dataclass
class Page:
    """One page's text, and where each of its lines starts in that text."""

    text: str
    lines: list[Line] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)


@dataclass
class Caption:
    """A figure/table caption taken out of the prose: it stood before body line `line`
    (char `offset` of the page text)."""

    line: int
    offset: int
    text: str


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


def book_found(cuts: list[Cut]) -> bool:
    return any(c.book for c in cuts)


def parse(data: bytes, file_name: str, *, limits: IngestSettings | None = None) -> Source:
    reader = _open(data, file_name)
    try:
        page_count = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise IngestError(file_name, "its page tree is damaged.") from exc
    if page_count == 0:
        raise IngestError(file_name, "it has no pages.")
    limits = limits or IngestSettings()
    if page_count > limits.max_pages:
        raise LimitError(
            f"'{file_name}' has {page_count} pages; the limit is {limits.max_pages} "
            "(FOLIO_INGEST__MAX_PAGES)."
        )
    outline = read_outline(reader)
    use_outline = structures_document(outline, page_count)
    # Style (size, bold) is only needed to find headings; keep lines only without outline.
    pages = [_read_page(reader, i, keep_lines=not use_outline) for i in range(page_count)]
    headings: list[sections.Heading] = []
    if use_outline:
        cuts = _outline_cuts(outline, pages)
    else:
        book = _book_cuts(pages) if page_count >= BOOK_MIN_PAGES else None
        if book is not None:
            cuts, pages = book
        else:
            cuts, headings = _heading_cuts(pages)
        if not cuts:
            cuts = _page_group_cuts(page_count)
    chapters = _chapters(cuts, pages)
    title, authors = _title_and_authors(reader, pages, file_name, book=book_found(cuts))
    kind = (
        SourceKind.BOOK
        if book_found(cuts)
        else _source_kind(use_outline, len(outline), page_count, headings)
    )
    log.info(
        "pdf %s: %d pages, %d chapters (%s), kind %s",
        file_name, page_count, len(chapters),
        "outline" if use_outline else ("headings" if headings else "page groups"), kind,
    )  # fmt: skip
    return Source(
        id="",
        title=title,
        kind=kind,
        file_name=file_name,
        format="pdf",
        authors=authors,
        page_count=page_count,
        chapters=chapters,
    )


def _open(data: bytes, file_name: str) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as exc:
        raise IngestError(file_name, "the PDF is damaged or truncated.") from exc
    if reader.is_encrypted:
        try:
            ok = bool(reader.decrypt(""))  # many PDFs are "encrypted" with an empty user password
        except (DependencyError, FileNotDecryptedError, NotImplementedError, PdfReadError):
            ok = False
        if not ok:
            raise IngestError(
                file_name, "it is password-protected; remove the password and add it again."
            )
    return reader


def _read_page(reader: PdfReader, index: int, *, keep_lines: bool) -> Page:
    try:
        lines = page_lines(reader.pages[index])
    except Exception as exc:  # one broken page should not cost the whole document
        log.info("page %d unreadable: %r", index + 1, exc)
        return Page("")
    body, captions = _split_captions(lines)
    text, offsets = _join(body)
    for cap in captions:
        cap.offset = offsets[cap.line] if cap.line < len(offsets) else len(text)
    return Page(text, body if keep_lines else [], offsets if keep_lines else [], captions)


def _split_captions(lines: list[Line]) -> tuple[list[Line], list[Caption]]:
    """Caption lines ("Figure 3: ...", "Table 2. ...", "Fig. 3 ...") and their run-on
    lines, apart from the prose; they go to the end of their chapter's text."""
    body: list[Line] = []
    captions: list[Caption] = []
    i = 0
    while i < len(lines):
        if not _CAPTION_START.match(lines[i].text):
            body.append(lines[i])
            i += 1
            continue
        run = [lines[i]]
        i += 1
        while i < len(lines) and len(run) < MAX_CAPTION_LINES:
            ended = run[-1].text.rstrip().endswith((".", "?", "!"))
            same_type = abs(lines[i].size - run[-1].size) < 0.3
            if ended or not same_type or _CAPTION_START.match(lines[i].text):
                break
            run.append(lines[i])
            i += 1
        text, _ = _join(run)
        captions.append(Caption(len(body), 0, " ".join(text.split())))
    return body, captions


def _join(lines: list[Line]) -> tuple[str, list[int]]:
    """Lines joined by newlines; a line ending in "trac-" and a next line starting
    lowercase are joined without the hyphen ("tracing")."""
    parts: list[str] = []
    offsets: list[int] = []
    size = 0
    for line in lines:
        text = line.text
        if parts and _HYPHEN_END.search(parts[-1]) and text[:1].islower():
            parts[-1] = parts[-1][:-1]
            size -= 1
            offsets.append(size)
        else:
            if parts:
                parts.append("\n")
                size += 1
            offsets.append(size)
        parts.append(text)
        size += len(text)
    return "".join(parts), offsets


def _outline_cuts(outline: list[OutlineEntry], pages: list[Page]) -> list[Cut]:
    cuts: list[Cut] = []
    kept: dict[int, int] = {}  # outline index -> cut index
    last_page = 0
    for i, entry in enumerate(outline):
        if entry.page < last_page:
            log.info("outline entry %r goes back to page %d; skipped", entry.title, entry.page + 1)
            continue
        offset = _find_title(pages[entry.page].text, entry.title)
        if cuts and cuts[-1].page == entry.page and offset < cuts[-1].offset:
            offset = cuts[-1].offset  # never before the previous cut on the same page
        parent = kept.get(entry.parent) if entry.parent is not None else None
        kind = kinds.kind_from_title(entry.title)  # None: decided in _chapters
        kept[i] = len(cuts)
        cuts.append(Cut(entry.title, entry.page, offset, entry.depth, parent, kind))
        last_page = entry.page
    if cuts and (cuts[0].page > 0 or cuts[0].offset > 0):
        _add_front_matter(cuts, pages)
    return cuts


def _find_title(page_text: str, title: str) -> int:
    """Where a heading line matching the title starts on its page (0 if not found)."""
    words = re.findall(r"\w+", title)
    if not words:
        return 0
    # allow a short label before the title ("1. More Formalities", "Chapter One: ...")
    prefix = r"(?im)^(?:[^\n]{0,24}?[\s.:)\]])?[^\w\n]*"
    m = re.search(prefix + r"\W+".join(map(re.escape, words)) + r"[^\w\n]*$", page_text)
    if m is None or count_words(page_text[: m.start()]) < MIN_WORDS_BEFORE:
        return 0  # not found, or only a running header above it: the page is its start
    return m.start()


def _add_front_matter(cuts: list[Cut], pages: list[Page]) -> None:
    first = cuts[0]
    before = "".join(p.text for p in pages[: first.page]) + pages[first.page].text[: first.offset]
    if count_words(before) == 0:
        return
    for cut in cuts:
        if cut.parent is not None:
            cut.parent += 1
    cuts.insert(0, Cut("Front matter", 0, 0, 0, None, ChapterKind.FRONT_MATTER))


def _heading_cuts(pages: list[Page]) -> tuple[list[Cut], list[sections.Heading]]:
    where: list[tuple[int, int]] = []
    texts: list[str] = []
    sizes: list[float] = []
    bold: list[bool] = []
    for p_index, page in enumerate(pages):
        for line, offset in zip(page.lines, page.offsets, strict=True):
            where.append((p_index, offset))
            texts.append(line.text)
            sizes.append(line.size)
            bold.append(line.bold)
    headings = sections.detect(texts, sizes=sizes, bold=bold)
    if not headings:
        return [], []
    cuts: list[Cut] = []
    last_top: int | None = None
    for h in headings:
        page_no, offset = where[h.line]
        parent = last_top if h.level > 0 else None
        if h.level == 0:
            last_top = len(cuts)
        cuts.append(Cut(h.title, page_no, offset, h.level, parent, kinds.kind_from_title(h.title)))
    first = cuts[0]
    if first.page > 0 or first.offset > 0:
        before = (
            "".join(p.text for p in pages[: first.page]) + pages[first.page].text[: first.offset]
        )
        if count_words(before):
            has_abstract = any(c.kind == ChapterKind.ABSTRACT for c in cuts)
            # an unlabelled abstract sits in the front matter; do not hide it as front matter
            as_abstract = not has_abstract and count_words(before) > 120
            title, kind = (
                ("Front matter and abstract", ChapterKind.ABSTRACT)
                if as_abstract
                else ("Front matter", ChapterKind.FRONT_MATTER)
            )
            for cut in cuts:
                cut.parent = cut.parent + 1 if cut.parent is not None else None
            cuts.insert(0, Cut(title, 0, 0, 0, None, kind))
    return cuts, headings


def _book_cuts(pages: list[Page]) -> tuple[list[Cut], list[Page]] | None:
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
        text, offsets = _join(kept)
        captions = []
        for cap in page.captions:
            line = sum(1 for i in range(min(cap.line, len(page.lines))) if i not in drop[p])
            offset = offsets[line] if line < len(offsets) else len(text)
            captions.append(Caption(line, offset, cap.text))
        clean.append(Page(text, kept, offsets, captions))
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
        cuts.append(Cut(h.title, page_no, offset, h.level, parent, kind, book=True))
    first = cuts[0]
    before = "".join(p.text for p in clean[: first.page]) + clean[first.page].text[: first.offset]
    if count_words(before):
        for cut in cuts:
            cut.parent = cut.parent + 1 if cut.parent is not None else None
        cuts.insert(0, Cut("Front matter", 0, 0, 0, None, ChapterKind.FRONT_MATTER, book=True))
    return cuts, clean


def _page_group_cuts(page_count: int) -> list[Cut]:
    return [
        Cut(f"Pages {start + 1}–{min(start + PAGES_PER_GROUP, page_count)}", start)
        for start in range(0, page_count, PAGES_PER_GROUP)
    ]


def _chapters(cuts: list[Cut], pages: list[Page]) -> list[Chapter]:
    children = {c.parent for c in cuts if c.parent is not None}
    chapters: list[Chapter] = []
    for i, cut in enumerate(cuts):
        nxt = cuts[i + 1] if i + 1 < len(cuts) else None
        end_page = nxt.page if nxt is not None else len(pages) - 1
        if nxt is not None and nxt.offset == 0 and nxt.page > cut.page:
            end_page -= 1  # the next chapter starts at the top of its page
        parts: list[str] = []
        spans: list[PageSpan] = []
        captions: list[str] = []
        size = 0
        for p in range(cut.page, end_page + 1):
            text = pages[p].text
            start = cut.offset if p == cut.page else 0
            stop = nxt.offset if (nxt is not None and p == nxt.page) else len(text)
            piece = text[start:stop].strip("\n")
            at_end = stop == len(text)
            captions.extend(
                c.text
                for c in pages[p].captions
                if start <= c.offset and (c.offset < stop or at_end)
            )
            if parts and piece:
                parts.append("\n\n")
                size += 2
            spans.append(PageSpan(start=size, page=p + 1))
            parts.append(piece)
            size += len(piece)
        text = "".join(parts)
        if captions:  # kept, but out of the prose: after a marker line at the end
            text += "\n\n" + CAPTIONS_MARKER + "\n" + "\n".join(captions)
        kind = cut.kind
        if kind is None:
            # a top-level entry whose children carry the text is a part heading
            grouping = i in children and cut.level == 0 and count_words(text) < 150
            kind = ChapterKind.PART if grouping else ChapterKind.CHAPTER
        chapters.append(
            Chapter(
                index=i + 1,
                title=cut.title,
                text=text,
                level=cut.level,
                kind=kind,
                parent=cut.parent + 1 if cut.parent is not None else None,
                page_start=cut.page + 1,
                page_end=max(end_page, cut.page) + 1,
                page_spans=spans,
            )
        )
    return chapters


def _title_and_authors(
    reader: PdfReader, pages: list[Page], file_name: str, *, book: bool
) -> tuple[str, list[str]]:
    """Metadata when it is real; else the first pages (see pdf_meta)."""
    try:
        meta: dict = dict(reader.metadata or {})
        raw_title = str(meta.get("/Title") or "")
        raw_author = str(meta.get("/Author") or "")
    except Exception:  # broken info dictionary
        raw_title = raw_author = ""
    title, banner_author = pdf_meta.metadata_title(raw_title)
    authors = pdf_meta.authors(raw_author) or pdf_meta.authors(banner_author)
    lines = [p.lines for p in pages]
    if book:
        printed_title, printed_author = pdf_meta.title_from_pages(lines)
        title = title or printed_title
        authors = authors or pdf_meta.authors(printed_author)
    else:
        title = title or pdf_meta.clean_title(pdf_meta.largest_type(lines[0])) if lines else title
        if not title and pages:
            first = [t for t in pages[0].text.splitlines() if sum(ch.isalpha() for ch in t) >= 3]
            title = " ".join(first[0].split())[:200] if first else ""
        printed = (
            pdf_meta.authors(", ".join(pdf_meta.paper_authors(lines[0], title))) if lines else []
        )
        # Metadata often names only the first author; the page under the title has all.
        if not authors or (len(authors) < len(printed) and authors[0] == printed[0]):
            authors = printed or authors
    return title or _stem(file_name), authors


def _stem(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0].replace("_", " ").strip() or file_name


def _source_kind(
    used_outline: bool, outline_size: int, page_count: int, headings: list[sections.Heading]
) -> SourceKind:
    if used_outline and outline_size >= 8 and page_count >= 60:
        return SourceKind.BOOK
    if headings:
        labels = {kinds.kind_from_title(h.title) for h in headings}
        if labels & {ChapterKind.ABSTRACT, ChapterKind.REFERENCES}:
            return SourceKind.PAPER
        if page_count < 40 and any(h.number for h in headings):
            return SourceKind.PAPER
    return SourceKind.DOCUMENT
