"""Summaries and guides: a chapter summary, a source summary, a paper brief, with
citations. Written in the background; the workspace caches them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import streamlit as st

from pipelines.text.naming import chapter_name
from pipelines.types import Citation, Source, SourceKind, Summary
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components import jobs as job_ui
from workspace_app.components.citations import render_citations
from workspace_app.components.text import escape_md, model_md

KIND_KEY = "summary_kind"
CHAPTER_KEY = "summary_chapter"


def _summary_from(result: dict[str, Any]) -> Summary:
    data = dict(result)
    data["citations"] = [Citation(**c) for c in data.get("citations", [])]
    return Summary(**data)


def start_summary(ws: Workspace, source: Source, chapter: int | None, brief: bool) -> str:
    from pipelines.answers.summaries import summarize

    settings, llm = resources.settings(), resources.llm()
    what = chapter_name(source.chapter(chapter).title) if chapter else source.title
    label = f"{'Brief' if brief else 'Summary'} of {what}"

    def work(report: Report) -> dict[str, Any]:
        report("writing", 0, 1)
        summary = summarize(ws, source.id, chapter=chapter, brief=brief, settings=settings, llm=llm)
        report("done", 1, 1)
        return asdict(summary)

    payload = {"label": label, "source_id": source.id, "chapter": chapter, "brief": brief}
    return job_ui.start(ws, "summary", work, payload, exclusive=False)


def _kinds(source: Source) -> list[str]:
    kinds = ["Chapter summary", "Source summary"]
    if source.kind == SourceKind.PAPER:
        kinds.append("Paper brief")
    return kinds


def render(ws: Workspace) -> None:
    source_id = state.selected_source()
    if source_id is None:
        st.info("Choose a source in the library (the sidebar) to summarise it.", icon="📝")
        return
    source = resources.source(ws, source_id)
    st.caption(escape_md(source.title))
    kinds = _kinds(source)
    if st.session_state.get(KIND_KEY) not in kinds:
        st.session_state[KIND_KEY] = kinds[0]
    kind = st.segmented_control("Kind", kinds, key=KIND_KEY, required=True)
    chapter: int | None = None
    if kind == "Chapter summary":
        body = [c.index for c in source.chapters if c.kind.is_body and c.word_count]
        if not body:
            st.warning("This source has no chapters with text.")
            return
        if st.session_state.get(CHAPTER_KEY) not in body:
            chosen = [i for i in state.chosen_chapters(source.id) if i in body]
            st.session_state[CHAPTER_KEY] = (chosen or body)[0]
        chapter = st.selectbox(
            "Chapter",
            body,
            format_func=lambda i: f"{i}. {source.chapter(i).title}",
            key=CHAPTER_KEY,
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
        st.caption(f"Written by {summary.backend or 'Folio'}; kept in the workspace.")
        return
    if job is not None:
        job_ui.show_failure(job)
    if st.button("Write it", key="summary_go", type="primary"):
        start_summary(ws, source, chapter, brief)
        st.rerun()
