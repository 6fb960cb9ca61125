"""The offline answer: a short lead-in naming the chapter, then the few best sentences
of the evidence in text order, each cited. Honest extraction, no model."""

from __future__ import annotations

import re

from pipelines.answers.citations import clean_quote, renumber
from pipelines.answers.evidence import Evidence, Sentence
from pipelines.answers.question_kinds import answer_type, entity, subject_of
from pipelines.text.naming import chapter_name
from pipelines.text.sentences import jaccard
from pipelines.types import Answer, Chapter, Citation

MAX_SENTENCES = 3
RELATIVE_FLOOR = 0.55  # keep sentences scoring at least this share of the best one


def _lead_in(chapters: list[Chapter], pages: list[int]) -> str:
    names = list(dict.fromkeys(chapter_name(c.title) for c in chapters))
    where = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    if pages:
        first, last = min(pages), max(pages)
        where += f" (p. {first})" if first == last else f" (pp. {first}–{last})"
    return f"From {where}:"


def _quote(text: str, limit: int = 60) -> str:
    words = clean_quote(text).split()
    return " ".join(words) if len(words) <= limit else " ".join(words[:limit]) + "…"


def _page(chapter: Chapter | None, sentence: Sentence) -> int | None:
    passage = sentence.hit.passage
    if chapter is not None and chapter.page_spans:
        return chapter.page_at(passage.start + sentence.start)
    return passage.pages[0] if passage.pages else None


_ANAPHOR = re.compile(
    r"^[“\"]?(It|Its|This|That|These|Those|There|They|Their|He|His|She|Her|Such|So)\b"
)


def _with_continuation(unit: Sentence, units: list[Sentence]) -> Sentence:
    """A sentence whose successor starts with 'It', 'There', 'This' ... is read with it:
    the successor elaborates on it ("...a metallic framework. There was ivory in it")."""
    if unit.size != 1:
        return unit
    for other in units:
        if other.size == 2 and other.hit is unit.hit and other.start == unit.start:
            rest = other.text[len(unit.text) :].strip()
            if _ANAPHOR.match(rest) and len(rest.split()) <= 30:
                return other
    return unit


def _span(unit: Sentence) -> tuple[str, int, int]:
    """Where a unit sits in its chapter (neighbouring passages overlap, so the same
    sentence can come from two passages)."""
    start = unit.hit.passage.start + unit.start
    return unit.hit.passage.chapter_id, start, start + len(unit.text)


def _overlaps(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _contains(outer: Sentence, inner: Sentence) -> bool:
    a, b = _span(outer), _span(inner)
    return a[0] == b[0] and a[1] <= b[1] and b[2] <= a[2]


def _pick_units(units: list[Sentence]) -> list[Sentence]:
    """The best few units, never two that share text, each close to the best score.

    A chosen sentence is read with its neighbour when the pair of them scores close to
    the best too (the answer is often the sentence before or after the one that repeats
    the question's words)."""
    best = max((u.score for u in units), default=0.0)
    floor = best * RELATIVE_FLOOR
    chosen: list[Sentence] = []
    ranked = sorted(units, key=lambda u: (-u.score, _span(u)))
    for unit in ranked:
        if unit.score < floor:
            break
        unit = _with_continuation(unit, units)
        clash = [
            c
            for c in chosen
            if _overlaps(_span(unit), _span(c)) or jaccard(unit.text, c.text) > 0.6
        ]
        if len(clash) == 1 and clash[0].size == 1 and unit.size == 2 and _contains(unit, clash[0]):
            chosen[chosen.index(clash[0])] = unit  # the sentence with its neighbour
            continue
        if clash or len(chosen) == MAX_SENTENCES:
            continue
        chosen.append(unit)
    return chosen


_HYPHEN_BREAK = re.compile(r"(\w)- (?!(?:and|or|to|und)\b)(\w)")


def tidy(text: str) -> str:
    """Doubled quotation marks collapsed, words split at a PDF line break joined."""
    text = re.sub(r"([“”‘’\"])\1+", r"\1", text)
    return _HYPHEN_BREAK.sub(r"\1\2", text)


def _description(subject: str, text: str) -> str:
    """'Irene Adler, the woman …' -> 'the woman …' (an apposition or 'X was a …')."""
    name = re.escape(subject)
    last = re.escape(subject.split()[-1])
    for pattern in (
        rf"\b(?:{name}|{last})\b[’'”\"]?,[’'”\"]?\s+(?P<d>(?:a|an|the|one|his|her|my|our|their)\b[^,.;:!?”\"]{{3,80}})",
        rf"\b(?:{name}|{last})\b\s+(?:is|was|had been)\s+(?P<d>(?:a|an|the|one|his|her|my|our|their)\b[^,.;:!?”\"]{{3,80}})",
    ):
        m = re.search(pattern, text)
        if m:
            return m.group("d").strip()
    return ""


def _names_given(question: str, text: str) -> list[str]:
    from pipelines.answers.question_kinds import _new_names, named_in

    return [n for n in _new_names(text, question) if named_in(n, text)]


def lead_entity(question: str, units: list[Sentence]) -> tuple[str, Sentence] | None:
    """For who/name questions, the answer's entity first: 'Buck — Judge Miller's dog',
    'Irene Adler — the woman'. Returns (lead text, the unit it comes from) or None."""
    kind = answer_type(question)
    if kind not in ("person", "name", "definition") or not units:
        return None
    subject = subject_of(question)
    if kind in ("person", "definition") and subject and subject[:1].isupper():
        for unit in units:
            desc = _description(subject, unit.text)
            if desc:
                return f"{subject} — {desc}.", unit
        return None
    if kind == "definition":
        return None
    if kind == "name":  # only a name the text gives as one ("named Buck")
        for unit in units:
            for name in _names_given(question, unit.text):
                return (f"{name} — {subject}." if subject else f"{name}."), unit
        return None
    best = max(units, key=lambda u: u.score)
    name = entity(question, [best.text])  # "Who sent ...?": the person in the best sentence
    return (f"{name}.", best) if name else None


def extractive_answer(
    question: str,
    evidence: Evidence,
    chapters: dict[str, Chapter],
    scope_label: str,
    *,
    source_titles: dict[str, str] | None = None,
) -> Answer:
    picked = _pick_units(evidence.sentences)
    lead = lead_entity(question, picked)
    chosen = sorted(
        picked,
        key=lambda s: (s.hit.passage.source_id, s.hit.passage.chapter_index, _span(s)[1]),
    )
    citations: list[Citation] = []
    body: list[str] = []
    numbers: dict[tuple[str, int], int] = {}
    cited: dict[tuple[str, int], Citation] = {}
    for sentence in chosen:
        passage = sentence.hit.passage
        chapter = chapters.get(passage.chapter_id)
        key = (passage.id, sentence.start)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            cited[key] = Citation(
                number=numbers[key],
                passage_id=passage.id,
                quote=_quote(sentence.text),
                chapter_title=chapter.title if chapter else "",
                chapter_index=passage.chapter_index,
                source_id=passage.source_id,
                source_title=(source_titles or {}).get(passage.source_id, ""),
                page=_page(chapter, sentence),
            )
            citations.append(cited[key])
        body.append(f"{tidy(sentence.text)} [{numbers[key]}]")
    used_chapters = [
        chapters[c]
        for c in dict.fromkeys(s.hit.passage.chapter_id for s in chosen)
        if c in chapters
    ]
    pages = [c.page for c in citations if c.page is not None]
    text = _lead_in(used_chapters, pages) + " " + " ".join(body) if body else ""
    if text and lead is not None:
        unit = lead[1]
        n = numbers[(unit.hit.passage.id, unit.start)]
        text, citations = renumber(f"{lead[0][:-1]} [{n}]. {text}", citations)
    return Answer(
        question=question,
        text=text,
        citations=citations,
        supported=bool(body),
        scope_label=scope_label,
        closest=evidence.hits[:3],
        backend="extractive",
        # renumber() renumbers the same Citation objects, so read the numbers last
        best_first=list(dict.fromkeys(cited[(u.hit.passage.id, u.start)].number for u in picked)),
    )
