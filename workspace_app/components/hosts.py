"""Ask the hosts, in the episode player: the listener types a question while the episode
plays; the hosts' short, cited answer is voiced and plays at once (the episode pauses),
then the episode goes on from where it was. The exchange is kept with the episode."""

from __future__ import annotations

import time

import streamlit as st

from pipelines.errors import FolioError
from pipelines.types import Episode
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.citations import render_citations
from workspace_app.components.text import escape_md

# Keeps the episode's position while it plays; when the hosts' reply is drawn, pauses
# the episode, plays the reply, then resumes the episode where it was. No text from the
# documents goes in here, only element class names built from the episode id.
RESUME_JS = """<script>
(function () {
  const id = "EPISODE_ID";
  const fresh = FRESH;
  let tries = 0;
  const wire = () => {
    const ep = document.querySelector(".st-key-episode_audio_" + id + " audio");
    const reply = document.querySelector(".st-key-hosts_reply_" + id + " audio");
    if (!ep || (fresh && !reply)) { if (tries++ < 50) setTimeout(wire, 100); return; }
    const saved = "folio-position-" + id;
    if (!ep.dataset.folioWired) {
      ep.dataset.folioWired = "1";
      ep.addEventListener("timeupdate", () => sessionStorage.setItem(saved, ep.currentTime));
    }
    if (!fresh || reply.dataset.folioWired) return;
    reply.dataset.folioWired = "1";
    const at = parseFloat(sessionStorage.getItem(saved) || "0");
    const wasPlaying = !ep.paused;
    ep.pause();
    reply.addEventListener("ended", () => {
      ep.currentTime = at;
      document.body.dataset.folioResumedAt = String(at);
      if (wasPlaying || at > 0) { ep.play().catch(() => {}); }
    });
    reply.play().catch(() => {});
  };
  setTimeout(wire, 100);
})();
</script>"""


def episode_audio(episode_id: str, audio_path: str) -> None:
    """The episode's player, in a container the resume script can find."""
    with st.container(key=f"episode_audio_{episode_id}"):
        st.audio(audio_path, format="audio/mpeg")


def _ask(ws: Workspace, episode: Episode) -> None:
    from pipelines.companion.hosts import ask_hosts, save_exchange, voice_exchange

    question = str(state.widget_value(state.hosts_input_key(episode.id), "") or "").strip()
    if not question:
        return
    started = time.perf_counter()
    session = resources.session()
    try:
        exchange = ask_hosts(session, episode, question)
        voice_exchange(session, episode, exchange)
        save_exchange(ws, episode, exchange)
    except FolioError as exc:
        state.flash_error(str(exc))
        return
    exchange.timings["total_s"] = round(time.perf_counter() - started, 3)
    state.hosts_replies()[episode.id] = {**exchange.to_dict(), "fresh": True}
    state.set_widget_value(state.hosts_input_key(episode.id), "")


def ask_the_hosts(ws: Workspace, episode: Episode) -> None:
    """The question box and the hosts' last reply for this episode."""
    st.text_input(
        "Ask the hosts",
        key=state.hosts_input_key(episode.id),
        placeholder="Ask the hosts about these chapters…",
        on_change=_ask,
        args=(ws, episode),
        help="The hosts answer from this episode's chapters, then the episode goes on.",
    )
    reply = state.hosts_replies().get(episode.id)
    fresh = bool(reply.pop("fresh", False)) if reply else False
    # drawn from the start: it must follow the episode's position before any question
    script = RESUME_JS.replace("EPISODE_ID", episode.id).replace(
        "FRESH", "true" if fresh else "false"
    )
    st.html(script, unsafe_allow_javascript=True)
    if not reply:
        return
    from pipelines.companion.hosts import HostExchange

    exchange = HostExchange.from_dict(reply)
    with st.container(border=True, key=f"hosts_reply_{episode.id}"):
        st.caption(f"You asked: {escape_md(exchange.question)}")
        for turn in exchange.turns:
            st.markdown(f"**{escape_md(turn.speaker)}:** {escape_md(turn.text)}")
        if exchange.audio_path:
            st.audio(exchange.audio_path, format="audio/wav", autoplay=fresh)
        render_citations(exchange.citations, f"hosts_{episode.id}")
        if exchange.written_by:
            st.caption(f"Answer by {escape_md(exchange.written_by)}")
