"""Host B's questions, on lines from The Time Machine VII (built as beats by hand; what
is tested is which question each line can answer)."""

from __future__ import annotations

from pipelines.podcast.writers.lines import HostLines
from pipelines.text.digest import Beat
from pipelines.types import Passage


def _beat(text: str, subject: str) -> Beat:
    passage = Passage("p1", "s", "c", 7, text, 0, len(text))
    return Beat(text=text, printed=text, passage=passage, offset=0, score=1.0, subject=subject)


def test_a_story_question_needs_a_line_that_opens_on_its_subject() -> None:
    lines = HostLines(paper=False)
    weena = _beat(
        "Weena had been hugely delighted when the Time Traveller began to carry her.", "Weena"
    )
    asked = lines.question(weena, new_name=None, returning=None)
    assert asked is not None and "Weena" in asked
    stars = _beat(
        "Only forty times had that silent revolution occurred during all the years that "
        "the Time Traveller had traversed.",
        "the Time Traveller",
    )
    # "What becomes of the Time Traveller?" would be answered by star-cycle musing.
    assert lines.question(stars, new_name=None, returning=None) is None


def test_his_for_the_narrators_name_inside_a_sentence_right_after_him() -> None:
    from pipelines.podcast.writers.spoken import vary_name
    from pipelines.text.narration import Narrator

    ishmael = Narrator("Ishmael", "he")
    text = (
        "Ishmael thought he would sail about a little. Some years ago, having little or no "
        "money in Ishmael's purse, he went to sea."
    )
    assert "no money in his purse" in vary_name(text, ishmael).replace("or no ", "no ")
    weena = "Weena ran along by Ishmael. Then Weena put flowers in Ishmael's pockets."
    assert vary_name(weena, ishmael) == weena  # someone else was named: the name stays


def test_no_what_about_or_back_to_the_one_who_tells_the_story() -> None:
    lines = HostLines(paper=False)
    lines.tellers = {"ishmael"}
    beat = _beat("Ishmael goes as a simple sailor, right before the mast.", "Ishmael")
    lines.heard = "Call me Ishmael. Ishmael went to sea."
    assert lines.about(beat) is None
    assert lines.question(beat, new_name=None, returning="Ishmael") != "Back to Ishmael, then?"
    others = HostLines(paper=False)
    others.heard = "Ishmael went to sea."
    assert others.about(beat) is not None  # not the teller


def test_host_b_asks_about_the_deed_the_next_line_tells() -> None:
    """'So what does the Time Traveller decide?' before the line where he decides, not the
    same 'What happens next?' before every line; asked once, then another wording."""
    lines = HostLines(paper=False)
    decides = _beat(
        "Without further delay the Time Traveller determined to make himself arms.",
        "the Time Traveller",
    )
    decides.act = "decide"
    assert lines.act_question(decides) == "So what does the Time Traveller decide?"
    assert lines.act_question(decides) == "What's the Time Traveller's plan, then?"
    group = _beat("The Morlocks went down into the dark again.", "the Morlocks")
    group.act = "go"
    assert lines.act_question(group) == "Where do the Morlocks go from there?"
    later = _beat(
        "Through that long night under the stars the Time Traveller felt like a beast in a trap.",
        "the Time Traveller",
    )
    later.act = "feel"
    assert lines.act_question(later) is None  # the line doesn't open on him


def test_an_anthologys_page_number_is_not_said_with_the_story_title() -> None:
    """'The opening of 193 The Emperor's New Clothes' was heard in the Curry anthology."""
    from pipelines.podcast.material import Segment
    from pipelines.podcast.writers.spoken import spoken_title

    parts = ("the opening of", "the middle of", "the last part of")
    for part in parts:
        segment = Segment("x", [], spoken=f"{part} 193 THE EMPEROR'S NEW CLOTHES")
        assert spoken_title(segment) == f"{part} The Emperor's New Clothes"
