"""Questions the text itself answers, formed from one of its sentences by rules on the
parse: 'Ishmael always goes to sea as a sailor, because they pay him' -> host B asks
"Why does Ishmael always go to sea as a sailor?" and host A answers "Because they pay
him." Nothing is added: the question is the sentence's own main clause, turned round,
and the answer is its own reason clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipelines.text.nlp import get_nlp, lemmatized

_DO = {"VBD": "did", "VBZ": "does", "VBP": "do"}
_INVERTS = {"is", "was", "are", "were", "has", "had", "have", "can", "could", "will", "would",
            "must", "should", "may", "might"}  # fmt: skip
_PRONOUN_SUBJECTS = {"he", "she", "it", "they", "this", "that", "these", "those", "i", "we",
                     "you", "there"}  # fmt: skip
MAX_QUESTION_WORDS = 16


@dataclass(frozen=True)
class WhyQuestion:
    question: str  # "Why does Ishmael always go to sea as a sailor?"
    answer: str  # "Because they make a point of paying him for his trouble."


@lru_cache(maxsize=2048)  # a writer composes an episode several times to fit its length
def why_question(text: str) -> WhyQuestion | None:
    """The why-question a causal sentence answers, and its reason clause as the answer;
    None when the sentence has no 'because' reason or the question can't be formed
    cleanly (a pronoun subject, a long main clause, an inverted or negated verb)."""
    first = re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)
    if len(first) > 1 or '"' in text or "“" in text:
        return None  # one sentence, not a quotation: the answer must be the whole line
    doc = lemmatized(get_nlp()(text))
    root = next(iter(doc.sents)).root
    because = next((t for t in doc if t.lower_ == "because"), None)
    if because is None or because.i <= root.i or root.pos_ not in ("VERB", "AUX"):
        return None
    if because.i > 0 and doc[because.i - 1].text in "([":
        return None  # a reason in parentheses is an aside, not the answer
    if any(c.dep_ in ("ccomp", "csubj") for c in root.children):
        return None  # "The problem is that traces abort (because…)": no plain why
    reason = because.head if because.dep_ == "mark" else because
    if reason.head != root or because.i != reason.left_edge.i:
        return None  # the reason of the main clause, not of a clause inside it
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.i > root.i or subject.left_edge.i != 0:
        return None  # the question starts where the sentence does: its subject first
    if subject.lower_ in _PRONOUN_SUBJECTS or not _names_something(subject):
        return None
    if any(t.dep_ == "neg" for t in root.children):
        return None  # "Why did he not go?" reads as a challenge, not a question
    subject_end = subject.right_edge.i + 1
    rest = doc[subject_end : because.i]
    words = [t for t in rest]
    while words and (words[-1].is_punct or words[-1].lower_ in ("and", "but", "just", "only")):
        words.pop()
    if not words or len(words) + (subject_end) > MAX_QUESTION_WORDS:
        return None
    subject_text = doc[:subject_end].text
    aux = next((t for t in words if t.head == root and t.dep_ in ("aux", "auxpass")), None)
    if root.lemma_ == "be" and aux is None:
        aux = root  # "The plan was risky because…" -> "Why was the plan risky?"
    if aux is not None:
        if aux.lower_ not in _INVERTS:
            return None
        body = " ".join(t.text for t in words if t.i != aux.i)
        question = f"Why {aux.lower_} {_lower_first(subject_text)} {body}?"
    else:
        do = _DO.get(root.tag_)
        if do is None:
            return None
        body = " ".join(root.lemma_ if t.i == root.i else t.text for t in words)
        question = f"Why {do} {_lower_first(subject_text)} {body}?"
    answer = doc[because.i :].text.strip()
    if len(answer.split()) < 4 or answer.count("(") != answer.count(")"):
        return None
    question = re.sub(r"\s+([,;:.?!'’])", r"\1", question)
    question = re.sub(r"\s+(n't|'s)\b", r"\1", question)
    return WhyQuestion(question=question, answer=answer[:1].upper() + answer[1:])


def _names_something(subject: Any) -> bool:
    """A subject a listener can picture: a name or a noun phrase, not 'one' or 'all'."""
    return any(t.pos_ in ("PROPN", "NOUN") for t in subject.subtree)


def _lower_first(text: str) -> str:
    """'The Time Traveller' -> 'the Time Traveller'; a name keeps its capital."""
    first = text.split(" ", 1)[0]
    if first in ("The", "A", "An", "His", "Her", "Their", "Its"):
        return first.lower() + text[len(first) :]
    return text
