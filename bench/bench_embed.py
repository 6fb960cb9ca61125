"""Embedding throughput (chunks/s) and retrieval quality of each embedder, in one run.

    .venv/bin/python bench/bench_embed.py [--chunks 192]

All embedders embed the same real Moby-Dick passages (~150-180 words, ~200-250 word
pieces); throughput ratios within one run are the figure to read on a shared machine.
recall@5 per embedder comes from the eval set in eval/retrieval/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.evaluation.retrieval_eval import evaluate_retrieval  # noqa: E402
from pipelines.index.chunking import chunk_source, token_counter  # noqa: E402
from pipelines.index.embedder import KINDS, get_embedder  # noqa: E402
from pipelines.ingest import parse_file  # noqa: E402
from pipelines.settings import Settings  # noqa: E402

MOBY = ROOT.parent / "shared" / "sources" / "books" / "melville_moby-dick_idpf.epub"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chunks", type=int, default=192)
    ap.add_argument("--no-recall", action="store_true")
    args = ap.parse_args()
    source, _ = parse_file(MOBY)
    texts = [p.text for p in chunk_source(source)]
    tokens = token_counter()(texts)
    chosen = [t for t, n in zip(texts, tokens, strict=True) if n >= 200][: args.chunks]
    mean_tokens = sum(token_counter()(chosen)) / len(chosen)
    out: dict = {
        "chunks": len(chosen),
        "mean_word_pieces": round(mean_tokens, 1),
        "cpus": os.cpu_count(),
    }
    for kind in KINDS:
        t0 = time.perf_counter()
        emb = get_embedder(kind)
        emb.embed(chosen[:8])  # warm-up
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        emb.embed(chosen)
        dt = time.perf_counter() - t0
        out[kind] = {"chunks_per_s": round(len(chosen) / dt, 1), "load_s": round(load, 1)}
    for kind in KINDS:
        out[kind]["speedup_vs_torch"] = round(
            out[kind]["chunks_per_s"] / out["torch"]["chunks_per_s"], 2
        )
    if not args.no_recall:
        for kind in KINDS:
            settings = Settings()
            settings.index.embedder = kind
            res = evaluate_retrieval(
                ROOT / "eval/retrieval/passages.jsonl",
                ROOT / "eval/retrieval/queries.jsonl",
                settings=settings,
            )
            out[kind]["recall@5"] = {m: res[m]["recall@5"] for m in ("dense", "hybrid")}
            out[kind]["mrr"] = {m: res[m]["mrr"] for m in ("dense", "hybrid")}
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/embed.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
