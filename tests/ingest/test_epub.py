"""EPUB ingestion: real books and small built ones split at their own table of contents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.ingest import epub, parse_bytes
from pipelines.types import ChapterKind, Source
from tests.ingest.epub_builder import STORY, make_epub, nav_of
from tests.sources import ALICE, CHILDRENS_LIT, MOBY_DICK, TIME_MACHINE

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _parse(path: Path) -> Source:
    return parse_bytes(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def time_machine() -> Source:
    return _parse(TIME_MACHINE)


@pytest.fixture(scope="module")
def moby_dick() -> Source:
    return _parse(MOBY_DICK)


@pytest.fixture(scope="module")
def childrens() -> Source:
    return _parse(CHILDRENS_LIT)


@pytest.fixture(scope="module")
def alice() -> Source:
    return _parse(ALICE)


def _by_title(source: Source, title: str):
    return next(c for c in source.chapters if c.title == title)


def _check_invariants(source: Source) -> None:
    assert [c.index for c in source.chapters] == list(range(1, len(source.chapters) + 1))
    for c in source.chapters:
        assert c.title.strip()
        if c.parent is not None:
            parent = source.chapter(c.parent)
            assert parent.index < c.index and c.level == parent.level + 1
        else:
            assert c.level == 0
        if c.kind is not ChapterKind.PART:
            assert c.word_count > 0, c.title
        assert c.text == c.text.strip() and "\n\n\n" not in c.text


# --- real books -----------------------------------------------------------------------


def test_time_machine_nav_only(time_machine: Source) -> None:
    s = time_machine
    assert (s.title, s.authors, s.format, s.page_count) == (
        "The Time Machine",
        ["H. G. Wells"],
        "epub",
        None,
    )
    assert s.kind == "book" and len(s.id) == 64
    _check_invariants(s)
    body = [c for c in s.chapters if c.kind is ChapterKind.CHAPTER]
    assert [c.title for c in body] == [*ROMAN, "Epilogue"]
    assert all(c.href and c.href.startswith("epub/text/") for c in s.chapters)
    kinds = {c.title: c.kind for c in s.chapters}
    assert kinds["Titlepage"] is ChapterKind.FRONT_MATTER
    assert kinds["Imprint"] is ChapterKind.FRONT_MATTER
    for back in ("Endnotes", "Colophon", "Uncopyright"):
        assert kinds[back] is ChapterKind.BACK_MATTER
    assert not any("toc.xhtml" in (c.href or "") for c in s.chapters)  # nav doc skipped
    assert 31_000 < s.word_count < 35_000  # the publisher says 32,429


def test_time_machine_text_is_clean_paragraphs(time_machine: Source) -> None:
    first = _by_title(time_machine, "I")
    assert first.href == "epub/text/chapter-1.xhtml" and first.anchor is None
    assert first.text.startswith("I\n\nThe Time Traveller (for so it will be convenient")
    assert "\n\n“You must follow me carefully." in first.text
    assert "<" not in first.text and "core.css" not in first.text
    assert first.text.endswith("he winked at me solemnly.")
    # a footnote reference stays as text; the note itself is in the endnotes
    assert "museum was built into the side of a hill" in _by_title(time_machine, "Endnotes").text


def test_moby_dick_scale(moby_dick: Source) -> None:
    s = moby_dick
    _check_invariants(s)
    assert s.title == "Moby-Dick" and s.authors == ["Herman Melville"]
    numbered = [c for c in s.chapters if c.title.startswith("Chapter")]
    assert len(numbered) == 135
    assert numbered[0].title == "Chapter 1. Loomings."
    assert numbered[-1].title == "Chapter 135. The Chase.—Third Day."
    assert [int(re.match(r"Chapter (\d+)", c.title)[1]) for c in numbered] == list(range(1, 136))
    assert all(c.kind is ChapterKind.CHAPTER for c in numbered)
    for title in ("ETYMOLOGY.", "EXTRACTS (Supplied by a Sub-Sub-Librarian).", "Epilogue"):
        assert _by_title(s, title).kind is ChapterKind.CHAPTER
    assert numbered[0].text.startswith("Chapter 1. Loomings.\n\nCall me Ishmael.")
    assert 205_000 < s.word_count < 225_000
    assert _by_title(s, "Copyright Page").kind is ChapterKind.FRONT_MATTER
    # the printed "Brief Contents" page is not glued to any chapter
    assert not any("Brief Contents" in c.text for c in s.chapters)


def test_childrens_literature_cut_at_anchors(childrens: Source) -> None:
    s = childrens
    _check_invariants(s)
    assert s.authors == ["Charles Madison Curry", "Erle Elsworth Clippinger"]
    assert len({c.href for c in s.chapters if c.href}) == 1  # all text is in one file
    prince = _by_title(s, "200 THE HAPPY PRINCE")
    assert prince.anchor == "pgepubid00566" and prince.href == "EPUB/s04.xhtml"
    assert prince.text.startswith("200\n\nThe ill-fated Oscar Wilde")
    assert "High above the city, on a tall column, stood the statue of the Happy Prince." in (
        prince.text
    )
    assert prince.text.endswith('the Happy Prince shall praise me."')
    assert "SILVER SHIELD" not in prince.text.upper()
    assert "There was once a splendid castle in a forest" not in prince.text
    # every story's text is in exactly one chapter
    openings = ["High above the city", "There was once a splendid castle", "Great was the alarm"]
    for opening in openings:
        assert sum(opening in c.text for c in s.chapters) == 1, opening
    knights = _by_title(s, "201 THE KNIGHTS OF THE SILVER SHIELD")
    assert "There was once a splendid castle in a forest" in knights.text


def test_childrens_literature_group_labels_are_parts(childrens: Source) -> None:
    s = childrens
    section = s.chapters[0]
    assert section.title.startswith("SECTION IV") and section.kind is ChapterKind.PART
    wilde = _by_title(s, "Oscar Wilde")
    assert wilde.kind is ChapterKind.PART and wilde.href is None and wilde.text == ""
    assert (wilde.level, wilde.parent) == (1, section.index)
    prince = _by_title(s, "200 THE HAPPY PRINCE")
    assert (prince.parent, prince.level) == (wilde.index, 2)
    andersen = _by_title(s, "Hans Christian Andersen")
    assert [c.title for c in s.chapters if c.parent == andersen.index][:2] == [
        "192 THE REAL PRINCESS",
        "193 THE EMPEROR'S NEW CLOTHES",
    ]
    assert _by_title(s, "BIBLIOGRAPHY").kind is ChapterKind.REFERENCES
    parts = [c for c in s.chapters if c.kind is ChapterKind.PART]
    assert len(parts) == 10 and all(any(x.parent == p.index for x in s.chapters) for p in parts)
    # printed page numbers (epub:type="pagebreak") are not part of the text
    assert not _by_title(s, "INTRODUCTORY").text.startswith("170")


def test_alice_epub2_ncx(alice: Source) -> None:
    s = alice
    _check_invariants(s)
    assert s.title == "Alice's Adventures in Wonderland" and s.authors == ["Lewis Carroll"]
    body = [c for c in s.chapters if c.kind is ChapterKind.CHAPTER]
    assert [c.title for c in body] == [
        "I—DOWN THE RABBIT-HOLE",
        "II—THE POOL OF TEARS",
        "III—A CAUCUS-RACE AND A LONG TALE",
        "IV—THE RABBIT SENDS IN A LITTLE BILL",
        "V—ADVICE FROM A CATERPILLAR",
        "VI—PIG AND PEPPER",
        "VII—A MAD TEA-PARTY",
        "VIII—THE QUEEN'S CROQUET GROUND",
        "IX—WHO STOLE THE TARTS?",
        "X—ALICE'S EVIDENCE",
    ]
    first = body[0]
    assert first.anchor == "pgepubid00007"
    assert first.text.startswith("I—DOWN THE RABBIT-HOLE\n\nAlice was beginning to get very tired")
    assert "THE POOL OF TEARS" not in first.text
    assert body[-1].text.endswith("what a wonderful dream it had been.")
    assert all("Project Gutenberg" not in c.text for c in body)
    for title in (
        'THE "STORYLAND" SERIES',
        "SAM'L GABRIEL SONS & COMPANY NEW YORK",
        "Copyright, 1916, by SAM'L GABRIEL SONS & COMPANY NEW YORK",
    ):
        assert _by_title(s, title).kind is ChapterKind.FRONT_MATTER, title
    book = _by_title(s, "ALICE'S ADVENTURES IN WONDERLAND")
    assert book.kind is ChapterKind.PART and all(c.parent == book.index for c in body)
    assert s.chapters[0].kind is ChapterKind.FRONT_MATTER  # the PG header before the TOC
    assert s.chapters[-1].kind is ChapterKind.BACK_MATTER  # the PG licence after chapter X
    assert "Alice was beginning" not in s.chapters[0].text


def test_parser_can_be_called_directly() -> None:
    source = epub.parse(TIME_MACHINE.read_bytes(), TIME_MACHINE.name)
    assert source.id == "" and source.format == "epub" and len(source.chapters) == 18


def test_anchors_cut_one_file_and_unlisted_files_follow() -> None:
    data = make_epub(
        {
            "all.xhtml": (
                "<p>Front words before any chapter.</p>"
                f'<section id="a"><h2>One</h2>{STORY}<p>End of one.</p></section>'
                f'<section id="b"><h2>Two</h2>{STORY}<p>End of two.</p></section>'
            ),
            "more.xhtml": "<p>Continuation of two in a file no TOC entry names.</p>",
            "three.xhtml": f"<h2>Three</h2>{STORY}",
        },
        nav=nav_of(
            '<li><span>Part A</span><ol><li><a href="all.xhtml#a">One</a></li>'
            '<li><a href="all.xhtml#b">Two</a></li></ol></li>'
            '<li><a href="three.xhtml">Three</a></li>'
        ),
    )
    s = parse_bytes(data, "cut.epub")
    _check_invariants(s)
    titles = [(c.title, c.kind, c.level, c.parent) for c in s.chapters]
    assert titles == [
        ("all.xhtml", ChapterKind.FRONT_MATTER, 0, None),
        ("Part A", ChapterKind.PART, 0, None),
        ("One", ChapterKind.CHAPTER, 1, 2),
        ("Two", ChapterKind.CHAPTER, 1, 2),
        ("Three", ChapterKind.CHAPTER, 0, None),
    ]
    one, two = s.chapter(3), s.chapter(4)
    assert one.text.startswith("One\n\nWords") and one.text.endswith("End of one.")
    assert two.text.startswith("Two\n\n") and "End of one." not in two.text
    assert two.text.endswith("End of two.\n\nContinuation of two in a file no TOC entry names.")
    assert (two.href, two.anchor) == ("OEBPS/all.xhtml", "b")
    assert s.chapter(1).text == "Front words before any chapter."
    assert "nav" not in " ".join(c.href or "" for c in s.chapters)


def test_ncx_used_without_nav_and_kinds_from_titles() -> None:
    ncx = (
        '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">'
        "<navMap>"
        '<navPoint id="p1"><navLabel><text>Copyright</text></navLabel><content src="c.xhtml"/></navPoint>'
        '<navPoint id="p2"><navLabel><text>Chapter 1</text></navLabel><content src="a.xhtml"/>'
        '<navPoint id="p3"><navLabel><text>Scene 2</text></navLabel><content src="a.xhtml#s2"/></navPoint>'
        "</navPoint>"
        '<navPoint id="p4"><navLabel><text>Notes</text></navLabel><content src="n.xhtml"/></navPoint>'
        "</navMap></ncx>"
    )
    data = make_epub(
        {
            "c.xhtml": "<p>All rights reserved.</p>",
            "a.xhtml": f'<h1>Chapter 1</h1>{STORY}<h2 id="s2">Scene 2</h2>{STORY}',
            "n.xhtml": "<p>1. A note.</p>",
        },
        ncx=ncx,
    )
    s = parse_bytes(data, "ncx.epub")
    _check_invariants(s)
    assert [(c.title, c.kind, c.parent) for c in s.chapters] == [
        ("Copyright", ChapterKind.FRONT_MATTER, None),
        ("Chapter 1", ChapterKind.CHAPTER, None),
        ("Scene 2", ChapterKind.CHAPTER, 2),
        ("Notes", ChapterKind.BACK_MATTER, None),
    ]
    assert "Scene 2" not in s.chapter(2).text and s.chapter(3).text.startswith("Scene 2\n\n")


def test_no_toc_falls_back_to_one_chapter_per_document() -> None:
    data = make_epub(
        {
            "x1.xhtml": f"<h1>The First</h1>{STORY}",
            "x2.xhtml": f"<div><h2>The Second</h2></div>{STORY}",
            "blank.xhtml": "<div><img src='pic.png' alt='picture'/></div>",
        }
    )
    s = parse_bytes(data, "flat.epub")
    assert [c.title for c in s.chapters] == ["The First", "The Second"]
    assert [c.href for c in s.chapters] == ["OEBPS/x1.xhtml", "OEBPS/x2.xhtml"]
    assert s.title == "A Test Book" and s.authors == ["Ann Author"]


def test_xhtml_text_extraction() -> None:
    body = (
        "<h1>Heading  <em>One</em></h1>"
        "<script>var x = 'never shown';</script>"
        "<p>First   para\n   spans lines,<a epub:type='noteref' href='#n1'>1</a> and "
        "<b>bold</b>text.</p>"
        "<div>Line one<br/>line two</div>"
        "<ul><li>item a</li><li>item b</li></ul>"
        "<p><span epub:type='pagebreak' title='12'>12</span>After the page break.</p>"
        "<table><tr><td>cell 1</td><td>cell 2</td></tr></table>"
    )
    s = parse_bytes(make_epub({"t.xhtml": body}), "text.epub")
    assert s.chapters[0].text == (
        "Heading One\n\nFirst para spans lines,1 and boldtext.\n\nLine one\nline two"
        "\n\nitem a\n\nitem b\n\nAfter the page break.\n\ncell 1 cell 2"
    )


def test_tag_soup_chapter_still_reads() -> None:
    soup = (
        "<?xml version='1.0'?><html><body><p>Unclosed &nbsp; paragraph<p>Another one</body></html>"
    )
    s = parse_bytes(make_epub({"soup.xhtml": soup}), "soup.epub")
    assert "Unclosed" in s.chapters[0].text and "Another one" in s.chapters[0].text


def test_long_epigraph_counts_as_text_but_short_one_is_front_matter() -> None:
    long = "<p>" + "A quoted line about whales. " * 120 + "</p>"
    data = make_epub(
        {
            "e1.xhtml": '<section epub:type="epigraph"><p>Call me maybe.</p></section>',
            "ch.xhtml": f"<h1>Chapter</h1>{STORY}",
            "e2.xhtml": f'<section epub:type="frontmatter epigraph"><h1>Extracts</h1>{long}</section>',
        },
        nav=nav_of(
            '<li><a href="e1.xhtml">Motto</a></li><li><a href="ch.xhtml">Chapter</a></li>'
            '<li><a href="e2.xhtml">Extracts</a></li>'
        ),
    )
    kinds = [c.kind for c in parse_bytes(data, "epigraph.epub").chapters]
    assert kinds == [ChapterKind.FRONT_MATTER, ChapterKind.CHAPTER, ChapterKind.CHAPTER]
