"""Long-lived objects shared by every session, created once per server process, and the
per-session effective Settings (base settings + edits made on the Settings screen)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from typing import Any

import streamlit as st
from pydantic import SecretStr

from pipelines.settings import Settings
from pipelines.workspace.store import Workspace
from workspace_app import state

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

# secrets.toml may hold these (flat, like the environment) or [llm]/[tts] api_key
SECRET_NAMES = {"llm": "FOLIO_LLM__API_KEY", "tts": "FOLIO_TTS__API_KEY"}


@st.cache_resource(show_spinner=False)
def base_settings() -> Settings:
    return Settings()


@st.cache_resource(show_spinner=False)
def _workspace_at(home: str) -> Workspace:
    return Workspace(home, settings=base_settings())


def workspace() -> Workspace:
    """The workspace this session works in (FOLIO_HOME unless Settings chose another)."""
    return _workspace_at(state.workspace_home() or str(base_settings().home))


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
    if state.secret_keys().get(section):
        return "typed in this session"
    if getattr(base_settings(), section).api_key is not None:
        return f"environment ({SECRET_NAMES[section]})"
    if _secret_from_file(section):
        return ".streamlit/secrets.toml"
    return None


def settings() -> Settings:
    """Base settings with this session's edits and keys applied."""
    base = base_settings()
    updates: dict[str, Any] = {}
    overrides = state.settings_overrides()
    for section in ("llm", "tts", "podcast", "index"):
        fields = dict(overrides.get(section, {}))
        if section in SECRET_NAMES:
            typed = state.secret_keys().get(section) or None
            current = getattr(base, section).api_key
            key = typed or (None if current is not None else _secret_from_file(section))
            if key:
                fields["api_key"] = SecretStr(key)
        if fields:
            updates[section] = getattr(base, section).model_copy(update=fields)
    return base.model_copy(update=updates) if updates else base


def settings_fingerprint(section: str) -> str:
    """A cache key for a section that never contains the key itself."""
    data = getattr(settings(), section).model_dump(mode="json", exclude={"api_key"})
    key = getattr(settings(), section).api_key
    data["key"] = hashlib.sha256(key.get_secret_value().encode()).hexdigest()[:12] if key else ""
    return json.dumps(data, sort_keys=True)


@st.cache_resource(show_spinner=False, max_entries=4)
def _llm_for(fingerprint: str, _settings: Any):
    from pipelines.llm.registry import get_llm

    return get_llm(_settings)


def llm():
    """The LLM backend for this session's settings (a local GGUF model loads once)."""
    return _llm_for(settings_fingerprint("llm"), settings().llm)


@st.cache_resource(show_spinner=False, max_entries=64)
def _source(home: str, source_id: str):
    return _workspace_at(home).get_source(source_id)


def source(ws: Workspace, source_id: str):
    """A source with its chapters; ids are content hashes, so caching is always safe."""
    return _source(str(ws.home), source_id)
