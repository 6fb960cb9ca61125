"""Guess what a table-of-contents entry is (front matter, chapter, references ...) from its
title and, for EPUBs, its file name / epub:type. Shared by every format's parser."""

from __future__ import annotations

import re

from pipelines.types import ChapterKind

_FRONT = re.compile(
    r"^(title ?page|titlepage|half[- ]title|cover|imprint|copyright|contents|table of contents|"
    r"toc|dedication|epigraph|frontispiece|list of (illustrations|figures|tables)|"
    r"front ?matter|about this (e?book|edition)|credits|other books by.*|also by.*|praise for.*)$",
    re.I,
)
_BACK = re.compile(
    r"^(colophon|uncopyright|licen[cs]e|endnotes|notes|about the author|about the publisher|"
    r"acknowledg(e)?ments?|afterword|back ?matter|glossary|further reading|appendices|"
    r"appendix(\s+[a-z0-9]{1,3})?([\s:.—–-].*)?|supplementary (material|information)|"
    r"the full project gutenberg licen[cs]e.*|project gutenberg.*|loi|transcriber'?s? notes?)$",
    re.I,
)
_REFERENCES = re.compile(r"^(references|bibliography|works cited|literature cited|sources)$", re.I)
_INDEX = re.compile(r"^(index|general index|subject index)$", re.I)
_ABSTRACT = re.compile(r"^abstract$", re.I)
# Printed title pages put the copyright line in the TOC: "Copyright, 1916, by ..."
_FRONT_PREFIX = re.compile(r"^(copyright\b|©|\(c\) \d{4}|all rights reserved)", re.I)

# epub:type values (EPUB 3 structural semantics) mapped to kinds
_EPUB_TYPES = {
    "titlepage": ChapterKind.FRONT_MATTER,
    "halftitlepage": ChapterKind.FRONT_MATTER,
    "cover": ChapterKind.FRONT_MATTER,
    "imprint": ChapterKind.FRONT_MATTER,
    "copyright-page": ChapterKind.FRONT_MATTER,
    "dedication": ChapterKind.FRONT_MATTER,
    "epigraph": ChapterKind.FRONT_MATTER,
    "toc": ChapterKind.FRONT_MATTER,
    "frontmatter": ChapterKind.FRONT_MATTER,
    "colophon": ChapterKind.BACK_MATTER,
    "endnotes": ChapterKind.BACK_MATTER,
    "rearnotes": ChapterKind.BACK_MATTER,
    "backmatter": ChapterKind.BACK_MATTER,
    "appendix": ChapterKind.BACK_MATTER,
    "afterword": ChapterKind.BACK_MATTER,
    "acknowledgments": ChapterKind.BACK_MATTER,
    "bibliography": ChapterKind.REFERENCES,
    "index": ChapterKind.INDEX,
    "abstract": ChapterKind.ABSTRACT,
}


def _clean(title: str) -> str:
    title = re.sub(r"^\s*((\d+|[ivxlc]+)(\.\d+)*\.?|[a-z]\.)\s+", "", title.strip(), flags=re.I)
    return re.sub(r"[\s.:]+$", "", title).strip()


def kind_from_title(title: str) -> ChapterKind | None:
    """A kind when the title says so clearly, else None (the caller decides)."""
    t = _clean(title)
    if _REFERENCES.match(t):
        return ChapterKind.REFERENCES
    if _INDEX.match(t):
        return ChapterKind.INDEX
    if _ABSTRACT.match(t):
        return ChapterKind.ABSTRACT
    if _FRONT.match(t):
        return ChapterKind.FRONT_MATTER
    if _BACK.match(t):
        return ChapterKind.BACK_MATTER
    if _FRONT_PREFIX.match(t):
        return ChapterKind.FRONT_MATTER
    return None


def kind_from_epub_type(epub_types: str) -> ChapterKind | None:
    for value in epub_types.split():
        kind = _EPUB_TYPES.get(value.split(":")[-1].lower())
        if kind is not None:
            return kind
    return None


def kind_from_file_name(href: str) -> ChapterKind | None:
    """Standard Ebooks and many others name files after their role (imprint.xhtml ...)."""
    stem = href.rsplit("/", 1)[-1].split("#")[0].rsplit(".", 1)[0].lower()
    return kind_from_title(stem.replace("-", " ").replace("_", " "))


def classify(title: str, *, epub_types: str = "", href: str = "") -> ChapterKind:
    return (
        kind_from_epub_type(epub_types)
        or kind_from_title(title)
        or (kind_from_file_name(href) if href else None)
        or ChapterKind.CHAPTER
    )
