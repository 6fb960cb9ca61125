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
