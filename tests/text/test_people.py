"""One person named several ways is one person; two people who share a surname are two."""

from __future__ import annotations

from collections import Counter

from pipelines.text.people import people, same_person


def test_titles_nicknames_and_first_names() -> None:
    assert same_person("Harry", "Lord Henry")  # Harry is what his friends call Henry
    assert same_person("Lord Henry", "Henry Wotton")
    assert same_person("Elizabeth", "Elizabeth Bennet")
    assert same_person("Mr. Darcy", "Darcy")


def test_different_people_stay_apart() -> None:
    assert not same_person("Basil", "Dorian")
    assert not same_person("Bennet", "Elizabeth Bennet")  # a lone surname may be any Bennet
    assert not same_person("Jane Bennet", "Jane Fairfax")
    assert not same_person("Filby", "Weena")


def test_people_sums_a_persons_names_and_keeps_the_most_used() -> None:
    counts = Counter({"Harry": 5, "Lord Henry": 6, "Dorian": 4, "Basil": 3})
    assert people(counts) == [("Lord Henry", 11), ("Dorian", 4), ("Basil", 3)]
