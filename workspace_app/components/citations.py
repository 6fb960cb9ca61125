"""Citations as [n]: a row of small buttons (quote, chapter and page on hover; a click
opens the reader at the passage) and an expandable list of the quotes."""

from __future__ import annotations

import streamlit as st

from pipelines.text.naming import chapter_name
from pipelines.types import Citation
from workspace_app import state
from workspace_app.components.text import escape_md, short


def where(c: Citation) -> str:
    bits = [c.source_title] if c.source_title else []
    bits.append(chapter_name(c.chapter_title) if c.chapter_title else f"chapter {c.chapter_index}")
    if c.page:
        bits.append(f"p. {c.page}")
    return " · ".join(bits)


def render_citations(citations: list[Citation], key_prefix: str, *, expanded: bool = False) -> None:
    if not citations:
        return
    with st.container(horizontal=True, gap="small", key=f"{key_prefix}_cites"):
        for c in citations:
            st.button(
                f"[{c.number}]",
                key=f"{key_prefix}_cite_{c.number}",
                help=f"“{short(c.quote, 240)}” — {where(c)}. Click to open it in the reader.",
                on_click=state.open_in_reader,
                args=(c.source_id, c.chapter_index, c.passage_id, c.quote),
                type="tertiary",
            )
    with st.expander(f"Sources ({len(citations)})", expanded=expanded):
        for c in citations:
            st.markdown(
                f"**[{c.number}]** {escape_md(where(c))}  \n> {escape_md(short(c.quote, 400))}"
            )
