"""Plain text and Markdown -> Source.

Chapters come from Markdown headings (ATX "#" and Setext underlines; the level
follows the depth), or in plain text from headings that sections.py recognises
("CHAPTER I", "Chapter 3: ...", "2. Methods"), else the whole file is one chapter.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from pipelines.errors import IngestError
from pipelines.ingest import kinds, sections
from pipelines.types import Chapter, ChapterKind, Source, SourceKind, count_words

log = logging.getLogger(__name__)

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass
class _Head:
    line: int
    title: str
    depth: int


def decode(data: bytes) -> str:
    """Bytes to text: a BOM decides; else UTF-8; else BOM-less UTF-16; else cp1252/latin-1."""
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec.replace("-sig", ""), errors="replace")
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _utf16_guess(data)
    if text is None:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")  # never fails: every byte is a character
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff")


def _utf16_guess(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as a NUL in every other byte of ASCII text."""
    sample = data[:4000]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    codec = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def parse(data: bytes, file_name: str, *, markdown: bool) -> Source:
    text = decode(data)
    if not text.strip():
        raise IngestError(file_name, "it contains no readable text.")
    lines = text.split("\n")
    heads = _markdown_heads(lines) if markdown else _text_heads(lines)
    stem = PurePath(file_name).stem.replace("_", " ").strip() or file_name
    if markdown:
        h1 = next((h.title for h in heads if h.depth == 1), "")
        title = h1 or _first_line(lines) or stem
    else:
        title = _first_line(lines) or stem
    chapters = _chapters(lines, heads, title)
    log.info("text %s: %d chapters from %d headings", file_name, len(chapters), len(heads))
    return Source(
        id="",
        title=title,
        kind=SourceKind.DOCUMENT,
        file_name=file_name,
        format="markdown" if markdown else "text",
        chapters=chapters,
    )


def _first_line(lines: list[str]) -> str:
    for line in lines:
        line = " ".join(line.strip().lstrip("#").split())
        if line:
            return line if len(line) <= 120 and sum(ch.isalpha() for ch in line) >= 2 else ""
    return ""


def _markdown_heads(lines: list[str]) -> list[_Head]:
    heads: list[_Head] = []
    fenced = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        if m := _ATX.match(line):
            heads.append(_Head(i, _clean_md(m[2]), len(m[1])))
        elif (
            (m := _SETEXT.match(line))
            and i > 0
            and lines[i - 1].strip()
            and (i < 2 or not lines[i - 2].strip())  # a one-line paragraph above
            and not (heads and heads[-1].line == i - 1)
        ):
            heads.append(_Head(i - 1, _clean_md(lines[i - 1]), 1 if m[1][0] == "=" else 2))
    return [h for h in heads if h.title]


def _clean_md(title: str) -> str:
    title = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", title)  # links and images: keep the label
    return " ".join(re.sub(r"[*_`]+", "", title).split())


def _text_heads(lines: list[str]) -> list[_Head]:
    # in plain text a heading stands apart: blank line (or file start) above it
    candidates = [
        line if (i == 0 or not lines[i - 1].strip()) else "" for i, line in enumerate(lines)
    ]
    return [_Head(h.line, h.title, h.level + 1) for h in sections.detect(candidates)]


def _chapters(lines: list[str], heads: list[_Head], title: str) -> list[Chapter]:
    if not heads:
        body = "\n".join(lines).strip()
        return [Chapter(index=1, title=title, text=body, kind=ChapterKind.CHAPTER)]
    chapters: list[Chapter] = []
    top = min(h.depth for h in heads)
    before = "\n".join(lines[: heads[0].line]).strip()
    if count_words(before):
        chapters.append(Chapter(1, "Front matter", before, kind=ChapterKind.FRONT_MATTER))
    stack: list[tuple[int, int]] = []  # (level, chapter index) of open ancestors
    for n, head in enumerate(heads):
        end = heads[n + 1].line if n + 1 < len(heads) else len(lines)
        level = head.depth - top
        while stack and stack[-1][0] >= level:
            stack.pop()
        index = len(chapters) + 1
        body = "\n".join(lines[head.line : end]).strip()
        chapters.append(
            Chapter(
                index=index,
                title=head.title,
                text=body,
                level=level,
                kind=kinds.classify(head.title),
                parent=stack[-1][1] if stack else None,
            )
        )
        stack.append((level, index))
    return chapters
