"""Reading a parsed sentence: its named people and things, its subject, who says a line
of dialogue, what it is about, and a short who-did-what restatement; who a name is, in
the text's own words. spaCy docs in, plain strings out."""

from __future__ import annotations

import re
from typing import Any

from pipelines.text.prose import speakable
from pipelines.types import Passage

SAY_WORDS = {
    "said", "says", "say", "cried", "asked", "replied", "answered", "exclaimed", "shouted",
    "whispered", "remarked", "continued", "murmured", "observed", "called", "added", "went",
    "repeated", "thought", "began", "interrupted", "returned", "laughed", "sighed",
}  # fmt: skip


def subject_phrase(doc: Any) -> str | None:
    for token in doc:
        is_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT"
        if is_subject and token.pos_ in ("NOUN", "PROPN"):
            return doc[token.left_edge.i : token.i + 1].text
    return None


def whole_subject(doc: Any) -> str | None:
    """The main clause's subject with what qualifies it ("the purpose of this study"),
    when it is a thing a listener can be asked about: 2-7 words, no pronoun."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    subject = (
        next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None) if root else None
    )
    if subject is None or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    span = doc[subject.left_edge.i : subject.right_edge.i + 1]
    if not 2 <= len(span) <= 7 or any(t.pos_ == "PRON" or t.is_punct for t in span):
        return None
    first = span[0]
    text = span.text
    if first.i == 0 and first.pos_ != "PROPN":
        text = first.lower_ + text[len(first.text) :]  # "Knowledge of…" mid-sentence
    return text


def names_in(doc: Any) -> list[str]:
    found = [e.text for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")]
    found += [
        t.text
        for t in doc
        if t.pos_ == "PROPN" and t.i > 0 and t.text[:1].isupper() and len(t.text) > 2
    ]
    return [n.strip("“”\"'’ ") for n in dict.fromkeys(found) if n.strip("“”\"'’ ")]


def subject_name(doc: Any) -> str | None:
    for token in doc:
        if token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT":
            span = doc[token.left_edge.i : token.i + 1]
            if token.pos_ == "PROPN":
                return span.text.strip("“”\"' ")
            if (
                token.pos_ == "NOUN"
                and span[0].lower_ == "the"
                and any(t.text[:1].isupper() for t in span[1:])
            ):
                return span.text.strip("“”\"' ")  # "the Time Traveller"
    return None


def speaker_of(doc: Any) -> str | None:
    for token in doc:
        if token.lower_ in SAY_WORDS:
            for child in token.children:
                if child.dep_ == "nsubj" and child.pos_ in ("PROPN", "NOUN"):
                    if _inside_quotes(doc.text[: child.idx]):
                        continue  # "'Mercy on us!' thought the Minister": not Mercy
                    span = doc[child.left_edge.i : child.i + 1].text
                    if len(span.split()) <= 4 and not re.search(r"[“”\"!?,]", span):
                        return span
    return None


def _inside_quotes(before: str) -> bool:
    """Is the text after `before` inside an open quotation?"""
    curly = before.count("“") - before.count("”")
    return curly > 0 or before.count('"') % 2 == 1


_GENERIC = {"section", "paper", "chapter", "figure", "table", "work", "way", "part", "thing", "time", "case", "fact", "example", "result", "results", "others", "one"}  # fmt: skip


def term_of(doc: Any, avoid: str | None = None) -> str | None:
    """A short noun phrase the sentence is about (its subject if that is a thing)."""
    chunks = [
        c
        for c in doc.noun_chunks
        if c.root.pos_ in ("NOUN", "PROPN") and c.root.lower_ not in _GENERIC
    ]
    subject = [c for c in chunks if c.root.dep_ in ("nsubj", "nsubjpass")]
    for chunk in subject + chunks:
        words = [
            t for t in chunk if t.pos_ not in ("DET", "PRON") and t.lower_ not in ("such", "own")
        ]
        if 1 <= len(words) <= 4 and all(t.is_alpha or t.text == "-" for t in words):
            phrase = "".join(
                (t.text if t.pos_ == "PROPN" else t.lower_) + t.whitespace_ for t in words
            ).strip()  # "patient-centred" stays one word
            if avoid and phrase.lower() in (avoid.lower(), avoid.lower().removeprefix("the ")):
                continue  # the subject itself: a question about it says nothing new
            if chunk.root.pos_ == "PROPN" and chunk[0].pos_ != "DET":  # not "an Emperor"
                return phrase
            return "the " + phrase  # "the columns of hail", "the Time Traveller"
    return None


def gist_of(doc: Any, subject: str | None) -> str | None:
    """'Manuel sold Buck to a stranger': subject, verb, object, in at most 12 words."""
    root = next((t for t in doc if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
    if root is None or not subject:
        return None
    keep = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.head == root]
    if not keep:
        return None
    lead = [c for c in root.children if c.i < keep[0].left_edge.i and c.dep_ in ("prep", "advcl")]
    if any(not only_when_or_where(c) for c in lead):
        return None  # "With other men, such things would not…": the clause alone overclaims
    tokens = set(range(keep[0].left_edge.i, keep[0].i + 1)) | {root.i}
    for child in root.children:
        if child.dep_ in (
            "neg",
            "aux",
            "auxpass",
            "prt",
            "dobj",
            "attr",
            "acomp",
            "dative",
            "oprd",
        ):
            tokens |= set(range(child.left_edge.i, child.right_edge.i + 1))
    for child in root.children:
        if child.dep_ == "prep" and child.i > root.i and len(tokens) < 8:
            tokens |= set(range(child.i, child.right_edge.i + 1))
            break
    ordered = sorted(tokens)
    if ordered[0] != keep[0].left_edge.i:
        return None  # "down went Alice": inverted order makes no clean restatement
    if len(ordered) < 4 or not any(
        c.dep_ in ("dobj", "attr", "acomp", "prep", "oprd") and c.i in tokens for c in root.children
    ):
        return None  # "the Wright brothers demonstrated": demonstrated what?
    if any(c.dep_ in ("ccomp", "xcomp") for c in root.children):
        return None  # what was thought, said or shown is the point, and it would be cut
    if len(ordered) > 12 or ordered[-1] - ordered[0] + 1 != len(ordered):
        return None
    span = doc[ordered[0] : ordered[-1] + 1]
    if span.end < len(doc) and doc[span.end].pos_ in ("VERB", "AUX"):
        return None  # "…and another researcher [took notes]": cut off mid-clause
    if any(
        t.lower_ in ("their", "its", "it", "they", "them", "this", "that", "these", "those")
        for t in span[1:]
    ):
        return None  # "thought of their distance": whose? a restatement must stand alone
    words = span.text.strip(" ,;:“”\"'")
    if re.search(r"[()\[\]“”\"]", words):
        return None
    if any(
        t.lower_ in ("i", "me", "my", "we", "us", "our", "you")
        for t in doc[ordered[0] : ordered[-1] + 1]
    ):
        return None
    return words[0].upper() + words[1:] if words else None


_WHEN_OR_WHERE = {"during", "after", "before", "at", "in", "on", "through", "throughout",
                  "upon", "within", "by", "across", "over", "under", "near", "beyond", "when",
                  "as", "while", "once"}  # fmt: skip
_SCOPE = {"other", "others", "most", "some", "many", "few", "all", "contrast", "case", "cases",
          "comparison", "addition", "general", "particular", "fact", "theory", "principle",
          "view", "opinion", "words"}  # fmt: skip


def only_when_or_where(phrase: Any) -> bool:
    """'In the evening', 'Through that long night', 'When the sun set': when or where,
    which a listener can do without; not 'With other men', 'In most cases', 'In
    contrast', which limit the claim that follows."""
    words = [t.lower_ for t in phrase.subtree]
    marker = phrase.lower_ if phrase.dep_ == "prep" else words[0]
    return marker in _WHEN_OR_WHERE and not set(words) & _SCOPE


def descriptions_in(docs: Any) -> dict[str, str]:
    """'Manuel, one of the gardener's helpers,' -> {'Manuel': "one of the gardener's helpers"}."""
    found: dict[str, str] = {}
    for doc in docs:
        for token in doc:
            start = token.left_edge.i
            set_off = (
                start > 0 and doc[start - 1].text == ","
            )  # not "and the Morlocks their servants"
            if token.dep_ == "appos" and token.head.pos_ == "PROPN" and set_off:
                name = token.head.text
                span = doc[token.left_edge.i : token.right_edge.i + 1].text.strip(" ,")
                if 2 <= len(span.split()) <= 10 and name not in found:
                    found[name] = speakable(span)
    return found


_APPOSITIVE = re.compile(
    r"(?<=[a-z,;] )([A-Z][a-z]{2,}), ((?:a|an|the|one of the) [a-z][a-z' -]{3,60}?)[,;.]"
)


def described_in(passages: list[Passage]) -> dict[str, str]:
    """'…to Manuel, one of the gardener's helpers, …' anywhere in the chosen text: who
    a name is, in the text's words, for introducing them when they first come up."""
    found: dict[str, str] = {}
    for passage in passages:
        for name, what in _APPOSITIVE.findall(passage.text):
            if name not in found and 2 <= len(what.split()) <= 9:
                found[name] = speakable(what)
    return found
