"""Why-questions the text answers, formed from its own causal sentences (real spaCy
parse; sentences from the shared books and papers)."""

from __future__ import annotations

from pipelines.text.questions import why_question

SAILOR = (
    "Ishmael always goes to sea as a sailor, because they make a point of paying him for "
    "his trouble, whereas they never pay passengers a single penny that he ever heard of."
)


def test_host_b_asks_the_main_clause_and_host_a_answers_with_its_reason() -> None:
    found = why_question(SAILOR)
    assert found is not None
    assert found.question == "Why does Ishmael always go to sea as a sailor?"
    assert found.answer.startswith("Because they make a point of paying him")


def test_the_question_keeps_the_tense_and_inverts_a_copula() -> None:
    said = why_question("The Time Traveller was afraid of the dark because the Morlocks hunted.")
    assert said is not None and said.question == "Why was the Time Traveller afraid of the dark?"
    chose = why_question("The authors chose trace trees because they nest loops cheaply.")
    assert chose is not None and chose.question == "Why did the authors choose trace trees?"


def test_no_question_when_the_reason_belongs_to_a_clause_inside_the_sentence() -> None:
    # Free Culture, introduction: the chickens died because of the planes; the lawsuit
    # was not filed "because of low-flying aircraft".
    text = (
        "When North Carolina farmers Thomas Lee and Tinie Causby started losing chickens "
        "because of low-flying military aircraft, the Causbys filed a lawsuit."
    )
    assert why_question(text) is None


def test_no_question_without_a_subject_a_listener_can_picture() -> None:
    assert why_question("He went back because the night was cold and dark.") is None
    assert why_question("Passengers get sea-sick and do not enjoy themselves much.") is None
    assert why_question("He did not go because he was afraid of the dark.") is None


def test_no_question_from_a_reason_in_parentheses_or_a_that_clause() -> None:
    # TraceMonkey: "Why is the problem that outer loop traces often abort…?" was asked.
    text = (
        "The problem is that outer loop traces often abort during startup (because the "
        "inner tree is not available or takes a side exit), which would lead to their being "
        "quickly blacklisted by the basic algorithm."
    )
    assert why_question(text) is None
