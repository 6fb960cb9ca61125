"""An EPUB's table of contents (EPUB 3 nav or NCX) -> chapter drafts with their text.

The spine documents are laid end to end; each TOC entry marks a position (document,
char offset of its #anchor); a chapter's text runs from its position to the next
entry's, so entries into one file are cut at their anchors and files no entry points
to stay with the chapter before them.
"""

from __future__ import annotations

import logging
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from lxml import etree

from pipelines.ingest import kinds
from pipelines.ingest.xhtml import Extracted, element_text, epub_type, local
from pipelines.types import ChapterKind, count_words

log = logging.getLogger(__name__)

_DIVISIONS = {"frontmatter", "backmatter", "bodymatter"}
_SHORT_FORMS = {"epigraph", "dedication"}  # a long "epigraph" is part of the work itself
_SHORT_FORM_MAX_WORDS = 500
_SUBSTANTIAL_WORDS = 30  # fewer words than this before the first real chapter: front matter
# Titles that announce body text however short it is ("I—Down the Rabbit-Hole", "Canto 1").
_NUMBERED = re.compile(
    r"^\s*(chapter|part|book|section|canto|act|scene|letter|volume|\d+\b|[ivxlc]+\b[.—:-]?)",
    re.I,
)

Position = tuple[int, int]  # (index in the reading order, char offset in that document)


class Escape(ValueError):
    """An href that points above the archive root, to an absolute path or a local URL."""


@dataclass
class Doc:
    path: str  # inside the archive
    content: Extracted


@dataclass
class TocEntry:
    title: str
    doc: str | None  # a spine document, or None for an unlinked group label
    anchor: str | None
    children: list[TocEntry] = field(default_factory=list)


@dataclass(eq=False)  # identity: drafts point at each other (parent, children)
class Draft:
    """A chapter before numbering; `parent` is another Draft."""

    title: str
    text: str = ""
    level: int = 0
    kind: ChapterKind = ChapterKind.CHAPTER
    parent: Draft | None = None
    href: str | None = None
    anchor: str | None = None
    children: list[Draft] = field(default_factory=list)


def resolve(base_dir: str, href: str) -> tuple[str, str | None] | None:
    """(archive path, fragment) of an href relative to `base_dir`; None for a web link.
    Raises Escape for anything that would leave the archive."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() in ("http", "https", "mailto", "ftp", "tel"):
            return None
        raise Escape(href)  # file:, data:, jar: ... are never part of the book
    path, fragment = unquote(parts.path), unquote(parts.fragment) or None
    if not path:
        return ("", fragment) if fragment else None
    if path.startswith("/") or "\\" in path or "\x00" in path:
        raise Escape(href)
    joined = posixpath.normpath(posixpath.join(base_dir, path))
    if joined == ".." or joined.startswith(("../", "/")):
        raise Escape(href)
    return joined, fragment


def _target(href: str | None, base: str, spine: set[str]) -> tuple[str | None, str | None]:
    if not href:
        return None, None
    try:
        target = resolve(base, href)
    except Escape:
        log.warning("epub: ignoring TOC link outside the archive: %r", href)
        return None, None
    if target is None or target[0] not in spine:
        return None, None
    return target


def from_nav(root: etree._Element, base: str, spine: set[str]) -> list[TocEntry]:
    """Entries of the EPUB 3 `<nav epub:type="toc">`."""
    for nav in root.iter():
        if local(nav.tag) == "nav" and "toc" in epub_type(nav).split():
            lists = [c for c in nav.iter() if local(c.tag) in ("ol", "ul")]
            return _nav_list(lists[0], base, spine) if lists else []
    return []


def _nav_list(ol: etree._Element, base: str, spine: set[str]) -> list[TocEntry]:
    entries = []
    for li in ol:
        if local(li.tag) != "li":
            continue
        label = next((c for c in li if local(c.tag) in ("a", "span")), None)
        sub = next((c for c in li if local(c.tag) in ("ol", "ul")), None)
        href = label.get("href") if label is not None and local(label.tag) == "a" else None
        doc, anchor = _target(href, base, spine)
        entries.append(
            TocEntry(
                title=element_text(label) if label is not None else "",
                doc=doc,
                anchor=anchor,
                children=_nav_list(sub, base, spine) if sub is not None else [],
            )
        )
    return entries


def from_ncx(root: etree._Element, base: str, spine: set[str]) -> list[TocEntry]:
    """Entries of an EPUB 2 NCX `<navMap>`."""
    navmap = next((el for el in root.iter() if local(el.tag) == "navmap"), None)
    return _ncx_points(navmap, base, spine) if navmap is not None else []


def _ncx_points(parent: etree._Element, base: str, spine: set[str]) -> list[TocEntry]:
    entries = []
    for point in parent:
        if local(point.tag) != "navpoint":
            continue
        label = next((c for c in point if local(c.tag) == "navlabel"), None)
        content = next((c for c in point if local(c.tag) == "content"), None)
        doc, anchor = _target(content.get("src") if content is not None else None, base, spine)
        entries.append(
            TocEntry(
                title=element_text(label) if label is not None else "",
                doc=doc,
                anchor=anchor,
                children=_ncx_points(point, base, spine),
            )
        )
    return entries


def linked_docs(entries: list[TocEntry]) -> set[str]:
    found: set[str] = set()
    for entry in entries:
        if entry.doc:
            found.add(entry.doc)
        found |= linked_docs(entry.children)
    return found


def classify(title: str, types: str, href: str, text: str) -> ChapterKind:
    """kinds.classify, reading the EPUB's frontmatter/backmatter division as a hint for
    where front/back matter sits rather than as a verdict on its own."""
    tokens = [t.split(":")[-1].lower() for t in types.split()]
    division = next((t for t in tokens if t in _DIVISIONS), None)
    specific = [t for t in tokens if t not in _DIVISIONS]
    if count_words(text) > _SHORT_FORM_MAX_WORDS:
        specific = [t for t in specific if t not in _SHORT_FORMS]
    kind = (
        kinds.kind_from_epub_type(" ".join(specific))
        or kinds.kind_from_title(title)
        or (kinds.kind_from_file_name(href) if href else None)
    )
    if kind in (ChapterKind.FRONT_MATTER, ChapterKind.BACK_MATTER) and division in (
        "frontmatter",
        "backmatter",
    ):
        return ChapterKind.FRONT_MATTER if division == "frontmatter" else ChapterKind.BACK_MATTER
    return kind or ChapterKind.CHAPTER


def doc_title(doc: Doc, before: int | None = None) -> str:
    """First heading (if it lies before `before`), else <title>, else the file name."""
    c = doc.content
    if c.heading and (before is None or c.heading_at < before):
        return c.heading
    return c.title or PurePosixPath(doc.path).stem.replace("_", " ").replace("-", " ")


def _span(docs: list[Doc], start: Position, end: Position) -> str:
    (s, so), (e, eo) = start, end
    if s == e:
        return docs[s].content.text[so:eo].strip()
    pieces = [docs[s].content.text[so:]]
    pieces += [d.content.text for d in docs[s + 1 : e]]
    if e < len(docs):
        pieces.append(docs[e].content.text[:eo])
    return "\n\n".join(p.strip() for p in pieces if p.strip())


def _leading(docs: list[Doc], first: Position) -> list[Draft]:
    """Text in front of the first TOC entry (cover, title page, a file's preamble)."""
    drafts = []
    for i in range(first[0] + 1):
        end = first[1] if i == first[0] else None
        doc = docs[i]
        text = doc.content.text[:end].strip()
        if count_words(text):
            title = doc_title(doc, end)
            kind = classify(title, doc.content.doc_types, doc.path, text)
            if kind is ChapterKind.CHAPTER:
                kind = ChapterKind.FRONT_MATTER
            drafts.append(Draft(title, text, kind=kind, href=doc.path))
    return drafts


def chapters(entries: list[TocEntry], docs: list[Doc]) -> list[Draft]:
    order = {d.path: i for i, d in enumerate(docs)}
    flat: list[tuple[Draft, Position | None, str]] = []  # (draft, position, epub types)

    def linked(entry: TocEntry) -> bool:
        return entry.doc in order or any(linked(c) for c in entry.children)

    def walk(items: list[TocEntry], level: int, parent: Draft | None) -> None:
        for entry in items:
            if not linked(entry):
                continue  # a label with nothing readable under it
            draft = Draft(entry.title, level=level, parent=parent)
            pos, types = None, ""
            if entry.doc in order:
                content = docs[order[entry.doc]].content
                anchor = entry.anchor or ""
                if anchor and anchor not in content.anchors:
                    log.info("epub: anchor #%s not found in %s", anchor, entry.doc)
                offset = content.anchors.get(anchor, 0)
                # an anchor's own section decides its kind; the file's first section does not
                types = content.types[anchor] if anchor in content.anchors else content.doc_types
                pos = (order[entry.doc], offset)
                draft.href, draft.anchor = entry.doc, entry.anchor
            flat.append((draft, pos, types))
            if parent is not None:
                parent.children.append(draft)
            walk(entry.children, level + 1, draft)

    walk(entries, 0, None)
    owners: dict[Position, Draft] = {}
    for draft, pos, _ in flat:
        if pos is not None:
            owners[pos] = draft  # entries at the same spot: the last (innermost) gets the text
    cuts = sorted(owners)
    if not cuts:
        return []
    for i, pos in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else (len(docs), 0)
        owners[pos].text = _span(docs, pos, end)
    dropped: set[int] = set()
    for draft, pos, _ in reversed(flat):  # children before parents
        if not draft.children and (pos is None or not count_words(draft.text)):
            dropped.add(id(draft))  # no text of its own and nothing under it (image page)
            if draft.parent is not None:
                draft.parent.children.remove(draft)
    flat = [item for item in flat if id(item[0]) not in dropped]
    for draft, pos, types in flat:
        draft.kind = (
            ChapterKind.PART
            if pos is None
            else classify(draft.title, types, draft.href or "", draft.text)
        )
    _mark_structure([d for d, _, _ in flat])
    return _leading(docs, cuts[0]) + [d for d, _, _ in flat]


def _substantial(draft: Draft) -> bool:
    return count_words(draft.text) >= _SUBSTANTIAL_WORDS or any(
        _substantial(c) for c in draft.children
    )


def _mark_structure(drafts: list[Draft]) -> None:
    """Parents whose own text is little more than their title group their children (PART);
    short untyped entries before the first real chapter are front matter (series title,
    publisher, copyright lines of a printed title page)."""
    for d in drafts:
        own = count_words(d.text)
        thin = own <= count_words(d.title) + 10
        if d.kind is ChapterKind.CHAPTER and thin and any(_substantial(c) for c in d.children):
            d.kind = ChapterKind.PART
    for d in drafts:
        if d.kind is ChapterKind.CHAPTER:
            if count_words(d.text) >= _SUBSTANTIAL_WORDS or _NUMBERED.match(d.title):
                break
            if not _substantial(d):
                d.kind = ChapterKind.FRONT_MATTER
