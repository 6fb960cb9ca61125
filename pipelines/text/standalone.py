"""What makes one sentence of a text stand alone when heard once, out of its place: a
leading connective dropped, a leading "he"/"This" given its name or the sentence before,
a "his" with nobody before it caught, a short "This is…" brought along, a dash aside
left out. The digest (`text/digest.py`) applies these to the sentences it picks.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.text.clauses import subject_name
from pipelines.text.narration import Narrator, authors_in_third_person, to_third_person
from pipelines.text.prose import is_prose, speakable
from pipelines.types import Passage

CONNECTIVE = re.compile(
    r"^(?:(?:But|And|Yet|So(?! far| much| long| many| few)|Then|Thus|Therefore|Hence|Moreover|Meanwhile|Also|Or|Furthermore|"
    r"Consequently|Accordingly|Of course)\b,?|(?:However|Still|Now|Well|Again|Indeed|"
    r"Instead|Finally|Lastly|Doubtless|Surely|Certainly|Anyway|Further|Likewise|Similarly|"
    r"Besides|Yes|No|True|Nay|In addition|Additionally|In particular),)\s+"
)  # the second group only with its comma: "However great..." is no connective
PRONOUN_START = {"he", "she", "they", "it", "his", "her", "their", "its", "him", "them"}
DEMONSTRATIVE_START = {"this", "these", "those", "that", "such"}
PUNCHLINE = re.compile(r"^(This|That|It|Such) (is|was|'s)\b")


def punchline_after(told: str, follower: Any, narrator: Narrator | None) -> str | None:
    """'…then, I account it high time to get to sea. This is my substitute for pistol and
    ball.': the short "This is…" right after a told sentence, as it is said after it
    (it is that sentence's point, and dangles alone); None when there is none."""
    text = follower.text.strip()
    if (
        not PUNCHLINE.match(text)
        or not 4 <= len(text.split()) <= 14
        or not text.endswith(".")
        or re.search(r"[“”\"]", text)
        or len(told.split()) + len(text.split()) > 60
    ):
        return None
    if re.search(r"\b(I|my|me|myself)\b", text):
        third = to_third_person(follower, narrator) if narrator else None
        if narrator is None or third is None:
            return None
        label = narrator.label
        if narrator.pronoun and label in told:  # named already: "his"
            his = {"he": "his", "she": "her"}.get(narrator.pronoun, label + "'s")
            third = third.replace(f"{label}'s", his, 1)
            third = re.sub(rf"\b{re.escape(label)}\b", narrator.pronoun, third, count=1)
        text = third
    return speakable(text)


def told_in_first_person(passages: list[Passage]) -> bool:
    """An "I" tells it: 'I' outside dialogue at least once per 150 words."""
    said = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^‘]*’(?!\w)")  # Alice's ‘…’ too
    mine = words = 0
    for passage in passages:
        text = passage.text
        close = re.search(r"[”’](?!\w)", text)
        if close and not re.search(r"[“‘]", text[: close.start()]):
            text = text[close.end() :]  # it starts inside a line of dialogue
        mine += len(re.findall(r"\b(?:I|my|me)\b", said.sub(" ", text)))
        words += len(text.split())
    return mine >= words / 150


_PERSONAL = {"he", "him", "his", "she", "her", "hers"}
_PEOPLE = re.compile(
    r"(?i)^(man|men|woman|women|boy|girl|child|king|queen|emperor|minister|captain|father|"
    r"mother|sister|brother|wife|husband|friend|doctor|traveller|stranger|lady|gentleman|"
    r"officer|soldier|sailor|master|servant|fellow|creature|person|host|guest|old|son|"
    r"daughter|uncle|aunt|prince|princess|rascal|swindler|judge|dog|cat)s?$"
)


def unanchored_pronoun(doc: Any, first_resolved: bool) -> bool:
    """A 'his' or 'she' with nobody before it in the sentence for it to mean ('There stand
    his trees'), when the sentence is heard alone. A leading pronoun that got its name
    is anchored; first-person narration is told with the narrator's name."""
    tokens = list(doc)[1:] if first_resolved else list(doc)
    for token in tokens:
        if token.lower_ in ("i", "me", "my"):
            return False  # the narrator's own sentence: it is told with his name first
        if token.pos_ == "PROPN" or token.ent_type_ == "PERSON" or _PEOPLE.match(token.text):
            return False
        if token.lower_ in _PERSONAL and token.pos_ == "PRON":
            return True
    return False


def has_finite_root(doc: Any) -> bool:
    """Its main verb is finite ('he lowered', 'she had gone'), not a bare '-ing' or '-ed'."""
    root = next(iter(doc.sents)).root
    if root.pos_ not in ("VERB", "AUX"):
        return root.pos_ not in ("NOUN", "PRON", "DET", "NUM", "ADJ")  # odd parses pass
    return root.tag_ not in ("VBG", "VBN") or any(
        c.dep_ in ("aux", "auxpass") for c in root.children
    )


_DASH_ASIDE = re.compile(r"\s*[—–]\s*([^—–“”\"]{3,140}?)\s*[—–]\s*")
_NEGATION = re.compile(r"\b(not|no|never|nothing|none|nor|without)\b|n't", re.I)


def without_dash_aside(text: str) -> str:
    """'Feeling tired — my feet, in particular, were very sore — I lowered her': a long
    sentence's aside between dashes goes (a listener hears no dashes), unless it denies
    something; a quotation is never cut (the caller keeps those whole)."""
    if len(text.split()) <= 22:
        return text
    match = _DASH_ASIDE.search(text)
    if not match or len(match.group(1).split()) > 20 or _NEGATION.search(match.group(1)):
        return text
    return text[: match.start()] + ", " + text[match.end() :]


_TIME_NOUNS = {
    "time", "moment", "day", "night", "morning", "evening", "hour", "instant", "point",
    "year", "week", "season", "age", "period", "minute", "way",
}  # fmt: skip


def early_back_reference(doc: Any) -> bool:
    """A demonstrative among the first words, after the first, that points back at
    something the listener didn't hear: "Chief among these motives…", "At first, this
    sort of thing is unpleasant", "Only forty times had that silent revolution occurred".
    Not "at that time" or "these Eloi" (a name says what it is)."""
    for token in doc[1:6]:
        if token.lower_ not in ("this", "that", "these", "those"):
            continue
        if token.dep_ == "det" and token.head.pos_ != "PROPN":
            return token.head.lower_ not in _TIME_NOUNS
        if token.dep_ == "pobj":  # "among these"
            return True
    return False


def resolve_start(
    text: str,
    start: str,
    previous: Any,
    doc: Any,
    narrator: Narrator | None,
    tale: bool,
    paper: bool = False,
) -> str | tuple[str, str] | None:
    """Make a sentence that opens on 'He'/'This'/'It' stand alone, or give up (None)."""
    if start in DEMONSTRATIVE_START and len(doc) > 1 and doc[1].pos_ in ("NOUN", "ADJ", "PROPN"):
        # "This approach works" -> "The approach works"; "These Eloi were…" -> "The Eloi…"
        return "The " + text.split(" ", 1)[1]
    if previous is None:
        return None
    if start in ("he", "she", "his", "her", "him"):
        people = list(dict.fromkeys(e.text for e in previous.ents if e.label_ == "PERSON"))
        subject = subject_name(previous)
        name = subject if subject in people else (people[0] if len(people) == 1 else None)
        if name:
            word = text.split(" ", 1)
            replacement = name + "'s" if start in ("his", "her") else name
            return replacement + " " + (word[1] if len(word) > 1 else "")
    return with_sentence_before(text, previous, doc, paper)


def with_sentence_before(
    text: str, previous: Any, doc: Any, paper: bool = False
) -> tuple[str, str] | None:
    """The sentence before and this one, told together, when the one before is short,
    plain prose that itself stands alone ("Here is an artist. There stand his trees…")."""
    if previous is None:
        return None
    prev_text = previous.text.strip()
    if not is_prose(prev_text) or len(prev_text.split()) > 30 or "?" in prev_text:
        return None
    first = re.match(r"[“\"]?([A-Za-z]+)", CONNECTIVE.sub("", prev_text))
    if not first or first.group(1).lower() in PRONOUN_START | DEMONSTRATIVE_START:
        return None
    if early_back_reference(previous):  # "Chief among these motives…" needs its own before
        return None
    if re.search(r"[“”\"]", prev_text) or re.search(r"\b(I|my|me)\b", prev_text):
        return None  # told as it stands, so nobody's "I" can come along
    if re.search(r"\b([Ww]e|[Oo]ur|us)\b", prev_text):
        told = authors_in_third_person(previous) if paper else None  # "the authors describe"
        if told is None:
            return None
        prev_text = told
    joined = CONNECTIVE.sub("", prev_text) + " " + text
    return joined, prev_text + " " + doc.text.strip()
