"""Long-lived objects shared by every session, created once per server process."""

from __future__ import annotations

import os

import streamlit as st

from pipelines.settings import Settings
from pipelines.store import Workspace

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@st.cache_resource(show_spinner=False)
def workspace() -> Workspace:
    settings = Settings()
    return Workspace(settings.home, settings=settings)
