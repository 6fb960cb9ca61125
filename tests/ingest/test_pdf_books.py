"""Outline-less PDF books (built with reportlab from the shared EPUBs' text): every chapter
found, on exactly the page where the builder drew its heading; contents pages, licences
and front matter marked; title and author read from the pages when the metadata is junk."""

from __future__ import annotations

import io
import re
import time

import pytest
from pypdf import PdfReader, PdfWriter

from pipelines.ingest import parse_bytes
from pipelines.ingest.pdf import CAPTIONS_MARKER
from pipelines.settings import Settings
from pipelines.types import ChapterKind, Source, SourceKind
from tests.ingest import pdf_book_builder as builder
from tests.sources import ALICE, MOBY_DICK, TIME_MACHINE, TRACEMONKEY, TULLY

BOOKS = {
    "time_machine": (lambda: builder.time_machine(TIME_MACHINE, ALICE)),
    "alice_words": (lambda: builder.alice_words(ALICE)),
    "alice_numbers": (lambda: builder.alice_numbers(ALICE)),
    "moby_books": (lambda: builder.moby_books(MOBY_DICK)),
    "moby_numerals": (lambda: builder.moby_numerals(MOBY_DICK)),
}
AUTHORS = {
    "time_machine": ("The Time Machine", ["H. G. Wells"]),
    "alice_words": ("Alice's Adventures in Wonderland", ["Lewis Carroll"]),
    "alice_numbers": ("Alice's Adventures in Wonderland", ["Lewis Carroll"]),
    "moby_books": ("Moby-Dick", ["Herman Melville"]),
    "moby_numerals": ("Moby-Dick", ["Herman Melville"]),
}


@pytest.fixture(scope="module", params=sorted(BOOKS))
def built(request: pytest.FixtureRequest) -> tuple[str, builder.BuiltBook, Source, float]:
    book = BOOKS[request.param]()
    start = time.perf_counter()
    source = parse_bytes(book.data, f"{request.param}.pdf", settings=Settings())
    return request.param, book, source, time.perf_counter() - start


def test_the_builder_writes_no_outline(built) -> None:
    _, book, source, _ = built
    reader = PdfReader(io.BytesIO(book.data))
    assert not reader.outline
    assert source.page_count == book.page_count == len(reader.pages)


def test_every_chapter_on_the_page_of_its_heading(built) -> None:
    name, book, source, seconds = built
    got = [(c.title, c.page_start, c.level, c.kind) for c in source.chapters]
    want = [(e.title, e.page, e.level, e.kind) for e in book.expected]
    assert got == want, name
    assert source.kind == SourceKind.BOOK
    assert seconds < 10, f"{name} took {seconds:.1f}s"


def test_chapters_tile_the_book(built) -> None:
    """No page lost, no chapter text from another chapter's heading."""
    _, book, source, _ = built
    chapters = source.chapters
    assert chapters[0].page_start == 1 and chapters[-1].page_end == book.page_count
    for a, b in zip(chapters, chapters[1:], strict=False):
        assert b.page_start in (a.page_end, a.page_end + 1), (a.title, b.title)
    for c in chapters:
        if c.kind == ChapterKind.CHAPTER:
            assert c.word_count > 250, c.title
            first_words = c.title.split(".")[0].split(":")[0]
            assert c.text.startswith(first_words), c.title
            # running heads and page numbers are not text
            assert "ALICE'S ADVENTURES IN WONDERLAND\n" not in c.text
            assert "\n- 3 -\n" not in c.text


def test_title_and_author_from_the_pages(built) -> None:
    name, _, source, _ = built
    assert (source.title, source.authors) == AUTHORS[name]


def test_contents_page_is_front_matter_never_chapters() -> None:
    book = builder.time_machine(TIME_MACHINE, ALICE)
    source = parse_bytes(book.data, "tm.pdf")
    contents = next(c for c in source.chapters if c.title == "Contents")
    assert contents.kind == ChapterKind.FRONT_MATTER and contents.pages == (2, 2)
    assert "CHAPTER XII" in contents.text
    body = [c for c in source.chapters if c.kind.is_body]
    assert len(body) == 13 and all(c.page_start > 2 for c in body)
    licence = source.chapters[-1]
    assert licence.kind == ChapterKind.BACK_MATTER and "Project Gutenberg" in licence.text
    assert "END OF THE PROJECT GUTENBERG" not in source.chapters[-2].text


def test_parts_are_parents_of_their_chapters() -> None:
    source = parse_bytes(builder.moby_books(MOBY_DICK).data, "moby.pdf")
    parts = [c for c in source.chapters if c.kind == ChapterKind.PART]
    assert [p.title for p in parts] == ["BOOK I. NEW BEDFORD", "BOOK II. THE SERMON AND THE FRIEND"]
    first = source.expand([parts[0].index])
    assert [c.title.split(".")[0] for c in first] == ["BOOK I"] + [
        f"CHAPTER THE {o.upper()}" for o in builder.ORDINALS[:6]
    ]


# --- papers: back matter, captions, authors -------------------------------------------------


def test_tracemonkey_back_matter_captions_and_authors() -> None:
    source = parse_bytes(TRACEMONKEY.read_bytes(), TRACEMONKEY.name)
    assert source.authors[:3] == ["Andreas Gal", "Brendan Eich", "Mike Shaver"]
    assert len(source.authors) == 16 and not any("@" in a for a in source.authors)
    titles = {c.title: c for c in source.chapters}
    assert titles["References"].kind == ChapterKind.REFERENCES
    assert titles["Acknowledgments"].kind == ChapterKind.BACK_MATTER
    assert not titles["References"].kind.is_body and not titles["Acknowledgments"].kind.is_body
    assert "[1]" not in titles["10. Future Work"].text
    intro = titles["1. Introduction"]
    prose, _, captions = intro.text.partition(CAPTIONS_MARKER)
    assert "Figure 1. Sample program: sieve of Eratosthenes" in captions
    assert "Figure 1. Sample program" not in prose
    assert sum(c.text.count("\nFigure ") for c in source.chapters) >= 12


def test_tully_gets_all_four_authors_where_its_metadata_names_one() -> None:
    # A podcast said "by Nuala E. Tully" of a four-author paper (a blind reader caught it).
    source = parse_bytes(TULLY.read_bytes(), TULLY.name)
    assert source.authors == [
        "Nuala E. Tully",
        "Karen M. Morgan",
        "Helen M. Burke",
        "Hannah M. McGee",
    ]


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("*The Project Gutenberg eBook of Drac - Notepad", ""),
        ("Microsoft Word - thesis_final.docx", ""),
        ("alice_in_wonderland.txt", ""),
        ("untitled", ""),
        ("The Project Gutenberg eBook of Dracula, by Bram Stoker", "Dracula"),
        ("Free Culture", "Free Culture"),
    ],
)
def test_junk_metadata_titles(raw: str, title: str) -> None:
    from pipelines.ingest.pdf_meta import metadata_title

    assert metadata_title(raw)[0] == title


def test_junk_metadata_authors() -> None:
    from pipelines.ingest.pdf_meta import authors

    assert authors("Administrator") == []
    assert authors("anonymous") == []
    assert authors("Jane Roe <jane@example.org>; John Doe") == ["Jane Roe", "John Doe"]
    assert authors("LEWIS CARROLL") == ["Lewis Carroll"]


def test_free_culture_without_its_outline_finds_the_same_chapters() -> None:
    """A real book: the outline removed, the printed headings give the chapters the outline
    gave, on the same first pages; the contents pages are front matter."""
    from pypdf.generic import NameObject

    from tests.sources import FREE_CULTURE

    writer = PdfWriter(clone_from=str(FREE_CULTURE))
    del writer._root_object[NameObject("/Outlines")]  # noqa: SLF001
    buf = io.BytesIO()
    writer.write(buf)
    source = parse_bytes(buf.getvalue(), "free-culture-no-outline.pdf")
    truth = parse_bytes(FREE_CULTURE.read_bytes(), FREE_CULTURE.name)
    # the outline names them "Chapter 1: Creators", '2: "Mere Copyists"' ... "14: Eldred II"
    want = [c.page_start for c in truth.chapters if re.match(r"(Chapter )?\d+: ", c.title)]
    got = [c.page_start for c in source.chapters if c.title.startswith("CHAPTER ")]
    assert len(want) == 14 and got == want
    titles = [c.title for c in source.chapters]
    assert titles[:5] == ["Front matter", "Contents", "PREFACE", "INTRODUCTION",
                          "CHAPTER ONE: Creators"]  # fmt: skip
    assert source.kind == SourceKind.BOOK and source.title == "Free Culture"
    assert not [t for t in titles if t.lower().startswith("vol")]
