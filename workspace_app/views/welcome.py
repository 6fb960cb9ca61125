"""The first screen, while the library is empty: what Folio does, what to do first, and
the sample library one click away."""

from __future__ import annotations

import streamlit as st

from pipelines.workspace.store import Workspace
from workspace_app import state
from workspace_app.actions.ingest import start_samples
from workspace_app.components import jobs as job_ui
from workspace_app.views.library import uploader

STEPS = """
1. **Add a book or a paper** — a PDF, an EPUB, or a text file. Folio finds its chapters.
2. **Tick the chapters** you care about in the library on the left.
3. **Read, ask, summarise or listen**: answers quote the chapters you chose and say
   so when those chapters don't answer; the podcast studio turns them into an episode.
"""


def _samples(ws: Workspace) -> None:
    job_id = start_samples(ws)
    if job_id:
        state.active_jobs()["samples"] = job_id


def draw(ws: Workspace) -> None:
    st.title("Welcome to Folio", anchor=False)
    st.markdown("A reading workspace that understands chapters. Everything stays on this computer.")
    st.markdown(STEPS)
    busy = job_ui.running(ws, "ingest", "samples")
    if busy:
        st.info("Adding your files; the first book opens when it is ready.", icon="⏳")
        job_ui.watch(ws, [j.id for j in busy])
        return
    uploader(ws, "welcome")
    st.markdown("Or try Folio first with three sample sources (two books and a paper):")
    st.button(
        "Add the sample library",
        key="welcome_samples",
        type="primary",
        icon="📚",
        on_click=_samples,
        args=(ws,),
    )
