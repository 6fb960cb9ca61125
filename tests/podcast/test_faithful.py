"""The checks a small model's rewrite must pass before a voice says it. The pairs are
real outputs of the bundled model on shared books and papers, kept or refused by hand."""

from __future__ import annotations

import pytest

from pipelines.podcast.faithful import question_problem, reaction_problem, retelling_problem

ELOI = (
    "However great their intellectual degradation, the Eloi had kept too much of the human "
    "form not to claim the Time Traveller's sympathy, and to make him perforce a sharer in "
    "their degradation and their Fear."
)
FLOWERS = (
    "The Time Traveller paused, put his hand into his pocket, and silently placed two withered "
    "flowers, not unlike very large white mallows, upon the little table."
)
TIRED = (
    "The Time Traveller was very tired, too, after the excitements of the day; so he decided "
    "that he would not face it, but would pass the night upon the open hill."
)
VOYAGE = (
    "Doubtless, my going on this whaling voyage, formed part of the grand programme of "
    "Providence that was drawn up a long time ago."
)
WOOD = (
    "From the brow of the next hill the Time Traveller saw a thick wood spreading wide and "
    "black before him."
)
SPEEDUP = (
    "Our results show that TraceMonkey speeds up the SunSpider benchmarks by a factor of 3.8 "
    "on average, with up to 25 times on some of them."
)


@pytest.mark.parametrize(
    ("retold", "source"),
    [
        (
            "The Time Traveller was very tired. He decided not to face it and slept on the open hill.",
            TIRED,
        ),
        ("The Time Traveller saw a thick wood spreading wide and black from the next hill.", WOOD),
        (
            "TraceMonkey makes the SunSpider benchmarks 3.8 times faster on average, and up to 25 times faster on some.",
            SPEEDUP,
        ),
    ],
)
def test_a_plain_retelling_of_the_same_facts_is_kept(retold: str, source: str) -> None:
    assert retelling_problem(retold, source) is None


@pytest.mark.parametrize(
    ("retold", "source", "why"),
    [
        (  # a story of its own: none of it is in the sentence
            "The Eloi were not happy with their situation. They didn't want to be like "
            "humans. The Time Traveller felt sorry for them. He wanted to help them.",
            ELOI,
            "words of its own",
        ),
        (
            "The Time Traveller paused, took out two withered flowers, and placed them on the table.",
            FLOWERS,
            "negation",
        ),
        (
            "Ishmael was going on a whaling voyage. It was part of a big plan that God had made long ago.",
            VOYAGE,
            "name",
        ),
        (
            "TraceMonkey speeds up the SunSpider benchmarks by 4.5 times on average.",
            SPEEDUP,
            "number",
        ),
        (
            "Is TraceMonkey faster on the SunSpider benchmarks by 3.8 times on average?",
            SPEEDUP,
            "question",
        ),
        (
            "The passage says TraceMonkey speeds up the SunSpider benchmarks 3.8 times.",
            SPEEDUP,
            "text",
        ),
    ],
)
def test_a_retelling_that_changes_or_adds_facts_is_refused(
    retold: str, source: str, why: str
) -> None:
    problem = retelling_problem(retold, source)
    assert problem is not None and why.split()[0] in problem


def test_a_retelling_that_opens_on_a_pronoun_needs_someone_just_named() -> None:
    source = "Loitering under the shady lee of yonder warehouses, they must get just as nigh the water as they possibly can."
    assert "dangling" in str(
        retelling_problem("They want to get as close to the water as they can.", source, "x")
    )
    named = "Ishmael watches the crowds of water-gazers in Manhattan."
    assert (
        retelling_problem("They want to get as close to the water as they can.", source, named)
        is None
    )


def test_a_question_must_be_answered_by_the_line_after_it() -> None:
    before = "The Time Traveller thought of the Great Fear between the two species."
    after = "The Time Traveller was very tired after the excitements of the day, so he would pass the night upon the open hill."
    assert question_problem("Why did the Time Traveller stay on the hill?", before, after) is None
    assert "not answered" in str(
        question_problem("What did the Time Traveller see in the Under-world?", before, after)
    )
    assert "generic" in str(
        question_problem("What is the significance of the hill?", before, after)
    )
    assert "new name" in str(question_problem("What did Ada do on the hill?", before, after))
    assert "not a question" in str(question_problem("He stays on the hill.", before, after))


def test_a_reaction_restates_a_fact_just_said_and_nothing_else() -> None:
    before = "Manuel sold Buck to a stranger to pay his gambling debts."
    assert reaction_problem("He sold Buck to pay gambling debts?", before) is None
    assert "new name" in str(reaction_problem("He sold Buck to a circus in Alaska?", before))
    assert "not a fact" in str(reaction_problem("He sold Buck to a cruel circus owner?", before))
    assert "generic" in str(reaction_problem("That surprised you, right?", before))
    assert "not a reaction" in str(reaction_problem("Manuel sold Buck.", before))
    assert "not a reaction" in str(reaction_problem("Why did Manuel sell Buck?", before))
