"""Latency of chapter-scoped and whole-book hybrid queries as the library grows.

    .venv/bin/python bench/bench_query.py [--sizes 1,10,100] [--repeats 4] [--keep DIR]

The library is synthesised: every book in shared/sources/books is chunked and embedded
once (the embeddings are cached under ~/.cache/folio/bench, so a rerun skips that), then
stored again and again under new source ids, as indexing stores a source: passages and
their float16 embeddings in SQLite, vectors in chroma, BM25 built and saved, indexed_at
set. The library grows to each size in turn (1, 10, 100 sources; 100 sources are about
72,000 passages) and is queried at each: 1-3 chapters of a random source, and that whole
source. Every timing is a full `search()` (finish_interrupted, question embedding, dense,
BM25, fusion, passage fetch) with the question-embedding cache emptied first, so it
measures a new question.

In the same run and on the same queries, the previous dense leg (chroma's HNSW query
with a metadata `where` on source/chapter ids, forced by SCAN_LIMIT = 0) is timed next
to the current one (an exact scan of the scope's stored vectors), alternating query by
query so both see the same machine load, and their top-k are compared. A per-stage
breakdown (medians) shows where the time goes. BM25 builds during the query phase are
counted (the goal: zero; each source's index is built at indexing time and loaded from
disk, once per process, on its first query).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from copy import deepcopy
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.index import chunk_source, dense_scope, lexical, retrieval, vectors  # noqa: E402
from pipelines.index.embedder import get_embedder  # noqa: E402
from pipelines.index.indexing import encode, finish_interrupted  # noqa: E402
from pipelines.ingest import parse_file  # noqa: E402
from pipelines.settings import Settings  # noqa: E402
from pipelines.types import Scope, Source  # noqa: E402
from pipelines.workspace.store import Workspace  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from common import session_of  # noqa: E402

BOOKS = ROOT.parent / "shared" / "sources" / "books"
CACHE = Path(os.environ.get("FOLIO_BENCH_CACHE", Path.home() / ".cache" / "folio" / "bench"))
QUERIES = [
    "why does the narrator go to sea",
    "what did the harpooneer sell in town",
    "the white whale destroyed the boat",
    "copyright and the freedom of culture",
    "a rabbit with a pocket watch",
    "what were the little people afraid of",
    "the captain's leg made of whale bone",
    "who owns the ideas in a film",
]
LABELS = ("chapters", "whole_book")


def _copy(source: Source, n: int) -> Source:
    src = deepcopy(source)
    src.id = hashlib.sha256(f"{source.id}:{n}".encode()).hexdigest()
    src.file_name = f"copy{n}-{source.file_name}"
    for c in src.chapters:
        c.source_id = src.id
    return src


def _embeddings(texts: list[str], settings: Settings) -> np.ndarray:
    """The books' passage embeddings, computed once and kept in the bench cache."""
    key = hashlib.sha256(
        "\x00".join([settings.index.embedder, *texts]).encode("utf-8")
    ).hexdigest()[:24]
    path = CACHE / f"embeddings-{key}.npy"
    if path.is_file():
        return np.load(path)
    vecs = np.asarray(get_embedder(settings).embed(texts), dtype=np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
    np.save(tmp, vecs)
    os.replace(tmp, path)
    return vecs


def _add(ws: Workspace, base: tuple, n: int) -> Source:
    """Store one copy of a book as indexing would (passages, embeddings, vectors, BM25)."""
    source, data, vecs = base
    copy = _copy(source, n)
    passages = chunk_source(copy, session_of(ws).settings)
    ws.add_source(copy, data + str(n).encode(), passages=passages)
    ws.store_embeddings([(p.id, encode(v)) for p, v in zip(passages, vecs, strict=True)])
    vectors.add(
        ws, passages, vecs.astype(np.float16).astype(np.float32), settings=session_of(ws).settings
    )
    lexical.prepare(ws, copy.id)
    ws.set_indexed(copy.id)
    return copy


def _stats(ms: list[float]) -> dict[str, float]:
    s = sorted(ms)
    return {
        "p50_ms": round(statistics.median(s), 1),
        "p95_ms": round(s[int(0.95 * (len(s) - 1))], 1),
        "max_ms": round(s[-1], 1),
    }


def _stages(ws: Workspace, query: str, scope: Scope, settings: Settings) -> dict[str, float]:
    """One query's stages, each timed on its own (ms), both dense legs."""
    out: dict[str, float] = {}
    chapters = None if scope.chapter_ids is None else list(scope.chapter_ids)
    n = max(8, settings.index.candidates)

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        value = fn()
        out[name] = (time.perf_counter() - t) * 1000
        return value

    timed("finish_interrupted", lambda: finish_interrupted(ws, settings=settings))
    qvec = timed("embed_question", lambda: get_embedder(settings).embed([query])[0])
    timed(
        "dense_chroma_where",
        lambda: vectors.query(ws, qvec, scope.source_ids, chapters, n, settings=settings),
    )
    dense = timed("dense_scan", lambda: dense_scope.query(ws, qvec, scope.source_ids, chapters, n))
    lex = timed("bm25", lambda: lexical.search(ws, query, scope.source_ids, chapters, n))
    fused = timed(
        "fusion", lambda: retrieval.fuse_weighted(dense or [], lex, retrieval.LEXICAL_WEIGHT)
    )
    timed("fetch_passages", lambda: ws.get_passages([pid for pid, _ in fused[:16]]))
    return out


def _measure(
    ws: Workspace, sources: list[Source], repeats: int, rng: random.Random
) -> dict[str, object]:
    settings = session_of(ws).settings
    times: dict[str, dict[str, list[float]]] = {lb: {"new": [], "old": []} for lb in LABELS}
    stages: dict[str, dict[str, list[float]]] = {lb: {} for lb in LABELS}
    same = {lb: 0 for lb in LABELS}
    total = {lb: 0 for lb in LABELS}
    for i, q in enumerate(QUERIES * repeats):
        src = rng.choice(sources)
        body = [c for c in src.chapters if c.text.strip()]
        picked = rng.sample(body, k=min(len(body), rng.randint(1, 3)))
        for label, scope in (
            ("chapters", Scope([src.id], [c.id for c in picked])),
            ("whole_book", Scope([src.id])),
        ):
            tops = {}
            order = ("new", "old") if i % 2 == 0 else ("old", "new")
            for impl in order:
                dense_scope.SCAN_LIMIT = 20_000 if impl == "new" else 0
                retrieval.forget_question_vectors()
                t = time.perf_counter()
                hits = retrieval.search(session_of(ws), q, scope, k=8)
                times[label][impl].append((time.perf_counter() - t) * 1000)
                tops[impl] = [h.passage.id for h in hits]
            dense_scope.SCAN_LIMIT = 20_000
            same[label] += tops["new"] == tops["old"]
            total[label] += 1
            for name, ms in _stages(ws, q, scope, settings).items():
                stages[label].setdefault(name, []).append(ms)
    out: dict[str, object] = {}
    for label in LABELS:
        out[label] = {
            "queries": total[label],
            "scan (current)": _stats(times[label]["new"]),
            "chroma where (previous)": _stats(times[label]["old"]),
            "same_top8": f"{same[label]}/{total[label]}",
            "stage_p50_ms": {k: round(statistics.median(v), 2) for k, v in stages[label].items()},
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--repeats", type=int, default=4)
    ap.add_argument("--keep", type=Path, help="build the library in DIR and keep it")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    settings = Settings()
    home = args.keep or Path(tempfile.mkdtemp(prefix="folio-bench-query-"))
    if home.exists() and args.keep is None:
        shutil.rmtree(home)
    ws = Workspace(home)
    t0 = time.perf_counter()
    base = []
    for path in sorted(BOOKS.iterdir()):
        source, data = parse_file(path, settings)
        passages = chunk_source(source, settings)
        base.append((source, data, _embeddings([p.text for p in passages], settings)))
    embed_s = time.perf_counter() - t0
    have = {s.id for s in ws.list_sources()}
    sources: list[Source] = []
    results: dict[str, object] = {}
    build_s = 0.0
    builds = 0
    real_build = lexical._build

    def counting_build(*a, **k):  # type: ignore[no-untyped-def]
        nonlocal builds
        builds += 1
        return real_build(*a, **k)

    for size in sizes:
        t0 = time.perf_counter()
        while len(sources) < size:
            n, b = divmod(len(sources), len(base))
            copy = _copy(base[b][0], n)
            sources.append(ws.get_source(copy.id) if copy.id in have else _add(ws, base[b], n))
        build_s += time.perf_counter() - t0
        lexical._cache.clear()  # as a fresh process: every BM25 comes from disk
        lexical._build = counting_build  # type: ignore[assignment]
        rng = random.Random(7)
        with ws.connect() as con:
            n_passages = int(con.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
        print(f"{size} sources, {n_passages} passages: querying", file=sys.stderr)
        results[str(size)] = {
            "sources": size,
            "passages": n_passages,
            **_measure(ws, sources, args.repeats, rng),
        }
        lexical._build = real_build  # type: ignore[assignment]
    vectors.forget_clients(ws)
    if args.keep is None:
        shutil.rmtree(home, ignore_errors=True)
    out = {
        "what": "hybrid search(), k=8; 'scan' = exact scan of the scope's stored vectors "
        "(current), 'chroma where' = HNSW query filtered by metadata (previous), same "
        "queries alternating; question embedding not cached; medians of a shared 2-core "
        "machine",
        "embed_or_cache_s": round(embed_s, 1),
        "build_s": round(build_s, 1),
        "bm25_builds_during_queries": builds,
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "by_library_size": results,
    }
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/query.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
