"""Index Moby-Dick end to end (parse, chunk, store, embed, chroma): seconds and peak RSS.

.venv/bin/python bench/bench_index.py
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.index import index_source  # noqa: E402
from pipelines.index.embedder import get_embedder  # noqa: E402
from pipelines.ingest import parse_file  # noqa: E402
from pipelines.settings import Settings  # noqa: E402
from pipelines.workspace.store import Workspace  # noqa: E402

MOBY = ROOT.parent / "shared" / "sources" / "books" / "melville_moby-dick_idpf.epub"


def main() -> None:
    settings = Settings()
    t0 = time.perf_counter()
    get_embedder(settings)  # model load (and first-run export) counted apart
    load_s = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(tmp)
        t0 = time.perf_counter()
        source, data = parse_file(MOBY, settings)
        parse_s = time.perf_counter() - t0
        ws.add_source(source, data)
        t1 = time.perf_counter()
        n = index_source(ws, source, settings=settings)
        index_s = time.perf_counter() - t1
    # the embedder alone on the same passages, same run: the ceiling indexing can reach
    from pipelines.index.chunking import chunk_source

    texts = sorted((p.text for p in chunk_source(source, settings)), key=len)
    t2 = time.perf_counter()
    get_embedder(settings).embed(texts)
    embed_s = time.perf_counter() - t2
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "book": MOBY.name,
        "embedder": settings.index.embedder,
        "passages": n,
        "model_load_s": round(load_s, 1),
        "parse_s": round(parse_s, 1),
        "index_s": round(index_s, 1),
        "total_s": round(parse_s + index_s, 1),
        "passages_per_s": round(n / index_s, 1),
        "embedder_alone_s": round(embed_s, 1),
        "embedder_chunks_per_s": round(len(texts) / embed_s, 1),
        "index_vs_embedder": round((n / index_s) / (len(texts) / embed_s), 2),
        "peak_rss_mb": round(rss_mb),
        "cpus": os.cpu_count(),
    }
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/index.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
