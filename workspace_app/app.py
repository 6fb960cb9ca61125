"""Folio's Streamlit entry point: a thin face over `pipelines`.

The sidebar is the library (sources, chapters, scope); the main column is one of the
views, picked with the bar at the top. Every engine error reaches the reader as one
plain sentence; no traceback is ever shown.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `streamlit run` from anywhere

from pipelines.errors import FolioError  # noqa: E402
from workspace_app import resources, state  # noqa: E402
from workspace_app.views import ask, notes, reader, studio, summaries  # noqa: E402
from workspace_app.views import library as library_view  # noqa: E402
from workspace_app.views import settings as settings_view  # noqa: E402

log = logging.getLogger("folio.app")

VIEWS = {
    "Reader": reader.render,
    "Ask": ask.render,
    "Summaries": summaries.render,
    "Podcast": studio.render,
    "Notes": notes.render,
    "Settings": settings_view.render,
}
ICONS = {
    "Reader": "📖",
    "Ask": "💬",
    "Summaries": "📝",
    "Podcast": "🎙️",
    "Notes": "🗒️",
    "Settings": "⚙️",
}


def _guarded(render, *args) -> None:  # noqa: ANN001
    try:
        render(*args)
    except FolioError as exc:
        st.error(str(exc))
    except Exception:  # never a traceback on screen; the log has it
        log.exception("view failed")
        st.error(
            "Something went wrong on this screen. Try again; if it keeps happening, "
            "restart Folio (`make run`) — your library is safe."
        )


def _first_run(ws) -> None:  # noqa: ANN001
    if state.samples_checked():
        return
    state.mark_samples_checked()
    try:
        library_view.start_samples(ws)
    except FolioError as exc:
        st.warning(f"The sample library could not be added: {exc}")


def main() -> None:
    st.set_page_config(
        page_title="Folio", page_icon="📖", layout="centered", initial_sidebar_state="auto"
    )
    try:
        ws = resources.workspace()
    except (FolioError, OSError) as exc:
        st.error(
            f"Folio could not open its workspace ({exc}). Set FOLIO_HOME to a folder you can write to."
        )
        return
    _first_run(ws)
    if state.selected_source() is None:
        sources = ws.list_sources()
        if sources:
            state.select_source(sources[0].id)
    with st.sidebar:
        st.markdown("### 📖 Folio")
        _guarded(library_view.render, ws)
    st.segmented_control(
        "View",
        list(VIEWS),
        format_func=lambda v: f"{ICONS[v]} {v}",
        key=state.NAV,
        default="Reader",
        required=True,
        label_visibility="collapsed",
        width="stretch",
    )
    _guarded(VIEWS[state.view()], ws)


main()
