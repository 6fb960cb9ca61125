"""Episodes: a player card (listen, download the MP3 and its transcripts, the voices it
was made with, edit, re-render, delete) and the list of past episodes."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import streamlit as st

from pipelines.errors import FolioError
from pipelines.podcast import script_doc
from pipelines.types import Episode
from pipelines.workspace.store import Workspace
from workspace_app import state
from workspace_app.actions.render import start_recording
from workspace_app.components.hosts import ask_the_hosts, episode_audio
from workspace_app.components.text import escape_md

TRANSCRIPTS = {  # suffix -> (button label, mime type)
    "vtt": ("Subtitles (VTT)", "text/vtt"),
    "srt": ("Subtitles (SRT)", "application/x-subrip"),
    "txt": ("Transcript (text)", "text/plain"),
}


def episodes_api() -> ModuleType | None:
    try:
        from pipelines.podcast import episodes
    except ImportError:
        return None
    return episodes


def _delete(ws: Workspace, episode_id: str) -> None:
    api = episodes_api()
    if api is None:
        return
    try:
        api.delete_episode(ws, episode_id)
    except FolioError as exc:
        state.flash_error(str(exc))
    if state.latest_episode() == episode_id:
        state.set_latest_episode(None)


def _rerender(ws: Workspace, episode: Episode) -> None:
    try:
        state.active_jobs()["render"] = start_recording(
            ws, [script_doc.script_to_dict(episode.script)]
        )
    except FolioError as exc:
        state.flash_error(str(exc))


def _edit(episode: Episode) -> None:
    state.set_script_drafts([script_doc.script_to_dict(episode.script)])


def _length(seconds: float | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def voices_line(episode: Episode) -> str:
    """'Voices: Ada — en-gb, Ben — en-us+f3 (espeak)' from the episode's record."""
    used = episode.settings.get("voices") or {}
    if not used:
        return ""
    engine = episode.settings.get("tts_engine", "")
    names = ", ".join(f"{name} — {spec.get('voice', '?')}" for name, spec in used.items())
    return f"Voices: {names}" + (f" ({engine})" if engine else "")


def _slug(episode: Episode) -> str:
    words = "".join(ch if ch.isalnum() else "-" for ch in episode.script.title.lower())
    return "-".join(w for w in words.split("-") if w)[:60] or "folio-episode"


def _downloads(episode: Episode, audio: Path | None, key: str) -> None:
    if audio is not None and audio.is_file():
        st.download_button(
            "Download MP3",
            audio.read_bytes(),
            file_name=f"{_slug(episode)}.mp3",
            mime="audio/mpeg",
            key=f"dl_mp3:{key}",
            on_click="ignore",
            icon="⬇️",
        )
    vtt = Path(episode.transcript_path) if episode.transcript_path else None
    for suffix, (label, mime) in TRANSCRIPTS.items():
        path = vtt.with_suffix(f".{suffix}") if vtt else None
        if path is not None and path.is_file():
            st.download_button(
                label,
                path.read_bytes(),
                file_name=f"{_slug(episode)}.{suffix}",
                mime=mime,
                key=f"dl_{suffix}:{key}",
                on_click="ignore",
                type="tertiary",
            )


def episode_card(ws: Workspace, episode: Episode, *, key_prefix: str = "ep") -> None:
    key = f"{key_prefix}:{episode.id}"
    with st.container(border=True, key=f"episode:{key}"):
        facts = " · ".join(b for b in (_length(episode.duration_s), episode.created_at[:16]) if b)
        st.markdown(f"**{escape_md(episode.script.title)}**")
        st.caption(
            escape_md(" · ".join(b for b in (facts.replace("T", " "), voices_line(episode)) if b))
        )
        for note in episode.settings.get("render_notes") or []:
            st.caption(f"Note: {escape_md(note)}")
        audio = Path(episode.audio_path) if episode.audio_path else None
        if audio is None or not audio.is_file():
            st.warning("The audio file is missing; render it again.")
        else:
            episode_audio(episode.id, str(audio))
            ask_the_hosts(ws, episode)
        with st.container(horizontal=True, gap="small"):
            _downloads(episode, audio, key)
            st.button(
                "Edit script",
                key=f"ep_edit:{key}",
                on_click=_edit,
                args=(episode,),
                type="tertiary",
            )
            st.button(
                "Re-render",
                key=f"ep_rerender:{key}",
                on_click=_rerender,
                args=(ws, episode),
                type="tertiary",
            )
            with st.popover("Delete…", key=f"ep_delpop:{key}", type="tertiary"):
                st.write("Delete this episode and its audio?")
                st.button(
                    "Yes, delete it",
                    key=f"ep_del:{key}",
                    type="primary",
                    on_click=_delete,
                    args=(ws, episode.id),
                )


def episode_list(ws: Workspace, *, exclude: str | None = None) -> None:
    api = episodes_api()
    st.subheader("Past episodes", anchor=False)
    if api is None:
        st.caption("Audio rendering is not installed in this build yet.")
        return
    try:
        episodes = [e for e in api.list_episodes(ws) if e.id != exclude]
    except FolioError as exc:
        st.error(str(exc))
        return
    if not episodes:
        st.caption("No other episodes yet: write a script, then render it.")
        return
    for episode in episodes:
        episode_card(ws, episode)
