"""PDF -> Source: chapters from the outline, else from headings in the text, else page groups.

Text is extracted page by page in reading order (two-column pages are read column by
column, see pdf_layout). Every chapter keeps `page_spans`, the char offset where each
of its pages begins, so a passage can later be cited as "p. 45". Page numbers are
physical, 1-based page indexes.
"""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

from pipelines.errors import IngestError, LimitError
from pipelines.ingest import pdf_meta, pdf_paper, sections
from pipelines.ingest.pdf_cuts import (
    Cut,
    book_cuts,
    book_found,
    heading_cuts,
    outline_cuts,
    page_group_cuts,
)
from pipelines.ingest.pdf_outline import read_outline, structures_document
from pipelines.ingest.pdf_pages import Page, read_pages
from pipelines.settings import IngestSettings
from pipelines.types import (
    CAPTIONS_MARKER,
    Aside,
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

BOOK_MIN_PAGES = 20  # shorter files without an outline are read as papers/documents
PAPER_MAX_PAGES = 60


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
    pages = read_pages(data, file_name, page_count)
    headings: list[sections.Heading] = []
    if use_outline:
        cuts = outline_cuts(outline, pages)
    else:
        book = book_cuts(pages) if page_count >= BOOK_MIN_PAGES else None
        if book is not None:
            cuts, pages = book
        else:
            cuts, headings = heading_cuts(pages)
    is_book = book_found(cuts) or (use_outline and len(outline) >= 8 and page_count >= 60)
    if cuts and not is_book:
        cuts = pdf_paper.with_back_matter(cuts, pages)
        cuts = pdf_paper.with_abstract(cuts, pages)
    if not cuts:
        cuts = page_group_cuts(page_count)
    chapters = _chapters(cuts, pages)
    title, authors = _title_and_authors(reader, pages, file_name, book=book_found(cuts))
    kind = SourceKind.BOOK if is_book else _source_kind(cuts, page_count, headings)
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


def _end_page(cuts: list[Cut], i: int, page_count: int) -> int:
    nxt = cuts[i + 1] if i + 1 < len(cuts) else None
    if nxt is None:
        return page_count - 1
    return nxt.page - 1 if nxt.offset == 0 and nxt.page > cuts[i].page else nxt.page


def _notes_owner(cuts: list[Cut], page_count: int) -> dict[int, int]:
    """Page index -> the cut whose chapter shows that page's footnotes: the first body
    chapter on the page (a paper's first-page notes go with its opening section, not the
    hidden title matter), else the first chapter on it."""
    quiet = (ChapterKind.FRONT_MATTER, ChapterKind.BACK_MATTER, ChapterKind.REFERENCES)
    owner: dict[int, int] = {}
    body: dict[int, int] = {}
    for i, cut in enumerate(cuts):
        for p in range(cut.page, _end_page(cuts, i, page_count) + 1):
            owner.setdefault(p, i)
            if cut.kind not in quiet:
                body.setdefault(p, i)
    return {**owner, **body}


def _chapters(cuts: list[Cut], pages: list[Page]) -> list[Chapter]:
    children = {c.parent for c in cuts if c.parent is not None}
    notes_owner = _notes_owner(cuts, len(pages))
    chapters: list[Chapter] = []
    for i, cut in enumerate(cuts):
        nxt = cuts[i + 1] if i + 1 < len(cuts) else None
        end_page = _end_page(cuts, i, len(pages))
        parts: list[str] = []
        spans: list[PageSpan] = []
        captions: list[str] = []
        asides: list[Aside] = []
        size = 0
        for p in range(cut.page, end_page + 1):
            text = pages[p].text
            start = cut.offset if p == cut.page else 0
            stop = nxt.offset if (nxt is not None and p == nxt.page) else len(text)
            piece = text[start:stop].strip("\n")
            at_end = stop == len(text)
            held = [
                c.text
                for c in pages[p].captions
                if start <= c.offset and (c.offset < stop or at_end)
            ]
            captions.extend(held)
            if notes_owner.get(p) == i:
                asides.extend(Aside("footnote", note, p + 1) for note in pages[p].footnotes)
            asides.extend(Aside("caption", caption, p + 1) for caption in held)
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
                label=cut.label,
                asides=asides,
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
    elif lines:
        printed_title = pdf_meta.clean_title(pdf_meta.largest_type(lines[0]))
        page_one = " ".join(ln.text for ln in lines[0][:60])
        if printed_title and not pdf_meta.printed_on(title, page_one):
            title = printed_title  # the metadata names something else (a template, a journal)
        title = title or printed_title
        if not title and pages:
            first = [t for t in pages[0].text.splitlines() if sum(ch.isalpha() for ch in t) >= 3]
            title = " ".join(first[0].split())[:200] if first else ""
        printed = pdf_meta.authors(", ".join(pdf_meta.paper_authors(lines[0], printed_title)))
        # Metadata often names only the first author, or the typist; the page names all.
        authors = printed or [a for a in authors if len(a.split()) >= 2]
    return title or _stem(file_name), authors


def _stem(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0].replace("_", " ").strip() or file_name


def _source_kind(cuts: list[Cut], page_count: int, headings: list[sections.Heading]) -> SourceKind:
    found = {c.kind for c in cuts}
    if page_count < PAPER_MAX_PAGES and found & {ChapterKind.ABSTRACT, ChapterKind.REFERENCES}:
        return SourceKind.PAPER
    if page_count < 40 and any(h.number for h in headings):
        return SourceKind.PAPER
    return SourceKind.DOCUMENT
