"""Library: the sources and their chapter trees."""

from __future__ import annotations

import streamlit as st

from pipelines.types import ChapterKind, Source
from workspace_app import state

HIDDEN_KINDS = {ChapterKind.FRONT_MATTER, ChapterKind.BACK_MATTER, ChapterKind.INDEX}


def render_source(source: Source) -> None:
    pages = f"{source.page_count} pages · " if source.page_count else ""
    st.caption(
        f"{source.kind} · {pages}{len(source.chapters)} chapters · {source.word_count:,} words"
        + (f" · {', '.join(source.authors)}" if source.authors else "")
    )
    show_all = st.toggle("Show front and back matter", key=f"show_all_{source.id[:12]}")
    for chapter in source.chapters:
        if chapter.kind in HIDDEN_KINDS and not show_all:
            continue
        pages = f" · pp. {chapter.pages[0]}–{chapter.pages[1]}" if chapter.pages else ""
        tag = (
            ""
            if chapter.kind in (ChapterKind.CHAPTER, ChapterKind.PART)
            else f" · _{chapter.kind.replace('_', ' ')}_"
        )
        indent = "\u2003" * chapter.level
        label = f"**{chapter.title}**" if chapter.kind == ChapterKind.PART else chapter.title
        st.markdown(f"{indent}{chapter.index}. {label}{tag}{pages} · {chapter.word_count:,} words")


def render(ws) -> None:
    st.header("Library")
    sources = [ws.get_source(s.id) for s in ws.list_sources()]
    if not sources:
        st.info("The library is empty. Add a PDF, EPUB or text file to begin.")
        return
    for source in sources:
        with st.expander(source.title, expanded=state.selected_source() == source.id):
            render_source(source)
    st.caption(f"Workspace: {ws.home} · {len(sources)} sources")
