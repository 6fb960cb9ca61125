"""One person named several ways ("Lord Henry", "Henry", and "Harry" as his friends call
him) counted once: titles set aside, then a first name and its nicknames are the same
name (the `nicknames` package's hand-curated table of English names)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

TITLES = {
    "lord", "lady", "sir", "dame", "mr", "mrs", "miss", "ms", "dr", "doctor", "professor",
    "captain", "colonel", "major", "general", "father", "mother", "uncle", "aunt", "king",
    "queen", "prince", "princess", "duke", "duchess", "count", "countess", "saint",
}  # fmt: skip


def _words(name: str) -> list[str]:
    """The name's words without titles: 'Lord Henry' -> ['henry']."""
    words = [w.strip(".").lower() for w in name.split()]
    kept = [w for w in words if w not in TITLES]
    return kept or words


@lru_cache(maxsize=1)
def _namer():  # type: ignore[no-untyped-def]
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def _forms(first: str) -> frozenset[str]:
    """A first name with the names it is short for and its own nicknames."""
    namer = _namer()
    return frozenset({first} | namer.canonicals_of(first) | namer.nicknames_of(first))


def same_person(a: str, b: str) -> bool:
    """'Harry' and 'Lord Henry', 'Elizabeth' and 'Elizabeth Bennet': the same person.
    A lone surname is not matched to a full name ('Bennet' may be any Bennet)."""
    wa, wb = _words(a), _words(b)
    if wa == wb:
        return True
    if len(wa) > 1 and len(wb) > 1 and wa[1:] != wb[1:]:
        return False  # two surnames that differ: two people
    return wa[0] in _forms(wb[0]) or wb[0] in _forms(wa[0])


def people(names: Counter[str]) -> list[tuple[str, int]]:
    """Names grouped by person, most mentioned first: (the person's most used name,
    mentions of all their names)."""
    groups: list[list[tuple[str, int]]] = []
    for name, count in names.most_common():
        for group in groups:
            if any(same_person(name, other) for other, _ in group):
                group.append((name, count))
                break
        else:
            groups.append([(name, count)])
    merged = [(group[0][0], sum(c for _, c in group)) for group in groups]
    return sorted(merged, key=lambda item: -item[1])
