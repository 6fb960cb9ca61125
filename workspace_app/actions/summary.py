"""Writing a chapter summary, a source summary or a paper brief in the background."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from pipelines.text.naming import chapter_name
from pipelines.types import Source
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources
from workspace_app.components import jobs as job_ui


def start_summary(ws: Workspace, source: Source, chapter: int | None, brief: bool) -> str:
    from pipelines.answers.summaries import summarize

    session = resources.session()
    what = chapter_name(source.chapter(chapter).title) if chapter else source.title
    label = f"{'Brief' if brief else 'Summary'} of {what}"

    def work(report: Report) -> dict[str, Any]:
        report("writing", 0, 1)
        summary = summarize(session, source.id, chapter=chapter, brief=brief)
        report("done", 1, 1)
        return asdict(summary)

    payload = {"label": label, "source_id": source.id, "chapter": chapter, "brief": brief}
    return job_ui.start(ws, "summary", work, payload, exclusive=False)
