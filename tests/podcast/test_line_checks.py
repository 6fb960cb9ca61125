"""The checks on a model's script name what is wrong in words a model can act on, and
the last-resort mending never leaves a question unanswered or a host speaking twice."""

from __future__ import annotations

from pipelines.podcast.writers.dialogue import Line, parse_lines
from pipelines.podcast.writers.line_checks import Checker
from pipelines.podcast.writers.repair import mend

TEXT = (
    "Manuel sold Buck to a stranger for a hundred dollars in 1897. Buck was kidnapped "
    "from Judge Miller's place. \"He's no slouch at dog-breakin',\" said the man in the red sweater."
)


def _checker(one_host: bool = False) -> Checker:
    return Checker(TEXT + " Ada Ben", ("Ada", "Ben"), one_host=one_host)


def test_lines_are_parsed_with_their_keys_beats_and_no_chatter() -> None:
    reply = (
        "<think>plan first</think>\n[[1]]\n**Ada:** Manuel sold Buck. [P1]\n"
        "Ben: For how much? (P1)\nNarrator: ignored\n[[2]]\nAda - A hundred dollars [P1, P2]\n"
        "and in 1897.\n"
    )
    lines = parse_lines(reply, ("Ada", "Ben"))
    assert [(x.speaker, x.beat) for x in lines] == [("Ada", 1), ("Ben", 1), ("Ada", 2)]
    assert lines[0].text == "Manuel sold Buck." and lines[0].keys == ["P1"]
    assert lines[2].text == "A hundred dollars and in 1897." and lines[2].keys == ["P1", "P2"]


def test_invented_names_numbers_and_misquotes_are_named() -> None:
    check = _checker().line_problem
    assert check("Buck was sold for a hundred dollars in 1897.") is None
    assert "Thornton" in (check("And then Buck met Thornton, who saved him.") or "")
    assert "1903" in (check("That happened in 1903, years later.") or "")
    assert check("The man said, \"He's no slouch at dog-breakin'.\"") is None
    misquote = check('The man said, "he is the best dog breaker in the whole wide world."')
    assert misquote and "word for word" in misquote
    assert "markup" in (check("**Buck** was sold.") or "")


def test_structure_problems_are_found_per_line() -> None:
    lines = [
        Line("Ada", "Welcome to the show about Buck."),
        Line("Ben", "Who sold him?"),
        Line("Ben", "And for how much?"),
        Line("Ada", "Manuel sold him for a hundred dollars."),
        Line("Ben", "Would you have done it?"),
    ]
    reasons = [p.reason for p in _checker().structure(lines)]
    assert any("twice in a row" in r for r in reasons)
    assert sum("not answered" in r for r in reasons) == 2


def test_length_and_host_b_share_are_whole_script_problems() -> None:
    lines = [Line("Ada", "Buck was sold by Manuel to a stranger. " * 10), Line("Ben", "Really.")]
    reasons = [p.reason for p in _checker().shape(lines, words=750)]
    assert any("must have about 750" in r for r in reasons)
    assert any("Ben says only" in r for r in reasons)


def test_mending_drops_failing_sentences_and_keeps_the_structure() -> None:
    lines = [
        Line("Ada", "Manuel sold Buck. Then Thornton saved him in 1903."),
        Line("Ben", "Who was Thornton?"),
        Line("Ben", "And why did Manuel sell him?"),
        Line("Ada", "For a hundred dollars."),
        Line("Ben", "Wait, is that all?"),
    ]
    mended, count = mend(lines, _checker())
    texts = [(x.speaker, x.text) for x in mended]
    assert texts[0] == ("Ada", "Manuel sold Buck.")
    assert all(a.speaker != b.speaker for a, b in zip(mended, mended[1:], strict=False))
    assert not mended[-1].text.endswith("?")
    assert count >= 2
