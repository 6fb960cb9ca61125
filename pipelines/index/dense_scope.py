"""Exact dense search over a small scope, from the embeddings stored with the passages.

A chapter-scoped query asks for the best of a few hundred or thousand vectors. Chroma
answers it with an HNSW search filtered by metadata over the whole collection, whose
cost grows with the library (and whose `$in` filter on chapter ids is the slow part);
here the scope's vectors are read from SQLite (float16 BLOBs, the same values chroma
holds: `indexing._fill` adds exactly what it stores) and scored with one matrix product,
whose cost grows only with the scope. The result is the exact cosine ranking chroma's
index approximates, in chroma's units (similarity = 1 - cosine distance, rounded the same
way, ties by id).

`query` returns None when the scan is not the right tool and chroma must answer: the
scope holds more than SCAN_LIMIT passages (a whole large library), or some passage in it
has no stored embedding (a workspace from before embeddings were stored, until
`index.repair` copies them out of the vector index).
"""

from __future__ import annotations

import numpy as np

from pipelines.workspace.store import Workspace

SCAN_LIMIT = 20_000  # above this many passages, a filtered HNSW query is cheaper
_DTYPE = np.dtype("<f2")  # how indexing stores embeddings


def _where(source_ids: list[str], chapter_ids: list[str] | None) -> tuple[str, list[str]]:
    sources = sorted(set(source_ids))
    sql = f"source_id IN ({','.join('?' * len(sources))})"
    args = list(sources)
    if chapter_ids is not None:
        chapters = sorted(set(chapter_ids))
        sql += f" AND chapter_id IN ({','.join('?' * len(chapters))})"
        args += chapters
    return sql, args


def query(
    ws: Workspace,
    embedding: np.ndarray,
    source_ids: list[str],
    chapter_ids: list[str] | None,
    n: int,
    *,
    limit: int | None = None,
) -> list[tuple[str, float]] | None:
    """(passage id, cosine similarity) best first, ties by id; None: ask chroma instead."""
    if not source_ids or (chapter_ids is not None and not chapter_ids) or n <= 0:
        return []
    limit = SCAN_LIMIT if limit is None else limit
    where, args = _where(source_ids, chapter_ids)
    with ws.connect() as con:
        total, embedded = con.execute(
            f"SELECT COUNT(*), COUNT(embedding) FROM passages WHERE {where}", args
        ).fetchone()
        if total > limit or embedded != total:
            return None
        if not total:
            return []
        rows = con.execute(f"SELECT id, embedding FROM passages WHERE {where}", args).fetchall()
    ids = [r[0] for r in rows]
    blobs = [r[1] for r in rows]
    dim = len(blobs[0]) // _DTYPE.itemsize
    if any(len(b) != len(blobs[0]) for b in blobs):
        return None  # mixed dimensions: not ours to judge
    matrix = np.frombuffer(b"".join(blobs), dtype=_DTYPE).reshape(len(ids), dim)
    return top_cosine(ids, matrix.astype(np.float32), embedding, n)


def top_cosine(
    ids: list[str], matrix: np.ndarray, embedding: np.ndarray, n: int
) -> list[tuple[str, float]]:
    """The n best rows by cosine similarity to `embedding`, as chroma's cosine space
    measures it (both sides L2-normalised, similarity = 1 - distance), rounded to 6
    places so float noise ties resolve by id."""
    q = np.asarray(embedding, dtype=np.float32).reshape(-1)
    q = q / max(float(np.linalg.norm(q)), 1e-30)
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    distance = (1.0 - (matrix @ q) / norms).astype(np.float32)  # chroma's float32 distance
    sims = np.round(1.0 - distance.astype(np.float64), 6)
    if len(ids) > n:
        # every row tied with the n-th best stays a candidate: ties then break by id
        cut = np.partition(sims, len(sims) - n)[len(sims) - n]
        picked = np.flatnonzero(sims >= cut)
    else:
        picked = np.arange(len(ids))
    hits = [(ids[i], float(sims[i])) for i in picked]
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits[:n]
