"""Two processes on one workspace (the app and the CLI, or two CLIs): no "database is
locked" reaching the user, no duplicated source, and each sees the other's work."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pipelines.index import search
from pipelines.types import Scope
from pipelines.workspace import library, notebook
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import ALICE, TIME_MACHINE

pytestmark = pytest.mark.slow


def _ingest(home: Path, book: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "FOLIO_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "ingest", str(book)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_cli_ingests_of_one_file_make_one_source(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Workspace(home)
    first, second = _ingest(home, TIME_MACHINE), _ingest(home, TIME_MACHINE)
    outputs = [p.communicate(timeout=600) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert not any("locked" in err for _, err in outputs)
    ws = Workspace(home)
    assert [s.title for s in ws.list_sources()] == ["The Time Machine"]
    source = ws.list_sources()[0]
    assert search(session_of(ws), "model machine ivory", Scope([source.id]), k=3)


def test_app_keeps_writing_and_searching_while_the_cli_ingests(tmp_path: Path) -> None:
    home = tmp_path / "home"
    ws = Workspace(home)
    alice = library.add_file(session_of(ws), ALICE).source
    errors: list[BaseException] = []
    stop = threading.Event()

    def app_session() -> None:  # what a user does in the app meanwhile
        n = 0
        try:
            while not stop.is_set():
                notebook.save_note(ws, "alice", f"note {n}", "body")
                assert search(session_of(ws), "rabbit hole", Scope([alice.id]), k=3)
                n += 1
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=app_session)
    worker.start()
    proc = _ingest(home, TIME_MACHINE)
    out, err = proc.communicate(timeout=600)
    stop.set()
    worker.join()
    assert proc.returncode == 0, err
    assert errors == []
    assert notebook.notes(ws, "alice")
    # the app process finds the book the CLI added, through its own (reopened) index
    book = next(s for s in ws.list_sources() if s.title == "The Time Machine")
    hits = search(session_of(ws), "model machine ivory", Scope([book.id]), k=3)
    assert hits and hits[0].passage.source_id == book.id
