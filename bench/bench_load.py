"""Load on one workspace of 100+ sources: N concurrent simulated users (threads, as
Streamlit sessions are) each asking and searching; p50/p95 latency and errors at
N = 1, 4, 16. Bounded: 8 requests per user, 120 s per level.

.venv/bin/python bench/bench_load.py
"""

from __future__ import annotations

import random
import tempfile
import threading
import time
from pathlib import Path

from common import SOURCES, peak_rss_mb, percentile, save, session_of

QUESTIONS = [
    "Who is the captain?",
    "What happens at sea?",
    "What does the whale do?",
    "Why do they hunt?",
    "What is described here?",
    "Who speaks first?",
]
REQUESTS_PER_USER = 8
LEVEL_LIMIT_S = 120


def build(home: Path) -> list:
    """One source per Moby-Dick chapter (135+), each a text file of its own."""
    from pipelines.ingest import parse_file
    from pipelines.workspace import library
    from pipelines.workspace.store import Workspace

    ws = Workspace(home)
    book, _ = parse_file(SOURCES / "books" / "melville_moby-dick_idpf.epub")
    files = home / "chapters"
    files.mkdir()
    for chapter in book.chapters:
        if chapter.word_count > 150:
            path = files / f"{chapter.index:03d}.md"
            path.write_text(f"# {chapter.title}\n\n{chapter.text}")
            library.add_file(session_of(ws), path)
    return [ws, ws.list_sources()]


def run_level(ws, sources, users: int) -> dict:
    from pipelines.answers.qa import answer
    from pipelines.index import search
    from pipelines.types import Scope

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + LEVEL_LIMIT_S

    def user(seed: int) -> None:
        rng = random.Random(seed)
        for n in range(REQUESTS_PER_USER):
            if time.monotonic() > deadline:
                return
            scope = Scope([s.id for s in rng.sample(sources, rng.choice([1, 3, 10]))])
            question = rng.choice(QUESTIONS)
            start = time.perf_counter()
            try:
                if n % 2:
                    search(session_of(ws), question, scope, k=8)
                else:
                    answer(session_of(ws), question, scope)
            except Exception as exc:  # counted, not raised: this is a load test
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "users": users,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_examples": errors[:3],
        "p50_ms": round(percentile(latencies, 0.5)),
        "p95_ms": round(percentile(latencies, 0.95)),
        "throughput_rps": round(len(latencies) / wall, 2),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        ws, sources = build(Path(tmp))
        build_s = time.perf_counter() - start
        run_level(ws, sources, 1)  # warm the caches (model, BM25 per source)
        levels = [run_level(ws, sources, n) for n in (1, 4, 16)]
        passages = len(ws.passages_for())
    save(
        "load",
        {
            "sources": len(sources),
            "passages": passages,
            "build_s": round(build_s),
            "levels": levels,
            "peak_rss_mb": peak_rss_mb(),
        },
    )


if __name__ == "__main__":
    main()
