"""API keys never reach messages, logs or the workspace."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from pipelines.answers.qa import answer
from pipelines.answers.summaries import summarize
from pipelines.llm.registry import get_llm
from pipelines.settings import LLMSettings
from pipelines.types import Scope
from pipelines.workspace import library, notebook
from pipelines.workspace.store import Workspace
from tests.llm.llama_server import free_port
from tests.sessions import session_of
from tests.sources import ALICE

SECRET = "sk-test-0123456789abcdef"


@pytest.mark.slow
def test_a_failing_server_with_a_key_leaks_it_nowhere(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    llm = get_llm(
        LLMSettings(
            backend="openai",
            base_url=f"http://127.0.0.1:{port}/v1",
            model="m",
            api_key=SecretStr(SECRET),
            max_retries=0,
        )
    )
    assert SECRET not in repr(llm) and SECRET not in llm.describe()
    ws = Workspace(tmp_path / "home")
    source = library.add_file(session_of(ws), ALICE).source
    caplog.set_level(logging.DEBUG)
    result = answer(session_of(ws, llm), "What did Alice follow?", Scope([source.id]))
    notebook.record_exchange(ws, "alice", result)
    summary = summarize(session_of(ws, llm), source.id)
    assert result.notes and SECRET not in " ".join(result.notes + summary.notes)
    assert SECRET not in caplog.text
    for path in ws.home.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
