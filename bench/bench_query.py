"""Latency of a chapter-scoped hybrid query on an index of >= 50,000 passages.

    .venv/bin/python bench/bench_query.py [--copies 22]

The big index is synthesised: every book in shared/sources is chunked and embedded
once, then stored again and again under new source ids (vectors reused), so building
it costs one embedding pass. Queries are scoped to 1-3 chapters of one copy, and to
a whole book, and each timing includes query embedding, chroma, BM25 and fusion.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from copy import deepcopy
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.index import chunk_source, search, vectors  # noqa: E402
from pipelines.index.embedder import get_embedder  # noqa: E402
from pipelines.ingest import parse_file  # noqa: E402
from pipelines.settings import Settings  # noqa: E402
from pipelines.types import Scope  # noqa: E402
from pipelines.workspace.store import Workspace  # noqa: E402

BOOKS = ROOT.parent / "shared" / "sources" / "books"
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


def _copy(source, n: int):
    src = deepcopy(source)
    src.id = hashlib.sha256(f"{source.id}:{n}".encode()).hexdigest()
    src.file_name = f"copy{n}-{source.file_name}"
    for c in src.chapters:
        c.source_id = src.id
    return src


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=22)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    settings = Settings()
    embedder = get_embedder(settings)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp, settings=settings.model_copy(update={"home": Path(tmp)}))
        base = []
        t0 = time.perf_counter()
        for path in sorted(BOOKS.iterdir()):
            source, data = parse_file(path)
            passages = chunk_source(source)
            base.append((source, data, embedder.embed([p.text for p in passages])))
        embed_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        sources = []
        for n in range(args.copies):
            for source, data, vecs in base:
                copy = _copy(source, n)
                passages = chunk_source(copy)
                ws.add_source(copy, data + str(n).encode(), passages=passages)
                vectors.add(ws, passages, vecs, settings=ws.settings)
                ws.set_indexed(copy.id)
                sources.append(copy)
        build_s = time.perf_counter() - t0
        total = vectors.count(ws, settings=ws.settings)
        rng = random.Random(7)
        timings = {"chapters": [], "whole_book": []}
        for q in QUERIES * args.repeats:
            src = rng.choice(sources)
            body = [c for c in src.chapters if c.text.strip()]
            picked = rng.sample(body, k=min(len(body), rng.randint(1, 3)))
            for label, scope in (
                ("chapters", Scope([src.id], [c.id for c in picked])),
                ("whole_book", Scope([src.id])),
            ):
                t1 = time.perf_counter()
                search(ws, q, scope, k=8, settings=ws.settings)
                timings[label].append((time.perf_counter() - t1) * 1000)
        # a new process: each source's BM25 comes from its saved copy, never rebuilt
        from pipelines.index import lexical

        lexical._cache.clear()
        cold = []
        for src in rng.sample(sources, k=min(10, len(sources))):
            t1 = time.perf_counter()
            search(ws, QUERIES[0], Scope([src.id]), k=8, mode="lexical", settings=ws.settings)
            cold.append((time.perf_counter() - t1) * 1000)
        vectors.forget_clients(ws)
    out = {
        "passages": total,
        "sources": len(sources),
        "embed_s": round(embed_s, 1),
        "build_s": round(build_s, 1),
    }
    for label, ms in timings.items():
        ms_sorted = sorted(ms)
        out[label] = {
            "queries": len(ms),
            "p50_ms": round(statistics.median(ms_sorted), 1),
            "p95_ms": round(ms_sorted[int(0.95 * (len(ms_sorted) - 1))], 1),
            "max_ms": round(ms_sorted[-1], 1),
        }
    out["first_lexical_query_after_restart_ms"] = {
        "p50": round(statistics.median(cold), 1),
        "max": round(max(cold), 1),
    }
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/query.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
