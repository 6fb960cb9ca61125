"""Is there an answer in scope at all? Score the retrieved sentences against the question
and decide before any text is written, so weak evidence never becomes a confident guess.

The signals: dense similarity (MiniLM cosine) of the best sentence and passage, how many
of the question's content words the best passage covers, and whether the question's
names (capitalised words, numbers) occur in the evidence at all. A question about a
character who appears only in a later chapter fails the last test in no-spoiler mode.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from pipelines.answers.abstention import CUE_REQUIRED, TermRow, decide, term_features
from pipelines.answers.question_kinds import (
    answer_type,
    cue_strength,
    echoes,
    is_cut_off,
    is_dialogue_fragment,
    is_question,
    never_an_answer,
)
from pipelines.settings import Settings
from pipelines.text.sentences import score_sentences, split_sentences, terms
from pipelines.types import ScoredPassage

MAX_UNIT_WORDS = 70  # a pair of sentences at most this long ...
MAX_SENTENCE_WORDS = 120  # ... a single (long, semicolon-joined) sentence at most this long
UNIT_HITS = 6  # answers are built from the best six passages (the hot path embeds their sentences)
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
    lexical: float = 0.0  # BM25 over the candidate units, scaled by the best
    cue: float = 0.0  # holds the kind of thing asked for (0, 0.5, 1)
    rank: int = 1  # rank of its passage in the retrieval


@dataclass
class Evidence:
    hits: list[ScoredPassage]
    sentences: list[Sentence] = field(default_factory=list)
    similarity: float = 0.0  # best dense similarity of a sentence or passage
    coverage: float = 0.0  # share of question words found in the best passage
    missing_names: list[str] = field(default_factory=list)
    supported: bool = False
    features: dict[str, float] = field(default_factory=dict)  # what the verdict was made from
    # per question word: where it occurs (see `abstention.TermRow`)
    term_rows: list[TermRow] = field(default_factory=list)
    pool: int = UNIT_HITS  # the best hits the sentences come from


def _names(question: str) -> list[str]:
    first_word_dropped = question.strip()
    return [m for m in _NAME.findall(first_word_dropped) if m.lower() not in {"i", "the", "a"}]


def _is_sentence(text: str) -> bool:
    """Not a heading or a cut-off fragment: it ends like a sentence."""
    return text.rstrip()[-1:] in ".!?\"”’')…"


def _candidate_units(
    hits: list[ScoredPassage], question: str = "", pool: int = UNIT_HITS
) -> list[Sentence]:
    """Single sentences and pairs of neighbouring ones, each once.

    A pair lets an answer that spans two sentences ("...a glittering metallic framework.
    There was ivory in it...") win over either half alone. Units that are questions,
    scraps of dialogue or echoes of the question are left out: they never answer.
    """
    seen: set[str] = set()
    units: list[Sentence] = []
    for h in hits[:pool]:
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
                limit = MAX_UNIT_WORDS if size == 2 else MAX_SENTENCE_WORDS
                if text not in seen and len(text.split()) <= limit:
                    seen.add(text)
                    parts = tuple(
                        " ".join(h.passage.text[a:b].split()) for a, b in spans[i : i + size]
                    )
                    if question and (
                        never_an_answer(parts[0], question)
                        and size == 1
                        or any(is_question(p) or is_dialogue_fragment(p) for p in parts)
                        or is_cut_off(parts[0])
                        or echoes(text, question)
                    ):
                        continue
                    units.append(Sentence(text, h, start, size, parts))
    return units


# Weights of a unit's score, picked on the held-out dev split (answer containment).
W_LEXICAL = 0.2
W_SIMILARITY = 0.8
W_CUE = 0.15  # a unit holding the kind of thing asked for (a material, a date ...)
W_RANK = 0.2  # bonus for units of the best-ranked passages: W_RANK / rank
# "Who is X?" / "What is X?": a sentence that describes X ("X, the ...", "X is a ...",
# "... we call X") is the answer, not one more sentence that mentions X
W_DESCRIBES = 0.35
_DESCRIBED = frozenset({"person", "definition"})


def unit_score(unit: Sentence, kind: str | None = None) -> float:
    cue_weight = W_DESCRIBES if kind in _DESCRIBED and unit.cue >= 1.0 else W_CUE
    return (
        W_LEXICAL * unit.lexical
        + W_SIMILARITY * max(0.0, unit.similarity)
        + cue_weight * unit.cue
        + W_RANK / unit.rank
    )


def judge_evidence(
    question: str,
    hits: list[ScoredPassage],
    *,
    settings: Settings,
    scope_terms: Mapping[str, int] | None = None,
    scope_size: int = 0,
    known_terms: Mapping[str, int] | None = None,
    outside: list[ScoredPassage] | None = None,
    pool: int = UNIT_HITS,
) -> Evidence:
    """Score the candidate sentences and decide whether the hits answer the question.

    `scope_terms` (question token -> passages in scope holding it) and `scope_size`
    (passages in scope) come from the lexical index: a question whose key words the
    scope never uses is about something the text does not discuss. `known_terms` counts
    the same tokens in every chapter up to the scope's last: a name of the question that
    the hits lack and the reader has not met yet (a spoiler, or a wrong book) is missing.
    `outside`: the best passages of the whole book outside the scope; when one of their
    sentences answers far better than anything in scope, the answer is in other chapters.
    """
    from pipelines.index.embedder import get_embedder

    evidence = Evidence(hits=hits, pool=pool)
    if not hits:
        return evidence
    sentences = _candidate_units(hits, question, pool)
    elsewhere = _candidate_units(outside or [], question)
    elsewhere = [u for u in elsewhere if u.size == 1]
    embedder = get_embedder(settings)
    # embed each sentence once; a pair's vector is the normalised sum of its two
    # (close to embedding the pair itself, at half the cost on the answer's hot path)
    parts = list(
        dict.fromkeys([*(p for s in sentences for p in s.parts), *(u.text for u in elsewhere)])
    )
    vectors = np.asarray(embedder.embed([question, *parts]), dtype=np.float32)
    q, by_part = vectors[0], dict(zip(parts, vectors[1:], strict=True))
    unit_vectors = (
        np.stack([sum(by_part[p] for p in s.parts) for s in sentences])
        if sentences
        else np.zeros((0, len(q)))
    )
    norms = np.linalg.norm(unit_vectors, axis=1, keepdims=True)
    sentence_sims = (unit_vectors / np.maximum(norms, 1e-9)) @ q
    outside_sim = max((float(by_part[u.text] @ q) for u in elsewhere), default=0.0)
    passage_sims = [h.similarity for h in hits if h.similarity is not None]

    lexical = score_sentences(question, [s.text for s in sentences])
    kind = answer_type(question)
    ranks = {h.passage.id: r for r, h in enumerate(hits, 1)}
    for sentence, lex, sim in zip(sentences, lexical, sentence_sims, strict=True):
        sentence.lexical, sentence.similarity = float(lex), float(sim)
        sentence.cue = cue_strength(kind, sentence.text, question)
        sentence.rank = ranks.get(sentence.hit.passage.id, len(hits))
        sentence.score = unit_score(sentence, kind)
    evidence.sentences = sentences
    evidence.similarity = float(max([*sentence_sims, *passage_sims], default=0.0))

    q_terms = set(terms(question))
    if q_terms:
        evidence.coverage = max(
            len(q_terms & set(terms(h.passage.text))) / len(q_terms) for h in hits
        )
    haystack = " ".join(h.passage.text for h in hits).lower()
    evidence.missing_names = [
        n for n in _names(question) if n.lower() not in haystack and _unknown(n, known_terms)
    ]
    evidence.features = _features(question, evidence, kind, scope_terms, scope_size, known_terms)
    evidence.features["outside_gain"] = round(
        outside_sim - evidence.features["sentence_similarity"] if elsewhere else -1.0, 4
    )
    evidence.features["missing_names"] = float(len(evidence.missing_names))
    evidence.supported = decide(evidence.features)

    return evidence


def _unknown(name: str, known_terms: Mapping[str, int] | None) -> bool:
    if known_terms is None:
        return True
    from pipelines.index.lexical import tokenize_one

    return not any(known_terms.get(t, 0) for t in tokenize_one(name))


def _parts_of_speech(question: str) -> dict[str, str]:
    """Stemmed word of the question -> its part of speech there (its first occurrence)."""
    from pipelines.index.lexical import tokenize_one
    from pipelines.text.nlp import get_nlp

    out: dict[str, str] = {}
    for token in get_nlp()(question):
        for t in tokenize_one(token.text):
            out.setdefault(t, token.pos_)
    return out


def _features(
    question: str,
    evidence: Evidence,
    kind: str | None,
    scope_terms: Mapping[str, int] | None,
    scope_size: int,
    known_terms: Mapping[str, int] | None = None,
) -> dict[str, float]:
    from pipelines.index.lexical import tokenize_one

    q_tokens = list(dict.fromkeys(tokenize_one(question)))
    hit_tokens: set[str] = set()
    for h in evidence.hits[: evidence.pool]:
        hit_tokens.update(tokenize_one(h.passage.text))
    lex_missing = sum(1 for t in q_tokens if t not in hit_tokens)
    scope_missing = sum(1 for t in q_tokens if scope_terms is not None and not scope_terms.get(t))
    best = sorted(evidence.sentences, key=lambda s: -s.score)[:5]
    top_sim = max((s.similarity for s in evidence.sentences), default=0.0)
    # idf of each question word within the scope (a word the scope never uses weighs most)
    n = max(scope_size, 1)
    counts = scope_terms or {}
    idf = {t: math.log(1 + (n + 1) / (counts.get(t, 0) + 0.5)) for t in q_tokens}
    total = sum(idf.values()) or 1.0

    def weighted_coverage(text: str) -> float:
        have = set(tokenize_one(text))
        return sum(w for t, w in idf.items() if t in have) / total

    unit_cov = max((weighted_coverage(u.text) for u in best), default=0.0)
    unit_tokens = [set(tokenize_one(u.text)) for u in best[:3]]
    pos = _parts_of_speech(question)
    evidence.term_rows = [
        TermRow(
            term=t,
            df=counts.get(t, 0),
            in_first=bool(unit_tokens) and t in unit_tokens[0],
            in_top=any(t in u for u in unit_tokens),
            in_hits=t in hit_tokens,
            pos=pos.get(t, ""),
            known=(known_terms or {}).get(t, 0),
        )
        for t in q_tokens
    ]
    hit_cov = max(
        (weighted_coverage(h.passage.text) for h in evidence.hits[: evidence.pool]), default=0.0
    )
    return {
        "similarity": round(evidence.similarity, 4),
        "sentence_similarity": round(top_sim, 4),
        "coverage": round(evidence.coverage, 4),
        "question_terms": float(len(q_tokens)),
        "lex_missing": float(lex_missing),
        "scope_missing": float(scope_missing),
        "cue": max((cue_strength(kind, s.text, question) for s in best), default=0.0),
        "cue_required": CUE_REQUIRED.get(kind or "", 0.0),
        "scope_size": float(scope_size),
        "units": float(len(evidence.sentences)),
        "unit_coverage": round(unit_cov, 4),
        "passage_coverage": round(hit_cov, 4),
        **term_features(evidence.term_rows, n, kind),
    }
