"""The domain model: every piece of text keeps its provenance (source, chapter, page).

Plain dataclasses, no behaviour beyond small derived helpers, so every layer
(ingest, index, qa, podcast, CLI, app) speaks the same language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pipelines.errors import FolioError

_WORD = re.compile(r"\w+(?:['’]\w+)*")


def count_words(text: str) -> int:
    """Words as a reader would count them (letters/digits runs, contractions kept whole)."""
    return len(_WORD.findall(text))


CAPTIONS_MARKER = "[Figure and table captions]"  # a chapter's moved captions follow this line


class SourceKind(StrEnum):
    BOOK = "book"
    PAPER = "paper"
    DOCUMENT = "document"


class ChapterKind(StrEnum):
    """What a chapter is, so a reader can hide what is not the body of the work."""

    FRONT_MATTER = "front_matter"  # title page, imprint, copyright, contents, dedication
    PART = "part"  # a grouping heading whose children carry the text
    CHAPTER = "chapter"  # body text (a book chapter or a paper section)
    ABSTRACT = "abstract"
    BACK_MATTER = "back_matter"  # colophon, licence, notes, about the author
    REFERENCES = "references"
    INDEX = "index"

    @property
    def is_body(self) -> bool:
        return self in (ChapterKind.CHAPTER, ChapterKind.ABSTRACT, ChapterKind.PART)


@dataclass
class PageSpan:
    """The text from char `start` on (within a chapter) is on page `page` (1-based)."""

    start: int
    page: int


@dataclass
class Aside:
    """Text printed beside a chapter's prose, kept out of it: a footnote, or a figure or
    table caption (captions are also after CAPTIONS_MARKER in the text, for search)."""

    kind: str  # "footnote" | "caption"
    text: str
    page: int | None = None  # 1-based, where it is printed


@dataclass
class Chapter:
    """One entry of a source's table of contents, with its own text.

    `index` is 1-based in reading order over the whole source: the stable id users type
    as a chapter number. `label` is the document's own number for it, as printed ("2.1",
    "IV", "A"), when it has one. `parent` is the index of the enclosing chapter.
    """

    index: int
    title: str
    text: str
    level: int = 0
    kind: ChapterKind = ChapterKind.CHAPTER
    parent: int | None = None
    page_start: int | None = None  # PDF only, 1-based, inclusive
    page_end: int | None = None
    href: str | None = None  # EPUB spine document
    anchor: str | None = None  # EPUB fragment id where the chapter starts
    page_spans: list[PageSpan] = field(default_factory=list)
    source_id: str = ""
    label: str | None = None
    asides: list[Aside] = field(default_factory=list)

    @property
    def id(self) -> str:
        return chapter_id(self.source_id, self.index)

    @property
    def word_count(self) -> int:
        return count_words(self.text)

    @property
    def footnotes(self) -> list[Aside]:
        return [a for a in self.asides if a.kind == "footnote"]

    @property
    def prose(self) -> str:
        """The text without the captions block at its end."""
        return self.text.partition(CAPTIONS_MARKER)[0]

    @property
    def pages(self) -> tuple[int, int] | None:
        if self.page_start is None:
            return None
        return (self.page_start, self.page_end if self.page_end is not None else self.page_start)

    def page_at(self, offset: int) -> int | None:
        """The page a char offset of this chapter's text falls on (None for EPUB/text)."""
        page = None
        for span in self.page_spans:
            if span.start > offset:
                break
            page = span.page
        return page if page is not None else self.page_start


def chapter_id(source_id: str, index: int) -> str:
    return f"{source_id[:16]}:{index}"


@dataclass
class Source:
    """One uploaded document. `id` is the sha256 of the file's bytes."""

    id: str
    title: str
    kind: SourceKind
    file_name: str
    format: str  # "epub" | "pdf" | "text" | "markdown"
    authors: list[str] = field(default_factory=list)
    page_count: int | None = None
    chapters: list[Chapter] = field(default_factory=list)
    added_at: str = ""

    @property
    def word_count(self) -> int:
        return sum(c.word_count for c in self.chapters)

    def chapter(self, index: int) -> Chapter:
        for c in self.chapters:
            if c.index == index:
                return c
        from pipelines.errors import NotFoundError

        raise NotFoundError(
            f"'{self.title}' has no chapter {index}; `folio chapters` lists the numbers."
        )

    def descendants(self, index: int) -> list[Chapter]:
        """The chapters nested under chapter `index` (children, grandchildren ...), in order."""
        inside = {index}
        found: list[Chapter] = []
        for c in self.chapters:  # reading order: a child always comes after its parent
            if c.parent is not None and c.parent in inside and c.index not in inside:
                inside.add(c.index)
                found.append(c)
        return found

    def expand(self, indexes: Iterable[int]) -> list[Chapter]:
        """The chapters a choice of numbers means: each chosen chapter and, when it is a
        parent (a part, a story collection's author heading ...), all its descendants.
        Reading order, no duplicates. Raises FolioError naming a number that does not exist."""
        wanted = list(indexes)
        known = {c.index for c in self.chapters}
        missing = sorted({i for i in wanted if i not in known})
        if missing:
            last = max(known, default=0)
            raise FolioError(
                f"'{self.title}' has no chapter {missing[0]} (chapters are 1–{last}); "
                "`folio chapters` lists them."
            )
        chosen: set[int] = set()
        for i in wanted:
            if i not in chosen:
                chosen.add(i)
                chosen.update(c.index for c in self.descendants(i))
        return [c for c in self.chapters if c.index in chosen]


@dataclass
class Passage:
    """A retrievable unit of a chapter's text, with where it came from."""

    id: str
    source_id: str
    chapter_id: str
    chapter_index: int
    text: str
    start: int  # char offsets in the chapter text
    end: int
    pages: list[int] = field(default_factory=list)

    @property
    def page_label(self) -> str | None:
        if not self.pages:
            return None
        first, last = self.pages[0], self.pages[-1]
        return f"p. {first}" if first == last else f"pp. {first}–{last}"


@dataclass
class ScoredPassage:
    passage: Passage
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    similarity: float | None = None  # cosine with the query, when dense search ranked it


@dataclass
class Scope:
    """What to search: whole sources, or only some of their chapters (by chapter id)."""

    source_ids: list[str]
    chapter_ids: list[str] | None = None  # None = every chapter of the sources

    @classmethod
    def sources(cls, *sources: Source | str) -> Scope:
        return cls([s if isinstance(s, str) else s.id for s in sources])

    @classmethod
    def chapters(cls, source: Source, indexes: Iterable[int]) -> Scope:
        """The chosen chapters; a parent brings its descendants (`Source.expand`)."""
        return cls([source.id], [c.id for c in source.expand(indexes)])

    @classmethod
    def upto(cls, source: Source, n: int) -> Scope:
        """Chapters 1..n of a book (reading-companion mode: nothing after n). When n is a
        parent it means its descendants too; earlier parents bring only their own text
        (a part heading before chapter n does not open the rest of that part)."""
        chosen = {c.index for c in source.expand([n])}  # FolioError when n does not exist
        return cls(
            [source.id], [c.id for c in source.chapters if c.index <= n or c.index in chosen]
        )


@dataclass
class Citation:
    """Rendered as [n]: the passage, a short quote from it, and where it is."""

    number: int
    passage_id: str
    quote: str
    chapter_title: str
    chapter_index: int
    source_id: str
    source_title: str = ""
    page: int | None = None


@dataclass
class Answer:
    question: str
    text: str  # with [n] markers
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True  # False: "the selected chapters don't say"
    scope_label: str = ""
    closest: list[ScoredPassage] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # visible caveats (fallbacks, trimming)
    unsupported_sentences: list[str] = field(default_factory=list)
    backend: str = ""
    written_by: str = ""  # what wrote it, in words: "offline: the text's own sentences"
    # offline: the citation numbers from the best-supported sentence down (the text itself
    # is in reading order); empty when the order of the text is already the answer's own
    best_first: list[int] = field(default_factory=list)


@dataclass
class Host:
    name: str
    voice: str = ""


@dataclass
class Turn:
    speaker: str  # a host name
    text: str
    passage_ids: list[str] = field(default_factory=list)
    segment: int = 0


@dataclass
class Script:
    title: str
    hosts: list[Host]
    turns: list[Turn]
    segments: list[str] = field(default_factory=list)  # segment titles, by segment number
    source_ids: list[str] = field(default_factory=list)
    chapter_ids: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)

    @property
    def word_count(self) -> int:
        return sum(count_words(t.text) for t in self.turns)


@dataclass
class Episode:
    id: str
    script: Script
    audio_path: str | None
    transcript_path: str | None
    duration_s: float | None
    created_at: str
    settings: dict = field(default_factory=dict)


@dataclass
class Summary:
    """A chapter summary, a source summary or a paper brief, with its citations."""

    kind: str  # "chapter" | "source" | "brief"
    title: str
    text: str  # markdown with [n] markers
    citations: list[Citation] = field(default_factory=list)
    backend: str = ""
    notes: list[str] = field(default_factory=list)
    written_by: str = ""  # what wrote it, in words
