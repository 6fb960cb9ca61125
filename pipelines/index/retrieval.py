"""Chapter-scoped hybrid retrieval.

search(): dense and lexical (BM25 masked to the same chapters), fused by score
(`fuse_weighted`; reciprocal rank `fuse` is kept for comparison). The dense leg is an
exact scan of the scope's stored vectors (`dense_scope`: its cost follows the scope, not
the library) and falls back to chroma's filtered HNSW query (`where` on source/chapter
ids) for scopes too large to scan or lacking stored embeddings. Question vectors are
cached per question text (a follow-up over other chapters embeds nothing). Every
ordering breaks ties by passage id, so the same workspace answers the same query
identically in any process. Keeping the index in step with the workspace is
`index/indexing.py`.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from pipelines.errors import FolioError
from pipelines.index import dense_scope, lexical, vectors
from pipelines.index.embedder import get_embedder
from pipelines.index.indexing import finish_interrupted
from pipelines.settings import Settings
from pipelines.types import Scope, ScoredPassage
from pipelines.workspace.store import Workspace

if TYPE_CHECKING:
    from pipelines.session import Session

log = logging.getLogger(__name__)

MODES = ("hybrid", "dense", "lexical")
QUESTION_CACHE = 256  # question vectors kept per process (384 floats each)

_qlock = threading.Lock()
_question_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()


def question_vector(query: str, settings: Settings) -> np.ndarray:
    """The question's embedding, cached per (embedder kind, question text)."""
    key = (settings.index.embedder, query)
    with _qlock:
        cached = _question_vectors.get(key)
        if cached is not None:
            _question_vectors.move_to_end(key)
            return cached
    vec = np.asarray(get_embedder(settings).embed([query])[0], dtype=np.float32)
    vec.setflags(write=False)
    with _qlock:
        _question_vectors[key] = vec
        while len(_question_vectors) > QUESTION_CACHE:
            _question_vectors.popitem(last=False)
    return vec


def forget_question_vectors() -> None:
    with _qlock:
        _question_vectors.clear()


def dense_search(
    ws: Workspace,
    qvec: np.ndarray,
    source_ids: list[str],
    chapter_ids: list[str] | None,
    n: int,
    *,
    settings: Settings,
) -> list[tuple[str, float]]:
    """(passage id, cosine) best first, ties by id: an exact scan of the scope's stored
    vectors when it is small enough, else chroma's filtered index."""
    hits = dense_scope.query(ws, qvec, source_ids, chapter_ids, n)
    if hits is None:
        hits = vectors.query(ws, qvec, source_ids, chapter_ids, n, settings=settings)
    return hits


def search(
    session: Session,
    query: str,
    scope: Scope,
    *,
    k: int = 8,
    mode: str = "hybrid",
) -> list[ScoredPassage]:
    """The k best passages inside `scope`. Scores: fused (hybrid), cosine (dense), BM25."""
    ws, settings = session.workspace, session.settings
    if mode not in MODES:
        raise FolioError(f"Unknown search mode '{mode}'; use one of {', '.join(MODES)}.")
    finish_interrupted(ws, settings=settings)
    query = " ".join(query.split())
    chapter_ids = None if scope.chapter_ids is None else list(scope.chapter_ids)
    if not query or not scope.source_ids or chapter_ids == []:
        return []
    n = max(k, settings.index.candidates)
    dense: list[tuple[str, float]] = []
    lex: list[tuple[str, float]] = []
    if mode in ("hybrid", "dense"):
        qvec = question_vector(query, settings)
        dense = dense_search(ws, qvec, list(scope.source_ids), chapter_ids, n, settings=settings)
    if mode in ("hybrid", "lexical"):
        lex = lexical.search(ws, query, list(scope.source_ids), chapter_ids, n)
    dense_rank = {pid: r for r, (pid, _) in enumerate(dense, 1)}
    cosine = dict(dense)
    lex_rank = {pid: r for r, (pid, _) in enumerate(lex, 1)}
    if mode == "dense":
        ranked = dense
    elif mode == "lexical":
        ranked = lex
    else:
        ranked = fuse_weighted(dense, lex, LEXICAL_WEIGHT)
    top = ranked[: k * 2]  # a few spare in case SQLite lacks a stale vector's passage
    found = ws.get_passages([pid for pid, _ in top])
    out = [
        ScoredPassage(found[pid], score, dense_rank.get(pid), lex_rank.get(pid), cosine.get(pid))
        for pid, score in top
        if pid in found
    ]
    return out[:k]


# Weight of the lexical leg in the score fusion, picked on the held-out dev split
# (eval/qa/heldout_dev.jsonl, evidence -> gold passages) and eval/retrieval.
LEXICAL_WEIGHT = 0.5


def fuse_weighted(
    dense: list[tuple[str, float]], lex: list[tuple[str, float]], lexical_weight: float
) -> list[tuple[str, float]]:
    """Score fusion: w * BM25 / best BM25 + (1 - w) * cosine, over both legs' candidates.

    Unlike rank fusion it keeps how far ahead a leg's best passage is: a passage that
    BM25 finds three times better than the next is not flattened to "rank 1". A passage
    one leg missed gets that leg's floor (0 for BM25, the lowest cosine seen).
    """
    top = max((score for _, score in lex), default=0.0)
    floor = min((score for _, score in dense), default=0.0)
    lexical = {pid: score / top for pid, score in lex} if top > 0 else {}
    cosine = dict(dense)
    scores = {
        pid: lexical_weight * lexical.get(pid, 0.0) + (1 - lexical_weight) * cosine.get(pid, floor)
        for pid in {*cosine, *lexical}
    }
    return sorted(((pid, round(v, 9)) for pid, v in scores.items()), key=lambda h: (-h[1], h[0]))


def fuse(rankings: list[list[tuple[str, float]]], rrf_k: int) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion: sum of 1/(rrf_k + rank) over the rankings a passage is in."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, (pid, _) in enumerate(ranking, 1):
            scores[pid] = scores.get(pid, 0.0) + 1.0 / (rrf_k + rank)
    return sorted(((pid, round(s, 9)) for pid, s in scores.items()), key=lambda h: (-h[1], h[0]))
