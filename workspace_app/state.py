"""Every session-state key the app uses, behind typed accessors (one place to look)."""

from __future__ import annotations

import streamlit as st

SELECTED_SOURCE = "selected_source"


def selected_source() -> str | None:
    return st.session_state.get(SELECTED_SOURCE)


def select_source(source_id: str | None) -> None:
    st.session_state[SELECTED_SOURCE] = source_id
