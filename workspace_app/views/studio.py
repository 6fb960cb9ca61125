"""Podcast studio, top to bottom: the newest episode's player, what and how (length,
format, hosts, voices), the script in one editor, and past episodes. Progress of writing
and recording is drawn under the button that started it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.podcast.request import FORMATS, PodcastRequest
from pipelines.text.naming import chapter_name
from pipelines.types import Episode, Source
from pipelines.workspace.jobs import Job
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.actions.render import start_recording
from workspace_app.actions.script import start_script_writing
from workspace_app.components import jobs as job_ui
from workspace_app.components import tts_ui
from workspace_app.components.script_editor import script_editor
from workspace_app.components.text import escape_md
from workspace_app.views import episodes as episodes_view

PLAYER_KEY = "studio_player"
# Scroll the newest episode's player into view. No document text goes in here.
SCROLL_JS = """<script>
(function () {
  let tries = 0;
  const find = () => {
    const el = document.querySelector(".st-key-PLAYER_KEY");
    if (el) { el.scrollIntoView({block: "start"}); return; }
    if (tries++ < 40) setTimeout(find, 100);
  };
  setTimeout(find, 150);
})();
</script>""".replace("PLAYER_KEY", PLAYER_KEY)
FORMAT_NAMES = {"deep-dive": "Deep dive", "brief": "Brief", "debate": "Debate"}
LIVE_KEY = "studio_live"
# While a render runs: when one part's player ends, play the next; if the next is not
# there yet, play it as soon as it appears. No document text goes in here.
LIVE_JS = """<script>
(function () {
  if (window.folioLiveParts) return;
  window.folioLiveParts = true;
  const inLive = (el) => el instanceof HTMLAudioElement && el.closest(".st-key-LIVE_KEY");
  const following = (audio) => {
    const all = Array.from(document.querySelectorAll(".st-key-LIVE_KEY audio"));
    const i = all.indexOf(audio);
    return i >= 0 ? all[i + 1] : undefined;
  };
  let waiting = null;
  document.addEventListener("ended", (event) => {
    if (!inLive(event.target)) return;
    const next = following(event.target);
    if (next) { next.play().catch(() => null); } else { waiting = event.target; }
  }, true);
  new MutationObserver(() => {
    const next = waiting && following(waiting);
    if (next) { waiting = null; next.play().catch(() => null); }
  }).observe(document.body, {childList: true, subtree: true});
})();
</script>""".replace("LIVE_KEY", LIVE_KEY)


def _chapters(source: Source) -> list[int]:
    chosen = state.chosen_chapters(source.id)
    return chosen or [c.index for c in source.chapters if c.kind.is_body and c.word_count]


def _choice(name: str, default: Any) -> str:
    """The widget key for a studio choice, showing the kept value."""
    return state.bind(state.studio_widget_key(name), state.studio_choices().get(name, default))


def _request(source: Source) -> PodcastRequest:
    podcast = resources.settings().podcast
    kept = state.studio_choices()
    return PodcastRequest(
        source_id=source.id,
        chapters=_chapters(source),
        minutes=float(kept.get("minutes", podcast.minutes)),
        format=str(kept.get("format", podcast.format)),
        hosts=(
            str(kept.get("host_a", podcast.host_a)).strip(),
            str(kept.get("host_b", podcast.host_b)).strip(),
        ),
        focus=str(kept.get("focus", "")).strip(),
    )


def _form(ws: Workspace, source: Source) -> None:
    podcast = resources.settings().podcast
    store = state.store_studio_choice
    with st.container(horizontal=True, gap="medium"):
        st.slider(
            "Length (minutes)",
            0.5,
            30.0,
            step=0.5,
            format="%.1f",
            key=_choice("minutes", float(podcast.minutes)),
            on_change=store,
            args=("minutes",),
        )
        st.selectbox(
            "Format",
            list(FORMATS),
            format_func=lambda f: FORMAT_NAMES.get(f, f),
            key=_choice("format", podcast.format),
            on_change=store,
            args=("format",),
        )
    with st.container(horizontal=True, gap="medium"):
        for name, label, default in (
            ("host_a", "First host", podcast.host_a),
            ("host_b", "Second host", podcast.host_b),
        ):
            st.text_input(
                label, key=_choice(name, default), max_chars=40, on_change=store, args=(name,)
            )
    tts_ui.voice_pickers("studio_voice:")
    st.caption(
        f"Voices of the {resources.settings().tts.engine} engine; change the engine in Settings."
    )
    st.text_area(
        "Focus (optional)",
        key=_choice("focus", ""),
        on_change=store,
        args=("focus",),
        max_chars=500,
        placeholder="e.g. the narrator's view of progress",
        height=68,
    )
    series = False
    if len(_chapters(source)) > 1:
        series = st.toggle(
            "Series: one episode per chapter",
            key=_choice("series", False),
            on_change=store,
            args=("series",),
        )
    if st.button("Write script", key="studio_write", type="primary"):
        try:
            request = _request(source).checked()
        except FolioError as exc:
            st.error(str(exc))
            return
        state.active_jobs()["script"] = start_script_writing(ws, request, series=series)
        st.rerun()
    _progress(ws, "script")


def _progress(ws: Workspace, kind: str, detail: Callable[[Job], None] | None = None) -> None:
    """Progress of this kind of work, right here (with `detail(job)` under the bar); its
    failure, once, when it ends."""
    active = job_ui.running(ws, kind)
    if active:
        job_ui.watch(ws, [j.id for j in active], detail)
        return
    job = job_ui.latest(ws, kind)
    if job is not None and job.id not in state.seen_jobs() and job.status != "done":
        job_ui.show_failure(job)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def part_label(item: dict[str, Any], episodes: int = 1) -> str:
    """'Part 2 · 0:07–0:19 · The Time Traveller' (the episode too when a series renders)."""
    start = float(item.get("start_s") or 0)
    end = start + float(item.get("duration_s") or 0)
    label = f"Part {int(item.get('part', 0)) + 1} · {_clock(start)}–{_clock(end)}"
    if episodes > 1:
        label = f"Episode {item['episode']}, {label[0].lower()}{label[1:]}"
    return f"{label} · {item['title']}" if item.get("title") else label


def ready_parts(job: Job) -> None:
    """While a render runs: the parts already voiced, in order; pressing play on the
    first plays each next one when the one before ends (LIVE_JS), while the rest is
    still being made (pipelines/podcast/live.py hands them over so it never runs out)."""
    episodes = int(job.payload.get("scripts") or 1)
    items = [i for i in job.payload.get("parts") or [] if Path(str(i.get("path", ""))).is_file()]
    if not items:
        return
    st.caption("Listen now: the parts play one after another while the rest is recorded.")
    with st.container(key=LIVE_KEY):
        for item in items:
            st.caption(escape_md(part_label(item, episodes)))
            st.audio(str(item["path"]), format="audio/wav")
    st.html(LIVE_JS, unsafe_allow_javascript=True)


def _load_finished_script(ws: Workspace) -> None:
    """A script job that finished is loaded into the editor once (also after a refresh)."""
    job = job_ui.latest(ws, "script")
    if job is None or job.status != "done" or job.id in state.seen_jobs():
        return
    state.seen_jobs().add(job.id)
    state.set_script_drafts(list((job.payload.get("result") or {}).get("scripts", [])))


def voice_note(requested: dict[str, Any], episode: Episode) -> str | None:
    """Why the episode's voices are not the ones asked for, or None when they are."""
    used = episode.settings.get("voices", {})
    engine = episode.settings.get("tts_engine", "")
    voices = [str(v.get("voice", "")) for v in used.values()]
    asked = [requested.get("voice_a") or "", requested.get("voice_b") or ""]
    differs = engine != requested.get("engine") or any(
        a and a != v for a, v in zip(asked, voices, strict=False)
    )
    if not differs:
        return None
    why = " ".join(episode.settings.get("render_notes") or [])
    return (
        f"You chose {requested.get('engine')} ({', '.join(a or 'default' for a in asked)}); "
        f"this episode was voiced by {engine} ({', '.join(voices)}). {why}"
    ).strip()


def _finished_render(ws: Workspace) -> None:
    job = job_ui.latest(ws, "render")
    if job is None or job.status != "done" or job.id in state.seen_jobs():
        return
    state.seen_jobs().add(job.id)
    ids = (job.payload.get("result") or {}).get("episodes") or []
    if not ids:
        return
    state.set_latest_episode(ids[0], show=True)
    api = episodes_view.episodes_api()
    try:
        episode = api.get_episode(ws, ids[0]) if api else None
    except FolioError:
        episode = None
    if episode is None:
        return
    if note := voice_note(job.payload.get("requested") or {}, episode):
        state.flash(note, "warning")
    st.toast("The episode is ready.", icon="🎧")


def _editor(ws: Workspace) -> None:
    drafts = state.script_drafts()
    if not drafts:
        return
    st.subheader("Script", anchor=False)
    draft_no = 0
    if len(drafts) > 1:
        draft_no = st.selectbox(
            "Episode",
            range(len(drafts)),
            key="studio_draft",
            format_func=lambda n: f"{n + 1}. {drafts[n]['title']}",
        )
    valid = script_editor(ws, draft_no, drafts[draft_no])
    tts_ui.warm_up()  # the voice loads while the script is read and edited
    label = "Render audio" if len(drafts) == 1 else f"Render all {len(drafts)} episodes"
    if st.button(label, key="studio_render", type="primary", disabled=not valid):
        try:
            state.active_jobs()["render"] = start_recording(ws, drafts)
        except FolioError as exc:
            st.error(str(exc))
            return
        st.rerun()
    _progress(ws, "render", ready_parts)


def _top_episode(ws: Workspace, source: Source) -> Episode | None:
    api = episodes_view.episodes_api()
    if api is None:
        return None
    episodes = api.list_episodes(ws)
    latest = state.latest_episode()
    for episode in episodes:
        if episode.id == latest:
            return episode
    return next((e for e in episodes if source.id in e.script.source_ids), None)


def draw(ws: Workspace) -> None:
    source_id = state.selected_source()
    if source_id is None:
        st.info("Choose a source in the library (the sidebar) to make a podcast of it.", icon="🎙️")
        episodes_view.episode_list(ws)
        return
    source = resources.source(ws, source_id)
    _finished_render(ws)
    _load_finished_script(ws)
    for kind, message in state.pop_flash():
        getattr(st, kind)(message)
    top = _top_episode(ws, source)
    if top is not None:
        with st.container(key=PLAYER_KEY):
            episodes_view.episode_card(ws, top, key_prefix="top")
        if state.pop_show_player():  # a render just finished: bring its player into view
            st.html(SCROLL_JS, unsafe_allow_javascript=True)
    chapters = _chapters(source)
    names = [chapter_name(source.chapter(i).title) for i in chapters]
    about = names[0] if len(names) == 1 else f"{len(names)} chapters ({names[0]} to {names[-1]})"
    st.markdown(f"**New episode** about {escape_md(about)} of *{escape_md(source.title)}*")
    st.caption("Tick chapters in the library to change what the episode covers.")
    _form(ws, source)
    _editor(ws)
    episodes_view.episode_list(ws, exclude=top.id if top else None)
