"""A PDF's outline (bookmarks) as a flat list of entries with depth and page.

pypdf already guards against cycles and depth bombs while building the outline;
we add our own visited set and item cap on top, because a hostile file should cost
at most a skipped outline, never a failed ingest.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

log = logging.getLogger(__name__)

MAX_ITEMS = 5000


@dataclass
class OutlineEntry:
    title: str
    depth: int
    page: int  # 0-based page index
    parent: int | None  # index into the entry list
    top: float | None = None  # y of the destination on the page, when given


def read_outline(reader: PdfReader) -> list[OutlineEntry]:
    """Entries that point at a page of this file, in outline order.

    External links (URI actions) and entries without a page are dropped; their
    children are kept one level up so a broken group heading loses nothing.
    """
    try:
        outline = reader.outline
    except Exception as exc:  # malformed or cyclic outline: read the file without it
        log.info("ignoring unreadable outline: %r", exc)
        return []
    entries: list[OutlineEntry] = []
    seen: set[int] = set()

    def walk(items: list[Any], depth: int, parent: int | None) -> None:
        last: int | None = None
        for item in items:
            if len(entries) >= MAX_ITEMS:
                return
            if isinstance(item, list):
                # children of the previous item (or of our parent when it was dropped)
                walk(
                    item,
                    depth + 1 if last is not None else depth,
                    last if last is not None else parent,
                )
                continue
            if id(item) in seen:
                continue
            seen.add(id(item))
            page = _page_of(reader, item)
            title = clean_title(str(getattr(item, "title", "") or ""))
            if page is None or not title:
                last = None
                continue
            top = _float(item.get("/Top")) if hasattr(item, "get") else None
            entries.append(OutlineEntry(title, depth, page, parent, top))
            last = len(entries) - 1

    try:
        walk(outline, 0, None)
    except RecursionError:
        log.info("outline nested too deeply; using what was read")
    return entries


_TEX_ACCENT = re.compile(r"\{?\\?([\^'`\"~=.])\s*\{?\s*\\?([a-zA-Z])\s*\}?\s*\}")
_ACCENT_MARKS = {"^": "\u0302", "'": "\u0301", "`": "\u0300", '"': "\u0308", "~": "\u0303",
                 "=": "\u0304", ".": "\u0307"}  # fmt: skip


def clean_title(raw: str) -> str:
    """An outline title as the heading reads: TeX accents and dashes the producer left in
    ("Lema{^i }tre--Tolman"), a space after the number ("3.1Encoding"), no end stop."""
    title = " ".join(raw.split())
    title = _TEX_ACCENT.sub(
        lambda m: unicodedata.normalize("NFC", m[2].replace("i", "i") + _ACCENT_MARKS[m[1]]), title
    )
    title = title.replace("---", "—").replace("--", "–")
    title = re.sub(r"^(\d+(?:\.\d+)*\.?)(?=[A-Za-z])", r"\1 ", title)
    return title.rstrip(" .")


def _page_of(reader: PdfReader, item: Any) -> int | None:
    try:
        page = reader.get_destination_page_number(item)
    except Exception:
        return None
    if page is None or not 0 <= page < len(reader.pages):
        return None
    return page


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def structures_document(entries: list[OutlineEntry], page_count: int) -> bool:
    """An outline of one entry, or whose entries all point at one page, is not a TOC."""
    if len(entries) < 2:
        return False
    return len({e.page for e in entries}) >= 2 or page_count == 1
