"""How a digest tells a chapter's opening, on Moby-Dick's real first chapter (parsed and
chunked as ingestion does; no index needed)."""

from __future__ import annotations

import pytest

from pipelines.index.chunking import chunk_source
from pipelines.ingest.epub import parse
from pipelines.text.digest import Digest, digest
from pipelines.text.narration import find_narrator
from tests.sources import MOBY_DICK


@pytest.fixture(scope="module")
def loomings() -> Digest:
    source = parse(MOBY_DICK.read_bytes(), MOBY_DICK.name)
    chapter = next(c for c in source.chapters if "Loomings" in c.title)
    passages = [p for p in chunk_source(source) if p.chapter_id == chapter.id]
    book = " ".join(c.text for c in source.chapters if c.kind.is_body)
    return digest(passages, limit=30, narrator=find_narrator(book, source.authors))


def test_a_short_famous_first_line_is_kept_to_open_the_episode(loomings: Digest) -> None:
    assert loomings.opening_words == "Call me Ishmael."


def test_the_whenever_sentence_is_told_short_with_its_point(loomings: Digest) -> None:
    # "Whenever …; whenever …; … —then, I account it high time to get to sea…" is 90 words;
    # told by ear it keeps two lead-ins and the main clause, and the short sentence after
    # it ("This is my substitute for pistol and ball.") comes along: alone it dangles.
    beat = next(b for b in loomings.beats if "drizzly November" in b.text)
    assert len(beat.text.split()) < 45
    assert beat.text.endswith("This is his substitute for pistol and ball.")
    assert "coffin warehouses" in beat.printed  # the citation keeps what the book prints
