"""Who says "I" in a book, so a host never says a character's words as her own.

A first-person sentence is retold in the third person ("I took the lever" -> "The Time
Traveller took the lever") when the narrator's name and pronoun are known from the
text; otherwise the beat is read as a quotation with whose words it is.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

_CALL_ME = re.compile(r"\b(?:Call me|[Mm]y name (?:is|was)) ([A-Z][a-z]+)")
_TITLED = re.compile(r"\bthe ((?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?)\b")
_NOT_PEOPLE = {"Lord", "God", "English", "Thames", "Sun", "Moon", "Earth", "World", "Museum"}


@dataclass(frozen=True)
class Narrator:
    label: str  # "Ishmael", "the Time Traveller", "the narrator"
    pronoun: str | None  # "he" | "she" | None when the text doesn't say
    author: bool = False  # the author speaking in non-fiction: named each time if need be

    def capitalised(self) -> str:
        return self.label[:1].upper() + self.label[1:]

    def possessive_label(self) -> str:
        """'In Ishmael's' / "In the narrator's" — the lead-in of a quotation."""
        return f"In {self.label}'s"


def find_narrator(book_text: str, authors: list[str] | None = None) -> Narrator:
    """The first-person narrator of a book: "Call me Ishmael"-style lines; in a book
    that is not a story (hardly any dialogue), the author; else 'the narrator'."""
    named = _CALL_ME.search(book_text)
    if named:
        name = named.group(1)
        return Narrator(name, _pronoun_near(book_text, name))
    if authors and not _is_story(book_text):
        surname = authors[0].split()[-1]
        return Narrator(surname, _pronoun_near(book_text, surname), author=True)
    return Narrator("the narrator", None)


def _is_story(text: str) -> bool:
    """Fiction has characters who speak: quoted lines with a 'said' beside them."""
    said = len(
        re.findall(
            r"[”\"],? (?:said|cried|asked|replied)\b|\b(?:said|cried|asked|replied) [A-Z]", text
        )
    )
    return said * 10_000 >= 3 * max(1, len(text.split()))


def find_teller(book_text: str) -> Narrator | None:
    """The character who tells a story inside quotes (the Time Traveller): the most
    frequent 'the Xxx' title in the book, when it is frequent enough to be a person."""
    counts = Counter(m.group(1) for m in _TITLED.finditer(book_text))
    for title, n in counts.most_common(5):
        if n >= 20 and title.split()[0] not in _NOT_PEOPLE:
            label = f"the {title}"
            pronoun = _pronoun_near(book_text, label)
            if pronoun:
                return Narrator(label, pronoun)
    return None


def _pronoun_near(text: str, name: str) -> str | None:
    he = she = 0
    for match in re.finditer(re.escape(name), text):
        after = text[match.end() : match.end() + 120].lower()
        he += len(re.findall(r"\b(he|his|him|himself)\b", after))
        she += len(re.findall(r"\b(she|her|hers|herself)\b", after))
    if he + she < 3:
        return None
    return "he" if he >= 2 * she else "she" if she >= 2 * he else None


_OBJECT = {"he": "him", "she": "her"}
_POSSESSIVE = {"he": "his", "she": "her"}
_REFLEXIVE = {"he": "himself", "she": "herself"}
_SAME_IN_PAST = {
    "put",
    "set",
    "cut",
    "let",
    "hit",
    "shut",
    "read",
    "cast",
    "hurt",
    "spread",
    "quit",
    "beat",
    "burst",
    "cost",
    "thrust",
    "split",
    "shed",
    "bid",
}
_THIRD = {"am": "is", "'m": "'s", "have": "has", "'ve": "'s", "do": "does", "are": "is"}


def to_third_person(doc: Any, narrator: Narrator) -> str | None:
    """'I took the lever' -> 'The Time Traveller took the lever'; None if it can't be
    done cleanly (the narrator's pronoun is unknown, or the sentence says 'we'/'you')."""
    if narrator.pronoun is None and not narrator.author:
        return None
    if narrator.pronoun is None and any(t.lower_ in ("myself", "mine") for t in doc):
        return None
    if any(t.lower_ in ("we", "us", "our", "ours", "you", "your", "ourselves") for t in doc):
        return None
    he = narrator.pronoun
    out: list[str] = []
    named = False
    subject_i = {t.head.i for t in doc if t.text == "I"}  # verbs whose subject is "I"
    for token in doc:
        word = token.text
        lower = token.lower_
        if word == "I":
            word = he if named and he else narrator.label
            named = True
        elif lower == "me":  # "sway me to my wish" -> "sway Ishmael to his wish"
            word = _OBJECT[he] if named and he else narrator.label
            named = True
        elif lower == "my":
            word = _POSSESSIVE[he] if named and he else narrator.label + "'s"
            named = True
        elif lower == "mine" and he:
            word = "his" if he == "he" else "hers"
        elif lower == "myself" and he:
            word = _REFLEXIVE[he]
        elif _agrees_with_i(token, subject_i) and lower not in _SAME_IN_PAST:
            word = _THIRD.get(lower, _third_person_verb(word))
        elif lower in ("'m", "'ve") and token.head.i in subject_i:
            word = _THIRD[lower]
        out.append(word + token.whitespace_)
    text = "".join(out).strip().strip('“”"')
    text = re.sub(r"[“”\"]", "", text)
    return text[:1].upper() + text[1:]


def _agrees_with_i(token: Any, subject_i: set[int]) -> bool:
    """A present-tense verb or auxiliary whose subject is 'I' ('I do not mean', 'I am')."""
    if token.tag_ != "VBP":
        return False
    if token.i in subject_i:
        return True
    return token.dep_ in ("aux", "auxpass") and token.head.i in subject_i


def _third_person_verb(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


_AUTHORS = {"we": "they", "us": "them", "our": "their", "ours": "theirs", "ourselves": "themselves"}


def authors_in_third_person(doc: Any) -> str | None:
    """A paper's 'we' told by a host: 'We present X; our results...' -> 'The authors
    present X; their results...'. None when the sentence has no 'we'."""
    if not any(t.lower_ in _AUTHORS for t in doc):
        return None
    out: list[str] = []
    named = False
    for token in doc:
        word = token.text
        if token.lower_ in _AUTHORS:
            if not named and token.lower_ in ("we", "our"):
                word = "the authors" if token.lower_ == "we" else "the authors'"
            else:
                word = _AUTHORS[token.lower_]
            named = True
        out.append(word + token.whitespace_)
    text = "".join(out).strip()
    return text[:1].upper() + text[1:]
