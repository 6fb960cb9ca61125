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

from pipelines.text.acts import act_of
from pipelines.text.beat_weight import CITES, bonus, goes_on_citing, paper_role
from pipelines.text.clauses import (
    described_in,
    descriptions_in,
    gist_of,
    names_in,
    speaker_of,
    subject_name,
    subject_phrase,
    term_of,
    whole_subject,
)
from pipelines.text.compress import parallel_lead_ins
from pipelines.text.keysentences import MAX_WORDS, KeySentence, rank_candidates, sentences_of
from pipelines.text.narration import Narrator, authors_in_third_person, to_third_person
from pipelines.text.nlp import get_nlp
from pipelines.text.prose import is_prose, speakable
from pipelines.text.standalone import (
    CONNECTIVE,
    DEMONSTRATIVE_START,
    PRONOUN_START,
    PUNCHLINE,
    early_back_reference,
    has_finite_root,
    punchline_after,
    resolve_start,
    told_in_first_person,
    unanchored_pronoun,
    with_sentence_before,
    without_dash_aside,
)
from pipelines.types import CAPTIONS_MARKER, Passage

__all__ = ["CONNECTIVE", "Beat", "Digest", "digest", "told_in_first_person", "without_dash_aside"]


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
    topic: str | None = None  # its whole subject, "knowledge of the condition", to ask about
    act: str | None = None  # what its subject does: "decide", "go", "feel"… (text/acts.py)
    quoted: bool = False  # read as a quotation, with whose words it is
    has_number: bool = False
    cites: bool = False  # it cites other work ("[25]", "et al."): not the text's own finding

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
    opening_words: str | None = None  # "Call me Ishmael.": a chapter's short first line

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
    background: Counter[str] | None = None,
    first_person: bool | None = None,
) -> Digest:
    """Up to `limit` beats of `passages`, best first by centrality and role."""
    sentences = _before_captions(sentences_of(passages), passages)
    printed_as: dict[int, str] = {}  # a sentence shortened for the ear -> as printed
    for n, (text, passage, offset) in enumerate(sentences):
        shorter = parallel_lead_ins(text) if len(text.split()) > MAX_WORDS // 2 else None
        if shorter:
            printed_as[n] = text
            sentences[n] = (shorter, passage, offset)
    position = {(p.chapter_id, off): i for i, (_, p, off) in enumerate(sentences)}
    prose = [s for s in sentences if is_prose(s[0])]
    ranked = rank_candidates(
        prose, max(limit * 3, 12), exclude=exclude, query=focus or None, background=background
    )
    if not ranked:
        return Digest([], {}, narrator, is_paper)
    if not is_paper:
        ranked = _with_opening(ranked, prose, passages)
    nlp = get_nlp()
    wanted: dict[int, None] = {}
    for key in ranked:
        i = position[(key.passage.chapter_id, key.chapter_offset)]
        wanted.update({max(0, i - 1): None, i: None})
        if i + 1 < len(sentences) and PUNCHLINE.match(sentences[i + 1][0]):
            wanted[i + 1] = None  # parsed only when it may come along
    indexes = list(wanted)
    texts = [_for_parse(sentences[i][0]) for i in indexes]
    docs = dict(zip(indexes, nlp.pipe(texts), strict=True))
    tale = teller is not None and _is_tale(passages)
    if first_person is None:  # a writer passes what the whole chapter says
        first_person = told_in_first_person(passages)
    told_as_i = not is_paper and first_person
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
            told_as_i,
        )
        if beat is None:
            continue
        if i in printed_as:
            beat.printed = printed_as[i]
        follower = docs.get(i + 1)
        if follower is not None and sentences[i + 1][1].chapter_id == key.passage.chapter_id:
            _bring_punchline(beat, follower, speaker_of_i)
        beats.append(beat)
    chosen = sorted(beats, key=lambda b: -b.score)[:limit]
    for beat, spoken in zip(chosen, nlp.pipe([b.text for b in chosen]), strict=True):
        _describe(beat, spoken)  # who/what of the line as it will be heard
    descriptions = {**described_in(passages), **descriptions_in(docs.values())}
    return Digest(chosen, descriptions, narrator, is_paper, _opening_words(sentences, passages))


def _bring_punchline(beat: Beat, follower: Any, narrator: Narrator | None) -> None:
    """A short "This is…" right after the beat comes along (see `punchline_after`)."""
    if beat.quoted or beat.role == "dialogue":
        return
    point = punchline_after(beat.text, follower, narrator)
    if point:
        beat.text = f"{beat.text} {point}"
        beat.printed = f"{beat.printed} {follower.text.strip()}"


_IMPERATIVE = re.compile(r"^(Look|Go|Let|See|Say|Come|Behold|Consider|Mark|Think|Imagine)\b", re.I)


def _opening_words(
    sentences: list[tuple[str, Passage, int]], passages: list[Passage]
) -> str | None:
    """A chapter's first sentence when it is a short, famous-sounding line ("Call me
    Ishmael."), too short to be a beat but how a listener knows the chapter."""
    if not sentences or min(p.start for p in passages) > 0:
        return None
    heading = re.compile(r"(?i)^((chapter|part|book|section|letter|canto)\b.*|\S+\.?)$")
    first = next((t for t, _, _ in sentences[:3] if not heading.match(t.strip())), "")
    text = first.strip()
    if not 2 <= len(text.split()) <= 5 or not re.fullmatch(r"[A-Z][\w ,’']+[.!]", text):
        return None
    return text


OPENING_BONUS = 0.5  # "Call me Ishmael": how a chapter opens is part of what it is


def _with_opening(
    ranked: list[KeySentence], prose: list[tuple[str, Passage, int]], passages: list[Passage]
) -> list[KeySentence]:
    """When the text is a chapter's start, its first sentences are candidates and rank
    high, whatever their centrality (a listener expects the episode to begin there)."""
    if not passages or min(p.start for p in passages) > 0:
        return ranked  # the middle or end of a chapter: its first sentence is arbitrary
    top = max((k.score for k in ranked), default=0.0)
    opening = [s for s in prose[:3] if len(s[0].split()) >= 4][:2]
    known = {(k.passage.chapter_id, k.chapter_offset) for k in ranked}
    out = [
        KeySentence(k.text, k.passage, k.chapter_offset, k.score + OPENING_BONUS)
        if (k.passage.chapter_id, k.chapter_offset) in {(p.chapter_id, o) for _, p, o in opening}
        else k
        for k in ranked
    ]
    out += [
        KeySentence(text, passage, offset, top + OPENING_BONUS)
        for text, passage, offset in opening
        if (passage.chapter_id, offset) not in known
    ]
    return out


def _outside_quotes(text: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", text)


def _for_parse(text: str) -> str:
    """Invisible joiners out and dashes spaced, so 'tired—my' parses as two words."""
    text = re.sub("[\u200b-\u200f\u2060\ufeff\u00ad]", "", text)
    return re.sub(r"\s*([—–])\s*", r" \1 ", text)


def _named_subject(doc: Any) -> str | None:
    """'the Time Traveller' as said mid-sentence; 'These Eloi' as 'the Eloi'."""
    subject = subject_name(doc)
    if subject:
        subject = re.sub(r"^(The|This|These|Those|That) ", "the ", subject)
    return subject


def _describe(beat: Beat, doc: Any) -> None:
    subject = _named_subject(doc)
    if beat.role != "dialogue":
        beat.subject = subject or beat.subject
    beat.names = names_in(doc)
    beat.act = None if beat.quoted else act_of(doc, beat.subject)
    beat.term = term_of(doc, avoid=beat.subject)
    beat.gist = None if beat.quoted else gist_of(doc, subject or subject_phrase(doc))
    beat.topic = None if beat.quoted else whole_subject(doc)


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


def _make_beat(
    doc: Any,
    previous: Any,
    passage: Passage,
    offset: int,
    score: float,
    narrator: Narrator | None,
    tale: bool,
    is_paper: bool,
    told_as_i: bool = False,
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
    if re.match(r"(?:And |But )?Nor\b", text):
        return (
            None  # "Nor is it an effort to…" needs the "not" before it; without "Nor", a question
        )
    if not any(t.pos_ in ("VERB", "AUX") for t in doc):
        return None  # no verb: a caption, a heading or a table row, not a sentence
    if not is_paper and not has_finite_root(doc):
        return None  # "Some leaning against the spiles; some seated…": a list, no sentence
    role = paper_role(text) if is_paper else "event"
    quoted = False
    subject = _named_subject(doc)
    has_quote = bool(re.search(r"[“”\"]", text))
    first_person = bool(re.search(r"\b(I|my|me|myself)\b", text))
    if is_paper:
        text = authors_in_third_person(doc) or text  # "We present" -> "The authors present"
    elif re.search(r"\b([Ww]e|us|[Oo]ur)\b", text):
        first_person = True  # "we" in a story: who? quoted with whose words, or left out
    if has_quote and not tale:
        speaker = speaker_of(doc)
        if not speaker:
            return None  # a line of dialogue nobody said, as far as the listener knows
        said = " ".join(re.findall(r"[“\"]([^”\"]+)[”\"]", text)).strip(" ,")
        if (
            len(said.split()) < 4
            or said.rstrip(" ,").endswith(("?", "-", "—"))
            or not said[:1].isupper()
        ):
            return None  # a question or a broken-off line of dialogue
        said = said.rstrip(", ")
        said += "" if said.endswith((".", "!", "?")) else "."  # "…seven now," said he
        text = f'{speaker[0].upper() + speaker[1:]} says: "{said}"'
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
    text = CONNECTIVE.sub("", CONNECTIVE.sub("", text, count=1), count=1)  # "Now, indeed,"
    text = text[:1].upper() + text[1:]
    first = re.match(r"[“\"]?([A-Za-z]+)", text)
    start = first.group(1).lower() if first else ""
    if re.match(
        r"(?:\w+ )?(Even|Only|Just|Yet|Still|All|Both) (this|that|these|those|it|they)\b",
        text,
        re.I,
    ):
        return None  # "Even this wears off", "Surely all this is…": this what? no fix keeps it
    if re.match(r"(Still|Even|Yet|Much) (more|less|further|\w{3,}er)\b", text):
        return None  # "Still deeper the meaning of that story": deeper than what?
    if re.match(
        r"(One|Some|Many|Most|All|Each|Both|Neither|None|Several) of (these|those|them)\b", text
    ):
        start = "they"  # "One of these emerged...": these who? like a leading pronoun
    if not is_paper and start not in PRONOUN_START | DEMONSTRATIVE_START:
        start = "they" if early_back_reference(doc) else start  # "Chief among these motives"
    joined = False
    if not quoted and start in PRONOUN_START | DEMONSTRATIVE_START:
        resolved = resolve_start(text, start, previous, doc, narrator, tale, is_paper)
        if resolved is None:
            return None
        if isinstance(resolved, tuple):  # the sentence before came along
            joined = True
            text, printed = resolved
        else:
            text = resolved
    # Told by an "I", a "he" or "she" is someone else, whom the listener may not have met
    # (in a story told in the third person, "she" is mostly the heroine).
    unanchored = told_as_i and unanchored_pronoun(doc, start in PRONOUN_START)
    if not quoted and not joined and unanchored:
        # "There stand his trees": whose? The painter is in the sentence before: it comes
        # along when it can stand alone, else the beat is not told.
        together = with_sentence_before(text, previous, doc)
        if together is None or unanchored_pronoun(previous, False):
            return None
        text, printed = together
    if not quoted:
        text = without_dash_aside(text)
    spoken = speakable(text)
    if len(spoken.split()) > 60:
        return None
    return Beat(
        text=spoken,
        printed=printed,
        passage=passage,
        offset=offset,
        score=score + bonus(doc, subject, role, is_paper),
        role=role,
        subject=subject,
        quoted=quoted,
        has_number=bool(re.search(r"\d", text)),
        cites=bool(CITES.search(printed)) or goes_on_citing(printed, previous),
    )
