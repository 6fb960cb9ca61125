"""FOLIO_VECTOR_URL switches the vectors to a real Chroma server with no other change."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pipelines.answers.qa import answer
from pipelines.errors import BackendError
from pipelines.index import search, vectors
from pipelines.settings import Settings
from pipelines.types import Scope
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.llm.llama_server import free_port
from tests.sources import ALICE, TIME_MACHINE

pytestmark = pytest.mark.slow
CHROMA = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "chroma"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = CHROMA if CHROMA.exists() else Path("chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [str(binary), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("the Chroma server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    vectors.forget_clients()


def _workspace(home: Path, url: str) -> Workspace:
    return Workspace(home, settings=Settings(home=home, vector_url=url))


def test_retrieval_and_answers_against_the_server(tmp_path: Path, chroma_url: str) -> None:
    ws = _workspace(tmp_path / "a", chroma_url)
    book = library.add_file(ws, TIME_MACHINE, settings=ws.settings).source
    assert not list((ws.vectors_dir).iterdir())  # nothing on local disk: it is on the server
    first = next(c for c in book.chapters if c.title == "I")
    hits = search(
        ws, "model machine ivory", Scope([book.id], [first.id]), k=5, settings=ws.settings
    )
    assert hits and all(h.passage.chapter_id == first.id for h in hits)
    result = answer(
        ws,
        "What was the model machine made of?",
        Scope([book.id], [first.id]),
        settings=ws.settings,
    )
    assert result.supported and "ivory" in result.text and result.citations

    # a second workspace on the same server has its own collection
    other = _workspace(tmp_path / "b", chroma_url)
    library.add_file(other, TIME_MACHINE, settings=other.settings)
    library.add_file(other, ALICE, settings=other.settings)
    library.remove_source(
        other, book.id, settings=other.settings
    )  # removing it there keeps it here
    assert search(ws, "model machine ivory", Scope([book.id]), k=3, settings=ws.settings)
    assert vectors.count(ws, settings=ws.settings) == len(ws.passages_for(source_ids=[book.id]))
    library.remove_source(ws, book.id, settings=ws.settings)
    assert vectors.count(ws, settings=ws.settings) == 0


def test_server_down_is_a_clear_message(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    ws = _workspace(tmp_path / "home", url)
    with pytest.raises(BackendError, match="FOLIO_VECTOR_URL"):
        vectors.count(ws, settings=ws.settings)
