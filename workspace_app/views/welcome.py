"""The first screen, while the library is empty: what Folio does, what to do first, the
sample library one click away, and a card to connect a model (what writes the answers
now, and how to get better ones)."""

from __future__ import annotations

import streamlit as st

from pipelines.workspace.store import Workspace
from workspace_app import state
from workspace_app.actions.ingest import start_samples
from workspace_app.components import connect_ui
from workspace_app.components import jobs as job_ui

STEPS = """
1. **Add a book or a paper** — drop a PDF, an EPUB or a text file in the library on the
   left. Folio finds its chapters.
2. **Tick the chapters** you care about in the library.
3. **Read, ask, summarise or listen**: answers quote the chapters you chose and say
   so when those chapters don't answer; the podcast studio turns them into an episode.
"""

OFFLINE_WORDS = (
    "Without a language model, Folio's answers, summaries and podcast scripts are **the "
    "text's own sentences**, chosen, quoted and cited — nothing invented, but they can miss "
    "the point of a question. A model writes real answers and summaries and a livelier "
    "podcast. Connect one here, or later in Settings: a server on this computer (Ollama, "
    "LM Studio, llama.cpp, vLLM), an API with a key, or a model file."
)


def _samples(ws: Workspace) -> None:
    job_id = start_samples(ws)
    if job_id:
        state.active_jobs()["samples"] = job_id


def _connect_card(ws: Workspace) -> None:
    with st.container(border=True, key="welcome_connect_card"):
        st.subheader("Connect a model (optional)", anchor=False)
        st.markdown(OFFLINE_WORDS)
        connect_ui.draw("welcome", ws)


def draw(ws: Workspace) -> None:
    st.title("Welcome to Folio", anchor=False)
    st.markdown("A reading workspace that understands chapters. Everything stays on this computer.")
    st.markdown(STEPS)
    busy = job_ui.running(ws, "ingest", "samples")
    if busy:
        st.info("Adding your files; the first book opens when it is ready.", icon="⏳")
        job_ui.watch(ws, [j.id for j in busy])
        return
    st.markdown("Or try Folio first with three sample sources (two books and a paper):")
    st.button(
        "Add the sample library",
        key="welcome_samples",
        type="primary",
        icon="📚",
        on_click=_samples,
        args=(ws,),
    )
    _connect_card(ws)
