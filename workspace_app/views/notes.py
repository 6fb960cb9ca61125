"""Notes: answers saved from the chat, with their citations."""

from __future__ import annotations

import streamlit as st

from pipelines.workspace import notebook
from pipelines.workspace.store import Workspace
from workspace_app.components.citations import render_citations
from workspace_app.components.text import escape_md, model_md


def draw(ws: Workspace) -> None:
    saved = notebook.notes(ws)
    if not saved:
        st.info("No notes yet. Save an answer from Ask to keep it here.", icon="📝")
        return
    for note in saved:
        with st.container(border=True, key=f"note:{note.id}"):
            st.markdown(f"**{escape_md(note.title)}**")
            st.markdown(model_md(note.body))
            render_citations(notebook.citations_from_payload(note.payload), f"note{note.id}")
            with st.container(horizontal=True):
                st.caption(note.created_at[:16].replace("T", " "))
                st.button(
                    "Delete",
                    key=f"note_del:{note.id}",
                    type="tertiary",
                    on_click=notebook.delete_note,
                    args=(ws, note.id),
                )
