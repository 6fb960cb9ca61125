"""How a digest tells a chapter told by an "I", on Moby-Dick's real first chapter (parsed
and chunked as ingestion does; no index needed): its opening, its long sentences, and
whose "his" a listener hears."""

from __future__ import annotations

import pytest

from pipelines.index.chunking import chunk_source
from pipelines.ingest.epub import parse
from pipelines.text.digest import Digest, digest
from pipelines.text.narration import Narrator, find_narrator, to_third_person
from pipelines.text.nlp import get_nlp
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


def test_a_his_whose_owner_was_cut_never_becomes_the_narrators() -> None:
    # "But here is an artist. … There stand his trees": alone, "his" would be Ishmael's.
    # The page of scenery has no "I" in it; the chapter is still told by one.
    source = parse(MOBY_DICK.read_bytes(), MOBY_DICK.name)
    chapter = next(c for c in source.chapters if "Loomings" in c.title)
    scenery = [p for p in chunk_source(source) if p.chapter_id == chapter.id]
    scenery = [p for p in scenery if "his trees" in p.text]
    ishmael = Narrator("Ishmael", "he")
    alone = digest(scenery, limit=20, narrator=ishmael, first_person=False)
    assert any("There stand his trees" in b.text for b in alone.beats)  # the old harm
    told = digest(scenery, limit=20, narrator=ishmael, first_person=True)
    assert not any("his trees" in b.text and "artist" not in b.text for b in told.beats), [
        b.text for b in told.beats
    ]


def test_a_list_without_a_main_verb_is_no_beat(loomings: Digest) -> None:
    # "Some leaning against the spiles; some seated upon the pier-heads; …"
    assert not any(b.text.startswith("Some leaning") for b in loomings.beats)


def test_the_narrator_is_named_where_first_heard_even_as_me() -> None:
    ishmael = Narrator("Ishmael", "he")
    told = to_third_person(
        get_nlp()(
            "These, with all the attending marvels of a thousand Patagonian sights and "
            "sounds, helped to sway me to my wish."
        ),
        ishmael,
    )
    assert told is not None and told.endswith("helped to sway Ishmael to his wish.")
