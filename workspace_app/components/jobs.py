"""Long work through pipelines.workspace.jobs: started off the script thread, progress read back
from the workspace (so it survives a browser refresh), polled by a small fragment."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

import streamlit as st

from pipelines.workspace import jobs
from pipelines.workspace.jobs import Job, Report
from pipelines.workspace.store import Workspace, utc_now
from workspace_app import resources

log = logging.getLogger("folio.app")

STAGE_WORDS = {"starting": "Starting", "waiting": "Waiting for other work to finish"}


def start(
    ws: Workspace,
    kind: str,
    work: Callable[[Report], dict[str, Any] | None],
    payload: dict[str, Any] | None = None,
    *,
    exclusive: bool = True,
) -> str:
    """Start `work` in the background; `exclusive` work (ingest, audio) runs one at a time."""

    def run(report: Report) -> dict[str, Any] | None:
        if not exclusive:
            return work(report)
        lock = resources.heavy_work_lock()
        if not lock.acquire(blocking=False):
            report("waiting", 0, 0)
            lock.acquire()
        try:
            return work(report)
        finally:
            lock.release()

    return jobs.start_job(ws, kind, run, payload=payload)


def add_to_payload(ws: Workspace, kind: str, token: str, key: str, item: Any) -> None:
    """Append `item` to the list `key` in the payload of the `kind` job started with
    `{"token": token, key: []}` in its payload, so the page sees it while the job runs
    (work knows its token before its job id). Never fails the work: it is only shown."""
    try:
        with ws.transaction() as con:
            con.execute(
                "UPDATE jobs SET payload=json_insert(payload, ?, json(?)), updated_at=?"
                " WHERE kind=? AND json_extract(payload, '$.token')=?",
                (f"$.{key}[#]", json.dumps(item), utc_now(), kind, token),
            )
    except sqlite3.Error as exc:
        log.warning("Could not note %s of a %s job: %s", key, kind, exc)


def latest(ws: Workspace, kind: str, **match: Any) -> Job | None:
    """The newest job of `kind` whose payload has these values (e.g. the same chapter)."""
    for job in jobs.list_jobs(ws, kind=kind, limit=50):
        if all(job.payload.get(k) == v for k, v in match.items()):
            return job
    return None


def running(ws: Workspace, *kinds: str) -> list[Job]:
    found: list[Job] = []
    for kind in kinds:
        found += [j for j in jobs.list_jobs(ws, kind=kind, limit=20) if j.status == "running"]
    return found


def describe(job: Job) -> str:
    """'Adding Book.pdf — Indexing (3/40)': the file is named once, as it was uploaded."""
    label = job.payload.get("label") or job.kind
    stage = STAGE_WORDS.get(job.stage, job.stage.replace("_", " "))
    files = job.payload.get("files") or []
    if len(files) == 1:  # the label names it already
        stage = stage.replace(f" {files[0]}", "")
    stage = stage[:1].upper() + stage[1:]
    counts = f" ({job.done}/{job.total})" if job.total else ""
    return f"{label} — {stage}{counts}"


def show_progress(job: Job) -> None:
    st.progress(job.fraction, text=describe(job))


@st.fragment(run_every=1.0)
def watch(ws: Workspace, job_ids: list[str], detail: Callable[[Job], None] | None = None) -> None:
    """Redraw progress every second (and `detail(job)` under each bar, e.g. what is ready
    so far); rerun the whole page when one of them finishes."""
    current = [jobs.get_job(ws, job_id) for job_id in job_ids]
    for job in current:
        if job is not None and job.status == "running":
            show_progress(job)
            if detail is not None:
                detail(job)
    if any(job is None or job.finished for job in current):
        st.rerun(scope="app")


def show_failure(job: Job) -> None:
    if job.status == "failed":
        st.error(job.message or "This did not work; try again.")
    elif job.status == "interrupted":
        st.warning(job.message)
