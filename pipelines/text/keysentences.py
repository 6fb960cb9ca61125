"""Key sentences of a span of text, with provenance: the offline core of summaries and of
the extractive podcast script.

Sentences are scored by TF-IDF centrality (similarity to the text's centroid) with a
mild length prior, then picked with maximal marginal relevance so the set covers the
text instead of repeating its most central idea.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from pipelines.text.sentences import split_sentences
from pipelines.types import Passage

MIN_WORDS = 6
MAX_WORDS = 70


# The classic English stop list (the one scikit-learn ships, Glasgow IR group): function
# words and a few frequent verbs. Kept here so no machine-learning library is imported for it.
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along
    already also although always am among amongst amoungst amount an and another any
    anyhow anyone anything anyway anywhere are around as at back be became because
    become becomes becoming been before beforehand behind being below beside besides
    between beyond bill both bottom but by call can cannot cant co con could couldnt
    cry de describe detail do done down due during each eg eight either eleven else
    elsewhere empty enough etc even ever every everyone everything everywhere except
    few fifteen fifty fill find fire first five for former formerly forty found four
    from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however
    hundred i ie if in inc indeed interest into is it its itself keep last latter
    latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next
    nine no nobody none noone nor not nothing now nowhere of off often on once one
    only onto or other others otherwise our ours ourselves out over own part per
    perhaps please put rather re same see seem seemed seeming seems serious several
    she should show side since sincere six sixty so some somehow someone something
    sometime sometimes somewhere still such system take ten than that the their them
    themselves then thence there thereafter thereby therefore therein thereupon
    these they thick thin third this those though three through throughout thru thus
    to together too top toward towards twelve twenty two un under until up upon us
    very via was we well were what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who
    whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
    """.split()
)
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class Tfidf:
    """A small TF-IDF in numpy with scikit-learn's defaults (smooth idf, l2 rows).

    Lowercased tokens from `token_pattern`, stop words dropped before n-grams are formed,
    vocabulary in sorted order, optional sublinear tf (1 + log tf). Dense rows: the texts
    it sees (a chapter's sentences, a book's chapters) are small.
    """

    def __init__(
        self,
        *,
        stop_words: frozenset[str] | None = ENGLISH_STOP_WORDS,
        ngram_range: tuple[int, int] = (1, 1),
        token_pattern: str | None = None,
        sublinear_tf: bool = False,
    ) -> None:
        self.stop_words = stop_words or frozenset()
        self.ngram_range = ngram_range
        self.token = re.compile(token_pattern) if token_pattern else _TOKEN
        self.sublinear_tf = sublinear_tf
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)
        self._docs: list[Counter[str]] = []

    def _terms(self, text: str) -> list[str]:
        words = [w for w in self.token.findall(text.lower()) if w not in self.stop_words]
        low, high = self.ngram_range
        terms: list[str] = []
        for n in range(low, high + 1):
            terms.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        return terms

    def _counts(self, docs: list[Counter[str]]) -> np.ndarray:
        matrix = np.zeros((len(docs), len(self.vocabulary)))
        for row, terms in enumerate(docs):
            for term, n in terms.items():
                col = self.vocabulary.get(term)
                if col is not None:
                    matrix[row, col] = n
        return matrix

    def _weigh(self, counts: np.ndarray) -> np.ndarray:
        if self.sublinear_tf:
            counts = np.where(counts > 0, 1.0 + np.log(np.maximum(counts, 1.0)), 0.0)
        matrix = counts * self.idf
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)

    def fit(self, texts: list[str]) -> Tfidf:
        """Learn vocabulary and idf; ValueError when no text has a usable term."""
        self._docs = [Counter(self._terms(t)) for t in texts]
        self.vocabulary = {t: i for i, t in enumerate(sorted(set().union(*self._docs)))}
        if not self.vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        df = np.zeros(len(self.vocabulary))
        for doc in self._docs:
            df[[self.vocabulary[t] for t in doc]] += 1
        self.idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        return self

    def fit_transform(self, texts: list[str]) -> np.ndarray:
        """(len(texts), vocabulary) dense weights: for small sets (a chapter's sentences)."""
        return self.fit(texts)._weigh(self._counts(self._docs))

    def fitted_row(self, index: int) -> np.ndarray:
        """The weights of one fitted text, without building the whole matrix."""
        return self._weigh(self._counts([self._docs[index]]))[0]

    def transform(self, texts: list[str]) -> np.ndarray:
        return self._weigh(self._counts([Counter(self._terms(t)) for t in texts]))

    def feature_names(self) -> list[str]:
        return sorted(self.vocabulary, key=self.vocabulary.__getitem__)


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
    background: Counter[str] | None = None,
) -> list[KeySentence]:
    """`rank_key_sentences` over given (text, passage, chapter offset) candidates: the
    reduce step when candidates come from several chapters' own key sentences.

    With `background` (word counts of the whole book) sentences rich in what sets this
    part apart from the rest of the book rank higher: the flowers and the fire of one
    chapter, not the hero's name that every chapter repeats."""
    exclude = exclude or set()
    candidates = [(t, p, o) for t, p, o in sentences if _usable(t) and t not in exclude]
    if not candidates or limit <= 0:
        return []
    texts = [c[0] for c in candidates]
    vectorizer = Tfidf(sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform(texts)
    except ValueError:  # every word a stop word
        return []
    centroid = vectors.mean(axis=0)
    norm = np.linalg.norm(centroid) or 1.0
    centrality = vectors @ (centroid / norm)
    lengths = np.array([len(t.split()) for t in texts], dtype=float)
    length_prior = np.clip(lengths / 18.0, 0.4, 1.0)  # very short lines say little
    relevance = centrality * length_prior
    if background:
        relevance = relevance + SALIENCE_WEIGHT * _salience(texts, background)
    if query:
        focus = vectorizer.transform([query])[0]
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


SALIENCE_WEIGHT = 0.3


def word_counts(text: str) -> Counter[str]:
    """Content-word counts, the `background` of `rank_candidates`."""
    return Counter(w for w in _TOKEN.findall(text.lower()) if w not in ENGLISH_STOP_WORDS)


def _salience(texts: list[str], background: Counter[str]) -> np.ndarray:
    """Per sentence, 0..1: how much of it is words this part repeats far more often than
    the book as a whole does (log-odds against the book, words said twice or more here)."""
    here = word_counts(" ".join(texts))
    n_here, n_book = max(1, sum(here.values())), max(1, sum(background.values()))
    keyness = {
        w: max(0.0, np.log((c + 0.5) / n_here) - np.log((background.get(w, 0) + 0.5) / n_book))
        for w, c in here.items()
        if c >= 2
    }
    scores = np.array(
        [
            sum(keyness.get(w, 0.0) for w in set(word_counts(t))) / np.sqrt(len(t.split()))
            for t in texts
        ]
    )
    top = scores.max() if len(scores) else 0.0
    return scores / top if top > 0 else scores


def in_reading_order(sentences: list[KeySentence]) -> list[KeySentence]:
    return sorted(sentences, key=lambda s: s.order)
