"""Answers while a long book is still indexing: seconds from adding Moby-Dick to the
first grounded (cited) answer, asked as soon as its passages are stored, while the dense
vectors fill in behind; and whether that answer says it used word search only.

.venv/bin/python bench/bench_first_answer.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from common import SOURCES, save, session_of

os.environ.setdefault("HF_HUB_OFFLINE", "1")
RUNS = 3
QUESTION = "Why does Ishmael go to sea?"


def one_run() -> dict[str, float | bool]:
    from pipelines.answers.qa import answer
    from pipelines.index import index_source
    from pipelines.ingest import parse_file
    from pipelines.types import Scope
    from pipelines.workspace.store import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp))
        start = time.perf_counter()
        source, data = parse_file(SOURCES / "books" / "melville_moby-dick_idpf.epub")
        ws.add_source(source, data)
        indexing = threading.Thread(
            target=index_source, args=(ws, source), kwargs={"settings": session_of(ws).settings}
        )
        indexing.start()
        while not ws.passages_for(source_ids=[source.id]):  # the passages are stored
            time.sleep(0.05)
        result = answer(session_of(ws), QUESTION, Scope.sources(source))
        first_s = time.perf_counter() - start
        indexing.join()
        full_s = time.perf_counter() - start
        return {
            "first_answer_s": round(first_s, 2),
            "cited": bool(result.citations),
            "said_word_search_only": "word search" in (result.text + " ".join(result.notes)),
            "full_index_s": round(full_s, 1),
        }


def main() -> None:
    load = os.getloadavg()[0]
    runs = [one_run() for _ in range(RUNS)]
    save(
        "first_answer",
        {
            "book": "melville_moby-dick_idpf.epub",
            "question": QUESTION,
            "runs": runs,
            "first_answer_median_s": statistics.median(r["first_answer_s"] for r in runs),
            "full_index_median_s": statistics.median(r["full_index_s"] for r in runs),
            "load_average_at_start": round(load, 1),
        },
    )


if __name__ == "__main__":
    main()
