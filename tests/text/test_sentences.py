from __future__ import annotations

import pytest

from pipelines.text.sentences import (
    bm25_scores,
    score_sentences,
    select_mmr,
    sentence_texts,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("See e.g. the appendix. It helps.", ["See e.g. the appendix.", "It helps."]),
        ("Cheap, i.e. free. Yes.", ["Cheap, i.e. free.", "Yes."]),
        ('"Stop!" he said. Then he left.', ['"Stop!" he said.', "Then he left."]),
        ('He said, "Go." Then she went.', ['He said, "Go."', "Then she went."]),
        ("“Who?” she asked. “Me.” He smiled.", ["“Who?” she asked.", "“Me.”", "He smiled."]),
        (
            "H. G. Wells wrote it. J. R. R. Tolkien too.",
            ["H. G. Wells wrote it.", "J. R. R. Tolkien too."],
        ),
        ("See p. 45 for it. Fig. 3 shows it.", ["See p. 45 for it.", "Fig. 3 shows it."]),
        ("Smith et al. found it. Next.", ["Smith et al. found it.", "Next."]),
        ("It costs 3.14 dollars. Really? Yes!", ["It costs 3.14 dollars.", "Really?", "Yes!"]),
        ("Wait... what? Yes... And so.", ["Wait... what?", "Yes...", "And so."]),
        ("CHAPTER ONE\n\nIt began. It ended", ["CHAPTER ONE", "It began.", "It ended"]),
        ("  ", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert sentence_texts(text) == expected


def test_offsets_point_into_the_text() -> None:
    text = "  First one.  Second\n one!\n\nThird"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second\n one!", "Third"]
    assert spans[0].start == 2


def test_bm25_prefers_matching_sentences() -> None:
    sents = ["The Morlocks lived underground.", "Weena was an Eloi.", "The weather was fine."]
    scores = bm25_scores("Where did the Morlocks live?", sents)
    assert scores[0] > 0 and scores[1] == 0 and scores[2] == 0


def test_score_blends_similarity_callback() -> None:
    sents = ["Alpha beta.", "Gamma delta."]
    lexical = score_sentences("alpha", sents)
    assert lexical == [1.0, 0.0]
    blended = score_sentences(
        "alpha", sents, similarity=lambda q, s: [0.0, 1.0], semantic_weight=0.5
    )
    assert blended == [0.5, 0.5]


def test_mmr_avoids_redundancy_and_keeps_text_order() -> None:
    sents = [
        "The Morlocks lived underground in tunnels.",
        "Weena feared the dark.",
        "Underground, in tunnels, the Morlocks lived.",
        "The Morlocks fed on the Eloi at night.",
    ]
    scores = [0.9, 0.1, 0.85, 0.6]
    picked = select_mmr(sents, scores, 2, diversity=0.5)
    assert picked == [0, 3]
    assert select_mmr(sents, [0, 0, 0, 0], 3) == []
    assert select_mmr(sents, scores, 10) == [0, 1, 2, 3]
