"""Chunking invariants on a real book and on a PDF-like chapter with page spans."""

from __future__ import annotations

import pytest

from pipelines.index.chunking import TOKEN_BUDGET, chunk_chapter, chunk_source, token_counter
from pipelines.ingest import parse_file
from pipelines.settings import IndexSettings, Settings
from pipelines.types import Chapter, PageSpan, count_words
from tests.sources import TIME_MACHINE


@pytest.fixture(scope="module")
def time_machine():
    source, _ = parse_file(TIME_MACHINE)
    return source


def test_passages_respect_word_and_token_limits(time_machine):
    cfg = Settings().index
    passages = chunk_source(time_machine)
    assert len(passages) > 100
    words = [count_words(p.text) for p in passages]
    assert max(words) <= cfg.max_words
    assert max(token_counter()([p.text for p in passages])) <= TOKEN_BUDGET
    # all but a chapter's last passage are near the target
    by_chapter: dict[str, list] = {}
    for p in passages:
        by_chapter.setdefault(p.chapter_id, []).append(p)
    inner = [count_words(p.text) for ps in by_chapter.values() for p in ps[:-1]]
    assert min(inner) >= cfg.min_words // 2
    assert sorted(inner)[len(inner) // 2] >= cfg.min_words


def test_offsets_ids_and_provenance(time_machine):
    passages = chunk_source(time_machine)
    chapters = {c.id: c for c in time_machine.chapters}
    assert len({p.id for p in passages}) == len(passages)
    for p in passages:
        chapter = chapters[p.chapter_id]
        assert p.text == chapter.text[p.start : p.end]
        assert p.text == p.text.strip() and p.text
        assert p.source_id == time_machine.id and p.chapter_index == chapter.index
        assert p.id.startswith(chapter.id + ":")
        assert p.pages == []  # EPUB: no pages
    # neighbours overlap by a sentence or touch: nothing of a chapter is skipped
    for a, b in zip(passages, passages[1:], strict=False):
        if a.chapter_id == b.chapter_id:
            gap = chapters[a.chapter_id].text[a.end : b.start]
            assert b.start <= a.end or not gap.strip()
    assert [p.id for p in chunk_source(time_machine)] == [p.id for p in passages]


def _paged_chapter() -> Chapter:
    sentences = [
        f"Sentence number {i} talks about topic {i % 7} at some modest length." for i in range(120)
    ]
    text = " ".join(sentences)
    third = len(text) // 3
    return Chapter(
        index=4,
        title="Paged",
        text=text,
        page_start=10,
        page_end=12,
        page_spans=[PageSpan(0, 10), PageSpan(third, 11), PageSpan(2 * third, 12)],
        source_id="ab" * 32,
    )


def test_pages_follow_page_spans():
    chapter = _paged_chapter()
    passages = chunk_chapter(chapter)
    assert passages[0].pages[0] == 10 and passages[-1].pages[-1] == 12
    for p in passages:
        expected = sorted({chapter.page_at(o) for o in range(p.start, p.end)})
        assert p.pages == expected
    assert any(len(p.pages) == 2 for p in passages)  # a passage across a page break


def test_overlong_sentence_is_split_to_fit():
    text = " ".join(f"word{i}" for i in range(900))  # one sentence, no punctuation
    chapter = Chapter(index=1, title="Run-on", text=text, source_id="cd" * 32)
    passages = chunk_chapter(chapter, IndexSettings())
    assert len(passages) >= 5
    assert all(count_words(p.text) <= 180 for p in passages)
    assert max(token_counter()([p.text for p in passages])) <= TOKEN_BUDGET
    assert all(p.text == text[p.start : p.end] for p in passages)


def test_short_and_empty_chapters():
    assert chunk_chapter(Chapter(index=1, title="Empty", text="  \n ", source_id="x" * 64)) == []
    one = chunk_chapter(Chapter(index=2, title="Short", text="Just one line.", source_id="x" * 64))
    assert [p.text for p in one] == ["Just one line."]
