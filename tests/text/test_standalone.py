"""A sentence that opens on 'This'/'These' stands alone when the word after it names the
thing: the demonstrative becomes 'The' ("These Eloi were mere fatted cattle…" is the
central point of The Time Machine VII, and was never told because of its first word)."""

from __future__ import annotations

from pipelines.text.nlp import get_nlp
from pipelines.text.standalone import resolve_start


def _resolved(text: str) -> object:
    doc = get_nlp()(text)
    return resolve_start(text, text.split()[0].lower(), None, doc, None, False)


def test_a_demonstrative_before_a_name_or_noun_becomes_the() -> None:
    assert _resolved("These Eloi were mere fatted cattle, which the Morlocks preyed upon.") == (
        "The Eloi were mere fatted cattle, which the Morlocks preyed upon."
    )
    assert _resolved("This approach works on every loop.") == "The approach works on every loop."


def test_a_bare_demonstrative_with_nothing_before_stays_unresolved() -> None:
    assert _resolved("This was what he had feared all along.") is None


def test_a_demonstrative_among_the_first_words_points_back() -> None:
    """Moby-Dick's "Chief among these motives…" came with no motives before it, and "At
    first, this sort of thing is unpleasant enough" was heard as about cooking (a blind
    reader); "at that time" or "these Eloi" say what they mean."""
    from pipelines.text.standalone import early_back_reference

    nlp = get_nlp()
    assert early_back_reference(nlp("Chief among these motives was the idea of the whale."))
    assert early_back_reference(nlp("At first, this sort of thing is unpleasant enough."))
    assert early_back_reference(nlp("Only forty times had that silent revolution occurred."))
    assert not early_back_reference(nlp("At that time none of us believed in the Machine."))
    assert not early_back_reference(nlp("And these Eloi were mere fatted cattle."))


def test_a_papers_we_in_the_sentence_before_is_told_as_the_authors() -> None:
    """A line opening on "All of these…" brings the sentence before; a paper's "We
    describe…" in it was voiced as the host's own "we"."""
    from pipelines.text.standalone import with_sentence_before

    nlp = get_nlp()
    before = nlp("We describe the key optimizations performed while recording.")
    text = "All of these optimizations reduce complex constructs to simple typed ones."
    joined = with_sentence_before(text, before, nlp(text), paper=True)
    assert joined is not None
    assert joined[0].startswith("The authors describe the key optimizations")
    assert with_sentence_before(text, before, nlp(text), paper=False) is None


def test_lines_that_only_make_sense_after_the_one_before_are_not_beats() -> None:
    """'Surely all this is not without meaning.' was told alone after 'On to the middle
    of chapter one'; 'Nor is it an effort to demonize…' lost its 'Nor' and became a
    question."""
    from pipelines.text.digest import digest
    from pipelines.types import Passage

    text = (
        "The narrator walked down to the harbour every morning of that grey winter. "
        "Surely all this is not without meaning for a man who has lost his way. "
        "Nor is it an effort to demonize any individual or group of the town's people. "
        "The harbour master sold him a small boat with a patched red sail for ten dollars."
    )
    passage = Passage("p1", "s", "c", 1, text, 0, len(text))
    told = [b.text for b in digest([passage], limit=10).beats]
    assert any("harbour master sold him" in t for t in told)
    assert not any("all this" in t or "demonize" in t for t in told), told
