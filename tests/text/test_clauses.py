"""Who-did-what restatements (host B's reactions, recap points) never overclaim."""

from __future__ import annotations

from pipelines.text.clauses import gist_of, subject_phrase
from pipelines.text.nlp import get_nlp


def _gist(text: str) -> str | None:
    doc = get_nlp()(text)
    return gist_of(doc, subject_phrase(doc) or "x")


def test_a_plain_event_is_restated() -> None:
    assert _gist("Manuel sold Buck to a stranger.") == "Manuel sold Buck to a stranger"


def test_a_clause_whose_lead_in_limits_it_is_not_restated_alone() -> None:
    # Without "With other men" the clause says the opposite of Ishmael's point.
    assert _gist("With other men, perhaps, such things would not have been inducements.") is None


def test_a_clause_cut_before_what_was_shown_is_not_restated() -> None:
    assert (
        _gist("The Wright brothers demonstrated that a heavier-than-air vehicle could fly.")
        != "The Wright brothers demonstrated"
    )
