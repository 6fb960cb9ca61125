"""Lines a listener must never hear."""

from __future__ import annotations

from pipelines.podcast.checks import dangles, line_problem
from pipelines.text.prose import non_prose_reason, speakable


def test_references_tables_and_captions_are_not_prose() -> None:
    assert (
        non_prose_reason(
            "Outrageously large neural networks: The sparsely-gated mixture-of-experts layer. "
            "arXiv preprint arXiv:1701.06538, 2017."
        )
        == "reference"
    )
    assert non_prose_reason("Figure 3: Speedup vs. a baseline interpreter.") == "caption"
    assert (
        non_prose_reason(
            "Layer Type Complexity per Layer Sequential Maximum Path Length Operations"
        )
        == "table"
    )
    assert non_prose_reason("12.4 13.1 9.8 22.0 4.1 8.8 10.2") == "table"
    assert non_prose_reason("The Time Traveller smiled round at us all.") is None


def test_speakable_drops_markers_and_mends_hyphenation() -> None:
    spoken = speakable("Trace trees [3] run eﬃciently on Sun- Spider (see Figure 2).")
    assert spoken == "Trace trees run efficiently on SunSpider."
    assert speakable("“Quite so,” said Filby.") == '"Quite so," said Filby.'


def test_statistics_in_parentheses_are_not_read_aloud() -> None:
    printed = "Focus groups were held with fifteen participants (men, n = 12) in two hospitals."
    assert speakable(printed) == (
        "Focus groups were held with fifteen participants in two hospitals."
    )
    assert speakable("Mortality fell (p < 0.05).") == "Mortality fell."
    assert speakable("The loop (a hot one) ran.") == "The loop (a hot one) ran."  # words stay


def test_a_line_opening_on_an_unplaced_pronoun_dangles() -> None:
    assert dangles("But he did not read the newspapers.", "")
    assert dangles("He sold him to a stranger.", "So who is he?")
    assert not dangles("He sold Buck to a stranger.", "Wait, who's Manuel?")
    assert not dangles("Manuel sold Buck.", "")
    assert line_problem("Devil's advocate [12] says so.", "") == "unspeakable"
