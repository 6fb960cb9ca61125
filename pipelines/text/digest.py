"""What the chosen text says, as beats a listener can follow: the shared core of the
offline podcast writer and of summaries.

A beat is one sentence of the text (or two consecutive ones) made to stand alone when
heard once: a leading pronoun gets its name from the sentence before (or that sentence
comes along), a leading connective is dropped, dialogue keeps its speaker, first-person
narration is told in the third person (or quoted, with whose words they are), and
references, tables, captions and licence text never become beats. Every beat keeps the
passage it came from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipelines.text.keysentences import rank_candidates, sentences_of
from pipelines.text.narration import Narrator, authors_in_third_person, to_third_person
from pipelines.text.nlp import get_nlp
from pipelines.text.prose import is_prose, speakable
from pipelines.types import CAPTIONS_MARKER, Passage

SAY_WORDS = {
    "said", "says", "say", "cried", "asked", "replied", "answered", "exclaimed", "shouted",
    "whispered", "remarked", "continued", "murmured", "observed", "called", "added", "went",
    "repeated", "thought", "began", "interrupted", "returned", "laughed", "sighed",
}  # fmt: skip
CONNECTIVE = re.compile(
    r"^(?:(?:But|And|Yet|So(?! far| much| long| many| few)|Then|Thus|Therefore|Hence|Moreover|Meanwhile|Also|Nor|Or|Furthermore|"
    r"Consequently|Accordingly|Of course)\b,?|(?:However|Still|Now|Well|Again|Indeed|"
    r"Instead|Finally|Lastly|Doubtless|Surely|Certainly|Anyway|Further|Likewise|Similarly|"
    r"Besides|Yes|No|True|Nay),)\s+"
)  # the second group only with its comma: "However great..." is no connective
PRONOUN_START = {"he", "she", "they", "it", "his", "her", "their", "its", "him", "them"}
DEMONSTRATIVE_START = {"this", "these", "those", "that", "such"}
PAPER_CUES = {
    "problem": re.compile(
        r"\b(problem|challenge|difficult|expensive|slow|bottleneck|suffer|lack|hard to|"
        r"cannot|unable|costly|risk|burden|prevalen|mortality)\w*",
        re.I,
    ),
    "idea": re.compile(
        r"\b(we (present|propose|introduce|describe|show|argue)|this paper|our (approach|"
        r"technique|method|system)|the aim|we (aimed|sought)|objective)\b",
        re.I,
    ),
    "method": re.compile(
        r"\b(works by|we use|consists of|is built|records?|compiles?|algorithm|implemented|"
        r"design|trials?|we (searched|included|analy[sz]ed)|method|examined|conducted|"
        r"interview|focus group|recruited|survey|questionnaire|measured)\w*",
        re.I,
    ),
    "result": re.compile(
        r"(\d+(\.\d+)?\s?(%|percent|times|x\b|fold)|\bspeedup|faster|reduc\w+|improv\w+|"
        r"\bsignificant\w*|\boutperform\w*|\bresults? (show|suggest))",
        re.I,
    ),
    "limit": re.compile(
        r"\b(limitation|future work|further (research|work|study)|small (size|sample|number)|"
        r"generalis|generaliz|drawback|caution|cannot be|not yet|bias)\w*",
        re.I,
    ),
}


@dataclass
class Beat:
    text: str  # speakable and standing alone
    printed: str  # the sentence(s) as the text prints them
    passage: Passage
    offset: int  # where it starts in its chapter
    score: float
    role: str = "event"  # event | dialogue | problem | idea | method | result | limit | claim
    subject: str | None = None  # a named subject ("Buck", "the Time Traveller")
    names: list[str] = field(default_factory=list)
    term: str | None = None  # a short noun phrase the beat is about, for questions
    gist: str | None = None  # a short "who did what" clause for reactions and recaps
    quoted: bool = False  # read as a quotation, with whose words it is
    has_number: bool = False

    @property
    def order(self) -> tuple[str, int, int]:
        return (self.passage.source_id, self.passage.chapter_index, self.offset)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Digest:
    beats: list[Beat]
    descriptions: dict[str, str]  # name -> "one of the gardener's helpers"
    narrator: Narrator | None
    is_paper: bool

    def in_order(self) -> list[Beat]:
        return sorted(self.beats, key=lambda b: b.order)


def digest(
    passages: list[Passage],
    *,
    limit: int,
    is_paper: bool = False,
    narrator: Narrator | None = None,
    teller: Narrator | None = None,
    focus: str = "",
    exclude: set[str] | None = None,
) -> Digest:
    """Up to `limit` beats of `passages`, best first by centrality and role."""
    sentences = _before_captions(sentences_of(passages), passages)
    position = {(p.chapter_id, off): i for i, (_, p, off) in enumerate(sentences)}
    prose = [s for s in sentences if is_prose(s[0])]
    ranked = rank_candidates(prose, max(limit * 3, 12), exclude=exclude, query=focus or None)
    if not ranked:
        return Digest([], {}, narrator, is_paper)
    nlp = get_nlp()
    wanted: dict[int, None] = {}
    for key in ranked:
        i = position[(key.passage.chapter_id, key.chapter_offset)]
        wanted.update({max(0, i - 1): None, i: None})
    indexes = list(wanted)
    texts = [_for_parse(sentences[i][0]) for i in indexes]
    docs = dict(zip(indexes, nlp.pipe(texts), strict=True))
    tale = teller is not None and _is_tale(passages)
    speaker_of_i = teller if tale else narrator
    beats: list[Beat] = []
    for key in ranked:
        i = position[(key.passage.chapter_id, key.chapter_offset)]
        previous = (
            docs.get(i - 1)
            if i > 0 and sentences[i - 1][1].chapter_id == key.passage.chapter_id
            else None
        )
        beat = _make_beat(
            docs[i],
            previous,
            key.passage,
            key.chapter_offset,
            key.score,
            speaker_of_i,
            tale,
            is_paper,
        )
        if beat is not None:
            beats.append(beat)
    chosen = sorted(beats, key=lambda b: -b.score)[:limit]
    for beat, spoken in zip(chosen, nlp.pipe([b.text for b in chosen]), strict=True):
        _describe(beat, spoken)  # who/what of the line as it will be heard
    descriptions = {**_described_in(passages), **_descriptions(docs.values())}
    return Digest(chosen, descriptions, narrator, is_paper)


_IMPERATIVE = re.compile(r"^(Look|Go|Let|See|Say|Come|Behold|Consider|Mark|Think|Imagine)\b", re.I)


def _outside_quotes(text: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", text)


def _for_parse(text: str) -> str:
    """Invisible joiners out and dashes spaced, so 'tired—my' parses as two words."""
    text = re.sub("[\u200b-\u200f\u2060\ufeff\u00ad]", "", text)
    return re.sub(r"\s*([—–])\s*", r" \1 ", text)


def _describe(beat: Beat, doc: Any) -> None:
    subject = _subject_name(doc)
    if subject and subject.startswith("The "):
        subject = "the" + subject[3:]
    if beat.role != "dialogue":
        beat.subject = subject or beat.subject
    beat.names = _names(doc)
    beat.term = _term(doc, avoid=beat.subject)
    beat.gist = None if beat.quoted else _gist(doc, subject or _subject_phrase(doc))


def _subject_phrase(doc: Any) -> str | None:
    for token in doc:
        is_subject = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ROOT"
        if is_subject and token.pos_ in ("NOUN", "PROPN"):
            return doc[token.left_edge.i : token.i + 1].text
    return None


def _before_captions(
    sentences: list[tuple[str, Passage, int]], passages: list[Passage]
) -> list[tuple[str, Passage, int]]:
    """Leave out the figure and table captions ingestion moved to a chapter's end."""
    cut: dict[str, int] = {}
    for p in passages:
        at = p.text.find(CAPTIONS_MARKER)
        if at >= 0:
            cut[p.chapter_id] = min(cut.get(p.chapter_id, 1 << 62), p.start + at)
    return [s for s in sentences if s[2] < cut.get(s[1].chapter_id, 1 << 62)]


def _is_tale(passages: list[Passage]) -> bool:
    """Is this chapter one long quotation (a story told by a character)?"""
    text = " ".join(p.text for p in passages[:6])
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 80]
    if len(paragraphs) < 3:
        return False
    opened = sum(p[:1] in '“"' for p in paragraphs)
    attributed = sum(bool(re.search(r"[”\"],? (said|cried|asked) ", p)) for p in paragraphs)
    return opened >= 0.6 * len(paragraphs) and attributed <= 0.2 * len(paragraphs)


def _names(doc: Any) -> list[str]:
    found = [e.text for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "FAC", "LOC")]
    found += [
        t.text
        for t in doc
        if t.pos_ == "PROPN" and t.i > 0 and t.text[:1].isupper() and len(t.text) > 2
    ]
    return [n.strip("“”\"'’ ") for n in dict.fromkeys(found) if n.strip("“”\"'’ ")]


def _subject_name(doc: Any) -> str | None:
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


def _speaker(doc: Any) -> str | None:
    for token in doc:
        if token.lower_ in SAY_WORDS:
            for child in token.children:
                if child.dep_ == "nsubj" and child.pos_ in ("PROPN", "NOUN"):
                    span = doc[child.left_edge.i : child.i + 1].text
                    if len(span.split()) <= 4 and not re.search(r"[“”\"!?,]", span):
                        return span
    return None


_GENERIC = {"section", "paper", "chapter", "figure", "table", "work", "way", "part", "thing", "time", "case", "fact", "example", "result", "results", "others", "one"}  # fmt: skip


def _term(doc: Any, avoid: str | None = None) -> str | None:
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
            phrase = " ".join(t.text if t.pos_ == "PROPN" else t.lower_ for t in words)
            if avoid and phrase.lower() in (avoid.lower(), avoid.lower().removeprefix("the ")):
                continue  # the subject itself: a question about it says nothing new
            if chunk.root.pos_ == "PROPN" and chunk[0].lower_ != "the":
                return phrase
            return "the " + phrase  # "the columns of hail", "the Time Traveller"
    return None


def _gist(doc: Any, subject: str | None) -> str | None:
    """'Manuel sold Buck to a stranger': subject, verb, object, in at most 12 words."""
    root = next((t for t in doc if t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")), None)
    if root is None or not subject:
        return None
    keep = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.head == root]
    if not keep:
        return None
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
        c.dep_ in ("dobj", "attr", "acomp", "prep", "oprd") for c in root.children
    ):
        return None
    if len(ordered) > 12 or ordered[-1] - ordered[0] + 1 != len(ordered):
        return None
    span = doc[ordered[0] : ordered[-1] + 1]
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


def _make_beat(
    doc: Any,
    previous: Any,
    passage: Passage,
    offset: int,
    score: float,
    narrator: Narrator | None,
    tale: bool,
    is_paper: bool,
) -> Beat | None:
    printed = doc.text.strip()
    text = printed
    if "?" in text[-3:] or len(text.split()) < 6:
        return None  # a question or a scrap is no statement for a listener
    if not is_paper and (
        doc[0].tag_ == "VB"
        or _IMPERATIVE.match(CONNECTIVE.sub("", text))
        or re.search(r"\b(you|your|yours|yourself)\b", _outside_quotes(text), re.I)
    ):
        return None  # the book talking to its reader ("Look!", "your city") confuses a listener
    if text.rstrip().endswith((":", ";", ",")):
        return None  # it leads into something the listener won't hear
    if not any(t.pos_ in ("VERB", "AUX") for t in doc):
        return None  # no verb: a caption, a heading or a table row, not a sentence
    role = _paper_role(text) if is_paper else "event"
    quoted = False
    subject = _subject_name(doc)
    if subject and subject.startswith("The "):
        subject = "the" + subject[3:]
    has_quote = bool(re.search(r"[“”\"]", text))
    first_person = bool(re.search(r"\b(I|my|me|myself)\b", text))
    if is_paper:
        text = authors_in_third_person(doc) or text  # "We present" -> "The authors present"
    elif re.search(r"\b([Ww]e|us|[Oo]ur)\b", text):
        first_person = True  # "we" in a story: who? quoted with whose words, or left out
    if has_quote and not tale:
        speaker = _speaker(doc)
        if not speaker:
            return None  # a line of dialogue nobody said, as far as the listener knows
        said = " ".join(re.findall(r"[“\"]([^”\"]+)[”\"]", text)).strip(" ,")
        if (
            len(said.split()) < 4
            or said.rstrip(" ,").endswith(("?", "-", "—"))
            or not said[:1].isupper()
        ):
            return None  # a question or a broken-off line of dialogue
        text = f'{speaker[0].upper() + speaker[1:]} says: "{said.rstrip(",")}"'
        role, subject, quoted = "dialogue", speaker, True
    elif first_person and (tale or not has_quote):
        if narrator is None:
            return None
        told = to_third_person(doc, narrator)
        if told is None:
            text, quoted = f'{narrator.possessive_label()} words: "{printed.strip("“”")}"', True
        else:
            text = told
        subject = subject or narrator.label
    if not quoted:
        text = text.strip(' “”"')
    text = CONNECTIVE.sub("", text, count=1)
    text = text[:1].upper() + text[1:]
    first = re.match(r"[“\"]?([A-Za-z]+)", text)
    start = first.group(1).lower() if first else ""
    if re.match(
        r"(One|Some|Many|Most|All|Each|Both|Neither|None|Several) of (these|those|them)\b", text
    ):
        start = "they"  # "One of these emerged...": these who? like a leading pronoun
    if not quoted and start in PRONOUN_START | DEMONSTRATIVE_START:
        resolved = _resolve_start(text, start, previous, doc, narrator, tale)
        if resolved is None:
            return None
        text, printed = resolved if isinstance(resolved, tuple) else (resolved, printed)
    spoken = speakable(text)
    if len(spoken.split()) > 60:
        return None
    return Beat(
        text=spoken,
        printed=printed,
        passage=passage,
        offset=offset,
        score=score + _bonus(doc, subject, role, is_paper),
        role=role,
        subject=subject,
        quoted=quoted,
        has_number=bool(re.search(r"\d", text)),
    )


def _resolve_start(
    text: str, start: str, previous: Any, doc: Any, narrator: Narrator | None, tale: bool
) -> str | tuple[str, str] | None:
    """Make a sentence that opens on 'He'/'This'/'It' stand alone, or give up (None)."""
    if start in DEMONSTRATIVE_START and len(doc) > 1 and doc[1].pos_ in ("NOUN", "ADJ"):
        return "The " + text.split(" ", 1)[1]  # "This approach works" -> "The approach works"
    if previous is None:
        return None
    prev_text = previous.text.strip()
    if start in ("he", "she", "his", "her", "him"):
        people = list(dict.fromkeys(e.text for e in previous.ents if e.label_ == "PERSON"))
        subject = _subject_name(previous)
        name = subject if subject in people else (people[0] if len(people) == 1 else None)
        if name:
            word = text.split(" ", 1)
            replacement = name + "'s" if start in ("his", "her") else name
            return replacement + " " + (word[1] if len(word) > 1 else "")
    if not is_prose(prev_text) or len(prev_text.split()) > 30 or "?" in prev_text:
        return None
    first = re.match(r"[“\"]?([A-Za-z]+)", CONNECTIVE.sub("", prev_text))
    if not first or first.group(1).lower() in PRONOUN_START | DEMONSTRATIVE_START:
        return None
    if re.search(r"[“”\"]", prev_text) or re.search(r"\b(I|my|me)\b", prev_text):
        return None
    joined = CONNECTIVE.sub("", prev_text) + " " + text
    return joined, prev_text + " " + doc.text.strip()


def _paper_role(text: str) -> str:
    for role in ("idea", "result", "problem", "limit", "method"):
        if PAPER_CUES[role].search(text):
            return role
    return "claim"


def _bonus(doc: Any, subject: str | None, role: str, is_paper: bool) -> float:
    if is_paper:
        return {"idea": 0.35, "result": 0.3, "problem": 0.25, "method": 0.15, "limit": 0.15}.get(
            role, 0.0
        )
    bonus = 0.0
    if subject:
        bonus += 0.2  # someone named does something: what a story is made of
    if any(t.pos_ == "VERB" and t.dep_ == "ROOT" for t in doc):
        bonus += 0.1
    if role == "dialogue":
        bonus -= 0.05
    return bonus


def _descriptions(docs: Any) -> dict[str, str]:
    """'Manuel, one of the gardener's helpers,' -> {'Manuel': "one of the gardener's helpers"}."""
    found: dict[str, str] = {}
    for doc in docs:
        for token in doc:
            if token.dep_ == "appos" and token.head.pos_ == "PROPN":
                name = token.head.text
                span = doc[token.left_edge.i : token.right_edge.i + 1].text.strip(" ,")
                if 2 <= len(span.split()) <= 10 and name not in found:
                    found[name] = speakable(span)
    return found


_APPOSITIVE = re.compile(
    r"(?<=[a-z,;] )([A-Z][a-z]{2,}), ((?:a|an|the|one of the) [a-z][a-z' -]{3,60}?)[,;.]"
)


def _described_in(passages: list[Passage]) -> dict[str, str]:
    """'…to Manuel, one of the gardener's helpers, …' anywhere in the chosen text: who
    a name is, in the text's words, for introducing them when they first come up."""
    found: dict[str, str] = {}
    for passage in passages:
        for name, what in _APPOSITIVE.findall(passage.text):
            if name not in found and 2 <= len(what.split()) <= 9:
                found[name] = speakable(what)
    return found


def common_names(beats: list[Beat]) -> Counter[str]:
    return Counter(n for b in beats for n in b.names)
