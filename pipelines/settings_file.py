"""Choices saved in the workspace, and how one Settings is resolved from them.

A workspace keeps the choices made in `folio setup` or the app's Settings screen in
`settings.toml` beside the library, and API keys apart in `keys.toml`, readable only by
its owner (mode 0600). Resolution, highest first: explicit overrides (a CLI flag),
FOLIO_* environment variables, the workspace's saved choices, the defaults.
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic_settings import EnvSettingsSource

from pipelines.errors import ConfigError
from pipelines.settings import Settings

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"
KEYS_FILE = "keys.toml"
# the sections a person may save; `home` and `vector_url` come from the environment only
SAVED_SECTIONS = ("llm", "tts", "podcast", "index")
KEYED_SECTIONS = ("llm", "tts")


def default_home() -> Path:
    return Path(os.environ.get("FOLIO_HOME") or Path.home() / ".folio").expanduser()


def resolve_settings(
    home: Path | str | None = None, overrides: dict[str, Any] | None = None
) -> Settings:
    """The one Settings for a command or an app tab working in `home`."""
    env = EnvSettingsSource(Settings)()
    where = Path(home or env.get("home") or default_home()).expanduser()
    layers: dict[str, Any] = {}
    _deep_update(layers, load_saved(where))
    _deep_update(layers, load_keys(where))
    _deep_update(layers, env)
    _deep_update(layers, overrides or {})
    layers["home"] = where
    return Settings(**layers)


def env_fields(section: str) -> set[str]:
    """The fields of `section` set by FOLIO_* variables (they win over any saved choice)."""
    value = EnvSettingsSource(Settings)().get(section)
    return set(value) if isinstance(value, dict) else set()


def load_saved(home: Path) -> dict[str, Any]:
    """The saved choices of the workspace at `home` ({} when none are saved)."""
    data = _read_toml(home / SETTINGS_FILE)
    return {k: v for k, v in data.items() if k in SAVED_SECTIONS and isinstance(v, dict)}


def load_keys(home: Path) -> dict[str, Any]:
    data = _read_toml(home / KEYS_FILE)
    return {
        section: {"api_key": SecretStr(str(value["api_key"]))}
        for section, value in data.items()
        if section in KEYED_SECTIONS and isinstance(value, dict) and value.get("api_key")
    }


def save_choices(home: Path, section: str, values: dict[str, Any]) -> None:
    """Merge `values` into the saved `section` (an empty string or None clears a field)."""
    if section not in SAVED_SECTIONS:
        raise ConfigError(f"'{section}' is not a section that can be saved.")
    known = type(getattr(Settings(home=home), section)).model_fields
    unknown = sorted(set(values) - set(known) - {"api_key"})
    if unknown:
        raise ConfigError(f"Unknown {section} setting(s): {', '.join(unknown)}.")
    data = _read_toml(home / SETTINGS_FILE)
    current = dict(data.get(section) or {})
    for field, value in values.items():
        if field == "api_key":
            continue  # keys live in keys.toml only
        if value is None or value == "":
            current.pop(field, None)
        else:
            current[field] = value
    data[section] = current
    _write_toml(home / SETTINGS_FILE, data, private=False)


def save_key(home: Path, section: str, key: str | None) -> None:
    """Keep (or with None, forget) the API key of `section`, readable by its owner only."""
    if section not in KEYED_SECTIONS:
        raise ConfigError(f"'{section}' takes no API key.")
    data = _read_toml(home / KEYS_FILE)
    if key:
        data[section] = {"api_key": key}
    else:
        data.pop(section, None)
    _write_toml(home / KEYS_FILE, data, private=True)


def has_saved_key(home: Path, section: str) -> bool:
    return section in load_keys(home)


def _deep_update(into: dict[str, Any], layer: dict[str, Any]) -> None:
    for key, value in layer.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_update(into[key], value)
        elif isinstance(value, dict):
            into[key] = dict(value)
        else:
            into[key] = value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        log.warning("Ignoring %s: %s", path, exc)
        return {}


def _write_toml(path: Path, data: dict[str, Any], *, private: bool) -> None:
    """Write atomically; a private file is created 0600 before any byte is in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(_dump_toml(data))
    os.replace(tmp, path)


def _dump_toml(data: dict[str, Any]) -> str:
    """TOML for our shape: tables of scalars (str, bool, int, float)."""
    lines: list[str] = []
    for section, values in data.items():
        if not isinstance(values, dict) or not values:
            continue
        lines.append(f"[{section}]")
        for key, value in values.items():
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'
