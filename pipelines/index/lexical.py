"""BM25 over the same passages, one in-memory index per source, built lazily from SQLite.

Indexes are cached per (workspace, source) with a fingerprint of that source's
passages (count + highest rowid), so a change made by another process (re-index,
removal) is noticed on the next query, not only the ones this process made.
Scoring covers the whole source (cheap: a few thousand passages) and is then masked
to the chapters in scope, so BM25 statistics don't depend on the scope chosen.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import bm25s
import numpy as np

from pipelines.workspace.store import Workspace

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

_lock = threading.RLock()
_cache: dict[tuple[str, str], _SourceIndex] = {}
_STEM_RULES = (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("s", ""))


def _light_stem(word: str) -> str:
    """Plural folding only ('whales' -> 'whale'): cheap, predictable, no dependency."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    for suffix, repl in _STEM_RULES:
        if word.endswith(suffix):
            return word[: len(word) - len(suffix)] + repl
    return word


def _stem_all(words: list[str]) -> list[str]:
    return [_light_stem(w) for w in words]


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(  # type: ignore[return-value]
        [_APOSTROPHE.sub("", t) for t in texts],
        stopwords="en",
        stemmer=_stem_all,
        return_ids=False,
        show_progress=False,
    )


_APOSTROPHE = re.compile(r"['’]s\b|['’]")


@dataclass
class _SourceIndex:
    fingerprint: tuple[int, int]
    ids: list[str]
    chapter_ids: np.ndarray  # chapter id of each passage, aligned with ids
    retriever: bm25s.BM25 | None  # None when the source has no passages


def _fingerprint(ws: Workspace, source_id: str) -> tuple[int, int]:
    with ws.connect() as con:
        row = con.execute(
            "SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM passages WHERE source_id=?",
            (source_id,),
        ).fetchone()
    return (int(row[0]), int(row[1]))


def _build(ws: Workspace, source_id: str, fingerprint: tuple[int, int]) -> _SourceIndex:
    passages = ws.passages_for(source_ids=[source_id])
    ids = [p.id for p in passages]
    chapters = np.array([p.chapter_id for p in passages], dtype=object)
    if not passages:
        return _SourceIndex(fingerprint, ids, chapters, None)
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(
            [_APOSTROPHE.sub("", p.text) for p in passages],
            stopwords="en",
            stemmer=_stem_all,
            show_progress=False,
        ),
        show_progress=False,
    )
    log.debug("Built BM25 for source %s over %d passages", source_id[:12], len(ids))
    return _SourceIndex(fingerprint, ids, chapters, retriever)


def _index(ws: Workspace, source_id: str) -> _SourceIndex:
    key = (str(ws.db_path), source_id)
    fp = _fingerprint(ws, source_id)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.fingerprint == fp:
            return cached
    built = _build(ws, source_id, fp)
    with _lock:
        _cache[key] = built
    return built


def invalidate(ws: Workspace, source_id: str | None = None) -> None:
    with _lock:
        for key in [k for k in _cache if k[0] == str(ws.db_path)]:
            if source_id is None or key[1] == source_id:
                del _cache[key]


def search(
    ws: Workspace, query: str, source_ids: list[str], chapter_ids: list[str] | None, n: int
) -> list[tuple[str, float]]:
    """(passage id, BM25 score) best first, ties by id; only passages with a match."""
    tokens = tokenize([query])[0]
    if not tokens:
        return []
    allowed = set(chapter_ids) if chapter_ids is not None else None
    hits: list[tuple[str, float]] = []
    for sid in sorted(set(source_ids)):
        idx = _index(ws, sid)
        if idx.retriever is None:
            continue
        known = [t for t in tokens if t in idx.retriever.vocab_dict]
        if not known:
            continue
        scores = idx.retriever.get_scores(known)
        mask = scores > 0
        if allowed is not None:
            mask &= np.isin(idx.chapter_ids, list(allowed))
        for i in np.flatnonzero(mask):
            hits.append((idx.ids[i], round(float(scores[i]), 6)))
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits[:n]
