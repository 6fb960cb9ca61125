"""Folio's Streamlit entry point: a thin face over `pipelines`."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `streamlit run` from anywhere

from workspace_app import resources  # noqa: E402
from workspace_app.views import library as library_view  # noqa: E402

st.set_page_config(page_title="Folio", page_icon="📖", layout="wide")

ws = resources.workspace()
library_view.render(ws)
