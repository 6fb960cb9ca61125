"""Plain text and Markdown ingestion, and the heading detector they share with PDFs."""

from __future__ import annotations

import pytest

from pipelines.errors import IngestError
from pipelines.ingest import parse_bytes, sections, text
from pipelines.types import ChapterKind, SourceKind

MARKDOWN = """# Field Notes

Some words before the first section.

## Getting started

Install it and run it.

### Details

Small print here.

```python
# not a heading: inside a code fence
print("hi")
```

## References

A. Person, *A Book*, 1999.
"""

NOVEL = """The Voyage

CHAPTER I.

It was a dark night. The ship left the harbour.

1. We packed the bags.
2. We left.

CHAPTER II. The Storm

The wind rose and the sails tore apart in the night.

Chapter 3: Landfall

They saw land at last.
"""


def test_markdown_headings_make_a_tree() -> None:
    source = parse_bytes(MARKDOWN.encode(), "notes.md")
    assert source.format == "markdown" and source.kind == SourceKind.DOCUMENT
    assert source.title == "Field Notes"
    titles = [(c.title, c.level, c.parent) for c in source.chapters]
    assert titles == [
        ("Field Notes", 0, None),
        ("Getting started", 1, 1),
        ("Details", 2, 2),
        ("References", 1, 1),
    ]
    assert "not a heading" in source.chapter(3).text
    assert source.chapter(4).kind == ChapterKind.REFERENCES


def test_setext_headings() -> None:
    source = parse_bytes(b"Title\n=====\n\nIntro text.\n\nPart two\n--------\n\nMore.\n", "s.md")
    assert [(c.title, c.level) for c in source.chapters] == [("Title", 0), ("Part two", 1)]


def test_plain_text_chapters() -> None:
    source = parse_bytes(NOVEL.encode(), "voyage.txt")
    assert source.format == "text"
    assert source.title == "The Voyage"
    titles = [c.title for c in source.chapters]
    assert titles == ["Front matter", "CHAPTER I.", "CHAPTER II. The Storm", "Chapter 3: Landfall"]
    assert "1. We packed the bags." in source.chapter(2).text  # a list, not a section


def test_plain_text_numbered_sections() -> None:
    body = "A Report\n\n1 INTRODUCTION\n\nWhy.\n\n2 Related Work\n\nOthers.\n\n2.1 Tools\n\nX.\n"
    source = parse_bytes(body.encode(), "report.txt")
    assert [(c.title, c.level) for c in source.chapters][1:] == [
        ("1. INTRODUCTION", 0),
        ("2. Related Work", 0),
        ("2.1 Tools", 1),
    ]
    assert source.chapter(4).parent == 3


def test_text_without_headings_is_one_chapter_named_after_the_file() -> None:
    data = ("word " * 300).encode()
    source = parse_bytes(data, "my_notes.txt")
    assert len(source.chapters) == 1
    assert source.chapters[0].word_count == 300


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café – naïve".encode("utf-8-sig"), "Café – naïve"),
        ("Café – naïve".encode("utf-16"), "Café – naïve"),  # with BOM
        ("Café naïve".encode("utf-16-le"), "Café naïve"),  # without BOM
        ("Café – naïve".encode("cp1252"), "Café – naïve"),
        (b"a\x00b\r\nc", "ab\nc"),
        (bytes([0x81, 0x8D, 0xE9]), "\x81\x8dé"),  # undefined in cp1252: latin-1
    ],
)
def test_decode(data: bytes, expected: str) -> None:
    assert text.decode(data) == expected


def test_whitespace_only_text_is_refused() -> None:
    with pytest.raises(IngestError):
        parse_bytes("\ufeff   \n".encode("utf-8"), "blank.txt")


def test_section_detector_rejects_lookalikes() -> None:
    lines = [
        "1. Introduction",
        "Some body text goes here and runs on.",
        "3 45.2 17.9 0.33",  # a table row
        "Figure 3. The pipeline",  # a caption
        "12",  # a page number
        "2. We then measured everything that could be measured in the lab.",  # a sentence
        "2 Related Work",
        "1. Going backwards",  # numbers do not go back
        "2.1 Tools",
        "3.1 Orphan subsection",  # not under section 3
        "References",
    ]
    found = [(h.title, h.level) for h in sections.detect(lines)]
    assert found == [
        ("1. Introduction", 0),
        ("2. Related Work", 0),
        ("2.1 Tools", 1),
        ("References", 0),
    ]


def test_section_detector_uses_style_when_known() -> None:
    lines = ["1. Introduction", "body " * 20, "2 Journal Name", "body " * 20, "2. Methods"]
    sizes = [12.0, 10.0, 10.0, 10.0, 12.0]
    found = [h.title for h in sections.detect(lines, sizes=sizes, bold=[False] * 5)]
    assert found == ["1. Introduction", "2. Methods"]
