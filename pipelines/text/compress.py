"""Long printed sentences made easier to follow by ear, by deletion only.

A listener loses the thread of "Hitherto, except during my night's anguish at the loss
of the Time Machine, I had felt a sustaining hope…" before the main clause arrives. This
module drops what a listener can do without — a scene-setting phrase before the
subject, an aside in parentheses or between dashes, a long apposition — and turns a
semicolon between two whole clauses into a full stop. It never adds a word of its own
(except a name for a pronoun whose name it removed), never drops a negation, a
condition ("if", "unless") or a cause ("because"), and gives up rather than return
something that no longer has a subject and a verb.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipelines.text.clauses import only_when_or_where
from pipelines.text.nlp import get_nlp

LONG = 22  # words; shorter sentences are read as printed
_KEEP_MARKS = {
    "if",
    "unless",
    "until",
    "because",
    "since",
    "as",
    "so",
    "lest",
    "whether",
    "whenever",
}
_NEGATIONS = {"not", "n't", "never", "no", "nothing", "nor", "neither", "none", "without"}
_SUBJECTS = ("nsubj", "nsubjpass", "expl", "csubj")
_PRONOUNS = {"he", "she", "they", "it"}


@lru_cache(maxsize=4096)  # a writer re-plans the same beats several times
def compress(text: str, subject: str | None = None) -> str:
    """`text` with what a listener can do without left out, or `text` as it was."""
    if len(text.split()) <= LONG or re.search(r"[“”\"]", text):
        return text  # short enough, or a quotation, which is never cut
    doc = get_nlp()(text)
    parts = [_compress_sentence(sent, subject) for sent in doc.sents]
    out = " ".join(p for p in parts if p)
    return out if out and len(out.split()) >= 6 else text


_PARALLEL = re.compile(r"(?i)^(whenever|when|if|while|as long as)\b")
_THEN = re.compile(r"\s*(?:—|–|,)\s*then,?\s+")


def parallel_lead_ins(text: str) -> str | None:
    """'Whenever A; whenever B; … whenever D—then, I go to sea.' -> 'Whenever A, I go to
    sea.': of several parallel lead-ins, the first one or two and the main clause. None when the
    sentence has no such run (two or more lead-ins, then a main clause after "then")."""
    parts = [p.strip() for p in text.split(";")]
    leads = [p for p in parts if _PARALLEL.match(re.sub(r"(?i)^(and |or )?(especially )?", "", p))]
    if len(parts) < 3 or len(leads) < 2 or not _PARALLEL.match(parts[0]):
        return None
    main = _THEN.split(parts[-1], maxsplit=1)
    if len(main) != 2 or len(main[1].split()) < 4:
        return None
    kept = [re.sub(r"[,—–]+$", "", p) for p in parts[:2] if p in leads]
    if len(" ".join(kept + [main[1]]).split()) > 35:
        kept = kept[:1]  # two lead-ins while they are short: the run is part of the voice
    return f"{', '.join(kept)}, {main[1]}"


def _compress_sentence(sent: Any, subject: str | None) -> str:
    if len(sent) < LONG:
        return sent.text.strip()
    drop: set[int] = set()
    root = sent.root
    drop |= _lead_in(sent, root)
    drop |= _asides(sent)
    if any(sent.doc[i].lower_ in _NEGATIONS for i in drop):
        drop = set()  # never change what is denied
    kept = [t for t in sent if t.i not in drop]
    if len(kept) < 6 or not any(t.dep_ in _SUBJECTS for t in kept) or root.i in drop:
        return sent.text.strip()
    words = "".join(t.text_with_ws for t in kept).strip()
    named = _named_start(words, sent, drop, subject)
    if named is None:
        return sent.text.strip()
    words = named
    words = re.sub(r"\s+([,;.!?])", r"\1", words)
    words = re.sub(r"([,;])\s*([,;.])", r"\2", words)
    words = _semicolons(words)
    return words[:1].upper() + words[1:]


def _lead_in(sent: Any, root: Any) -> set[int]:
    """A scene-setting phrase before the subject, set off by a comma ("Hitherto, except
    during …, he had felt"): its words and the comma after it."""
    subject = next((t for t in root.children if t.dep_ in _SUBJECTS), None)
    if subject is None or subject.left_edge.i <= sent.start:
        return set()
    drop: set[int] = set()
    for child in root.children:
        if child.i >= subject.left_edge.i or child.dep_ not in (
            "advmod",
            "prep",
            "npadvmod",
            "advcl",
            "intj",
        ):
            continue
        if child.dep_ == "advcl" and _keeps_meaning(child):
            continue
        if child.dep_ == "prep" and not only_when_or_where(child):
            continue  # "With other men, such things would not…": a scope, not a scene
        span = range(child.left_edge.i, child.right_edge.i + 1)
        after = child.right_edge.i + 1
        if after < subject.left_edge.i and sent.doc[after].text == ",":
            drop |= set(span) | {after}
    # A leftover comma or connective between what was dropped and the subject goes too.
    if drop:
        for i in range(sent.start, subject.left_edge.i):
            token = sent.doc[i]
            if i not in drop and (token.is_punct or token.dep_ in ("cc", "advmod")):
                drop.add(i)
        if any(i not in drop for i in range(sent.start, subject.left_edge.i)):
            return set()  # something else stands before the subject: leave it all
    return drop


def _keeps_meaning(clause: Any) -> bool:
    """A condition or a cause changes what the main clause claims; keep it."""
    marks = [c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod") and c.i < clause.i]
    return any(m in _KEEP_MARKS for m in marks)


def _asides(sent: Any) -> set[int]:
    """Parenthesised or dash-bracketed asides, and long appositions between commas."""
    drop: set[int] = set()
    tokens = list(sent)
    for opener, closer in (("(", ")"), ("—", "—"), ("–", "–")):
        start = None
        for token in tokens:
            if token.text == opener and start is None:
                start = token.i
            elif token.text == closer and start is not None and token.i > start:
                if token.i - start <= 20:
                    drop |= set(range(start, token.i + 1))
                start = None
    for token in tokens:
        if token.dep_ != "appos":
            continue
        left, right = token.left_edge.i, token.right_edge.i
        before = sent.doc[left - 1] if left > sent.start else None
        after = sent.doc[right + 1] if right + 1 < sent.end else None
        if (
            before is not None
            and before.text == ","
            and after is not None
            and after.text == ","
            and right - left + 1 >= 5
        ):
            drop |= set(range(left - 1, right + 1))  # the comma before it and the aside
    return drop


def _named_start(words: str, sent: Any, drop: set[int], subject: str | None) -> str | None:
    """When the cut leaves a pronoun first whose name was in the cut, say the name."""
    first = words.split(" ", 1)[0].lower()
    original_first = sent[0].lower_
    if first not in _PRONOUNS or first == original_first:
        return words
    dropped = " ".join(sent.doc[i].text for i in sorted(drop))
    if subject and subject.lower() in dropped.lower():
        name = subject
    else:
        people = {e.text for e in sent.ents if e.label_ == "PERSON" and e.start in drop}
        if len(people) != 1 or first not in ("he", "she"):
            return None
        name = people.pop()
    rest = words.split(" ", 1)[1] if " " in words else ""
    return f"{name[:1].upper() + name[1:]} {rest}"


def _semicolons(words: str) -> str:
    """'…a thick wood; and he decided…' -> two sentences, when both halves stand alone."""
    halves = words.split("; ")
    if len(halves) < 2:
        return words
    out = [halves[0]]
    for half in halves[1:]:
        if (
            len(half.split()) >= 5
            and len(out[-1].split()) >= 5
            and half[:1].isalpha()
            and _is_clause(half)
            and _is_clause(out[-1])
        ):
            out[-1] = out[-1].rstrip(",") + "."
            out.append(half[:1].upper() + half[1:])
        else:
            out[-1] += "; " + half
    return " ".join(out)


def _is_clause(text: str) -> bool:
    """'some seated upon the pier-heads' is no sentence: a verb with its subject is."""
    return any(
        t.dep_ in _SUBJECTS and t.head.pos_ in ("VERB", "AUX") and t.head.tag_ != "VBG"
        for t in get_nlp()(text)
    )
