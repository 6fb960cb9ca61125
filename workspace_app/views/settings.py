"""Settings: the LLM backend (with a connection test), voices (with a preview), the
workspace folder. Choices are kept in the workspace (persistence.persist); keys are never
shown, logged or stored."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components import connect_ui, tts_ui


def _store(section: str, field: str, key: str) -> None:
    resources.save_choice(section, field, state.widget_value(key))


def _store_key(section: str, key: str) -> None:
    typed = state.widget_value(key, "")
    if typed:
        resources.save_key(section, typed)
    state.set_widget_value(key, "")  # the field never shows the key back


def _forget_key(section: str) -> None:
    resources.save_key(section, None)


def _field(section: str, field: str, label: str, widget: Any, **kwargs: Any) -> Any:
    """A widget over one setting; its value is the session's (kept across screens)."""
    key = state.setting_key(section, field)
    value = getattr(getattr(resources.settings(), section), field)
    if state.widget_value(key) != value:
        state.set_widget_value(key, value)
    widget(label, key=key, on_change=_store, args=(section, field, key), **kwargs)
    return value


def _key_field(section: str) -> None:
    where = resources.key_source(section)
    if where:
        st.caption(f"A key is set ({where}).")
        if where.startswith("saved"):
            st.button(
                "Forget the saved key",
                key=f"forget_{section}",
                on_click=_forget_key,
                args=(section,),
                type="tertiary",
            )
    key = f"set_{section}_key"
    st.text_input(
        "API key" if not where else "Replace the key",
        type="password",
        key=key,
        on_change=_store_key,
        args=(section, key),
        help="Saved in this workspace in a file only you can read; never shown again. "
        f"The environment ({resources.SECRET_NAMES[section]}) wins over it.",
    )


def _llm_section(ws: Workspace) -> None:
    st.subheader("Language model", anchor=False)
    connect_ui.draw("settings", ws)
    if st.button("Test connection", key="llm_test"):
        _test_connection()


def _test_connection() -> None:
    from pipelines.llm.diagnose import check_connection

    try:
        with st.spinner("Asking the model for one word…"):
            message = check_connection(resources.settings().llm)
    except FolioError as exc:
        st.error(str(exc))
        return
    st.success(message)


def _tts_section() -> None:
    st.subheader("Voices", anchor=False)
    engine = _field("tts", "engine", "Speech engine", st.selectbox, options=tts_ui.engines())
    tts_ui.voice_pickers("set_tts_", horizontal=False)
    if engine == "openai":
        _field("tts", "base_url", "Speech server URL", st.text_input)
        _key_field("tts")
    st.caption("The podcast studio records with these voices.")
    if st.button("Preview voice", key="tts_preview"):
        for field, label in tts_ui.SLOTS:
            voice = str(getattr(resources.settings().tts, field) or "")
            with st.spinner("Speaking…"):
                audio = tts_ui.preview(engine, voice)
            if audio:
                st.caption(f"{label}: {voice or 'engine default'}")
                st.audio(audio)


def _workspace_section(ws: Workspace) -> None:
    st.subheader("Workspace", anchor=False)
    st.caption("Your sources, chats, notes and episodes live in this folder.")
    key = state.bind(state.HOME_WIDGET, str(ws.home))
    st.text_input("Workspace folder", key=key)
    if st.button("Open this folder", key="set_home_go"):
        home = str(state.widget_value(key, "")).strip()
        try:
            state.set_workspace_home(home or None)
            resources.workspace()
        except (OSError, FolioError) as exc:
            state.set_workspace_home(None)
            st.error(f"Could not open that folder ({exc}); choose one you can write to.")
            return
        state.select_source(None)
        st.rerun()


def draw(ws: Workspace) -> None:
    _llm_section(ws)
    st.divider()
    _tts_section()
    st.divider()
    _workspace_section(ws)
    st.caption(
        "Choices here are saved in the workspace (settings.toml; keys apart, readable only "
        "by you) and used by the `folio` commands too. FOLIO_* environment variables win."
    )
