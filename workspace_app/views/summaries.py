"""Summaries and guides: a chapter summary, a source summary, a paper brief, with
citations. Written in the background; the workspace caches them."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipelines.types import Citation, Source, SourceKind, Summary
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.actions.summary import start_summary
from workspace_app.components import jobs as job_ui
from workspace_app.components.citations import render_citations
from workspace_app.components.text import escape_md, model_md, numbered


def _summary_from(result: dict[str, Any]) -> Summary:
    data = dict(result)
    data["citations"] = [Citation(**c) for c in data.get("citations", [])]
    return Summary(**data)


def written_by(summary: Summary) -> str:
    """Who wrote it, in words a reader knows."""
    if summary.written_by:
        return f"Written by {summary.written_by}; kept in the workspace."
    if not summary.backend or summary.backend == "extractive":
        return "Made of the text's own sentences (no language model); kept in the workspace."
    return f"Written by the language model {summary.backend}; kept in the workspace."


def _kinds(source: Source) -> list[str]:
    kinds = ["Chapter summary", "Source summary"]
    if source.kind == SourceKind.PAPER:
        kinds.append("Paper brief")
    return kinds


def draw(ws: Workspace) -> None:
    source_id = state.selected_source()
    if source_id is None:
        st.info("Choose a source in the library (the sidebar) to summarise it.", icon="📝")
        return
    source = resources.source(ws, source_id)
    st.caption(escape_md(source.title))
    kinds = _kinds(source)
    if state.widget_value(state.SUMMARY_KIND) not in kinds:
        state.set_widget_value(state.SUMMARY_KIND, kinds[0])
    kind = st.segmented_control("Kind", kinds, key=state.SUMMARY_KIND, required=True)
    chapter: int | None = None
    if kind == "Chapter summary":
        body = [c.index for c in source.chapters if c.kind.is_body and c.word_count]
        if not body:
            st.warning("This source has no chapters with text.")
            return
        if state.widget_value(state.SUMMARY_CHAPTER) not in body:
            chosen = [i for i in state.chosen_chapters(source.id) if i in body]
            state.set_widget_value(state.SUMMARY_CHAPTER, (chosen or body)[0])
        chapter = st.selectbox(
            "Chapter",
            body,
            format_func=lambda i: numbered(source.chapter(i)),
            key=state.SUMMARY_CHAPTER,
        )
    brief = kind == "Paper brief"
    job = job_ui.latest(ws, "summary", source_id=source.id, chapter=chapter, brief=brief)
    if job is not None and job.status == "running":
        job_ui.watch(ws, [job.id])
        return
    if job is not None and job.status == "done" and job.payload.get("result"):
        summary = _summary_from(job.payload["result"])
        st.subheader(escape_md(summary.title), anchor=False)
        st.markdown(model_md(summary.text))
        render_citations(summary.citations, f"sum_{job.id}")
        for note in summary.notes:
            st.caption(f"Note: {escape_md(note)}")
        st.caption(escape_md(written_by(summary)))
        return
    if job is not None:
        job_ui.show_failure(job)
    if st.button("Write it", key="summary_go", type="primary"):
        start_summary(ws, source, chapter, brief)
        st.rerun()
