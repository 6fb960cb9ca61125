"""What deed a line tells of its subject, read off the parse of real sentences from The
Time Machine VII, so host B can ask "So what does the Time Traveller decide?"."""

from __future__ import annotations

import pytest

from pipelines.text.acts import act_of
from pipelines.text.nlp import get_nlp

TT = "the Time Traveller"


@pytest.mark.parametrize(
    ("sentence", "subject", "act"),
    [
        (
            "Without further delay the Time Traveller determined to make himself arms and a "
            "fastness where he might sleep.",
            TT,
            "decide",
        ),
        ("Now the Time Traveller felt like a beast in a trap.", TT, "feel"),
        (
            "The Time Traveller now understood the reason of the fear of the little "
            "Upper-world people for the dark.",
            TT,
            "realise",
        ),
        ("The Time Traveller saw that the bronze doors were shut.", TT, "realise"),
        ("From the brow of the next hill the Time Traveller saw a thick wood.", TT, "see"),
        ("Weena set off at once towards the house of grey stone.", "Weena", "go"),
        ("The Time Traveller wondered vaguely what foul villainy the Morlocks did.", TT, "think"),
    ],
)
def test_the_deed_a_line_tells_of_its_subject(sentence: str, subject: str, act: str) -> None:
    assert act_of(get_nlp()(sentence), subject) == act


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        # denied, or only possible: nothing happened to ask about
        ("The Time Traveller did not go down into the well.", TT),
        ("The Time Traveller might go down into the well.", TT),
        # "came" tells of the knowledge, not of him (spaCy makes "came" the main verb)
        (
            "The Time Traveller thought of the Great Fear that was between the two species, "
            "and for the first time, with a sudden shiver, came the clear knowledge of what "
            "the meat he had seen might be.",
            TT,
        ),
        ("Weena set the flowers on the table.", "Weena"),  # "set" moves only as "set off"
        ("The Time Traveller made himself a club.", TT),  # a deed, but none of these kinds
        ("The Time Traveller's mind went back to the meat.", "the Time Traveller's mind"),
    ],
)
def test_no_deed_for_host_b_to_ask_about(sentence: str, subject: str) -> None:
    assert act_of(get_nlp()(sentence), subject) is None
