"""Background jobs keep their progress in the workspace; chats and notes persist."""

from __future__ import annotations

import json
import threading
import time

from pipelines.errors import FolioError
from pipelines.types import Answer, Citation
from pipelines.workspace import jobs, notebook
from pipelines.workspace.store import Workspace


def _wait(ws: Workspace, job_id: str, timeout: float = 10.0) -> jobs.Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = jobs.get_job(ws, job_id)
        assert job is not None
        if job.finished:
            return job
        time.sleep(0.02)
    raise AssertionError("job did not finish")


def test_progress_is_visible_from_another_workspace_object_while_running(
    workspace: Workspace,
) -> None:
    gate = threading.Event()

    def work(report):
        report("voices", 3, 10)
        gate.wait(5)
        return {"path": "episode.mp3"}

    job_id = jobs.start_job(workspace, "podcast", work)
    other = Workspace(workspace.home)  # a refreshed browser session reads the same rows
    deadline = time.monotonic() + 5
    while (job := jobs.get_job(other, job_id)) and job.done != 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job is not None and job.stage == "voices" and job.fraction == 0.3
    assert job.status == "running"
    gate.set()
    done = _wait(workspace, job_id)
    assert done.status == "done" and done.payload["result"] == {"path": "episode.mp3"}


def test_failures_carry_plain_messages(workspace: Workspace) -> None:
    def folio_failure(report):
        raise FolioError("The chosen chapters have no text.")

    def crash(report):
        raise ZeroDivisionError("division by zero")

    failed = _wait(workspace, jobs.start_job(workspace, "summary", folio_failure))
    assert failed.status == "failed" and failed.message == "The chosen chapters have no text."
    crashed = _wait(workspace, jobs.start_job(workspace, "summary", crash))
    assert crashed.status == "failed" and "Traceback" not in crashed.message


def test_job_of_a_dead_process_is_reported_interrupted(workspace: Workspace) -> None:
    job_id = jobs.start_job(workspace, "podcast", lambda report: None, background=False)
    with workspace.transaction() as con:  # as if the app died mid-render
        con.execute(
            "UPDATE jobs SET status='running', payload=? WHERE id=?",
            (json.dumps({"pid": 2**22 + 12345}), job_id),
        )
    job = jobs.get_job(workspace, job_id)
    assert job is not None and job.status == "interrupted" and "resume" in job.message


def test_chat_history_per_notebook_and_notes(workspace: Workspace) -> None:
    cited = Answer(
        question="What was the model made of?",
        text="From chapter I: ivory and brass [1]",
        citations=[Citation(1, "p1", "ivory", "I", 2, "src", page=None)],
    )
    notebook.record_exchange(workspace, "time-machine", cited)
    notebook.record_exchange(workspace, "other", cited)
    entries = notebook.history(workspace, "time-machine")
    assert [e.role for e in entries] == ["user", "assistant"]
    assert notebook.citations_from_payload(entries[1].payload)[0].quote == "ivory"
    note_id = notebook.save_answer_as_note(workspace, "time-machine", cited)
    assert notebook.clear_history(workspace, "time-machine") == 2
    assert notebook.history(workspace, "time-machine") == []
    assert len(notebook.history(workspace, "other")) == 2
    kept = notebook.notes(workspace, "time-machine")
    assert [n.id for n in kept] == [note_id] and kept[0].title == cited.question
