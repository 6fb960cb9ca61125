"""Choosing chapters: a parent means itself and all its descendants (Source.expand),
the same in Scope.chapters, Scope.upto and the podcast's material."""

from __future__ import annotations

import pytest

from pipelines.errors import FolioError
from pipelines.ingest import parse_file
from pipelines.types import Scope, Source
from tests.sources import CHILDRENS_LIT


@pytest.fixture(scope="module")
def collection() -> Source:
    source, _ = parse_file(CHILDRENS_LIT)
    for c in source.chapters:
        c.source_id = source.id
    return source


def _index(source: Source, title: str) -> int:
    return next(c.index for c in source.chapters if c.title == title)


def test_a_parent_brings_its_descendants_in_reading_order(collection: Source) -> None:
    author = _index(collection, "Abram S. Isaacs")  # a heading of a few words, no text
    clover = _index(collection, "190 A FOUR-LEAVED CLOVER")
    chosen = collection.expand([author])
    assert [c.index for c in chosen] == list(range(author, author + 6))
    assert chosen[1].index == clover and chosen[-1].title == "IV. An Eastern Garden"
    assert sum(c.word_count for c in chosen) > 2000  # the stories, not the 0-word heading
    # a grandchild chosen with its grandparent, in any order: once each, in reading order
    assert collection.expand([clover + 2, author, clover]) == chosen


def test_a_leaf_is_itself_and_the_root_is_everything(collection: Source) -> None:
    leaf = _index(collection, "II. Friendship")
    assert [c.index for c in collection.expand([leaf])] == [leaf]
    assert len(collection.expand([1])) == len(collection.chapters)


def test_unknown_numbers_are_a_clear_error(collection: Source) -> None:
    with pytest.raises(FolioError, match="no chapter 99 .*folio chapters"):
        collection.expand([3, 99])


def test_scopes_use_the_same_expansion(collection: Source) -> None:
    author = _index(collection, "Hans Christian Andersen")
    scope = Scope.chapters(collection, [author])
    assert scope.chapter_ids == [c.id for c in collection.expand([author])]
    assert len(scope.chapter_ids) == 8
    # up to a parent: everything before it, and the whole of it; nothing after it
    upto = Scope.upto(collection, author)
    last = collection.expand([author])[-1].index
    assert upto.chapter_ids == [c.id for c in collection.chapters if c.index <= last]
    # up to a leaf inside a part: the part heading's own text, not the rest of the part
    leaf = _index(collection, "II. Friendship")
    ids = Scope.upto(collection, leaf).chapter_ids or []
    assert ids == [c.id for c in collection.chapters if c.index <= leaf]
    with pytest.raises(FolioError):
        Scope.upto(collection, 500)
