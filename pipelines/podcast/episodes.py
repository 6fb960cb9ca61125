"""Episodes in the workspace: render a script to audio, keep it with a snapshot of the
settings it was made with, list, replay, re-render and delete them.

An episode's id is chosen when it is first rendered; re-rendering keeps the id and the
turn cache makes it cheap (only changed turns are voiced again).
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.errors import NotFoundError
from pipelines.podcast.live import PartCallback
from pipelines.podcast.render import RenderProgress, render_script
from pipelines.podcast.script_doc import (
    save_script,
    script_from_dict,
    script_to_dict,
    validate_script,
)
from pipelines.podcast.tts.registry import voices_for_hosts
from pipelines.types import Episode, Script
from pipelines.workspace.store import Workspace, utc_now

if TYPE_CHECKING:
    from pipelines.session import Session


def render_episode(
    session: Session,
    script: Script,
    *,
    progress: RenderProgress | None = None,
    episode_id: str | None = None,
    out_dir: Path | None = None,
    on_part: PartCallback | None = None,
) -> Episode:
    """Voice, mix and store an episode (resumable: voiced turns come from the cache).

    `on_part(PartReady)` each time more of the episode is playable while the rest is
    voiced (render.py, live.py).
    """
    validate_script(script)
    ws, settings = session.workspace, session.settings
    tts = session.tts()
    host_a, host_b = voices_for_hosts(tts, settings.tts)
    names = [h.name for h in script.hosts]
    voices = {names[0]: host_a, **({names[1]: host_b} if len(names) > 1 else {})}
    for host in script.hosts:  # keep the chosen voices in the script itself
        host.voice = voices[host.name].voice + (
            "" if voices[host.name].pitch == 1 else f" ×{voices[host.name].pitch:g}"
        )
    episode_id = episode_id or uuid.uuid4().hex[:12]
    folder = out_dir or ws.episodes_dir / episode_id
    album = ""
    if script.source_ids:
        try:
            album = ws.get_source(script.source_ids[0], with_chapters=False).title
        except NotFoundError:
            album = ""
    result = render_script(
        script,
        folder,
        tts=tts,
        voices=voices,
        cache_dir=ws.cache_dir / "tts",
        album=album,
        progress=progress,
        on_part=on_part,
    )
    save_script(script, folder / "script.json")
    snapshot = {
        **script.settings,
        "tts_engine": settings.tts.engine,
        "voices": {name: asdict(v) for name, v in voices.items()},
        "render_notes": result.notes,
        "synthesized_turns": result.synthesized_turns,
        "cached_turns": result.cached_turns,
    }
    episode = Episode(
        id=episode_id,
        script=script,
        audio_path=str(result.mp3_path),
        transcript_path=str(result.transcript_paths["vtt"]),
        duration_s=result.duration_s,
        created_at=utc_now(),
        settings=snapshot,
    )
    payload = {
        "script": script_to_dict(script),
        "transcripts": {k: str(v) for k, v in result.transcript_paths.items()},
        "duration_s": result.duration_s,
        "settings": snapshot,
        "chapters": [asdict(c) for c in result.chapters],
    }
    with ws.transaction() as con:
        con.execute(
            "INSERT OR REPLACE INTO episodes(id, title, payload, audio_path, created_at) VALUES (?,?,?,?,?)",
            (episode_id, script.title, json.dumps(payload), episode.audio_path, episode.created_at),
        )
    return episode


def _episode(row) -> Episode:
    payload = json.loads(row["payload"])
    return Episode(
        id=row["id"],
        script=script_from_dict(payload["script"]),
        audio_path=row["audio_path"],
        transcript_path=payload.get("transcripts", {}).get("vtt"),
        duration_s=payload.get("duration_s"),
        created_at=row["created_at"],
        settings=payload.get("settings", {}),
    )


def list_episodes(ws: Workspace) -> list[Episode]:
    with ws.connect() as con:
        rows = con.execute("SELECT * FROM episodes ORDER BY created_at DESC, rowid DESC").fetchall()
    return [_episode(r) for r in rows]


def get_episode(ws: Workspace, episode_id: str) -> Episode:
    with ws.connect() as con:
        row = con.execute("SELECT * FROM episodes WHERE id=?", (episode_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"No episode {episode_id} in this workspace.")
    return _episode(row)


def delete_episode(ws: Workspace, episode_id: str) -> None:
    """The row first, then the files: a crash in between leaves files nobody lists."""
    episode = get_episode(ws, episode_id)
    with ws.transaction() as con:
        con.execute("DELETE FROM episodes WHERE id=?", (episode_id,))
    if episode.audio_path:
        folder = Path(episode.audio_path).parent
        if folder.parent == ws.episodes_dir:
            shutil.rmtree(folder, ignore_errors=True)
