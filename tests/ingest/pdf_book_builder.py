"""Outline-less PDF books built at test time with reportlab, from the shared EPUBs' text.

The builder draws every page itself, so it knows on which page each heading was drawn:
`BuiltBook.expected` is the exact answer a chapter detector must give (title, first
page, level). Layouts differ in page size, fonts, heading style, running heads, page
numbers, contents page and licence banners, the way real "printed to PDF" books do.
Nothing here writes an outline: these are the files that used to become "Pages 1–10".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A5, LETTER
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from pipelines.ingest import parse_file
from pipelines.types import ChapterKind


@dataclass
class Expected:
    title: str
    page: int  # 1-based page where the heading was drawn
    level: int = 0
    kind: ChapterKind = ChapterKind.CHAPTER


@dataclass
class Layout:
    pagesize: tuple[float, float] = LETTER
    margin: float = 72
    font: str = "Times-Roman"
    size: float = 11
    heading_font: str = "Times-Bold"
    heading_size: float = 18
    running_head: str | None = None  # drawn at the top of every page but the first
    page_numbers: str | None = "bottom"  # "bottom" | "top" | None
    page_number_offset: int = 0  # printed number = physical page + offset

    @property
    def width(self) -> float:
        return self.pagesize[0] - 2 * self.margin

    @property
    def leading(self) -> float:
        return self.size * 1.3


@dataclass
class BuiltBook:
    data: bytes
    expected: list[Expected] = field(default_factory=list)
    page_count: int = 0


def _clean(text: str) -> str:
    """What the standard PDF fonts can draw (WinAnsi): drop the rest."""
    text = text.replace("\u2060", "").replace("↩", "").replace("\u00ad", "")
    return text.encode("cp1252", "ignore").decode("cp1252")


class Writer:
    """Draws lines top to bottom, page after page; a dry run only counts pages."""

    def __init__(self, layout: Layout, *, dry: bool, title: str = "", author: str = "") -> None:
        self.layout = layout
        self.dry = dry
        self.buf = io.BytesIO()
        self.canvas = canvas.Canvas(self.buf, pagesize=layout.pagesize)
        if title:
            self.canvas.setTitle(title)
        if author:
            self.canvas.setAuthor(author)
        self.page = 1
        self.y = self._top()
        self.expected: list[Expected] = []
        self.fresh = True  # nothing drawn on this page yet

    def _top(self) -> float:
        return self.layout.pagesize[1] - self.layout.margin

    def _furniture(self) -> None:
        lay = self.layout
        c = self.canvas
        number = str(self.page + lay.page_number_offset)
        if lay.running_head and self.page > 1:
            c.setFont(lay.font, lay.size * 0.8)
            c.drawCentredString(
                lay.pagesize[0] / 2, lay.pagesize[1] - lay.margin / 2, lay.running_head
            )
        if lay.page_numbers == "bottom":
            c.setFont(lay.font, lay.size * 0.9)
            c.drawCentredString(lay.pagesize[0] / 2, lay.margin / 2, number)
        elif lay.page_numbers == "top":
            c.setFont(lay.font, lay.size * 0.9)
            c.drawRightString(
                lay.pagesize[0] - lay.margin, lay.pagesize[1] - lay.margin / 2, number
            )

    def new_page(self) -> None:
        if not self.dry:
            self._furniture()
            self.canvas.showPage()
        self.page += 1
        self.y = self._top()
        self.fresh = True

    def need(self, height: float) -> None:
        if self.y - height < self.layout.margin:
            self.new_page()

    def line(self, text: str, *, font: str | None = None, size: float | None = None,
             center: bool = False) -> None:  # fmt: skip
        lay = self.layout
        font, size = font or lay.font, size or lay.size
        self.need(size * 1.3)
        if not self.dry:
            self.canvas.setFont(font, size)
            if center:
                self.canvas.drawCentredString(lay.pagesize[0] / 2, self.y - size, text)
            else:
                self.canvas.drawString(lay.margin, self.y - size, text)
        self.y -= size * 1.3
        self.fresh = False

    def mark(self, title: str, kind: ChapterKind) -> None:
        """Front/back matter starts here (the detector should report it, by kind)."""
        self.expected.append(Expected(title, self.page, 0, kind))

    def toc_line(self, left: str, right: str) -> None:
        """A contents entry: label on the left, page number flush right on the same line."""
        lay = self.layout
        self.need(lay.leading)
        if not self.dry:
            self.canvas.setFont(lay.font, lay.size)
            self.canvas.drawString(lay.margin, self.y - lay.size, _clean(left))
            self.canvas.drawRightString(lay.pagesize[0] - lay.margin, self.y - lay.size, right)
        self.y -= lay.leading
        self.fresh = False

    def space(self, points: float) -> None:
        self.y -= points

    def paragraph(self, text: str, *, font: str | None = None, size: float | None = None) -> None:
        lay = self.layout
        font, size = font or lay.font, size or lay.size
        for piece in simpleSplit(_clean(" ".join(text.split())), font, size, lay.width):
            self.line(piece, font=font, size=size)
        self.space(size * 0.5)

    def heading(self, lines: list[str], expected: str, *, level: int = 0,
                sizes: list[float] | None = None, new_page: bool = True,
                kind: ChapterKind = ChapterKind.CHAPTER) -> None:  # fmt: skip
        lay = self.layout
        if new_page and not self.fresh:
            self.new_page()
        self.need(lay.heading_size * 1.3 * len(lines) + 6 * lay.leading)  # no widowed heading
        if not self.fresh:
            self.space(lay.heading_size * 1.5)
        self.expected.append(Expected(expected, self.page, level, kind))
        for i, text in enumerate(lines):
            size = sizes[i] if sizes else lay.heading_size
            self.line(_clean(text), font=lay.heading_font, size=size, center=True)
        self.space(lay.heading_size)

    def finish(self) -> bytes:
        if not self.fresh or self.page == 1:
            self.new_page()
        if self.dry:
            return b""
        self.canvas.save()
        return self.buf.getvalue()


Compose = Callable[[Writer, dict[str, int]], None]


def build(layout: Layout, compose: Compose, *, title: str = "", author: str = "") -> BuiltBook:
    """Lay the book out twice: a dry run learns each heading's page (for the contents
    page), the second run draws it. `compose(writer, pages)` gets those pages by title."""
    dry = Writer(layout, dry=True)
    compose(dry, {})
    dry.finish()
    pages = {e.title: e.page for e in dry.expected}
    real = Writer(layout, dry=False, title=title, author=author)
    compose(real, pages)
    data = real.finish()
    assert [e.page for e in real.expected] == [e.page for e in dry.expected]
    return BuiltBook(data, real.expected, real.page - 1)


# --- text from the shared EPUBs ------------------------------------------------------------


def epub_chapters(path, *, first: int | None = None) -> list[tuple[str, list[str]]]:
    """(EPUB title, paragraphs without the heading) of each body chapter, in order."""
    source, _ = parse_file(path)
    out = []
    for c in source.chapters:
        if c.kind != ChapterKind.CHAPTER or c.word_count < 100:
            continue
        paragraphs = [p for p in re.split(r"\n\s*\n", c.text) if p.strip()]
        out.append((c.title, paragraphs[1:]))
    return out[:first] if first else out


def epub_licence(path) -> list[str]:
    source, _ = parse_file(path)
    licence = next(c for c in source.chapters if "License" in c.title)
    return [p for p in re.split(r"\n+", licence.text) if p.strip()]


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV"]
WORDS = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN",
         "ELEVEN", "TWELVE"]  # fmt: skip
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth",
            "Ninth", "Tenth", "Eleventh", "Twelfth"]  # fmt: skip


# --- the books -----------------------------------------------------------------------------

GUTENBERG_HEAD = [
    "The Project Gutenberg eBook of {title}, by {author}",
    "This eBook is for the use of anyone anywhere in the United States and most other parts "
    "of the world at no cost and with almost no restrictions whatsoever. You may copy it, give "
    "it away or re-use it under the terms of the Project Gutenberg License included with this "
    "eBook or online at www.gutenberg.org.",
    "Title: {title}",
    "Author: {author}",
    "Release Date: October, 2004 [eBook #35]",
    "Language: English",
    "*** START OF THE PROJECT GUTENBERG EBOOK {upper} ***",
]


def time_machine(epub, licence_from) -> BuiltBook:
    """Letter, Times; a Gutenberg banner page, a contents page, `CHAPTER I` ... `CHAPTER XII`
    and `EPILOGUE`, each on a new page; page numbers at the foot; the licence at the end.
    Its metadata title is an editor's window title."""
    chapters = epub_chapters(epub)
    licence = epub_licence(licence_from)
    labels = [
        f"CHAPTER {ROMAN[i]}" if t != "Epilogue" else "EPILOGUE"
        for i, (t, _) in enumerate(chapters)
    ]

    def compose(w: Writer, pages: dict[str, int]) -> None:
        w.mark("Front matter", ChapterKind.FRONT_MATTER)
        for line in GUTENBERG_HEAD:
            w.paragraph(line.format(title="The Time Machine", author="H. G. Wells",
                                    upper="THE TIME MACHINE"))  # fmt: skip
        w.space(40)
        w.line("THE TIME MACHINE", font="Times-Bold", size=26, center=True)
        w.line("AN INVENTION", size=14, center=True)
        w.line("by H. G. Wells", size=14, center=True)
        w.new_page()
        w.mark("Contents", ChapterKind.FRONT_MATTER)
        w.line("CONTENTS", font="Times-Bold", size=14, center=True)
        w.space(12)
        for label in labels:
            w.toc_line(label, str(pages.get(label, 0)))
        for label, (_, paragraphs) in zip(labels, chapters, strict=True):
            w.heading([label], label)
            for p in paragraphs:
                w.paragraph(p)
        w.new_page()
        w.mark("Project Gutenberg licence", ChapterKind.BACK_MATTER)
        w.paragraph("*** END OF THE PROJECT GUTENBERG EBOOK THE TIME MACHINE ***")
        for p in licence[2:]:
            w.paragraph(p, size=9)

    return build(Layout(), compose, title="*The Project Gutenberg eBook of Time - Notepad")


def alice_words(epub) -> BuiltBook:
    """A5, Helvetica; `CHAPTER ONE` over an upper-case title line; chapters run on in the
    middle of a page; a running head with the page number on the same line; the Gutenberg
    licence at the end. Metadata: a Word file name and an editor's user name."""
    chapters = epub_chapters(epub)
    licence = epub_licence(epub)
    layout = Layout(pagesize=A5, margin=48, font="Helvetica", size=10,
                    heading_font="Helvetica-Bold", heading_size=13,
                    running_head="ALICE'S ADVENTURES IN WONDERLAND", page_numbers="top")  # fmt: skip

    def compose(w: Writer, pages: dict[str, int]) -> None:
        w.mark("Front matter", ChapterKind.FRONT_MATTER)
        w.space(120)
        w.line("ALICE'S ADVENTURES", font="Helvetica-Bold", size=22, center=True)
        w.line("IN WONDERLAND", font="Helvetica-Bold", size=22, center=True)
        w.space(30)
        w.line("BY LEWIS CARROLL", size=12, center=True)
        w.new_page()
        for i, (title, paragraphs) in enumerate(chapters):
            name = title.split("—", 1)[1]
            w.heading([f"CHAPTER {WORDS[i]}", name], f"CHAPTER {WORDS[i]}. {name}",
                      new_page=(i == 0))  # fmt: skip
            for p in paragraphs:
                w.paragraph(p)
        w.heading(["THE END"], "", new_page=False)
        w.expected.pop()  # "THE END" closes the last chapter, it is not one
        w.new_page()
        w.mark("Project Gutenberg licence", ChapterKind.BACK_MATTER)
        for p in licence:
            w.paragraph(p, size=8)

    return build(layout, compose, title="Microsoft Word - alice.docx", author="Administrator")


def alice_numbers(epub) -> BuiltBook:
    """Letter, Courier (a text file printed to PDF): `Chapter 1: Down The Rabbit-Hole` on one
    line, each chapter on a new page, page numbers as "- 3 -". Metadata title: a file name."""
    chapters = epub_chapters(epub)
    layout = Layout(font="Courier", size=10, heading_font="Courier-Bold", heading_size=12,
                    page_numbers=None)  # fmt: skip

    def compose(w: Writer, pages: dict[str, int]) -> None:
        w.mark("Front matter", ChapterKind.FRONT_MATTER)
        w.line("Alice's Adventures in Wonderland", font="Courier-Bold", size=16, center=True)
        w.line("by Lewis Carroll", center=True)
        w.space(20)
        w.paragraph("Illustrated edition of 1916, printed from a plain-text transcription.")
        for i, (title, paragraphs) in enumerate(chapters):
            name = title.split("—", 1)[1].title().replace("'S", "'s")
            heading = f"Chapter {i + 1}: {name}"
            w.heading([heading], heading)
            for p in paragraphs:
                w.paragraph(p)

    def numbered(w: Writer) -> None:  # page numbers "- n -" at the foot
        c = w.canvas
        c.setFont("Courier", 9)
        c.drawCentredString(LETTER[0] / 2, 30, f"- {w.page} -")

    original = Writer.new_page

    def new_page(self: Writer) -> None:
        if not self.dry:
            numbered(self)
        original(self)

    Writer.new_page = new_page  # type: ignore[method-assign]
    try:
        return build(layout, compose, title="alice_in_wonderland.txt")
    finally:
        Writer.new_page = original  # type: ignore[method-assign]


def moby_books(epub) -> BuiltBook:
    """A5, Times 10; `BOOK I` / `BOOK II` part pages over `CHAPTER THE FIRST` + title line;
    a running head; printed page numbers offset from the physical ones. No metadata."""
    chapters = epub_chapters(epub, first=14)[2:]  # after Etymology and Extracts: chapters 1-12
    layout = Layout(pagesize=A5, margin=50, size=10, heading_size=14, running_head="MOBY-DICK",
                    page_number_offset=10)  # fmt: skip

    def compose(w: Writer, pages: dict[str, int]) -> None:
        w.mark("Front matter", ChapterKind.FRONT_MATTER)
        w.space(100)
        w.line("MOBY-DICK;", font="Times-Bold", size=24, center=True)
        w.line("or, THE WHALE.", size=16, center=True)
        w.space(30)
        w.line("by Herman Melville", size=12, center=True)
        for i, (title, paragraphs) in enumerate(chapters):
            if i % 6 == 0:
                book = ["BOOK I", "BOOK II"][i // 6]
                name = ["NEW BEDFORD", "THE SERMON AND THE FRIEND"][i // 6]
                w.heading([book, name], f"{book}. {name}", sizes=[20, 14], kind=ChapterKind.PART)
                w.paragraph(
                    "In which Ishmael goes to sea." if i == 0 else "In which he meets a friend."
                )
            name = title.split(". ", 1)[1].rstrip(".")
            w.heading([f"CHAPTER THE {ORDINALS[i].upper()}", name + "."],
                      f"CHAPTER THE {ORDINALS[i].upper()}. {name}", level=1)  # fmt: skip
            for p in paragraphs:
                w.paragraph(p)

    return build(layout, compose, title="")


def moby_numerals(epub) -> BuiltBook:
    """Letter, Helvetica 11: a contents page, then chapters headed by a lone numeral in large
    type over a title line, running on mid-page; bare page numbers at the foot."""
    chapters = epub_chapters(epub, first=14)[2:]
    layout = Layout(font="Helvetica", size=11, heading_font="Helvetica-Bold", heading_size=13)

    def compose(w: Writer, pages: dict[str, int]) -> None:
        w.mark("Front matter", ChapterKind.FRONT_MATTER)
        w.line("Moby-Dick", font="Helvetica-Bold", size=28, center=True)
        w.line("Herman Melville", size=14, center=True)
        w.space(40)
        w.mark("Contents", ChapterKind.FRONT_MATTER)
        w.line("Contents", font="Helvetica-Bold", size=14)
        w.space(8)
        names = [t.split(". ", 1)[1].rstrip(".") for t, _ in chapters]
        for i, name in enumerate(names):
            w.toc_line(f"{i + 1}   {name}", str(pages.get(f"{i + 1}. {name.upper()}", 0)))
        for i, ((_, paragraphs), name) in enumerate(zip(chapters, names, strict=True)):
            w.heading([str(i + 1), name.upper()], f"{i + 1}. {name.upper()}", sizes=[26, 13],
                      new_page=(i == 0))  # fmt: skip
            for p in paragraphs:
                w.paragraph(p)

    return build(layout, compose, title="untitled")
