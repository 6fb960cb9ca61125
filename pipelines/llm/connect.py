"""Connecting a model in one step: check the choice works, then save it in the
workspace (settings.toml; the key apart in keys.toml), so every later command and app
tab uses it. A choice that fails its check is not saved: the workspace stays as it was.

FOLIO_LLM__* environment variables still win over a saved choice; `env_overrides`
says which ones are set, so the CLI and the app can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from pipelines.errors import ConfigError
from pipelines.llm.diagnose import check_connection
from pipelines.llm.label import written_by_settings
from pipelines.settings import LLMSettings
from pipelines.settings_file import env_fields, resolve_settings, save_choices, save_key


@dataclass(frozen=True)
class Connected:
    check: str  # what the test said ("Connected to … answered in 420 ms")
    writer: str  # "SmolLM2 via llama.cpp (127.0.0.1:8080)"
    overridden: dict[str, str]  # field -> the environment variable that wins over it


def env_overrides() -> dict[str, str]:
    """The LLM fields set by FOLIO_LLM__* variables (they win over any saved choice)."""
    chosen = env_fields("llm") - {"scan_ports"}  # where to look is not a choice of model
    return {name: f"FOLIO_LLM__{name.upper()}" for name in sorted(chosen)}


def _candidate(home: Path, values: dict[str, Any], api_key: str | None) -> LLMSettings:
    current = resolve_settings(home).llm
    update = dict(values)
    if api_key is not None:
        update["api_key"] = SecretStr(api_key) if api_key else None
    return current.model_copy(update=update)


def _save(home: Path, values: dict[str, Any], api_key: str | None, check: str) -> Connected:
    save_choices(home, "llm", values)
    if api_key is not None:
        save_key(home, "llm", api_key or None)
    effective = resolve_settings(home).llm
    return Connected(check, written_by_settings(effective), env_overrides())


def connect_server(
    home: Path, base_url: str, model: str, *, api_key: str | None = None
) -> Connected:
    """Use an OpenAI-compatible server (on this computer or an API). `api_key`: None keeps
    the saved key, "" forgets it."""
    base_url = base_url.strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"'{base_url}' is not a web address; it starts with http:// or https://.")
    values = {"backend": "openai", "base_url": base_url, "model": model.strip()}
    check = check_connection(_candidate(home, values, api_key))
    return _save(home, values, api_key, check)


def connect_file(home: Path, path: Path) -> Connected:
    """Use a GGUF model file, run in this process by llama-cpp-python."""
    path = path.expanduser().resolve()
    if not path.is_file():
        raise ConfigError(f"There is no file at {path}.")
    if path.suffix.lower() != ".gguf":
        raise ConfigError(f"{path.name} is not a GGUF model file (a .gguf file).")
    values = {"backend": "llama-cpp", "gguf_path": str(path)}
    check = check_connection(_candidate(home, values, None))
    return _save(home, values, None, check)


def use_offline(home: Path) -> Connected:
    """No model: answers, summaries and scripts are built from the text's own sentences."""
    values = {"backend": "extractive"}
    check = check_connection(_candidate(home, values, None))
    return _save(home, values, None, check)
