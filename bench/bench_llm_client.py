"""The openai SDK client against the hand-written httpx client it replaced, on the same
local llama.cpp server (SmolLM2-135M) in the same run, requests alternated: the model
list (the client's own cost: no generation), a short completion, a streamed one (time to
first chunk and total) and a JSON-mode one.

The old client is read from git (`git show REV:pipelines/llm/openai_compat.py`, with its
http_errors.py) into a scratch folder, so the comparison needs no second checkout.

.venv/bin/python bench/bench_llm_client.py [--rev 4224726] [--runs 9]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, save

PROMPT = "Name three things a lighthouse keeper does, in one sentence."
SCHEMA = {"type": "object", "properties": {"things": {"type": "array"}}}


def _old_client(rev: str, folder: Path):  # type: ignore[no-untyped-def]
    """The class OpenAICompatLLM as it was at `rev`, loaded beside today's modules."""
    for name in ("openai_compat", "http_errors"):
        text = subprocess.run(
            ["git", "show", f"{rev}:pipelines/llm/{name}.py"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        (folder / f"old_{name}.py").write_text(
            text.replace("pipelines.llm.http_errors", "old_http_errors")
        )
    sys.path.insert(0, str(folder))
    spec = importlib.util.spec_from_file_location(
        "old_openai_compat", folder / "old_openai_compat.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.OpenAICompatLLM


def _once(llm, messages) -> dict[str, float]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    llm.list_models()  # no generation: the client's own cost per request
    models_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    llm.complete(messages, max_tokens=24, temperature=0)
    complete_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    first = None
    for _ in llm.stream(messages, max_tokens=24, temperature=0):
        first = first if first is not None else time.perf_counter() - t0
    stream_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    llm.complete(messages, max_tokens=24, temperature=0, json_schema=SCHEMA)
    json_s = time.perf_counter() - t0
    return {"models_s": models_s, "complete_s": complete_s, "first_chunk_s": first or stream_s, "stream_s": stream_s,
            "json_s": json_s}  # fmt: skip


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from pipelines.llm.base import Message
    from pipelines.llm.openai_compat import OpenAICompatLLM
    from tests.llm.llama_server import start_llama_server, stop_llama_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", default="4224726")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    messages = [Message("user", PROMPT)]
    url, proc = start_llama_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            clients = {
                "sdk": OpenAICompatLLM(url, ""),
                "httpx": _old_client(args.rev, Path(tmp))(url, ""),
            }
            for llm in clients.values():
                _once(llm, messages)  # warm up; settle each one's JSON mode
            times: dict[str, list[dict[str, float]]] = {name: [] for name in clients}
            for _ in range(args.runs):
                for name, llm in clients.items():
                    times[name].append(_once(llm, messages))
    finally:
        stop_llama_server(proc)
    result: dict[str, object] = {"bench": "llm-client-sdk-vs-httpx", "runs": args.runs}
    for key in ("models_s", "complete_s", "first_chunk_s", "stream_s", "json_s"):
        for name in times:
            result[f"{name}_{key}_median"] = round(
                statistics.median(t[key] for t in times[name]), 3
            )
        result[f"sdk_over_httpx_{key}"] = round(
            result[f"sdk_{key}_median"] / result[f"httpx_{key}_median"],
            2,  # type: ignore[operator]
        )
    save("llm_client", result)


if __name__ == "__main__":
    main()
