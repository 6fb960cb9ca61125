"""Folio's Streamlit entry point: a thin face over `pipelines`.

The sidebar is the library (sources, chapters, scope); the main column is one of the
views, picked with the bar at the top (or the first-run screen while the library is
empty). Every engine error reaches the reader as one plain sentence; any other failure
shows a short apology on screen and its traceback in the log. Under test
(FOLIO_APP_RAISE=1, see `state.raise_errors`) failures are re-raised so AppTest sees them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `streamlit run` from anywhere

from pipelines.errors import FolioError  # noqa: E402
from pipelines.workspace.store import Workspace  # noqa: E402
from workspace_app import persistence, resources, state  # noqa: E402
from workspace_app.views import ask, notes, quiz, reader, studio, summaries, welcome  # noqa: E402
from workspace_app.views import library as library_view  # noqa: E402
from workspace_app.views import settings as settings_view  # noqa: E402

log = logging.getLogger("folio.app")

View = Callable[[Workspace], None]
VIEWS: dict[str, View] = {
    "Reader": reader.draw,
    "Ask": ask.draw,
    "Quiz": quiz.draw,
    "Summaries": summaries.draw,
    "Podcast": studio.draw,
    "Notes": notes.draw,
    "Settings": settings_view.draw,
}
ICONS = {
    "Reader": "📖",
    "Ask": "💬",
    "Quiz": "🎯",
    "Summaries": "📝",
    "Podcast": "🎙️",
    "Notes": "🗒️",
    "Settings": "⚙️",
}


def guarded(name: str, draw: View, ws: Workspace) -> None:
    """Draw one part of the page; a failure there leaves the rest of the page working."""
    try:
        draw(ws)
    except FolioError as exc:  # a problem the reader can act on, in their words
        st.error(str(exc))
    except Exception:
        log.exception("the %s screen failed", name)
        if state.raise_errors():
            raise
        st.error(
            "Something went wrong on this screen. Try again; if it keeps happening, "
            "restart Folio (`make run`) — your library is safe.",
            icon="⚠️",
        )


def _open_workspace() -> Workspace | None:
    try:
        return resources.workspace()
    except (FolioError, OSError) as exc:
        st.error(
            f"Folio could not open its workspace ({exc}). "
            "Set FOLIO_HOME to a folder you can write to."
        )
        return None


def main() -> None:
    st.set_page_config(
        page_title="Folio", page_icon="📖", layout="centered", initial_sidebar_state="expanded"
    )
    ws = _open_workspace()
    if ws is None:
        return
    source_ids = [s.id for s in ws.list_sources()]
    persistence.restore(ws.home, source_ids)
    if state.selected_source() not in source_ids:
        state.select_source(source_ids[0] if source_ids else None)
    with st.sidebar:
        st.markdown("### 📖 Folio")
        guarded("library", library_view.draw, ws)
    if not ws.list_sources():
        guarded("welcome", welcome.draw, ws)
    else:
        st.segmented_control(
            "View",
            list(VIEWS),
            format_func=lambda v: f"{ICONS[v]} {v}",
            key=state.bind(state.NAV, state.view()),
            required=True,
            label_visibility="collapsed",
            width="stretch",
        )
        guarded(state.view(), VIEWS[state.view()], ws)
    persistence.sync_query_params()
    persistence.persist(ws.home)


main()
