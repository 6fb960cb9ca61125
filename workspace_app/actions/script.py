"""Writing a podcast script (or a series of them) in the background."""

from __future__ import annotations

from typing import Any

from pipelines.podcast import script_doc
from pipelines.podcast.request import PodcastRequest
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources
from workspace_app.components import jobs as job_ui


def start_script_writing(ws: Workspace, request: PodcastRequest, *, series: bool) -> str:
    """Write the script(s) for `request`; the hosts carry the voices chosen in Settings."""
    from pipelines.podcast.script import write_script, write_series

    session = resources.session()
    voices = (session.settings.tts.voice_a, session.settings.tts.voice_b)

    def work(report: Report) -> dict[str, Any]:
        report("writing the script", 0, 1)

        def working(what: str, done: int, total: int) -> None:
            report(f"{what} ({done}/{total})" if total > 1 else what, done, total)

        if series:
            scripts = write_series(session, request, progress=working)
        else:
            scripts = [write_script(session, request, progress=working)]
        for script in scripts:
            for host, voice in zip(script.hosts, voices, strict=False):
                host.voice = voice or host.voice
        report("done", 1, 1)
        return {"scripts": [script_doc.script_to_dict(s) for s in scripts]}

    label = "Writing a series" if series else "Writing the script"
    payload = {"label": label, "source_id": request.source_id}
    return job_ui.start(ws, "script", work, payload, exclusive=False)
