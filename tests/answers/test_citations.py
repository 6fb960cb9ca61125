"""resolve_citations / build_context: pure, no model."""

from __future__ import annotations

from pipelines.answers.citations import best_quote, build_context, resolve_citations
from pipelines.types import Passage

TEXTS = [
    "The Time Traveller built a machine of brass and quartz. It could travel through time.",
    "Weena was one of the Eloi. She was small, frail and afraid of the dark.",
    "The Morlocks lived underground in the dark. They feared the light of day.",
]


def _passages() -> list[Passage]:
    return [
        Passage(f"pid{i}", "src", f"ch{i}", i + 1, t, 0, len(t), pages=[10 + i])
        for i, t in enumerate(TEXTS)
    ]


def _ctx():
    return build_context(
        _passages(),
        {"ch0": "I. The Machine", "ch1": "II. Weena", "ch2": "III. Morlocks"},
        {"src": "The Time Machine"},
    )


def test_context_numbers_passages_with_chapter_and_page() -> None:
    ctx = _ctx()
    assert list(ctx.entries) == ["P1", "P2", "P3"]
    assert ctx.text.splitlines()[0] == "[P1] I. The Machine — p. 10"
    assert "[P3] III. Morlocks — p. 12" in ctx.text
    assert ctx.entries["P2"].source_title == "The Time Machine"


def test_numbering_follows_first_use_and_is_stable() -> None:
    text, cits, _ = resolve_citations(
        "The Morlocks lived in the dark [P3]. Weena was an Eloi [P2]. "
        "The Morlocks feared light [P3].",
        _ctx().entries,
    )
    assert text == (
        "The Morlocks lived in the dark [1]. Weena was an Eloi [2]. The Morlocks feared light [1]."
    )
    assert [(c.number, c.passage_id) for c in cits] == [(1, "pid2"), (2, "pid1")]
    assert cits[0].chapter_title == "III. Morlocks" and cits[0].page == 12
    assert cits[0].source_title == "The Time Machine"


def test_invented_keys_are_stripped() -> None:
    text, cits, _ = resolve_citations(
        "Weena was one of the Eloi [P2][P7]. The machine was made of brass [P9].", _ctx().entries
    )
    assert text == "Weena was one of the Eloi [1]. The machine was made of brass."
    assert [c.passage_id for c in cits] == ["pid1"]


def test_key_spellings_and_multi_key_brackets() -> None:
    text, cits, _ = resolve_citations(
        "The machine was brass [P1, P3]. Weena was frail 【P2】. "
        "The Eloi feared the dark (P2). The machine travelled [1; 2]. Ranges work [P1-P3].",
        _ctx().entries,
    )
    assert text == (
        "The machine was brass [1][2]. Weena was frail [3]. The Eloi feared the dark [3]. "
        "The machine travelled [1][3]. Ranges work [1][2][3]."
    )
    assert [c.passage_id for c in cits] == ["pid0", "pid2", "pid1"]


def test_prose_numbers_are_left_alone() -> None:
    text, cits, _ = resolve_citations(
        "There are (2) reasons, first noted in [1895] by Wells [P1].", _ctx().entries
    )
    assert text == "There are (2) reasons, first noted in [1895] by Wells [1]."
    assert len(cits) == 1


def test_marker_after_full_stop_stays_with_its_sentence() -> None:
    text, _, unsupported = resolve_citations(
        "The Morlocks lived underground in the dark. [P3] Weena was one of the Eloi. [P2]",
        _ctx().entries,
    )
    assert text == "The Morlocks lived underground in the dark [1]. Weena was one of the Eloi [2]."
    assert unsupported == []


def test_unsupported_sentences_are_flagged() -> None:
    _, _, unsupported = resolve_citations(
        "Weena was one of the Eloi [P2]. The Time Traveller later went to Mars. "
        "Why? In short: yes. The Morlocks invented the telephone [P8].",
        _ctx().entries,
    )
    assert unsupported == [
        "The Time Traveller later went to Mars.",
        "The Morlocks invented the telephone.",
    ]


def test_same_passage_under_two_keys_gets_one_number() -> None:
    ps = _passages()
    _, cits, _ = resolve_citations(
        "A claim about it [P1]. Another claim here [P2].", {"P1": ps[0], "P2": ps[0]}
    )
    assert [c.number for c in cits] == [1]


def test_quote_is_the_best_matching_sentence_or_the_opening() -> None:
    _, cits, _ = resolve_citations("The Eloi woman was afraid of the dark [P2].", _ctx().entries)
    assert cits[0].quote == "She was small, frail and afraid of the dark."
    long = " ".join(f"w{i}" for i in range(60))
    assert best_quote(long, "nothing in common") == " ".join(f"w{i}" for i in range(25)) + "…"


def test_no_citations_at_all() -> None:
    text, cits, unsupported = resolve_citations(
        "I could not find this in the chapters.", _ctx().entries
    )
    assert cits == [] and text == "I could not find this in the chapters."
    assert unsupported == ["I could not find this in the chapters."]


def test_clean_quote_never_doubles_quotation_marks() -> None:
    from pipelines.answers.citations import clean_quote

    assert clean_quote("“And Irene Adler?”") == "And Irene Adler?"
    assert clean_quote("““And Irene Adler?””") == "And Irene Adler?"
    assert clean_quote("“I have seen him.") == "I have seen him."
    assert clean_quote("He said “no” twice.") == "He said “no” twice."
    assert clean_quote("“Yes,” said he, “it is.”") == "Yes,” said he, “it is."


def test_uncited_sentences_are_aligned_to_the_passage_they_came_from() -> None:
    from pipelines.answers.citations import align_uncited

    ctx = _ctx()
    text, citations, unsupported = resolve_citations(
        "Weena was small, frail and afraid of the dark. The Morlocks feared the light of day "
        "[P3]. Aliens built the pyramids long ago.",
        ctx.entries,
    )
    assert len(unsupported) == 2
    text, citations, unsupported = align_uncited(text, citations, ctx.entries)
    assert text.startswith("Weena was small, frail and afraid of the dark [1].")
    assert "light of day [2]." in text
    assert [c.passage_id for c in citations] == ["pid1", "pid2"]  # numbered by first use
    assert unsupported == ["Aliens built the pyramids long ago."]
    assert "pyramids long ago." in text and "ago [" not in text


def test_alignment_by_sentence_similarity() -> None:
    from pipelines.answers.citations import align_uncited

    ctx = _ctx()
    text, citations, _ = resolve_citations("The inventor's device used metal parts.", ctx.entries)
    _, cited, unsupported = align_uncited(
        text, citations, ctx.entries, similarity=lambda sents: [{"pid0": 0.7} for _ in sents]
    )
    assert [c.passage_id for c in cited] == ["pid0"] and not unsupported
