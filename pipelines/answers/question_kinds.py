"""Answer-type cues for extractive answers: a question asks for a kind of thing (a person,
a time, a number, a material, a reason), and a sentence that contains such a thing is a
better answer than one that only repeats the question's words.

Classic extractive-QA heuristics, kept deliberately small and general.
"""

from __future__ import annotations

import re

_MATERIALS = (
    "ivory brass metal metallic steel iron gold silver copper bronze nickel tin lead wood wooden "
    "timber glass crystal crystalline quartz stone marble clay leather paper cloth silk cotton "
    "wool plastic rubber bone porcelain concrete brick"
).split()
_TIME_WORDS = (
    "year years century centuries day days night nights morning evening hour hours minute "
    "minutes week weeks month months ago when then until after before since during dawn dusk "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
).split()
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "hundred hundreds thousand thousands million millions billion dozen half first second third "
    "fourth fifth percent"
).split()
_REASON_WORDS = "because since therefore thus so hence reason caused cause due consequently".split()
_PLACE_WORDS = "in at near under over beside inside outside into across behind between".split()

_NAME = re.compile(r"(?<![.!?“\"]\s)(?<!^)\b[A-Z][a-z]{2,}")
_DIGITS = re.compile(r"\b\d[\d,.]*\b")

_TYPES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\bmade (of|from|out of)\b|\bmaterials?\b|\bconsist(s|ed)? of\b", re.I),
        "material",
    ),
    (re.compile(r"^\s*who\b|\bwho (is|was|were|are)\b|\bwhose\b", re.I), "person"),
    (re.compile(r"^\s*when\b|\bwhat (year|time|day|date)\b|\bhow long\b", re.I), "time"),
    (re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage)\b", re.I), "number"),
    (re.compile(r"^\s*why\b|\bwhat (caused|causes|made)\b|\breason\b", re.I), "reason"),
    (re.compile(r"^\s*where\b", re.I), "place"),
]


def answer_type(question: str) -> str | None:
    for pattern, kind in _TYPES:
        if pattern.search(question):
            return kind
    return None


def has_cue(kind: str | None, text: str) -> bool:
    """Whether `text` contains the kind of thing the question asks for."""
    if kind is None:
        return False
    words = set(re.findall(r"[a-z]+", text.lower()))
    if kind == "material":
        return bool(words & set(_MATERIALS))
    if kind == "person":
        return bool(_NAME.search(text))
    if kind == "time":
        return bool(words & set(_TIME_WORDS) or re.search(r"\b1\d{3}\b|\b20\d{2}\b", text))
    if kind == "number":
        return bool(words & set(_NUMBER_WORDS) or _DIGITS.search(text))
    if kind == "reason":
        return bool(words & set(_REASON_WORDS))
    if kind == "place":
        return bool(words & set(_PLACE_WORDS) and _NAME.search(text))
    return False
