"""One Settings per command or tab: environment > the workspace's saved choices >
defaults; keys kept apart, readable only by their owner."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.errors import ConfigError
from pipelines.session import Session
from pipelines.settings_file import resolve_settings, save_choices, save_key


@pytest.fixture(autouse=True)
def _no_folio_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in [n for n in os.environ if n.startswith("FOLIO_")]:
        monkeypatch.delenv(name)


def test_a_saved_choice_is_used_and_the_environment_still_wins(tmp_path: Path, monkeypatch) -> None:
    save_choices(tmp_path, "llm", {"backend": "openai", "model": "qwen2.5:7b"})
    settings = resolve_settings(tmp_path)
    assert (settings.llm.backend, settings.llm.model) == ("openai", "qwen2.5:7b")
    assert settings.home == tmp_path
    monkeypatch.setenv("FOLIO_LLM__MODEL", "llama3.2")
    settings = resolve_settings(tmp_path)
    assert (settings.llm.backend, settings.llm.model) == ("openai", "llama3.2")
    save_choices(tmp_path, "llm", {"model": ""})  # an empty value clears the choice
    monkeypatch.delenv("FOLIO_LLM__MODEL")
    assert resolve_settings(tmp_path).llm.model == ""


def test_keys_live_apart_and_private(tmp_path: Path) -> None:
    save_choices(tmp_path, "llm", {"backend": "openai"})
    save_key(tmp_path, "llm", "sk-secret-42")
    assert "sk-secret" not in (tmp_path / "settings.toml").read_text()
    keys = tmp_path / "keys.toml"
    assert keys.stat().st_mode & 0o077 == 0
    settings = resolve_settings(tmp_path)
    assert settings.llm.api_key is not None
    assert settings.llm.api_key.get_secret_value() == "sk-secret-42"
    save_key(tmp_path, "llm", None)
    assert resolve_settings(tmp_path).llm.api_key is None


def test_bad_input_is_refused_and_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Unknown llm setting"):
        save_choices(tmp_path, "llm", {"no_such_field": 1})
    with pytest.raises(ConfigError):
        save_choices(tmp_path, "home", {"x": 1})
    (tmp_path / "settings.toml").write_text("[llm\nbackend = ")
    assert resolve_settings(tmp_path).llm.backend == "extractive"


def test_a_session_carries_one_settings_and_builds_its_model_once(tmp_path: Path) -> None:
    save_choices(tmp_path, "llm", {"backend": "openai", "base_url": "http://127.0.0.1:9/v1"})
    session = Session.open(tmp_path)
    assert session.workspace.home == tmp_path
    assert session.llm is session.llm and session.llm.name == "openai"
    other = session.using(
        llm=None, settings=resolve_settings(tmp_path, {"llm": {"backend": "extractive"}})
    )
    assert other.llm.name == "extractive" and session.llm.name == "openai"
