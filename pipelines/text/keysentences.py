"""Key sentences of a span of text, with provenance: the offline core of summaries and of
the extractive podcast script.

Sentences are scored by TF-IDF centrality (similarity to the text's centroid) with a
mild length prior, then picked with maximal marginal relevance so the set covers the
text instead of repeating its most central idea.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from pipelines.text.sentences import split_sentences
from pipelines.types import Passage

MIN_WORDS = 6
MAX_WORDS = 70


@dataclass(frozen=True)
class KeySentence:
    text: str
    passage: Passage
    chapter_offset: int  # where the sentence starts in its chapter's text
    score: float

    @property
    def order(self) -> tuple[str, int, int]:
        """Reading order across chapters of one source."""
        return (self.passage.source_id, self.passage.chapter_index, self.chapter_offset)


def sentences_of(passages: list[Passage]) -> list[tuple[str, Passage, int]]:
    """Every sentence once, in reading order (neighbouring passages overlap)."""
    seen: set[tuple[str, int]] = set()
    out: list[tuple[str, Passage, int]] = []
    for passage in passages:
        for start, end in split_sentences(passage.text):
            text = " ".join(passage.text[start:end].split())
            key = (passage.chapter_id, passage.start + start)
            if key in seen or not text:
                continue
            seen.add(key)
            out.append((text, passage, passage.start + start))
    return out


def _usable(text: str) -> bool:
    words = len(text.split())
    if not MIN_WORDS <= words <= MAX_WORDS:
        return False
    if not re.match(r"^[\"“‘'(]?[A-Z0-9]", text):  # a fragment that starts mid-sentence
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 0.6 * len(text)


def rank_key_sentences(
    passages: list[Passage],
    limit: int,
    *,
    exclude: set[str] | None = None,
    diversity: float = 0.3,
    query: str | None = None,
) -> list[KeySentence]:
    """Up to `limit` central, mutually different sentences, best first.

    With a `query` (a podcast focus, a summary topic) sentences close to it rank higher.
    """

    return rank_candidates(
        sentences_of(passages), limit, exclude=exclude, diversity=diversity, query=query
    )


def rank_candidates(
    sentences: list[tuple[str, Passage, int]],
    limit: int,
    *,
    exclude: set[str] | None = None,
    diversity: float = 0.3,
    query: str | None = None,
) -> list[KeySentence]:
    """`rank_key_sentences` over given (text, passage, chapter offset) candidates: the
    reduce step when candidates come from several chapters' own key sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    exclude = exclude or set()
    candidates = [(t, p, o) for t, p, o in sentences if _usable(t) and t not in exclude]
    if not candidates or limit <= 0:
        return []
    texts = [c[0] for c in candidates]
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform(texts).toarray()
    except ValueError:  # every word a stop word
        return []
    centroid = vectors.mean(axis=0)
    norm = np.linalg.norm(centroid) or 1.0
    centrality = vectors @ (centroid / norm)
    lengths = np.array([len(t.split()) for t in texts], dtype=float)
    length_prior = np.clip(lengths / 18.0, 0.4, 1.0)  # very short lines say little
    relevance = centrality * length_prior
    if query:
        focus = vectorizer.transform([query]).toarray()[0]
        if focus.any():
            relevance = relevance + vectors @ (focus / np.linalg.norm(focus))
    chosen: list[int] = []
    while len(chosen) < min(limit, len(candidates)):
        if chosen:
            redundancy = (vectors @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(candidates))
        mmr = (1 - diversity) * relevance - diversity * redundancy
        mmr[chosen] = -np.inf
        best = int(np.argmax(mmr))
        if mmr[best] == -np.inf:
            break
        chosen.append(best)
    return [
        KeySentence(
            text=texts[i],
            passage=candidates[i][1],
            chapter_offset=candidates[i][2],
            score=float(relevance[i]),
        )
        for i in chosen
    ]


def in_reading_order(sentences: list[KeySentence]) -> list[KeySentence]:
    return sorted(sentences, key=lambda s: s.order)
