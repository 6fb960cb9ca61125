"""Answers on Moby-Dick: time to first text and total time per question (retrieval
included) for the offline extractive backend, and for the OpenAI-compatible backend
against a local llama.cpp server with SmolLM2 when it can be started.

.venv/bin/python bench/bench_answer.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import ROOT, SOURCES, percentile, save, session_of

QUESTIONS = [
    "Why does Ishmael go to sea?",
    "Who is Queequeg?",
    "What is the name of Ahab's ship?",
    "What happened to Ahab's leg?",
    "What does the white whale look like?",
    "Where does Ishmael meet Queequeg?",
    "What is spermaceti?",
    "Who is Starbuck?",
    "What is the doubloon?",
    "What does the coffin become at the end?",
    "What is the capital of Peru?",
    "How do whalers try out the blubber?",
]


def timed_answers(ws, source, llm, rounds: int = 2) -> dict:
    from pipelines.answers.qa import stream_answer
    from pipelines.types import Scope

    first, total = [], []
    for _ in range(rounds):
        for question in QUESTIONS:
            start = time.perf_counter()
            ttft = None
            for event in stream_answer(session_of(ws, llm), question, Scope([source.id])):
                if ttft is None and (event.delta or event.answer):
                    ttft = time.perf_counter() - start
            total.append((time.perf_counter() - start) * 1000)
            first.append((ttft or 0) * 1000)
    return {
        "questions": len(total),
        "first_text_ms": {
            "p50": round(percentile(first, 0.5)),
            "p95": round(percentile(first, 0.95)),
        },
        "total_ms": {"p50": round(percentile(total, 0.5)), "p95": round(percentile(total, 0.95))},
    }


def main() -> None:
    from pipelines.llm.extractive import ExtractiveLLM
    from pipelines.workspace import library
    from pipelines.workspace.store import Workspace

    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp))
        source = library.add_file(
            session_of(ws), SOURCES / "books" / "melville_moby-dick_idpf.epub"
        ).source
        llm = ExtractiveLLM()
        timed_answers(ws, source, llm, rounds=1)  # warm caches (model, BM25)
        results["extractive"] = timed_answers(ws, source, llm)
        try:
            import sys

            sys.path.insert(0, str(ROOT))
            from pipelines.llm.openai_compat import OpenAICompatLLM
            from tests.llm.llama_server import start_llama_server, stop_llama_server

            url, proc = start_llama_server()
            try:
                server = OpenAICompatLLM(url, context_window=2048, timeout_s=120)
                results["openai_local_smollm2"] = timed_answers(ws, source, server, rounds=1)
            finally:
                stop_llama_server(proc)
        except Exception as exc:  # no llama-cpp-python here: report, don't fail
            results["openai_local_smollm2"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    save("answer", results)


if __name__ == "__main__":
    main()
