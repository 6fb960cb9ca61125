"""The reader's companion panels: "previously on", who's who so far, and explain a
passage, each about chapters 1..N of the book (N = the chapter open in the reader).

A panel does its work only when the reader picks it (the notes of a long book take a
while the first time; afterwards they are kept and a panel draws at once)."""

from __future__ import annotations

import streamlit as st

from pipelines.types import Chapter, Source
from workspace_app import resources, state
from workspace_app.components.citations import render_citations
from workspace_app.components.text import escape_md, short

PANELS = ("Previously on", "Who's who", "Explain")
ICONS = {"Previously on": "⏪", "Who's who": "👥", "Explain": "💡"}
KIND_LABEL = {"person": "People", "place": "Places", "term": "Terms"}


def companion_panels(source: Source, chapter: Chapter) -> None:
    """The picker and the panel picked (none by default)."""
    st.pills(
        "Reading companion",
        PANELS,
        format_func=lambda p: f"{ICONS[p]} {p}",
        key=state.bind(state.COMPANION_PANEL, state.companion_panel()),
        on_change=state.store_companion_panel,
        label_visibility="collapsed",
    )
    panel = state.companion_panel()
    if panel == "Previously on":
        with st.container(border=True, key="companion_recap"):
            _previously(source, chapter)
    elif panel == "Who's who":
        with st.container(border=True, key="companion_people"):
            _people(source, chapter)
    elif panel == "Explain":
        with st.container(border=True, key="companion_explain"):
            _explain(source, chapter)


def _previously(source: Source, chapter: Chapter) -> None:
    from pipelines.companion.recap import previously_on

    with st.spinner("Reading the notes of the chapters before this one…"):
        recap = previously_on(resources.session(), source, chapter.index)
    st.markdown(f"**Previously, before “{escape_md(chapter.title)}”**")
    if not recap.lines:
        st.caption("Nothing comes before this chapter: the book starts here.")
        return
    st.markdown(escape_md(recap.text).replace("\\*\\*", "**"))
    render_citations(recap.citations, "recap")
    if recap.made_by:
        st.caption(f"From the chapter notes ({escape_md(recap.made_by)}).")


def _people(source: Source, chapter: Chapter) -> None:
    from pipelines.companion.people import people_so_far

    with st.spinner("Reading the chapter notes up to here…"):
        entries = people_so_far(resources.session(), source, chapter.index)
    st.markdown(f"**Who's who up to “{escape_md(chapter.title)}”** — nothing from later chapters")
    if not entries:
        st.caption("Nobody named yet.")
        return
    for kind in ("person", "place", "term"):
        group = [e for e in entries if e.kind == kind]
        if not group:
            continue
        st.caption(KIND_LABEL[kind])
        for n, entry in enumerate(group):
            first = f"first in “{entry.first_title}”"
            with st.container(key=f"who_{kind}_{n}"):
                st.markdown(f"**{escape_md(entry.name)}** · {escape_md(first)}")
                if entry.line:
                    st.markdown(escape_md(short(entry.line, 220)))
                for deed in entry.deeds[-2:]:
                    st.caption(
                        f"{escape_md(deed.chapter_title)}: {escape_md(short(deed.text, 160))}"
                    )
                if entry.passage_id:
                    st.button(
                        "Open the line",
                        key=f"who_open_{kind}_{n}",
                        type="tertiary",
                        icon="📖",
                        on_click=state.open_in_reader,
                        args=(
                            source.id,
                            _chapter_of(entry.passage_id),
                            entry.passage_id,
                            entry.quote,
                        ),
                    )


def _chapter_of(passage_id: str) -> int:
    """Passage ids are '<source>:<chapter index>:<n>'."""
    parts = passage_id.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0


def _explain(source: Source, chapter: Chapter) -> None:
    from pipelines.companion.explain import explain_passage

    st.markdown("**Explain a passage** — paste the words you want explained")
    passage = st.text_area(
        "Passage",
        key=state.EXPLAIN_INPUT,
        height=100,
        placeholder="Copy a sentence or two from the chapter and paste it here.",
        label_visibility="collapsed",
    )
    if not st.button("Explain", key="explain_go") or not passage.strip():
        return
    with st.spinner("Explaining…"):
        result = explain_passage(resources.session(), source, chapter.index, passage)
    if result.text:
        st.markdown(escape_md(result.text))
    if result.context:
        st.caption(f"In this chapter: {escape_md(short(result.context, 240))}")
    for gloss in result.glosses:
        st.markdown(f"- **{escape_md(gloss.word)}**: {escape_md(gloss.meaning)}")
    if not result.text and not result.glosses:
        st.caption("No hard words here.")
    for note in result.notes:
        st.caption(f"Note: {escape_md(note)}")
    st.caption(f"Explained by {escape_md(result.made_by)}")
