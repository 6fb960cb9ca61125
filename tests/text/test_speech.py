"""Speech-ready text: what a voice is given to say. (Whether the voices then say it so is
checked by ear in tests/podcast/test_listening.py.)"""

from __future__ import annotations

import pytest

from pipelines.text.speech import speech_text


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "In 1871, 3.5% of 2,000 readers (Fig. 2) paid £4.",
            "In eighteen seventy-one, three point five percent of two thousand readers, "
            "figure two, paid four pounds.",
        ),
        # years, decades, ranges of years and of pages
        ("It was published in 2005.", "It was published in two thousand and five."),
        ("The 1870s were hard.", "The eighteen seventies were hard."),
        (
            "From 1914–1918 and 1939-45.",
            "From nineteen fourteen to nineteen eighteen and nineteen thirty-nine to forty-five.",
        ),
        ("See pp. 45-47.", "See pages forty-five to forty-seven."),
        # counts, decimals, negatives, ordinals
        (
            "About 1,200,000 cells and 0.25 of them.",
            "About one million two hundred thousand cells and zero point two five of them.",
        ),
        ("It fell to -3 overnight.", "It fell to minus three overnight."),
        (
            "The 19th-century novel, his 2nd try, her 23rd.",
            "The nineteenth-century novel, his second try, her twenty-third.",
        ),
        ("Half is 1/2 and 3/4 is more.", "Half is one half and three quarters is more."),
        # money and units
        ("It cost $3.2 million.", "It cost three point two million dollars."),
        ("A ticket was £4.50, or $1.", "A ticket was four pounds fifty, or one dollar."),
        (
            "It weighs 10 kg and runs 5 km at 3 GHz.",
            "It weighs ten kilograms and runs five kilometres at three gigahertz.",
        ),
        ("Wait 100 ms at 20 °C.", "Wait one hundred milliseconds at twenty degrees Celsius."),
        ("He was 1 m tall.", "He was one metre tall."),
        # abbreviations
        (
            "Smith et al. found it, e.g. in Ch. 3.",
            "Smith and colleagues found it, for example in chapter three.",
        ),
        (
            "Dr. Watson vs. Mr. Holmes, i.e. friends.",
            "Doctor Watson versus Mister Holmes, that is friends.",
        ),
        (
            "See Eq. 4 in Sec. 2 of Vol. 1, No. 5.",
            "See equation four in section two of volume one, number five.",
        ),
        # symbols and simple equations
        ("E = mc² and a + b = c.", "E equals mc squared and a plus b equals c."),
        ("So x^2 - 4 = 0.", "So x squared minus four equals zero."),
        (
            "Growth is 2^n, ~5 times & more.",
            "Growth is two to the power of n, about five times and more.",
        ),
        (
            "Then p ≤ 0.05 and n ≥ 30.",
            "Then p is less than or equal to zero point zero five "
            "and n is greater than or equal to thirty.",
        ),
        ("COVID-19 and #3.", "COVID nineteen and number three."),
        # what must not change
        (
            "The Time Traveller (for so it will be convenient to speak of him) was expounding.",
            "The Time Traveller, for so it will be convenient to speak of him, was expounding.",
        ),
        ("He sat in 3 chairs in a row.", "He sat in three chairs in a row."),
        ("No numbers here, just words.", "No numbers here, just words."),
    ],
)
def test_said_as_a_person_says_it(written: str, said: str) -> None:
    assert speech_text(written) == said


def test_no_digit_or_symbol_is_left_for_a_voice_to_guess() -> None:
    text = (
        "In 2019, 42% of 3,500 firms (Table 3) earned €2.5 billion; see Fig. 7 and "
        "pp. 10–12, e.g. the 3rd quarter, at 60 mph, with x + y = 12."
    )
    said = speech_text(text)
    assert not any(ch.isdigit() or ch in "%€+=()" for ch in said), said


def test_script_text_is_not_changed_by_voicing() -> None:
    """It is a pure function: the script keeps what was written."""
    written = "In 1871, 3.5% paid £4."
    speech_text(written)
    assert written == "In 1871, 3.5% paid £4."
