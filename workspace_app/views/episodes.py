"""Past episodes: listen, download the MP3 and transcript, re-render or delete."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pipelines.errors import FolioError
from pipelines.podcast import script_doc
from pipelines.types import Episode
from pipelines.workspace.store import Workspace
from workspace_app import state
from workspace_app.components.text import escape_md


def _episodes_api():
    try:
        from pipelines.podcast import episodes
    except ImportError:
        return None
    return episodes


def _delete(ws: Workspace, episode_id: str) -> None:
    api = _episodes_api()
    try:
        api.delete_episode(ws, episode_id)
    except FolioError as exc:
        state.flash_error(str(exc))


def _rerender(ws: Workspace, episode: Episode) -> None:
    from workspace_app.views.studio import start_render

    try:
        start_render(ws, [script_doc.script_to_dict(episode.script)])
    except FolioError as exc:
        state.flash_error(str(exc))


def _edit(episode: Episode) -> None:
    state.set_script_drafts([script_doc.script_to_dict(episode.script)])


def _length(seconds: float | None) -> str:
    if not seconds:
        return ""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def render_episode(ws: Workspace, episode: Episode, *, first: bool) -> None:
    key = episode.id
    with st.container(border=True, key=f"episode:{key}"):
        facts = " · ".join(b for b in (_length(episode.duration_s), episode.created_at[:16]) if b)
        st.markdown(f"**{escape_md(episode.script.title)}**")
        st.caption(facts.replace("T", " "))
        audio = Path(episode.audio_path) if episode.audio_path else None
        if audio is None or not audio.is_file():
            st.warning("The audio file is missing; render it again.")
        else:
            st.audio(str(audio), format="audio/mpeg")
        with st.container(horizontal=True, gap="small"):
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
            transcript = Path(episode.transcript_path) if episode.transcript_path else None
            if transcript is not None and transcript.is_file():
                st.download_button(
                    "Transcript",
                    transcript.read_bytes(),
                    file_name=f"{_slug(episode)}.md",
                    mime="text/markdown",
                    key=f"dl_txt:{key}",
                    on_click="ignore",
                )
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


def _slug(episode: Episode) -> str:
    words = "".join(ch if ch.isalnum() else "-" for ch in episode.script.title.lower())
    return "-".join(w for w in words.split("-") if w)[:60] or "folio-episode"


def render(ws: Workspace) -> None:
    api = _episodes_api()
    st.divider()
    st.subheader("Episodes", anchor=False)
    if api is None:
        st.caption("Audio rendering is not installed in this build yet.")
        return
    if error := state.pop_flash_error():
        st.error(error)
    try:
        episodes = api.list_episodes(ws)
    except FolioError as exc:
        st.error(str(exc))
        return
    if not episodes:
        st.caption("No episodes yet: write a script, then render it.")
        return
    for n, episode in enumerate(episodes):
        render_episode(ws, episode, first=n == 0)
