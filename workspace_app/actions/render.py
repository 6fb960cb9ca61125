"""Recording scripts to audio episodes in the background, with the session's voices."""

from __future__ import annotations

import uuid
from typing import Any

from pipelines.podcast import script_doc
from pipelines.podcast.live import PartReady
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources
from workspace_app.components import jobs as job_ui


def start_recording(ws: Workspace, drafts: list[dict[str, Any]]) -> str:
    """Render each script to an episode with the engine and voices chosen in Settings.

    The job's payload keeps what was asked for (`requested`), so the page can say so
    when the episode came out with other voices (an engine fell back, a voice is unknown),
    and, while it runs, each part of the episode already voiced (`parts`: episode number,
    part index, segment title, start and length, WAV path), so the page can play them one
    after the other while the rest is being made.
    """
    scripts = [script_doc.script_from_dict(d) for d in drafts]
    for script in scripts:
        script_doc.validate_script(script)
    session = resources.session()
    settings = session.settings
    requested = {
        "engine": settings.tts.engine,
        "voice_a": settings.tts.voice_a,
        "voice_b": settings.tts.voice_b,
    }

    token = uuid.uuid4().hex

    def work(report: Report) -> dict[str, Any]:
        from pipelines.podcast.episodes import render_episode

        ids = []
        for n, script in enumerate(scripts, 1):
            part = f"episode {n}/{len(scripts)}: " if len(scripts) > 1 else ""

            def progress(stage: str, done: int, total: int, part: str = part) -> None:
                report(f"{part}{stage}", done, total)

            def ready(part: PartReady, n: int = n) -> None:
                item = {
                    "episode": n,
                    "part": part.index,
                    "segment": part.segment,
                    "title": part.title,
                    "start_s": round(part.start_s, 2),
                    "duration_s": round(part.duration_s, 2),
                    "path": str(part.path),
                }
                job_ui.add_to_payload(ws, "render", token, "parts", item)

            episode = render_episode(session, script, progress=progress, on_part=ready)
            ids.append(episode.id)
        return {"episodes": ids}

    title = scripts[0].title if len(scripts) == 1 else f"{len(scripts)} episodes"
    payload = {
        "label": f"Recording {title}",
        "requested": requested,
        "token": token,
        "scripts": len(scripts),
        "parts": [],
    }
    return job_ui.start(ws, "render", work, payload)
