"""Passage keys in prompts ("[P3] text…") and in what a model writes back.

Models cite in many forms: "[P1]", "[P1, P2]", "[P1-P3]", "(P3)", "[1][2]", "【P4】".
`take_keys` finds every form, returns the text with the keys removed (a voice never
reads them) and the keys in order, so they become metadata of the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.types import Passage

_ONE = r"P?\s*\d{1,4}"
_P_ONE = r"P\s*\d{1,4}"
_JOIN = r"\s*(?:,|;|&|and|[-–—]|to)\s*"
# square brackets may hold bare numbers ("[1][2]"); parentheses only P-keys, so a year
# or an enumeration in parentheses ("(1871)", "(3)") stays text
_GROUP = re.compile(
    rf"\s*(?:[\[【]\s*(?:passages?\s*)?({_ONE}(?:{_JOIN}{_ONE})*)\s*[\]】]"
    rf"|\(\s*(?:passages?\s*)?({_P_ONE}(?:{_JOIN}{_P_ONE})*)\s*\))",
    re.I,
)
_BARE_TAIL = re.compile(r"\s*\b(P\d{1,4}(?:\s*(?:,|and)\s*P\d{1,4})*)\s*$")
_NUM = re.compile(r"\d{1,4}")


def key_of(n: int) -> str:
    return f"P{n}"


def keyed_passages(
    passages: Sequence[Passage], *, start: int = 1
) -> tuple[str, dict[str, Passage]]:
    """'[P1] text\n\n[P2] text…' and key -> passage, keys numbered from `start`."""
    keys = {key_of(n): p for n, p in enumerate(passages, start)}
    text = "\n\n".join(f"[{k}] {' '.join(p.text.split())}" for k, p in keys.items())
    return text, keys


def take_keys(text: str) -> tuple[str, list[str]]:
    """(text without any citation keys, the keys it cited as "P<n>", in order)."""
    found: list[str] = []

    def collect(match: re.Match[str]) -> str:
        found.extend(_expand(next(g for g in match.groups() if g)))
        return ""

    cleaned = _GROUP.sub(collect, text)
    cleaned = _BARE_TAIL.sub(collect, cleaned)
    cleaned = re.sub(r"\s+([,.;:!?])", r"\1", cleaned)
    return " ".join(cleaned.split()), list(dict.fromkeys(found))


def _expand(group: str) -> list[str]:
    """'P1, P3-P5' -> P1, P3, P4, P5 (a range only when short and ascending)."""
    keys: list[str] = []
    parts = re.split(r"\s*(,|;|&|and|[-–—]|to)\s*", group, flags=re.I)
    previous: int | None = None
    ranged = False
    for part in parts:
        if re.fullmatch(r"[-–—]|to", part, flags=re.I):
            ranged = True
            continue
        number = _NUM.search(part)
        if not number:
            continue
        value = int(number.group())
        if ranged and previous is not None and 0 < value - previous <= 20:
            keys.extend(key_of(n) for n in range(previous + 1, value + 1))
        else:
            keys.append(key_of(value))
        previous, ranged = value, False
    return keys
