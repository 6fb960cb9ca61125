"""Settings: the LLM backend (with a connection test), voices (with a preview), the
workspace folder. Edits apply to this session; keys are never shown or logged."""

from __future__ import annotations

import streamlit as st

from pipelines.errors import FolioError
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components import tts_ui

BACKENDS = {
    "extractive": "Offline (quotes the text; no model needed)",
    "openai": "OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio, OpenAI…)",
    "llama-cpp": "Local GGUF model file",
}


def _store(section: str, field: str, key: str) -> None:
    state.set_override(section, field, st.session_state[key])


def _store_key(section: str, key: str) -> None:
    typed = st.session_state.get(key, "")
    if typed:
        state.secret_keys()[section] = typed
    st.session_state[key] = ""  # the field never shows the key back


def _forget_key(section: str) -> None:
    state.secret_keys().pop(section, None)


def _field(section: str, field: str, label: str, widget, **kwargs) -> None:
    key = f"set_{section}_{field}"
    if key not in st.session_state:
        st.session_state[key] = getattr(getattr(resources.settings(), section), field)
    widget(label, key=key, on_change=_store, args=(section, field, key), **kwargs)


def _key_field(section: str) -> None:
    where = resources.key_source(section)
    if where:
        st.caption(f"A key is set ({where}).")
        if state.secret_keys().get(section):
            st.button(
                "Forget the typed key",
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
        help="Kept in this browser session only. To keep it, put it in the environment "
        f"or .streamlit/secrets.toml ({resources.SECRET_NAMES[section]}).",
    )


def _llm_section() -> None:
    st.subheader("Language model", anchor=False)
    _field("llm", "backend", "Backend", st.radio, options=list(BACKENDS), format_func=BACKENDS.get)
    backend = st.session_state["set_llm_backend"]
    if backend == "openai":
        _field("llm", "base_url", "Server URL (ends in /v1)", st.text_input)
        _field("llm", "model", "Model", st.text_input, placeholder="e.g. llama3.2")
        _key_field("llm")
    elif backend == "llama-cpp":
        _field("llm", "gguf_path", "GGUF model file", st.text_input)
    if st.button("Test connection", key="llm_test"):
        _test_connection()


def _test_connection() -> None:
    settings = resources.settings().llm
    try:
        if settings.backend == "openai":
            from pipelines.llm.openai_compat import OpenAICompatLLM

            with st.spinner("Asking the server for one word…"):
                message = OpenAICompatLLM.from_settings(settings).check_connection()
        else:
            llm = resources.llm()
            message = f"Ready: {llm.describe()}."
    except FolioError as exc:
        st.error(str(exc))
        return
    st.success(message)


def _tts_section() -> None:
    st.subheader("Voices", anchor=False)
    _field("tts", "engine", "Speech engine", st.selectbox, options=tts_ui.engines())
    engine = st.session_state["set_tts_engine"]
    names = tts_ui.voices(engine)
    for field, label in (("voice_a", "First host's voice"), ("voice_b", "Second host's voice")):
        if names:
            key = f"set_tts_{field}"
            if st.session_state.get(key) not in names:
                st.session_state[key] = names[0]
            _field("tts", field, label, st.selectbox, options=names)
        else:
            _field("tts", field, label, st.text_input, placeholder="engine default")
    if engine == "openai":
        _field("tts", "base_url", "Speech server URL", st.text_input)
        _key_field("tts")
    if st.button("Preview voice", key="tts_preview"):
        voice = st.session_state.get("set_tts_voice_a") or ""
        with st.spinner("Speaking…"):
            audio = tts_ui.preview(engine, voice)
        if audio:
            st.audio(audio)


def _workspace_section(ws: Workspace) -> None:
    st.subheader("Workspace", anchor=False)
    st.caption("Your sources, chats, notes and episodes live in this folder.")
    if "set_home" not in st.session_state:
        st.session_state["set_home"] = str(ws.home)
    st.text_input("Workspace folder", key="set_home")
    if st.button("Open this folder", key="set_home_go"):
        home = st.session_state["set_home"].strip()
        try:
            state.set_workspace_home(home or None)
            resources.workspace()
        except (OSError, FolioError) as exc:
            state.set_workspace_home(None)
            st.error(f"Could not open that folder ({exc}); choose one you can write to.")
            return
        state.select_source(None)
        st.rerun()


def render(ws: Workspace) -> None:
    _llm_section()
    st.divider()
    _tts_section()
    st.divider()
    _workspace_section(ws)
    st.caption(
        "Changes here last for this session. Set FOLIO_* environment variables to keep them."
    )
