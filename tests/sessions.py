"""Sessions over a test's workspace: the settings the edge would resolve for its folder
(FOLIO_* variables, then the folder's saved choices), optionally with a given model."""

from __future__ import annotations

from typing import Any

from pipelines.llm.base import LLM
from pipelines.session import Session
from pipelines.settings_file import resolve_settings
from pipelines.workspace.store import Workspace


def session_of(ws: Workspace, llm: LLM | None = None, **overrides: Any) -> Session:
    return Session(resolve_settings(ws.home, overrides or None), ws, _llm=llm)
