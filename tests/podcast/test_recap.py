"""The offline episode's recap, from a real chapter's beats (Moby-Dick's first chapter,
parsed and chunked as ingestion does; no index needed)."""

from __future__ import annotations

import re

from pipelines.index.chunking import chunk_source
from pipelines.ingest.epub import parse
from pipelines.podcast.writers.recap import closing
from pipelines.text.digest import digest
from pipelines.text.narration import Narrator
from tests.sources import MOBY_DICK


def test_the_recap_names_three_to_five_things_each_said_in_one_breath() -> None:
    source = parse(MOBY_DICK.read_bytes(), MOBY_DICK.name)
    chapter = next(c for c in source.chapters if "Loomings" in c.title)
    passages = [p for p in chunk_source(source) if p.chapter_id == chapter.id]
    found = digest(passages, limit=12, narrator=Narrator("Ishmael", "he"), first_person=True)
    told = found.in_order()
    question, recap, outro = closing(told, ["chapter one"], "Ada", "Ben", False, 1)
    assert question.speaker == "Ben" and recap.speaker == "Ada"
    points = re.split(r"(?:First|Then|After that|And then|Finally), ", recap.text)[1:]
    assert 3 <= len(points) <= 5, recap.text  # a recap of two let a blind reader down
    assert all(len(p.split()) <= 24 for p in points), points
    assert set(recap.passage_ids) <= {b.passage.id for b in told}  # each point is cited
    assert outro.text.startswith("That's it from Ada and Ben")


def test_authors_are_said_as_a_listener_can_take_them() -> None:
    from pipelines.podcast.writers.spoken import said_authors

    assert said_authors(["Lawrence Lessig"]) == "Lawrence Lessig"
    assert said_authors(["Ann Author", "Bo Writer"]) == "Ann Author and Bo Writer"
    assert said_authors(["Andreas Gal", *["x"] * 15]) == "Andreas Gal and colleagues"


def test_a_papers_recap_is_mostly_what_it_found() -> None:
    """Tully et al.'s recap once gave two lines of background and the method before one
    finding ('the summary lists background, not findings', a blind reader)."""
    from pipelines.ingest.pdf import parse as parse_pdf
    from tests.sources import TULLY

    source = parse_pdf(TULLY.read_bytes(), TULLY.name)
    passages = [p for p in chunk_source(source) if p.chapter_index in _body(source)]
    found = digest(passages, limit=30, is_paper=True)
    told = found.in_order()
    assert sum(b.role == "result" for b in told) >= 3
    _, recap, _ = closing(told, ["the paper"], "Ada", "Ben", False, 1, paper=True)
    said = [b for b in told if b.passage.id in recap.passage_ids]
    results = [b for b in told if b.role == "result" and lower(b) in recap.text.lower()]
    assert len(results) >= 3, recap.text
    assert len(said) >= 3


def _body(source) -> set[int]:  # type: ignore[no-untyped-def]
    return {c.index for c in source.chapters if c.kind.is_body}


def lower(beat) -> str:  # type: ignore[no-untyped-def]
    """The first words of a beat as a recap point says them."""
    return " ".join(beat.text.split()[1:5]).lower()
