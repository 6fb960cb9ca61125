"""The generic registry behind LLM backends and TTS engines."""

from __future__ import annotations

import pytest

from pipelines.errors import ConfigError
from pipelines.plugins import Registry, normalise


def test_names_are_normalised_once() -> None:
    reg: Registry[str] = Registry("widget", "FOLIO_WIDGET")
    reg.register(" Llama_CPP ", "factory", offline=True)
    assert reg.names() == ["llama-cpp"] and normalise("LLAMA_cpp") == "llama-cpp"
    assert reg.get("llama-cpp") == reg.get("Llama_Cpp") == "factory"
    with pytest.raises(ConfigError, match="already registered"):
        reg.register("llama-cpp", "other", offline=True)
    reg.register("llama-cpp", "other", offline=True, replace=True)
    assert reg.get("llama-cpp") == "other"


def test_unknown_name_lists_the_choices_and_the_setting() -> None:
    reg: Registry[str] = Registry("widget", "FOLIO_WIDGET")
    reg.register("a", "x", offline=True)
    with pytest.raises(ConfigError, match=r"Unknown widget 'b'\. Known: a\. Set FOLIO_WIDGET"):
        reg.get("b")


def test_fallback_is_found_by_capability() -> None:
    reg: Registry[str] = Registry("widget", "FOLIO_WIDGET")
    assert reg.fallback() is None
    reg.register("online", "x", offline=False)
    reg.register("spare", "y", offline=True, fallback=True)
    fallback = reg.fallback()
    assert fallback is not None and fallback.name == "spare" and fallback.factory == "y"
    with pytest.raises(ConfigError, match="needs the network"):
        reg.register("cloud", "z", offline=False, fallback=True)
    with pytest.raises(ConfigError, match="needs a name"):
        reg.register("  ", "z", offline=True)
