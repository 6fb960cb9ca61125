"""Long work (ingest, summaries, podcasts) off the caller's thread, with progress in SQLite.

Progress lives in the workspace's `jobs` table, not in memory, so a browser refresh or a
second app session sees the same bar, and a job whose process died (app closed, crash)
is reported as interrupted — its work resumes from caches when run again.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pipelines.errors import FolioError
from pipelines.workspace.processes import pid_alive
from pipelines.workspace.store import Workspace, utc_now

log = logging.getLogger(__name__)

Report = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Job:
    id: str
    kind: str
    status: str  # running | done | failed | interrupted
    stage: str
    done: int
    total: int
    message: str
    payload: dict[str, Any]
    created_at: str
    updated_at: str

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "interrupted")


def _row_to_job(row) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        status=row["status"],
        stage=row["stage"],
        done=row["done"],
        total=row["total"],
        message=row["message"],
        payload=json.loads(row["payload"] or "{}"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def start_job(
    ws: Workspace,
    kind: str,
    work: Callable[[Report], dict[str, Any] | None],
    *,
    payload: dict[str, Any] | None = None,
    background: bool = True,
) -> str:
    """Run `work(report)` in a daemon thread (or inline); returns the job id at once.

    `work` returns a JSON-able result that is stored in the job's payload under "result".
    A FolioError becomes the job's message; any other exception is logged with its
    traceback and shown as a short, plain message.
    """
    job_id = uuid.uuid4().hex[:12]
    now = utc_now()
    base = {**(payload or {}), "pid": os.getpid()}
    with ws.transaction() as con:
        con.execute(
            "INSERT INTO jobs(id, kind, status, stage, payload, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (job_id, kind, "running", "starting", json.dumps(base), now, now),
        )

    def report(stage: str, done: int, total: int) -> None:
        with ws.transaction() as con:
            con.execute(
                "UPDATE jobs SET stage=?, done=?, total=?, updated_at=? WHERE id=?",
                (stage, done, total, utc_now(), job_id),
            )

    def run() -> None:
        try:
            result = work(report)
            _finish(ws, job_id, "done", "", {**base, "result": result})
        except FolioError as exc:
            _finish(ws, job_id, "failed", str(exc), base)
        except Exception as exc:  # shown to the user as one plain line
            log.error("job %s failed:\n%s", job_id, traceback.format_exc())
            _finish(
                ws, job_id, "failed", f"Something went wrong ({type(exc).__name__}: {exc}).", base
            )

    if background:
        threading.Thread(target=run, name=f"folio-job-{job_id}", daemon=True).start()
    else:
        run()
    return job_id


def _finish(ws: Workspace, job_id: str, status: str, message: str, payload: dict) -> None:
    with ws.transaction() as con:
        con.execute(
            "UPDATE jobs SET status=?, message=?, payload=?, updated_at=? WHERE id=?",
            (status, message, json.dumps(payload, default=str), utc_now(), job_id),
        )


def get_job(ws: Workspace, job_id: str) -> Job | None:
    with ws.connect() as con:
        row = con.execute("SELECT * FROM jobs WHERE id=?", (job_id,)).fetchone()
    return _mark_if_orphaned(ws, _row_to_job(row)) if row else None


def list_jobs(ws: Workspace, *, kind: str | None = None, limit: int = 20) -> list[Job]:
    sql, args = "SELECT * FROM jobs", []
    if kind:
        sql, args = sql + " WHERE kind=?", [kind]
    with ws.connect() as con:
        rows = con.execute(
            sql + " ORDER BY created_at DESC, rowid DESC LIMIT ?", [*args, limit]
        ).fetchall()
    return [_mark_if_orphaned(ws, _row_to_job(r)) for r in rows]


def _mark_if_orphaned(ws: Workspace, job: Job) -> Job:
    """A running job whose process is gone was interrupted (app closed, crash)."""
    pid = int(job.payload.get("pid", 0) or 0)
    if job.status == "running" and pid and not pid_alive(pid):
        message = "Interrupted (Folio was closed); run it again to resume where it stopped."
        _finish(ws, job.id, "interrupted", message, job.payload)
        job.status, job.message = "interrupted", message
    return job


# -- claims: one worker per piece of work across threads and processes -----------------
def claim(ws: Workspace, kind: str, key: str, *, total: int = 0) -> str | None:
    """Register this process as doing `kind` work on `key` (e.g. indexing a source).

    Returns a job id, or None when a live process (this one included) already holds a
    running job of that kind for that key. The check and the insert are one write
    transaction, so two processes never both win. A holder that died is marked
    interrupted and its claim taken over. Finish with `release`.
    """
    job_id = uuid.uuid4().hex[:12]
    now = utc_now()
    payload = json.dumps({"key": key, "pid": os.getpid(), "thread": threading.get_ident()})
    with ws.transaction() as con:
        rows = con.execute(
            "SELECT * FROM jobs WHERE kind=? AND status='running' AND json_extract(payload, '$.key')=?",
            (kind, key),
        ).fetchall()
        for row in rows:
            pid = int(json.loads(row["payload"] or "{}").get("pid", 0) or 0)
            if pid and pid_alive(pid):
                return None
            con.execute(
                "UPDATE jobs SET status='interrupted', updated_at=? WHERE id=?", (now, row["id"])
            )
        con.execute(
            "INSERT INTO jobs(id, kind, status, stage, total, payload, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (job_id, kind, "running", "starting", total, payload, now, now),
        )
    return job_id


def progress(ws: Workspace, job_id: str, stage: str, done: int, total: int) -> None:
    with ws.transaction() as con:
        con.execute(
            "UPDATE jobs SET stage=?, done=?, total=?, updated_at=? WHERE id=?",
            (stage, done, total, utc_now(), job_id),
        )


def release(ws: Workspace, job_id: str, *, ok: bool = True, message: str = "") -> None:
    with ws.transaction() as con:
        con.execute(
            "UPDATE jobs SET status=?, message=?, updated_at=? WHERE id=?",
            ("done" if ok else "failed", message, utc_now(), job_id),
        )


def running_for(ws: Workspace, kind: str, key: str) -> Job | None:
    """The live running job of `kind` on `key` (e.g. the indexer of a source), if any."""
    with ws.connect() as con:
        rows = con.execute(
            "SELECT * FROM jobs WHERE kind=? AND status='running' AND json_extract(payload, '$.key')=?"
            " ORDER BY created_at DESC",
            (kind, key),
        ).fetchall()
    for row in rows:
        job = _mark_if_orphaned(ws, _row_to_job(row))
        if job.status == "running":
            return job
    return None
