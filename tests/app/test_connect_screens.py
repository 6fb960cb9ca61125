"""Connecting a model from the app: the welcome card finds the real llama.cpp server on a
loopback port, lists its model and saves the choice; Settings says what is wrong in
words, never shows a key and saves nothing that failed; the environment's say is shown."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from tests.llm.llama_server import free_port, smollm2_gguf
from workspace_app import state

pytestmark = [pytest.mark.slow, pytest.mark.server]


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    for kind in (at.warning, at.error, at.success, at.info):
        parts += [w.value for w in kind]
    return "\n".join(parts)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def fresh_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppTest, Path]]:
    """The app on an empty workspace, with no FOLIO_LLM__* variable set."""
    import os

    for name in [n for n in os.environ if n.startswith("FOLIO_LLM__")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("FOLIO_HOME", str(tmp_path))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    st.cache_resource.clear()
    yield AppTest.from_file(APP, default_timeout=120), tmp_path
    st.cache_resource.clear()


def test_welcome_card_finds_the_local_server_lists_its_model_and_saves_it(
    fresh_app: tuple[AppTest, Path], llama_server_url: str
) -> None:
    at, home = fresh_app
    _ok(at.run())
    words = _texts(at)
    assert "the text's own sentences" in words and "Connect one here" in words
    assert "written by: **offline: the text's own sentences**" in words
    assert len(at.get("file_uploader")) == 1, "one upload box on the first screen"

    port = llama_server_url.split(":")[2].split("/")[0]
    _ok(at.main.text_input(key=state.connect_key("welcome", "ports")).input(port).run())
    _ok(at.main.button(key=state.connect_key("welcome", "scan")).click().run())
    pick = at.main.selectbox(key=state.connect_key("welcome", "pick"))
    model = Path(smollm2_gguf() or "").name
    mine = [o for o in pick.options if f"a server on port {port}" in o]
    assert len(mine) == 1 and model in mine[0], pick.options  # its one model, listed
    _ok(pick.set_value(f"{llama_server_url}\n{smollm2_gguf()}").run())
    _ok(at.main.button(key=state.connect_key("welcome", "use")).click().run())
    assert any(f"now written by: {model} via 127.0.0.1:{port}" in s.value for s in at.success), (
        _texts(at)
    )
    choice = tomllib.loads((home / "settings.toml").read_text())["llm"]
    assert choice["backend"] == "openai" and choice["base_url"] == llama_server_url
    _ok(at.run())  # the tab's session now writes with the model
    assert f"written by: **{model} via 127.0.0.1:{port}**" in _texts(at)


def test_settings_failures_are_words_keys_stay_hidden_and_nothing_is_saved(
    fresh_app: tuple[AppTest, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.workspace import library
    from pipelines.workspace.store import Workspace
    from tests.sessions import session_of

    at, home = fresh_app
    story = home.parent / "story.txt"
    story.write_text("Elin kept the lighthouse. She mended the lamp with window glass.")
    library.add_file(session_of(Workspace(home)), story)
    at.session_state[state.NAV] = "Settings"
    at.session_state[state.SAMPLES_CHECKED] = True
    _ok(at.run())
    _ok(at.main.radio(key=state.connect_key("settings", "way")).set_value("api").run())
    _ok(at.main.selectbox(key=state.connect_key("settings", "provider")).set_value("other").run())
    url = f"http://127.0.0.1:{free_port()}/v1"
    _ok(at.main.text_input(key=state.connect_key("settings", "url")).input(url).run())
    _ok(
        at.main.text_input(key=state.connect_key("settings", "key"))
        .input("sk-very-secret-123")
        .run()
    )
    _ok(at.main.text_input(key=state.connect_key("settings", "model")).input("tiny").run())
    _ok(at.main.button(key=state.connect_key("settings", "use_api")).click().run())
    errors = [e.value for e in at.main.error]
    assert any(f"nothing is listening at 127.0.0.1:{url.split(':')[2][:-3]}" in e for e in errors)
    assert "Errno" not in _texts(at) and "Traceback" not in _texts(at)
    assert "sk-very-secret-123" not in _texts(at)
    assert at.main.text_input(key=state.connect_key("settings", "key")).value == ""
    saved = (home / "settings.toml").read_text() if (home / "settings.toml").exists() else ""
    assert "[llm]" not in saved and not (home / "keys.toml").exists(), saved  # nothing kept

    _ok(at.main.button(key="llm_test").click().run())  # the current choice: no model
    assert any("Nothing to connect" in s.value for s in at.main.success)

    monkeypatch.setenv("FOLIO_LLM__MODEL", "from-the-environment")
    _ok(at.run())
    assert "model (FOLIO_LLM__MODEL)" in _texts(at) and "wins" in _texts(at)
