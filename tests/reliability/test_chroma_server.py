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
from pipelines.session import Session
from pipelines.settings import Settings
from pipelines.types import Scope
from pipelines.workspace import library
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


def _session(home: Path, url: str) -> Session:
    return Session.of(Settings(home=home, vector_url=url))


def test_retrieval_and_answers_against_the_server(tmp_path: Path, chroma_url: str) -> None:
    session = _session(tmp_path / "a", chroma_url)
    ws = session.workspace
    book = library.add_file(session, TIME_MACHINE).source
    assert not list((ws.vectors_dir).iterdir())  # nothing on local disk: it is on the server
    first = next(c for c in book.chapters if c.title == "I")
    hits = search(session, "model machine ivory", Scope([book.id], [first.id]), k=5)
    assert hits and all(h.passage.chapter_id == first.id for h in hits)
    result = answer(session, "What was the model machine made of?", Scope([book.id], [first.id]))
    assert result.supported and "ivory" in result.text and result.citations

    # a second workspace on the same server has its own collection
    other = _session(tmp_path / "b", chroma_url)
    library.add_file(other, TIME_MACHINE)
    library.add_file(other, ALICE)
    library.remove_source(other, book.id)  # removing it there keeps it here
    assert search(session, "model machine ivory", Scope([book.id]), k=3)
    assert vectors.count(ws, settings=session.settings) == len(
        ws.passages_for(source_ids=[book.id])
    )
    library.remove_source(session, book.id)
    assert vectors.count(ws, settings=session.settings) == 0


def test_server_down_is_a_clear_message(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    session = _session(tmp_path / "home", url)
    ws = session.workspace
    with pytest.raises(BackendError, match="FOLIO_VECTOR_URL"):
        vectors.count(ws, settings=session.settings)
