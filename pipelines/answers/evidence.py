"""Is there an answer in scope at all? Score the retrieved sentences against the question
and decide before any text is written, so weak evidence never becomes a confident guess.

The signals: dense similarity (MiniLM cosine) of the best sentence and passage, how many
of the question's content words the best passage covers, and whether the question's
names (capitalised words, numbers) occur in the evidence at all. A question about a
character who appears only in a later chapter fails the last test in no-spoiler mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from pipelines.answers.question_kinds import (
    answer_type,
    cue_strength,
    echoes,
    is_dialogue_fragment,
    is_question,
    never_an_answer,
)
from pipelines.settings import Settings
from pipelines.text.sentences import score_sentences, split_sentences, terms
from pipelines.types import ScoredPassage

# thresholds measured on tests/qa question sets (MiniLM-L6 cosine)
STRONG_SIMILARITY = 0.55  # alone enough
SUPPORT_SIMILARITY = 0.30  # enough with good word coverage
SUPPORT_COVERAGE = 0.5
MAX_UNIT_WORDS = 70
UNIT_HITS = 6  # answers are built from the best six passages (the hot path embeds their sentences)
ANSWER_CUE_BONUS = 0.25  # a unit holding the kind of thing asked for (a material, a date ...)
_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][a-z]+|\d{2,})\b")


@dataclass
class Sentence:
    text: str
    hit: ScoredPassage
    start: int  # offset in the passage
    size: int = 1  # sentences in this unit (1, or 2 for a neighbouring pair)
    parts: tuple[str, ...] = ()  # the sentences it is made of
    score: float = 0.0  # relevance to the question in [0, 1]
    similarity: float = 0.0


@dataclass
class Evidence:
    hits: list[ScoredPassage]
    sentences: list[Sentence] = field(default_factory=list)
    similarity: float = 0.0  # best dense similarity of a sentence or passage
    coverage: float = 0.0  # share of question words found in the best passage
    missing_names: list[str] = field(default_factory=list)
    supported: bool = False


def _names(question: str) -> list[str]:
    first_word_dropped = question.strip()
    return [m for m in _NAME.findall(first_word_dropped) if m.lower() not in {"i", "the", "a"}]


def _is_sentence(text: str) -> bool:
    """Not a heading or a cut-off fragment: it ends like a sentence."""
    return text.rstrip()[-1:] in ".!?\"”’')…"


def _candidate_units(hits: list[ScoredPassage], question: str = "") -> list[Sentence]:
    """Single sentences and pairs of neighbouring ones, each once.

    A pair lets an answer that spans two sentences ("...a glittering metallic framework.
    There was ivory in it...") win over either half alone. Units that are questions,
    scraps of dialogue or echoes of the question are left out: they never answer.
    """
    seen: set[str] = set()
    units: list[Sentence] = []
    for h in hits[:UNIT_HITS]:
        spans = [
            (s, e)
            for s, e in split_sentences(h.passage.text)
            if len(h.passage.text[s:e].split()) >= 3 and _is_sentence(h.passage.text[s:e])
        ]
        for i, (start, end) in enumerate(spans):
            for size, stop in ((1, end), (2, spans[i + 1][1] if i + 1 < len(spans) else None)):
                if stop is None:
                    continue
                text = " ".join(h.passage.text[start:stop].split())
                if text not in seen and len(text.split()) <= MAX_UNIT_WORDS:
                    seen.add(text)
                    parts = tuple(
                        " ".join(h.passage.text[a:b].split()) for a, b in spans[i : i + size]
                    )
                    if question and (
                        never_an_answer(parts[0], question)
                        and size == 1
                        or any(is_question(p) or is_dialogue_fragment(p) for p in parts)
                        or echoes(text, question)
                    ):
                        continue
                    units.append(Sentence(text, h, start, size, parts))
    return units


def judge_evidence(question: str, hits: list[ScoredPassage], *, settings: Settings) -> Evidence:
    from pipelines.index.embedder import get_embedder

    evidence = Evidence(hits=hits)
    if not hits:
        return evidence
    sentences = _candidate_units(hits, question)
    embedder = get_embedder(settings)
    # embed each sentence once; a pair's vector is the normalised sum of its two
    # (close to embedding the pair itself, at half the cost on the answer's hot path)
    parts = list(dict.fromkeys(p for s in sentences for p in s.parts))
    vectors = np.asarray(embedder.embed([question, *parts]), dtype=np.float32)
    q, by_part = vectors[0], dict(zip(parts, vectors[1:], strict=True))
    unit_vectors = (
        np.stack([sum(by_part[p] for p in s.parts) for s in sentences])
        if sentences
        else np.zeros((0, len(q)))
    )
    norms = np.linalg.norm(unit_vectors, axis=1, keepdims=True)
    sentence_sims = (unit_vectors / np.maximum(norms, 1e-9)) @ q
    passage_sims = [h.similarity for h in hits if h.similarity is not None]

    def similarity(_q: str, _texts: object) -> list[float]:
        return [float(x) for x in sentence_sims]

    scores = score_sentences(question, [s.text for s in sentences], similarity=similarity)
    kind = answer_type(question)
    for sentence, score, sim in zip(sentences, scores, sentence_sims, strict=True):
        cue = ANSWER_CUE_BONUS * cue_strength(kind, sentence.text, question)
        sentence.score, sentence.similarity = float(score) + cue, float(sim)
    evidence.sentences = sentences
    evidence.similarity = float(max([*sentence_sims, *passage_sims], default=0.0))

    q_terms = set(terms(question))
    if q_terms:
        evidence.coverage = max(
            len(q_terms & set(terms(h.passage.text))) / len(q_terms) for h in hits
        )
    haystack = " ".join(h.passage.text for h in hits).lower()
    evidence.missing_names = [n for n in _names(question) if n.lower() not in haystack]
    evidence.supported = not evidence.missing_names and (
        evidence.similarity >= STRONG_SIMILARITY
        or (evidence.similarity >= SUPPORT_SIMILARITY and evidence.coverage >= SUPPORT_COVERAGE)
    )
    return evidence
