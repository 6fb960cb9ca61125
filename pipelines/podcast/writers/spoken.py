"""How the hosts say things aloud: titles as words ("Chapter seven, Loomings", not
"CHAPTER VII. LOOMINGS."), and the teller as "he" once the listener knows who is meant."""

from __future__ import annotations

import re

from pipelines.podcast.material import Segment
from pipelines.text.narration import Narrator
from pipelines.text.nlp import get_nlp
from pipelines.text.sentences import sentence_texts


def tidy_title(title: str) -> str:
    """'“I—DOWN THE RABBIT-HOLE”' -> 'I: Down The Rabbit-Hole', for saying aloud."""
    title = re.sub(r"[“”\"]", "", title).replace("—", ": ")
    title = re.sub(r"^\d+(\.\d+)*\.?\s+(?=[A-Z])", "", title)  # "193 The Emperor's ..." (a page)
    title = title.replace("Front matter and abstract", "the abstract")
    title = re.sub(r"\b((?:Chapter|Part|Book|Section) [\dIVXLC]+)\.\s+", r"\1, ", title)
    title = title.strip().rstrip(".")

    def soften(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if re.fullmatch(r"[IVXLC]+", word) else word[0] + word[1:].lower()

    return say_numbers(re.sub(r"\b[A-Z][A-Z'-]{2,}\b", soften, title))


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _roman_value(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def number_words(n: int) -> str:
    """7 -> 'seven', 42 -> 'forty-two' (up to 99; larger numbers stay digits)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    return str(n)


def say_numbers(text: str) -> str:
    """'chapter VII' -> 'chapter seven', 'Chapter 12' -> 'Chapter twelve': a voice reads
    numerals as letters ("V I I") or digits; a reader hears words."""

    def spoken(match: re.Match[str]) -> str:
        word, number = match.group(1), match.group(2)
        value = int(number) if number.isdigit() else _roman_value(number)
        return f"{word} {number_words(value)}"

    return re.sub(
        r"\b((?:[Cc]hapter|[Pp]art|[Bb]ook|[Ss]ection|[Vv]olume)) ([IVXLC]+|\d{1,2})\b(?!\.\d)",
        spoken,
        text,
    )


def spoken_title(segment: Segment) -> str:
    spoken = tidy_title(segment.spoken)
    spoken = re.sub(
        r"(^|\bto |\bthe |\bof )\d+(\.\d+)*\.?\s+", r"\1", spoken
    )  # "4.1 Nesting" -> "Nesting"
    return spoken.strip().rstrip(".:")


def vary_name(text: str, narrator: Narrator | None) -> str:
    """'The Time Traveller… The Time Traveller…' -> 'The Time Traveller… He…': a
    sentence that opens on the narrator's name right after one that named only them says
    "he"/"she" (a listener hears the name 25 times otherwise)."""
    if narrator is None or narrator.pronoun not in ("he", "she") or narrator.author:
        return text
    label = narrator.capitalised()
    pronoun = narrator.pronoun.capitalize()
    possessive = "His" if pronoun == "He" else "Her"
    said: list[str] = []
    for sentence in sentence_texts(text):
        previous = said[-1] if said else ""
        others = {  # someone else named ("Weena", "Filby"; the small parser calls them ORG)
            e.text
            for e in get_nlp()(previous).ents
            if e.label_ in ("PERSON", "ORG")
            and e.text.lower() not in label.lower()
            and (e.label_ == "PERSON" or re.fullmatch(r"[A-Z][a-z]+[^s]", e.text))
        }
        if previous and label.lower() in previous.lower() and not others:
            if sentence.startswith(label + "'s "):
                sentence = possessive + sentence[len(label) + 2 :]
            elif sentence.startswith(label + " "):
                sentence = pronoun + sentence[len(label) :]
            else:
                sentence = _possessive_inside(sentence, label, possessive.lower())
        said.append(sentence)
    return " ".join(said)


def _possessive_inside(sentence: str, label: str, possessive: str) -> str:
    """'…came into the Time Traveller's head…' -> '…into his head…', right after a
    sentence that named only him, when nobody else is named before it in this one."""
    at = sentence.lower().find(label.lower() + "'s ")
    if at <= 0:
        return sentence
    before = get_nlp()(sentence[:at]).ents
    if any(e.label_ in ("PERSON", "ORG", "NORP") for e in before):
        return sentence
    return sentence[:at] + possessive + sentence[at + len(label) + 2 :]


def said_authors(authors: list[str]) -> str:
    """'Nuala E. Tully and colleagues': sixteen names read out lose a listener."""
    if len(authors) > 2:
        return f"{authors[0]} and colleagues"
    return " and ".join(authors)
