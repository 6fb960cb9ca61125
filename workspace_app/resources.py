"""Long-lived objects shared by every tab, created once per server process, and each
tab's one Session (its resolved Settings, workspace and backends)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import streamlit as st
from pydantic import SecretStr

from pipelines.session import Session
from pipelines.settings import Settings
from pipelines.settings_file import default_home, env_fields, has_saved_key, resolve_settings
from pipelines.workspace.store import Workspace
from workspace_app import state

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# secrets.toml may hold these (flat, like the environment) or [llm]/[tts] api_key
SECRET_NAMES = {"llm": "FOLIO_LLM__API_KEY", "tts": "FOLIO_TTS__API_KEY"}


def home() -> Path:
    """The workspace folder of this tab: FOLIO_HOME unless Settings chose another."""
    chosen = state.workspace_home()
    return Path(chosen).expanduser() if chosen else default_home()


@st.cache_resource(show_spinner=False)
def _workspace_at(folder: str) -> Workspace:
    return Workspace(folder)


def workspace() -> Workspace:
    """The workspace this tab works in."""
    return _workspace_at(str(home()))


@st.cache_resource(show_spinner=False)
def heavy_work_lock() -> threading.Lock:
    """Ingest and rendering run one at a time: they share the CPU and the embedder."""
    return threading.Lock()


def _secret_from_file(section: str) -> str | None:
    try:
        flat = st.secrets.get(SECRET_NAMES[section])
        if flat:
            return str(flat)
        nested = st.secrets.get(section)
        if nested and nested.get("api_key"):
            return str(nested["api_key"])
    except Exception:  # no secrets.toml: that is fine, keys may come from the environment
        return None
    return None


def key_source(section: str) -> str | None:
    """Where the key for `section` comes from, in words (never the key itself)."""
    if "api_key" in env_fields(section):
        return f"environment ({SECRET_NAMES[section]})"
    if has_saved_key(home(), section):
        return "saved in this workspace (readable only by you)"
    if _secret_from_file(section):
        return ".streamlit/secrets.toml"
    return None


def _resolved() -> Settings:
    """Environment > this workspace's saved choices > defaults; a key from
    .streamlit/secrets.toml fills in where neither the environment nor the workspace has one."""
    settings = resolve_settings(home())
    updates: dict[str, Any] = {}
    for section in SECRET_NAMES:
        if getattr(settings, section).api_key is None and (key := _secret_from_file(section)):
            updates[section] = getattr(settings, section).model_copy(
                update={"api_key": SecretStr(key)}
            )
    return settings.model_copy(update=updates) if updates else settings


def _fingerprint(settings: Settings) -> str:
    """A cache key for the settings that never contains a key itself."""
    data = settings.model_dump(mode="json", exclude={"llm": {"api_key"}, "tts": {"api_key"}})
    for section in SECRET_NAMES:
        key = getattr(settings, section).api_key
        digest = hashlib.sha256(key.get_secret_value().encode()).hexdigest()[:12] if key else ""
        data[f"{section}_key"] = digest
    return json.dumps(data, sort_keys=True, default=str)


@st.cache_resource(show_spinner=False, max_entries=4)
def _llm_for(fingerprint: str, _settings: Any):
    from pipelines.llm.registry import get_llm

    return get_llm(_settings)


def session() -> Session:
    """This tab's one Session: every view and action of the tab uses this object. It is
    rebuilt only when the resolved settings change (a choice saved in Settings, another
    workspace folder); the language model behind it is shared by tabs with equal settings."""
    settings = _resolved()
    fingerprint = _fingerprint(settings)
    current = state.tab_session()
    if current is not None and current[0] == fingerprint:
        return current[1]
    llm_key = json.loads(fingerprint)
    llm = _llm_for(json.dumps([llm_key["llm"], llm_key["llm_key"]]), settings.llm)
    made = Session(settings, workspace(), _llm=llm)
    state.set_tab_session(fingerprint, made)
    return made


def settings() -> Settings:
    """This tab's effective Settings (the session's)."""
    return session().settings


def llm():
    """This tab's language model backend (a local GGUF model loads once per process)."""
    return session().llm


@st.cache_resource(show_spinner=False, max_entries=64)
def _source(home: str, source_id: str):
    return _workspace_at(home).get_source(source_id)


def source(ws: Workspace, source_id: str):
    """A source with its chapters; ids are content hashes, so caching is always safe."""
    return _source(str(ws.home), source_id)


def save_choice(section: str, field: str, value: Any) -> None:
    """Keep a Settings-screen choice in this workspace (the CLI sees it too)."""
    from pipelines.settings_file import save_choices

    save_choices(home(), section, {field: value})


def save_key(section: str, key: str | None) -> None:
    """Keep (or forget) an API key in this workspace, readable only by its owner."""
    from pipelines.settings_file import save_key as keep

    keep(home(), section, key)
