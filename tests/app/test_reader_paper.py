"""The reader on a real paper (TraceMonkey): a section with subsections reads whole, with the document's
numbers; captions and footnotes sit beside their page, and no marker line is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines.ingest import parse_file
from pipelines.workspace.store import Workspace
from tests.app.conftest import APP
from tests.sources import TRACEMONKEY
from workspace_app import state


@pytest.fixture(scope="module")
def paper_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    home = tmp_path_factory.mktemp("reader-paper")
    source, data = parse_file(TRACEMONKEY)
    Workspace(home).add_source(source, data)  # stored as ingested; the reader needs no index
    trees = next(c.index for c in source.chapters if c.title == "4. Nested Trace Tree Formation")
    return home, source.id, trees


def test_a_section_reads_whole_with_its_captions_and_notes(paper_home, monkeypatch) -> None:
    home, source_id, trees = paper_home
    monkeypatch.setenv("FOLIO_HOME", str(home))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    st.cache_resource.clear()
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    app.session_state[state.NAV] = "Reader"
    app.session_state[state.READING] = {source_id: trees}
    app.run()
    assert not app.exception, app.exception
    assert "4\\. Nested Trace Tree Formation" in [h.value for h in app.main.subheader]
    markdown = [m.value for m in app.main.markdown]
    assert any(m.startswith("####") and m.endswith("4\\.1 Nesting Algorithm") for m in markdown)
    assert any(m.endswith("4\\.2 Blacklisting with Nesting") for m in markdown)
    captions = [c.value for c in app.main.caption]
    assert not any("Figure and table captions" in c for c in captions + markdown)
    assert any(c.startswith("Figure 7. Control flow graph of a nested loop") for c in captions)
    assert any(c.startswith("Figure 8. Control flow graph") for c in captions)  # of 4.1
    assert any(c.startswith("Note: 2 Instead of aborting the outer recording") for c in captions)
    options = app.main.selectbox(key=state.reader_chapter_key(source_id)).options
    assert "3.1 Traces" in options and not any("·" in o for o in options)
    st.cache_resource.clear()
