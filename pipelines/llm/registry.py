"""Backends by name. Built-ins register exactly as a plugin would:

from pipelines.llm.registry import register_llm
register_llm("my-engine", lambda settings: MyEngine(settings))
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pipelines.errors import ConfigError
from pipelines.llm.base import LLM
from pipelines.settings import LLMSettings

log = logging.getLogger(__name__)

LLMFactory = Callable[[LLMSettings], LLM]

_FACTORIES: dict[str, LLMFactory] = {}


def register_llm(name: str, factory: LLMFactory, *, replace: bool = False) -> None:
    """Make `name` selectable as FOLIO_LLM__BACKEND. Factories must be cheap:
    no network and no model loading until first use."""
    key = name.strip().lower()
    if key in _FACTORIES and not replace:
        raise ConfigError(f"An LLM backend named '{key}' is already registered.")
    _FACTORIES[key] = factory


def known_llms() -> list[str]:
    return sorted(_FACTORIES)


def get_llm(settings: LLMSettings | None = None) -> LLM:
    """Build the backend named by `settings.backend` (default settings: extractive)."""
    settings = settings or LLMSettings.model_validate({})
    key = settings.backend.strip().lower()
    factory = _FACTORIES.get(key)
    if factory is None:
        raise ConfigError(
            f"Unknown LLM backend '{settings.backend}'. Known backends: "
            f"{', '.join(known_llms())}. Set FOLIO_LLM__BACKEND to one of them."
        )
    llm = factory(settings)
    log.debug("LLM backend %s: %s", key, llm.describe())
    return llm


def _extractive(settings: LLMSettings) -> LLM:
    from pipelines.llm.extractive import ExtractiveLLM

    return ExtractiveLLM()


def _openai(settings: LLMSettings) -> LLM:
    from pipelines.llm.openai_compat import OpenAICompatLLM

    return OpenAICompatLLM.from_settings(settings)


def _llama_cpp(settings: LLMSettings) -> LLM:
    from pipelines.llm.llama_cpp_local import LlamaCppLLM

    return LlamaCppLLM.from_settings(settings)


register_llm("extractive", _extractive)
register_llm("openai", _openai)
register_llm("llama-cpp", _llama_cpp)
