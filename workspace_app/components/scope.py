"""The current scope (ticked chapters, else the whole selected source) and its label."""

from __future__ import annotations

import streamlit as st

from pipelines.errors import FolioError
from pipelines.types import chapter_id
from pipelines.workspace.store import Workspace
from workspace_app import state
from workspace_app.components.text import escape_md


def current_scope(ws: Workspace):
    """A pipelines.index.Scope, or None when nothing is selected."""
    from pipelines.types import Scope

    known = {s.id for s in ws.list_sources()}
    chosen = {sid: idx for sid, idx in state.scope_chapters().items() if sid in known and idx}
    if chosen:  # a ticked parent (a part, a story with parts) means its children too
        expanded = {
            sid: [c.index for c in ws.get_source(sid).expand(idx)] for sid, idx in chosen.items()
        }
        return Scope(
            source_ids=list(chosen),
            chapter_ids=[chapter_id(sid, i) for sid, idx in expanded.items() for i in idx],
        )
    source_id = state.selected_source()
    if source_id in known:
        return Scope(source_ids=[source_id], chapter_ids=None)
    return None


def scope_label(ws: Workspace, scope) -> str:
    from pipelines.answers.qa import describe_scope

    try:
        return describe_scope(ws, scope)
    except FolioError:
        return "the selected sources"


def scope_key(scope) -> str:
    """A stable name for a scope (suggestion cache, notebook per selection)."""
    chapters = ",".join(sorted(scope.chapter_ids)) if scope.chapter_ids else "*"
    return f"{','.join(sorted(scope.source_ids))}|{chapters}"


def render_scope_bar(ws: Workspace, scope) -> None:
    if scope is None:
        st.info("Choose a source in the library (the sidebar) to begin.", icon="📚")
        return
    st.caption(
        f"Scope: **{escape_md(scope_label(ws, scope))}** · "
        "change it with the chapter boxes in the library."
    )
