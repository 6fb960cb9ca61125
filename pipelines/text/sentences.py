"""Pure sentence helpers for the extractive answers, summaries and podcast scripts:
splitting with offsets, scoring against a question, and MMR selection.

No model is needed; an embedding similarity can be passed in as a callback.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import NamedTuple


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class Span(NamedTuple):
    start: int
    end: int


# Abbreviations after which a period never ends a sentence (titles, Latin, "et al.").
_NEVER_END = _words(
    "mr mrs ms messrs mme mlle dr prof rev hon st sr jr gen col capt lt sgt cmdr adm gov "
    "pres supt fr e.g i.e cf viz vs al approx ca esp dept univ est"
)
# Abbreviations that are followed by a number ("p. 45", "No. 5", "Fig. 3").
_BEFORE_NUMBER = _words("p pp no nos vol vols fig figs eq eqs ch chap sec ref refs art op")

_TERMINATOR = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_OPENERS = "\"'“‘«([¿¡"


def _ends_sentence(text: str, term_start: int, term_end: int) -> bool:
    """Does the terminator text[term_start:term_end] end a sentence?"""
    rest = text[term_end:]
    if rest and not rest[0].isspace():
        return False  # "3.14", "e.g.,", "U.S.-based"
    follow = rest.lstrip()
    if not follow:
        return True
    nxt = follow[0]
    punct = text[term_start:term_end]
    if punct[0] != ".":  # ! ? …: a boundary unless lowercase follows ("'Stop!' he said")
        return not nxt.islower()
    if punct.startswith(".."):  # an ellipsis: a boundary only before a capital
        return nxt.isupper() or nxt in _OPENERS
    m = _WORD_BEFORE.search(text, 0, term_start)
    word = m.group(1).lower().rstrip(".") if m else ""
    if word in _NEVER_END:
        return False
    if word in _BEFORE_NUMBER and nxt.isdigit():
        return False
    if m and len(m.group(1)) == 1 and m.group(1).isupper():
        return False  # an initial: "H. G. Wells"
    if m and re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", m.group(1)):
        return nxt.isupper() and word not in ("u.s", "u.k")  # "U.S. Army" vs "... in the U.S. The"
    return nxt.isupper() or nxt.isdigit() or nxt in _OPENERS


# A short line with no closing punctuation, after a sentence end or at the start, and
# followed by a capitalised line: a heading
# ("3.1 Traces\nA trace is ...") in text extracted from PDFs, which keeps line breaks.
_HEADING_LINE = re.compile(
    r"(?:\A|(?<=[.!?:”\"]\n)|(?<=\n\n))[ \t]*(?:[\dIVXivx]+(?:\.\d+)*\.?[ \t]+)?[A-Z][^\n.!?:;,]{0,60}(?<![\s,;])(?=\n[ \t]*[A-Z0-9“\"])"
)


def split_sentences(text: str) -> list[Span]:
    """Sentence spans (start, end) of `text`, whitespace trimmed, in order.

    Handles titles and Latin abbreviations (Mr., Dr., e.g., i.e., et al.), initials,
    page/figure numbers, closing quotes after the stop, ellipses, and paragraph breaks
    (always a boundary, so headings without a full stop stand alone).
    """
    cuts: set[int] = {m.start() for m in _PARAGRAPH.finditer(text)}
    cuts.update(m.end() for m in _HEADING_LINE.finditer(text))
    for m in _TERMINATOR.finditer(text):
        if _ends_sentence(text, m.start(), m.end()):
            cuts.add(m.end())
    spans: list[Span] = []
    start = 0
    for cut in sorted(cuts) + [len(text)]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append(Span(s, e))
        start = cut
    return spans


def sentence_texts(text: str) -> list[str]:
    """The sentences themselves, inner whitespace collapsed."""
    return [" ".join(text[s:e].split()) for s, e in split_sentences(text)]


# ---- scoring -----------------------------------------------------------------------

STOPWORDS = _words(
    """a an and are as at be been but by can could did do does for from had has have he her
    his how i if in into is it its me my no not of on or our she so than that the their them
    then there these they this those to was we were what when where which who whom why will
    with would you your about after all also any because before between both each few more
    most other over same should some such through under until up very just only own"""
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def terms(text: str) -> list[str]:
    """Lowercased content words, with a light plural/verb-ending fold."""
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok in STOPWORDS or len(tok) < 2:
            continue
        for suffix in ("'s", "’s"):
            tok = tok.removesuffix(suffix)
        if len(tok) > 4 and tok.endswith("ies"):
            tok = tok[:-3] + "y"
        elif len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
            tok = tok[:-1]
        out.append(tok)
    return out


def bm25_scores(
    query: str, sentences: Sequence[str], *, k1: float = 1.2, b: float = 0.75
) -> list[float]:
    """BM25 of each sentence against the query, with IDF over the sentences themselves."""
    docs = [terms(s) for s in sentences]
    q_terms = set(terms(query))
    if not docs or not q_terms:
        return [0.0] * len(docs)
    n = len(docs)
    avg_len = sum(len(d) for d in docs) / n or 1.0
    df = Counter(t for d in docs for t in set(d) if t in q_terms)
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in q_terms}
    scores = []
    for doc in docs:
        tf = Counter(doc)
        norm = k1 * (1 - b + b * len(doc) / avg_len)
        scores.append(sum(idf[t] * tf[t] * (k1 + 1) / (tf[t] + norm) for t in q_terms if tf[t]))
    return scores


SimilarityFn = Callable[[str, Sequence[str]], Sequence[float]]


def score_sentences(
    question: str,
    sentences: Sequence[str],
    *,
    similarity: SimilarityFn | None = None,
    semantic_weight: float = 0.6,
) -> list[float]:
    """Relevance of each sentence to the question in [0, 1].

    Lexical BM25 (scaled by its maximum) blended with `similarity(question, sentences)`
    (e.g. cosine of embeddings, expected in [-1, 1]) when one is given.
    """
    lexical = bm25_scores(question, sentences)
    top = max(lexical, default=0.0)
    lexical = [s / top if top > 0 else 0.0 for s in lexical]
    if similarity is None or not sentences:
        return lexical
    dense = [max(0.0, float(x)) for x in similarity(question, sentences)]
    w = min(max(semantic_weight, 0.0), 1.0)
    return [(1 - w) * lx + w * d for lx, d in zip(lexical, dense, strict=True)]


def jaccard(a: str, b: str) -> float:
    sa, sb = set(terms(a)), set(terms(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def select_mmr(
    sentences: Sequence[str],
    scores: Sequence[float],
    k: int,
    *,
    diversity: float = 0.3,
    min_score: float = 0.0,
    redundancy: Callable[[str, str], float] = jaccard,
) -> list[int]:
    """Indices of up to `k` relevant, non-redundant sentences, returned in text order.

    Maximal marginal relevance: each pick maximises
    (1 - diversity) * score - diversity * max redundancy with what is already picked.
    Sentences scoring at or below `min_score` are never picked.
    """
    candidates = [i for i, s in enumerate(scores) if s > min_score]
    picked: list[int] = []
    while candidates and len(picked) < k:

        def gain(i: int) -> float:
            overlap = max((redundancy(sentences[i], sentences[j]) for j in picked), default=0.0)
            return (1 - diversity) * scores[i] - diversity * overlap

        best = max(candidates, key=lambda i: (gain(i), -i))
        picked.append(best)
        candidates.remove(best)
    return sorted(picked)
