"""A workspace written by an older Folio opens in this one, data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipelines.workspace import notebook
from pipelines.workspace.schema import MIGRATIONS, SCHEMA_VERSION
from pipelines.workspace.store import Workspace


def test_a_version_one_workspace_is_migrated_with_its_data(tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir()
    with sqlite3.connect(home / "folio.db") as con:  # exactly what Folio's first schema wrote
        con.executescript(MIGRATIONS[0])
        con.execute("PRAGMA user_version=1")
        con.execute(
            "INSERT INTO notes(notebook, title, body, created_at) VALUES ('nb', 'Old', 'kept', 'then')"
        )
    ws = Workspace(home)
    with ws.connect() as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 2
        indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "notes_by_notebook" in indexes
    assert [n.body for n in notebook.notes(ws, "nb")] == ["kept"]
    Workspace(home)  # opening again is a no-op
