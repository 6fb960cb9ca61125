"""Podcast studio: choose what and how -> write the script -> edit it -> render audio
-> listen, download, or go back to past episodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.podcast import script_doc
from pipelines.podcast.request import FORMATS, PodcastRequest
from pipelines.text.naming import chapter_name
from pipelines.types import Source
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components import jobs as job_ui
from workspace_app.components import tts_ui
from workspace_app.components.script_editor import render_script
from workspace_app.components.text import escape_md

K = {
    "minutes": "studio_minutes",
    "format": "studio_format",
    "host_a": "studio_host_a",
    "host_b": "studio_host_b",
    "voice_a": "studio_voice_a",
    "voice_b": "studio_voice_b",
    "focus": "studio_focus",
    "series": "studio_series",
    "draft": "studio_draft",
}
FORMAT_NAMES = {"deep-dive": "Deep dive", "brief": "Brief", "debate": "Debate"}


def _chapters(source: Source) -> list[int]:
    chosen = state.chosen_chapters(source.id)
    return chosen or [c.index for c in source.chapters if c.kind.is_body and c.word_count]


def _request(source: Source) -> PodcastRequest:
    ss = st.session_state
    return PodcastRequest(
        source_id=source.id,
        chapters=_chapters(source),
        minutes=float(ss[K["minutes"]]),
        format=ss[K["format"]],
        hosts=(ss[K["host_a"]].strip(), ss[K["host_b"]].strip()),
        focus=ss[K["focus"]].strip(),
    )


def start_script(ws: Workspace, source: Source, series: bool) -> str:
    from pipelines.podcast.script import write_script, write_series

    request, settings, llm = _request(source), resources.settings(), resources.llm()
    voices = (st.session_state.get(K["voice_a"]) or "", st.session_state.get(K["voice_b"]) or "")

    def work(report: Report) -> dict[str, Any]:
        report("writing the script", 0, 1)
        if series:
            scripts = write_series(ws, request, settings=settings, llm=llm)
        else:
            scripts = [write_script(ws, request, settings=settings, llm=llm)]
        for script in scripts:
            for host, voice in zip(script.hosts, voices, strict=False):
                host.voice = voice or host.voice
        return {"scripts": [script_doc.script_to_dict(s) for s in scripts]}

    label = "Writing a series" if series else "Writing the script"
    return job_ui.start(
        ws, "script", work, {"label": label, "source_id": source.id}, exclusive=False
    )


def start_render(ws: Workspace, drafts: list[dict[str, Any]]) -> str:
    scripts = [script_doc.script_from_dict(d) for d in drafts]
    for script in scripts:
        script_doc.validate_script(script)
    settings = resources.settings()

    def work(report: Report) -> dict[str, Any]:
        from pipelines.podcast.episodes import render_episode

        ids = []
        for n, script in enumerate(scripts, 1):
            part = f"episode {n}/{len(scripts)}: " if len(scripts) > 1 else ""
            episode = render_episode(
                ws,
                script,
                settings=settings,
                progress=lambda stage, done, total, part=part: report(
                    f"{part}{stage}", done, total
                ),
            )
            ids.append(episode.id)
        return {"episodes": ids}

    title = scripts[0].title if len(scripts) == 1 else f"{len(scripts)} episodes"
    return job_ui.start(ws, "render", work, {"label": f"Recording {title}"})


def _form(ws: Workspace, source: Source) -> None:
    podcast = resources.settings().podcast
    ss = st.session_state
    defaults = {
        K["minutes"]: float(podcast.minutes),
        K["format"]: podcast.format,
        K["host_a"]: podcast.host_a,
        K["host_b"]: podcast.host_b,
        K["focus"]: "",
    }
    for key, value in defaults.items():
        ss.setdefault(key, value)
    chapters = _chapters(source)
    names = [chapter_name(source.chapter(i).title) for i in chapters]
    about = names[0] if len(names) == 1 else f"{len(names)} chapters ({names[0]} to {names[-1]})"
    st.markdown(f"About **{escape_md(about)}** of *{escape_md(source.title)}*")
    st.caption("Tick chapters in the library to change what the episode covers.")
    with st.container(horizontal=True, gap="medium"):
        st.slider("Length (minutes)", 0.5, 30.0, step=0.5, format="%.1f", key=K["minutes"])
        st.selectbox("Format", FORMATS, format_func=FORMAT_NAMES.get, key=K["format"])
    with st.container(horizontal=True, gap="medium"):
        st.text_input("First host", key=K["host_a"], max_chars=40)
        st.text_input("Second host", key=K["host_b"], max_chars=40)
    tts_ui.voice_pickers(K["voice_a"], K["voice_b"])
    st.text_area(
        "Focus (optional)",
        key=K["focus"],
        max_chars=500,
        placeholder="e.g. the narrator's view of progress",
        height=68,
    )
    series = False
    if len(chapters) > 1:
        series = st.toggle("Series: one episode per chapter", key=K["series"])
    if st.button("Write script", key="studio_write", type="primary"):
        try:
            _request(source).checked()
        except FolioError as exc:
            st.error(str(exc))
            return
        start_script(ws, source, series)
        st.rerun()


def _load_finished_script(ws: Workspace) -> None:
    """A script job that finished is loaded into the editor once (also after a refresh)."""
    job = job_ui.latest(ws, "script")
    if job is None or job.status != "done" or job.id in state.seen_jobs():
        return
    state.seen_jobs().add(job.id)
    state.set_script_drafts(list((job.payload.get("result") or {}).get("scripts", [])))


def _editor(ws: Workspace) -> None:
    drafts = state.script_drafts()
    if not drafts:
        return
    st.divider()
    st.subheader("Script", anchor=False)
    if error := state.pop_flash_error():
        st.error(error)
    draft_no = 0
    if len(drafts) > 1:
        draft_no = st.selectbox(
            "Episode",
            range(len(drafts)),
            key=K["draft"],
            format_func=lambda n: f"{n + 1}. {drafts[n]['title']}",
        )
    valid = render_script(ws, draft_no, drafts[draft_no])
    label = "Render audio" if len(drafts) == 1 else f"Render all {len(drafts)} episodes"
    if st.button(label, key="studio_render", type="primary", disabled=not valid):
        try:
            start_render(ws, drafts)
        except FolioError as exc:
            st.error(str(exc))
            return
        st.rerun()


def render(ws: Workspace) -> None:
    from workspace_app.views import episodes as episodes_view

    source_id = state.selected_source()
    if source_id is None:
        st.info("Choose a source in the library (the sidebar) to make a podcast of it.", icon="🎙️")
        episodes_view.render(ws)
        return
    source = resources.source(ws, source_id)
    _form(ws, source)
    active = job_ui.running(ws, "script", "render")
    if active:
        job_ui.watch(ws, [j.id for j in active])
    for kind in ("script", "render"):
        job = job_ui.latest(ws, kind)
        if job is not None and job.status != "running" and job.id not in state.seen_jobs():
            job_ui.show_failure(job)
    _load_finished_script(ws)
    _editor(ws)
    episodes_view.render(ws)


def audio_bytes(path: str | None) -> bytes | None:
    if not path or not Path(path).is_file():
        return None
    return Path(path).read_bytes()
