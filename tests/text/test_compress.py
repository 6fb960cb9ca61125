"""Long printed sentences shortened for the ear, by deletion only, never changing what
they claim (real spaCy parse, sentences from the shared books)."""

from __future__ import annotations

from pipelines.text.compress import compress, parallel_lead_ins

HITHERTO = (
    "Hitherto, except during the Time Traveller's night's anguish at the loss of the Time "
    "Machine, he had felt a sustaining hope of ultimate escape, but that hope was staggered "
    "by these new discoveries."
)


def test_a_lead_in_before_the_subject_goes_and_the_pronoun_gets_its_name() -> None:
    said = compress(HITHERTO, "the Time Traveller")
    assert said == (
        "The Time Traveller had felt a sustaining hope of ultimate escape, but that hope "
        "was staggered by these new discoveries."
    )


def test_only_words_of_the_sentence_are_kept() -> None:
    def words(text: str) -> set[str]:
        return set(text.lower().replace("'s", " ").replace(",", " ").replace(".", " ").split())

    assert words(compress(HITHERTO, "the Time Traveller")) <= words(HITHERTO)


def test_a_semicolon_between_whole_clauses_becomes_two_sentences() -> None:
    text = (
        "The Time Traveller was very tired, too, after the excitements of the day; so he "
        "decided that he would not face it, but would pass the night upon the open hill."
    )
    said = compress(text)
    assert "day. So he decided" in said
    assert "would not face it" in said  # the negation stays


def test_conditions_short_sentences_and_quotations_are_left_alone() -> None:
    condition = (
        "If the trace tree is too large, the recorder aborts the trace and the interpreter "
        "resumes execution at the loop header, which costs little."
    )
    assert compress(condition) == condition
    short = "Instinctively the Time Traveller loathed them."
    assert compress(short) == short
    quoted = (
        "In the Time Traveller's words: \"As the hush of evening crept over the world and we "
        "proceeded over the hill crest towards Wimbledon, Weena grew tired and wanted to "
        'return."'
    )
    assert compress(quoted) == quoted


def test_a_cut_that_would_drop_a_negation_is_not_made() -> None:
    text = (
        "Never in all the long years of his wandering over the grey sea, he said, had the "
        "captain of the Pequod seen a whale so white and so large as this one."
    )
    assert "Never" in compress(text)


def test_a_lead_in_that_limits_the_claim_stays() -> None:
    text = (
        "With other men, perhaps, such things would not have been inducements to go on a "
        "long whaling voyage around the world in search of the great whale himself."
    )
    assert compress(text).startswith("With other men")
    text = (
        "In most cases, the patients who completed the programme went back to their family "
        "doctor for the rest of their treatment and did not return to the hospital."
    )
    assert compress(text).startswith("In most cases")


WHENEVER = (
    "Whenever I find myself growing grim about the mouth; whenever it is a damp, drizzly "
    "November in my soul; whenever I find myself involuntarily pausing before coffin "
    "warehouses, and bringing up the rear of every funeral I meet; and especially whenever "
    "my hypos get such an upper hand of me, that it requires a strong moral principle to "
    "prevent me from deliberately stepping into the street, and methodically knocking "
    "people’s hats off—then, I account it high time to get to sea as soon as I can."
)


def test_a_run_of_parallel_lead_ins_keeps_its_first_two_and_the_main_clause() -> None:
    said = parallel_lead_ins(WHENEVER)
    assert said == (
        "Whenever I find myself growing grim about the mouth, whenever it is a damp, "
        "drizzly November in my soul, I account it high time to get to sea as soon as I can."
    )
    assert parallel_lead_ins("If it rains, we stay; if it shines, we go.") is None
