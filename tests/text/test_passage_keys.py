"""Citation keys in any form a model writes become a line's citations, never its words."""

from __future__ import annotations

import pytest

from pipelines.text.passage_keys import take_keys


@pytest.mark.parametrize(
    ("said", "text", "keys"),
    [
        (
            "Does he see it happen to other dogs? [P1, P2]",
            "Does he see it happen to other dogs?",
            ["P1", "P2"],
        ),
        ("He goes to sea (P3).", "He goes to sea.", ["P3"]),
        ("Two keys [1][2] here.", "Two keys here.", ["P1", "P2"]),
        ("A range [P3-P5].", "A range.", ["P3", "P4", "P5"]),
        ("Wide brackets 【P4】 too.", "Wide brackets too.", ["P4"]),
        ("A bare tail P7", "A bare tail", ["P7"]),
        ("[Passages 2 and 4] first.", "first.", ["P2", "P4"]),
    ],
)
def test_every_key_form_is_taken_out_and_kept(said: str, text: str, keys: list[str]) -> None:
    assert take_keys(said) == (text, keys)


def test_years_and_enumerations_in_parentheses_stay_words() -> None:
    assert take_keys("In 1871 (the year of the census) he left (3 times).") == (
        "In 1871 (the year of the census) he left (3 times).",
        [],
    )
    assert take_keys("It was (1871), not later.")[1] == []
