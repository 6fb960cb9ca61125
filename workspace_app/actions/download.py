"""Downloading a model file from the list in the background, then using it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.llm import connect, model_files
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app.components import jobs as job_ui


def start_download(ws: Workspace, key: str, home: Path) -> str:
    entry = model_files.catalog_entry(key)

    def work(report: Report) -> dict[str, Any]:
        stage = f"downloading {entry.name} (MB)"
        report(stage, 0, 0)
        path = model_files.download(
            entry, progress=lambda done, total: report(stage, done >> 20, total >> 20)
        )
        report("checking that it answers", 0, 0)
        done = connect.connect_file(home, path)
        return {"check": done.check, "written_by": done.writer, "path": str(path)}

    return job_ui.start(
        ws, "download", work, {"label": f"Downloading {entry.name}"}, exclusive=False
    )
