"""Time-to-first-token and total time of the `openai` backend against a local
llama-cpp-python server on SmolLM2-135M (the smallest real model we ship with tests).

    .venv/bin/python bench/bench_llm.py [--runs 5] [--max-tokens 128]

Prints a table and writes bench/results/llm.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "llm"))

from llama_server import start_llama_server, stop_llama_server  # noqa: E402

from pipelines.llm.base import Message  # noqa: E402
from pipelines.llm.openai_compat import OpenAICompatLLM  # noqa: E402
from pipelines.llm.tokens import estimate_tokens  # noqa: E402

PROMPTS = [
    "Explain in a paragraph why the sky is blue.",
    "Summarise the plot of a story about a time traveller who meets the Eloi.",
    "List three reasons people keep reading journals.",
    "Describe a lighthouse at night.",
    "What makes a good podcast host?",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(REPO / "bench" / "results" / "llm.json"))
    args = parser.parse_args()

    started = time.perf_counter()
    url, proc = start_llama_server(threads=args.threads)
    startup_s = time.perf_counter() - started
    try:
        llm = OpenAICompatLLM(url, "")
        llm.complete([Message("user", "Hi")], max_tokens=4, temperature=0)  # warm-up
        ttft, stream_total, chunk_rates, complete_total = [], [], [], []
        for i in range(args.runs):
            messages = [Message("user", PROMPTS[i % len(PROMPTS)])]
            t0 = time.perf_counter()
            first = None
            chunks = 0
            for _ in llm.stream(messages, max_tokens=args.max_tokens, temperature=0.7):
                first = first if first is not None else time.perf_counter() - t0
                chunks += 1
            total = time.perf_counter() - t0
            ttft.append(first or total)
            stream_total.append(total)
            chunk_rates.append(chunks / max(total - (first or 0), 1e-6))
            t0 = time.perf_counter()
            text = llm.complete(messages, max_tokens=args.max_tokens, temperature=0.7)
            complete_total.append(time.perf_counter() - t0)
            _ = estimate_tokens(text)
    finally:
        stop_llama_server(proc)

    result = {
        "bench": "llm-openai-compat",
        "server": "llama-cpp-python server, SmolLM2-135M-Instruct Q4_1, n_ctx 2048",
        "threads": args.threads,
        "runs": args.runs,
        "max_tokens": args.max_tokens,
        "server_startup_s": round(startup_s, 3),
        "ttft_s": {"median": round(statistics.median(ttft), 4), "p90": round(pct(ttft, 0.9), 4)},
        "stream_total_s": {
            "median": round(statistics.median(stream_total), 3),
            "p90": round(pct(stream_total, 0.9), 3),
        },
        "stream_chunks_per_s": {"median": round(statistics.median(chunk_rates), 1)},
        "complete_total_s": {
            "median": round(statistics.median(complete_total), 3),
            "p90": round(pct(complete_total, 0.9), 3),
        },
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))  # a script, not library code


if __name__ == "__main__":
    main()
