"""AppTest fixtures: a real workspace with a real book, shared by the module's tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.sessions import session_of
from tests.sources import TIME_MACHINE

APP = str(Path(__file__).resolve().parents[2] / "workspace_app" / "app.py")


@pytest.fixture(scope="session")
def book_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from pipelines.workspace import library
    from pipelines.workspace.store import Workspace

    home = tmp_path_factory.mktemp("app-home")
    ws = Workspace(home)
    source = library.add_file(session_of(ws), TIME_MACHINE).source
    return home, source.id


@pytest.fixture
def app(book_home, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The app on the shared workspace; any view failure is raised (FOLIO_APP_RAISE), so
    `app.exception` holds it instead of a friendly message the test cannot see."""
    from workspace_app import state
    from workspace_app.persistence import PREFS_FILE

    home, _ = book_home
    monkeypatch.setenv("FOLIO_HOME", str(home))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    monkeypatch.delenv("FOLIO_TTS__ENGINE", raising=False)  # the app's own default and choices
    for name in (PREFS_FILE, "settings.toml", "keys.toml"):  # each test starts afresh
        (home / name).unlink(missing_ok=True)
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    yield at
    st.cache_resource.clear()


@pytest.fixture
def source_id(book_home) -> str:
    return book_home[1]


def wait_for_jobs(home: Path, kind: str, timeout: float = 120) -> None:
    from pipelines.workspace import jobs
    from pipelines.workspace.store import Workspace

    ws = Workspace(home)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(j.finished for j in jobs.list_jobs(ws, kind=kind)):
            return
        time.sleep(0.2)
    raise TimeoutError(f"{kind} jobs still running")


@pytest.fixture
def jobs_done():
    """Wait for background jobs of a kind to finish (they run on real threads)."""
    return wait_for_jobs
