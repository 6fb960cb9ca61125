"""Is a model's rewrite of a line still the text's? Checks a small model's retelling or
question against the lines it was made from, before a voice says it.

A small model (1.5B parameters) writes fluent lines but sometimes swaps who did what,
brings in a name, number or ending of its own, or drops a "not". These checks catch
what can be caught from the words and the parse: names, numbers, negation, new nouns,
length and register. A line that fails is not voiced; the extractive line stays.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from pipelines.podcast.checks import line_problem
from pipelines.text.nlp import get_nlp

_NEGATIONS = {
    "not", "n't", "never", "no", "nothing", "nobody", "none", "neither", "nor", "without",
    "cannot", "nowhere", "hardly", "scarcely",
}  # fmt: skip
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
    "hundred": "100", "thousand": "1000", "half": "0.5", "once": "1", "twice": "2",
    "first": "1", "second": "2", "third": "3",
}  # fmt: skip
# A plain retelling swaps some words for everyday ones; one that brings in more than this
# share of its own content words is telling something else (measured on retellings that
# kept vs. changed the facts: see tests/podcast/test_faithful.py).
NEW_CONTENT_SHARE = 0.45
# Everyday words a plain retelling brings in without adding a fact.
_PLAIN = {
    "peopl", "person", "thing", "way", "lot", "one", "time", "realli", "also", "get", "got",
    "make", "made", "go", "went", "do", "did", "say", "said", "like", "just", "abl",
    "author",
}  # fmt: skip
_FIRST_PERSON = re.compile(r"\b(I|me|my|mine|we|us|our|ours)\b")
_META = re.compile(
    r"\b(passage|sentence|paragraph|retell\w*|rewrit\w*|as an ai|language model|the text says|"
    r"the author says|in summary|here is|here's the|(?:first|second|other|co-?) ?host)\b",
    re.I,
)
_GENERIC_QUESTION = re.compile(
    r"\b(significance|main idea|main point|purpose of|the author|this sentence|the passage|"
    r"the text|mentioned|described|tell me more|what else|any more|you|your)\b",
    re.I,
)


def _words(text: str) -> set[str]:
    """Lowercased words, with and without a possessive "'s"."""
    found = {w.lower() for w in re.findall(r"[A-Za-z]+(?:['’][a-z]+)?|\d+(?:\.\d+)?", text)}
    found |= {re.sub(r"['’]s$", "", w) for w in found}
    return found | {_stem(w) for w in found}


_STEMMER = Stemmer.Stemmer("english")


def _stem(word: str) -> str:
    """Snowball stem, one spelling for British and American ('programme', 'program')."""
    word = re.sub(r"(?<=[a-z]{3})(our|tre|mme)(?=s?$)", lambda m: _US[m[1]], word.lower())
    return str(_STEMMER.stemWord(word))


_US = {"our": "or", "tre": "ter", "mme": "m"}


@lru_cache(maxsize=512)
def _parse(text: str):  # type: ignore[no-untyped-def]
    return get_nlp()(text)


def proper_names(text: str) -> list[str]:
    """The proper nouns of `text` as written ('Passengers' at a sentence start is none)."""
    return [t.text for t in _parse(text) if t.pos_ == "PROPN"]


def _names(text: str) -> set[str]:
    """Proper names and entities, lowercased word by word."""
    doc = _parse(text)
    found = {t.text.lower() for t in doc if t.pos_ == "PROPN" and t.text[:1].isupper()}
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "WORK_OF_ART", "EVENT"):
            found.update(w.lower() for w in re.findall(r"[A-Za-z]+", ent.text) if w[:1].isupper())
    return found - {"i"}


def _numbers(text: str) -> set[str]:
    found = set(re.findall(r"\d+(?:\.\d+)?", text.replace(",", "")))
    found.update(_NUMBER_WORDS[w] for w in _words(text) if w in _NUMBER_WORDS)
    return found


def _negations(text: str) -> int:
    """How many negating words: a retelling keeps every one ('never as a cook' must not
    become 'was a cook' because another 'never' survived)."""
    words = re.findall(r"[a-z]+(?:n't)?", text.lower().replace("’", "'"))
    return sum(w in _NEGATIONS or w.endswith("n't") for w in words)


def _nouns(text: str) -> set[str]:
    return {_stem(t.text) for t in _parse(text) if t.pos_ in ("NOUN", "PROPN")}


def _content(text: str) -> set[str]:
    """Lemmas of the words that carry facts: nouns, verbs, adjectives, adverbs."""
    kinds = ("NOUN", "PROPN", "VERB", "ADJ", "ADV")
    return {_stem(t.text) for t in _parse(text) if t.pos_ in kinds and not t.is_stop}


def _lemmas(text: str) -> set[str]:
    """Words and their stems (the shared parser runs without a lemmatizer, for speed)."""
    words = _words(text)
    return words | {_stem(w) for w in words}


def retelling_problem(retold: str, source: str, previous: str = "") -> str | None:
    """Why `retold` is not a faithful, speakable retelling of `source` (said after
    `previous`), or None."""
    retold = retold.strip()
    if not retold:
        return "empty"
    n_out, n_src = len(retold.split()), len(source.split())
    if n_out > 1.25 * n_src + 6:
        return "longer than the text"
    if n_out < min(6, n_src):
        return "too short"
    if "?" in retold:
        return "a question"
    if _META.search(retold):
        return "talks about the text instead of telling it"
    if _FIRST_PERSON.search(retold) and not _FIRST_PERSON.search(source):
        return "first person"
    if re.search(r"[“”\"]", retold) and not re.search(r"[“”\"]", source):
        return "quotes"
    source_words = _words(source) | _lemmas(source)
    new_names = {n for n in _names(retold) if n not in source_words}
    if new_names:
        return f"new name(s): {', '.join(sorted(new_names))}"
    new_numbers = _numbers(retold) - _numbers(source)
    if new_numbers:
        return f"new number(s): {', '.join(sorted(new_numbers))}"
    if _negations(retold) != _negations(source):
        return "negation changed"
    new_nouns = _nouns(retold) - source_words - _PLAIN
    if len(new_nouns) > max(2, 0.3 * len(_nouns(retold))):
        return f"new nouns: {', '.join(sorted(new_nouns))}"
    content = _content(retold) - _PLAIN
    new = content - source_words
    if len(new) > max(2, NEW_CONTENT_SHARE * len(content)):
        return f"too many words of its own: {', '.join(sorted(new))}"
    return line_problem(retold, previous or source)


def question_problem(question: str, before: str, after: str) -> str | None:
    """Why `question` can't be host B's line between `before` and `after` (the line that
    must answer it), or None when it can."""
    question = question.strip()
    if not question.endswith("?"):
        return "not a question"
    words = len(question.split())
    if words < 3 or words > 18:
        return "length"
    if question.count("?") > 1 or re.search(r"[.!]\s+\S", question):
        return "more than one sentence"
    if _GENERIC_QUESTION.search(question) or _META.search(question):
        return "generic"
    if _FIRST_PERSON.search(question.replace("I'm", "")) and not re.match(
        r"(So |Wait, )?(do|did|can|could|should) (we|I)\b", question, re.I
    ):
        return "first person"
    known = _words(before) | _words(after) | _lemmas(before) | _lemmas(after)
    new_names = {n for n in _names(question) if n not in known}
    if new_names:
        return f"new name(s): {', '.join(sorted(new_names))}"
    if _numbers(question) - _numbers(before + " " + after):
        return "new number"
    if not _taken_up(question, after, before):
        return "not answered by the next line"
    return None


def reaction_problem(reaction: str, before: str) -> str | None:
    """Why `reaction` can't follow `before` as a restatement of one of its facts."""
    reaction = reaction.strip()
    if not re.search(r"[?!]$", reaction):
        return "not a reaction"
    if re.match(r"(what|why|how|who|whom|when|where|which)\b", reaction, re.I):
        return "a question the next line must answer, not a reaction"
    if not 3 <= len(reaction.split()) <= 14 or re.search(r"[.!?]\s+\S", reaction):
        return "length"
    if _GENERIC_QUESTION.search(reaction) or _META.search(reaction):
        return "generic"
    known = _words(before) | _lemmas(before)
    if {n for n in _names(reaction) if n not in known} or _numbers(reaction) - _numbers(before):
        return "new name or number"
    content = _content(reaction) - _PLAIN
    if not content or len(content - known) > 1:
        return "not a fact of the last line"
    return None


_QUESTION_STOP = {
    "what", "who", "whom", "whose", "why", "how", "when", "where", "which", "does", "did", "do",
    "is", "are", "was", "were", "the", "and", "that", "this", "with", "about", "then", "there",
    "happen", "happens", "happened", "next", "after", "make", "made", "have", "had", "has",
    "they", "their", "them", "his", "her", "him", "she", "its", "get", "got", "come", "going",
    "so", "wait", "really", "exactly", "like", "for", "from", "into", "onto", "can", "could",
}  # fmt: skip


def _taken_up(question: str, answer: str, before: str = "") -> bool:
    """The next line answers the question: most of what it asks about, besides the names
    ("What did the Time Traveller see?" is not answered by any line about him), comes
    back in that line, word or stem, and nothing it asks about is only in the line
    before ("What was the Emperor's original clothing?" after a "Spanish original")."""
    said, heard = _lemmas(answer), _lemmas(before)
    doc = _parse(question)
    names = {_stem(t.text) for t in doc if t.pos_ == "PROPN"}
    asked = {
        _stem(t.text)
        for t in doc
        if t.is_alpha and len(t.text) > 2 and t.text.lower() not in _QUESTION_STOP
    }
    things = asked - names
    if not things:
        return bool(names) and names <= said
    if (things & heard) - said:
        return False
    return len(things & said) >= max(1, 0.5 * len(things))
