"""Adding files (and the bundled samples) to the library in the background."""

from __future__ import annotations

from typing import Any

from pipelines.errors import FolioError
from pipelines.session import Session
from pipelines.workspace import library
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources
from workspace_app.components import jobs as job_ui


def _add_files(session: Session, files: list[tuple[str, bytes]], report: Report) -> dict[str, Any]:
    results = []
    for n, (name, data) in enumerate(files):
        report(f"adding {name}", n, len(files))

        def progress(done: int, total: int, name: str = name) -> None:
            report(f"indexing {name}", done, total)

        try:
            added = library.add_bytes(session, data, name, progress=progress)
        except FolioError as exc:
            results.append({"file": name, "ok": False, "error": str(exc)})
            continue
        results.append(
            {
                "file": name,
                "ok": True,
                "created": added.created,
                "source_id": added.source.id,
                "title": added.source.title,
            }
        )
    report("done", len(files), len(files))
    return {"files": results}


def start_ingest(ws: Workspace, files: list[tuple[str, bytes]]) -> str:
    """Add uploaded files; the job's result lists each file's outcome."""
    names = [name for name, _ in files]
    label = names[0] if len(names) == 1 else f"{len(names)} files"
    session = resources.session()

    def work(report: Report) -> dict[str, Any]:
        return _add_files(session, files, report)

    return job_ui.start(ws, "ingest", work, {"label": f"Adding {label}", "files": names})


def start_samples(ws: Workspace) -> str | None:
    """Add the bundled samples (not while they are being added already)."""
    if job_ui.running(ws, "samples"):
        return None
    session = resources.session()

    def work(report: Report) -> dict[str, Any]:
        results = library.ensure_samples(
            session, progress=lambda done, total: report("indexing", done, total)
        )
        return {"sources": [r.source.id for r in results]}

    return job_ui.start(ws, "samples", work, {"label": "Adding the sample library"})
