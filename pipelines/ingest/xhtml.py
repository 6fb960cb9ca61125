"""Safe XML/XHTML parsing and XHTML -> plain text with the char offset of every id.

Book files are untrusted input: XML is parsed without entity expansion, DTD loading
or network access, and any document that declares entities is refused outright
(EPUB content never needs them; "billion laughs" and XXE attacks always do).
Text extraction walks the tree iteratively, so deep nesting cannot exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

EPUB_TYPE_ATTRS = ("{http://www.idpf.org/2007/ops}type", "epub:type")

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)

# Block-level tags: text on either side of one becomes separate paragraphs.
_BLOCK = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption "  # noqa: SIM905
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section "
    "summary table tbody thead tfoot tr ul".split()
)
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_CELLS = frozenset(("td", "th"))
# Never reader-visible text: code, styling, metadata, and SVG/MathML annotations.
_SKIP = frozenset(
    ("head", "script", "style", "template", "noscript", "title", "desc", "metadata", "annotation")
)
_SECTIONING = frozenset(("section", "article", "div", "aside", "nav", "header", "body"))

# Separator priority between two pieces of text.
_NONE, _SPACE, _LINE, _PARA = 0, 1, 2, 3
_SEPARATORS = {_NONE: "", _SPACE: " ", _LINE: "\n", _PARA: "\n\n"}


class UnsafeXMLError(ValueError):
    """The document declares XML entities (entity expansion / external entity attack)."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _refuse_entities(root: etree._Element) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXMLError("the document declares XML entities")


def parse_xml(data: bytes) -> etree._Element:
    """Strict, safe XML (container.xml, OPF, NCX). Raises XMLSyntaxError / UnsafeXMLError."""
    if _ENTITY_DECL.search(data):
        raise UnsafeXMLError("the document declares XML entities")
    root = etree.fromstring(data, _parser())
    _refuse_entities(root)
    return root


def parse_xhtml(data: bytes) -> etree._Element:
    """XHTML, falling back to the forgiving HTML parser for sloppy (tag-soup) chapters."""
    if _ENTITY_DECL.search(data):
        raise UnsafeXMLError("the document declares XML entities")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        html = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        root = etree.fromstring(data, html)
        if root is None:
            raise
    _refuse_entities(root)
    return root


def local(tag: object) -> str:
    """Local name of an element tag ('' for comments, entities and the like)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def epub_type(el: etree._Element) -> str:
    for attr in EPUB_TYPE_ATTRS:
        value = el.get(attr)
        if value:
            return value
    return ""


def element_text(el: etree._Element) -> str:
    """All text under `el`, whitespace collapsed (for TOC labels and headings)."""
    return " ".join("".join(el.itertext()).split())


@dataclass
class Extracted:
    """Plain text of one XHTML document plus where each id lands in that text."""

    text: str
    anchors: dict[str, int] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)  # id -> epub:type, nearest first
    doc_types: str = ""  # first typed section's epub:type + the body's
    title: str = ""  # <title>
    heading: str = ""  # first h1-h6
    heading_at: int = 0
    is_toc: bool = False  # a printed table of contents (nav / epub:type toc)


class _Writer:
    """Accumulates normalised text; separators are decided lazily so none double up."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.need = _NONE

    def sep(self, level: int) -> None:
        self.need = max(self.need, level)

    def write(self, raw: str | None) -> None:
        if not raw:
            return
        words = raw.split()
        if not words:
            self.sep(_SPACE)
            return
        if raw[0].isspace():
            self.sep(_SPACE)
        chunk = " ".join(words)
        if self.pos:
            chunk = _SEPARATORS[self.need] + chunk
        self.parts.append(chunk)
        self.pos += len(chunk)
        self.need = _SPACE if raw[-1].isspace() else _NONE

    def text(self) -> str:
        return "".join(self.parts)


def _skipped(el: etree._Element, name: str) -> bool:
    if name in _SKIP or el.get("hidden") is not None:
        return True
    return "pagebreak" in epub_type(el) or el.get("role") == "doc-pagebreak"


def extract(root: etree._Element) -> Extracted:
    """Block elements become paragraphs ("\\n\\n"), <br> a line break, the rest is inline."""
    out = Extracted(text="")
    for el in root.iter():
        if local(el.tag) == "title" and not out.title:
            out.title = element_text(el)
            break
    body = next((el for el in root.iter() if local(el.tag) == "body"), root)
    body_types = epub_type(body)
    first_types = ""
    w = _Writer()
    # (element, closing?, inherited epub:types) - an explicit stack instead of recursion
    stack: list[tuple[etree._Element, bool, str]] = [(body, False, "")]
    while stack:
        el, closing, inherited = stack.pop()
        name = local(el.tag)
        if closing:
            if name in _BLOCK:
                w.sep(_PARA)
            elif name in _CELLS:
                w.sep(_SPACE)
            if el is not body:
                w.write(el.tail)
            if name in _HEADINGS and not out.heading:
                out.heading = w.text()[out.heading_at :].strip()
            continue
        if not name or _skipped(el, name):
            w.write(el.tail)
            continue
        own = epub_type(el)
        types = f"{own} {inherited}".strip() if own else inherited
        if own and name in _SECTIONING and el is not body:
            if not w.pos and not first_types:
                first_types = own
            if "toc" in own.split():
                out.is_toc = True
        if name in _BLOCK:
            w.sep(_PARA)
        elif name == "br":
            w.sep(_LINE)
        elif name in _CELLS:
            w.sep(_SPACE)
        if name in _HEADINGS and not out.heading:
            w.sep(_PARA)
            out.heading_at = w.pos
        el_id = el.get("id") or (el.get("name") if name == "a" else None)
        if el_id and el_id not in out.anchors:
            out.anchors[el_id] = w.pos
            out.types[el_id] = types
        w.write(el.text)
        stack.append((el, True, inherited))
        stack.extend((child, False, types) for child in reversed(el))
    out.text = w.text()
    out.doc_types = f"{first_types} {body_types}".strip()
    return out
