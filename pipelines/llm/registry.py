"""LLM backends by name (FOLIO_LLM__BACKEND). Built-ins register exactly as a plugin would:

from pipelines.llm.registry import register_llm
register_llm("my-engine", lambda settings: MyEngine(settings), offline=False)
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pipelines.llm.base import LLM
from pipelines.plugins import Registry
from pipelines.settings import LLMSettings

log = logging.getLogger(__name__)

LLMFactory = Callable[[LLMSettings], LLM]

LLMS: Registry[LLMFactory] = Registry("LLM backend", "FOLIO_LLM__BACKEND")


def register_llm(
    name: str, factory: LLMFactory, *, offline: bool, fallback: bool = False, replace: bool = False
) -> None:
    """Make `name` selectable as FOLIO_LLM__BACKEND (see pipelines.plugins)."""
    LLMS.register(name, factory, offline=offline, fallback=fallback, replace=replace)


def known_llms() -> list[str]:
    return LLMS.names()


def get_llm(settings: LLMSettings) -> LLM:
    """Build the backend named by `settings.backend`."""
    llm = LLMS.get(settings.backend)(settings)
    log.debug("LLM backend %s: %s", settings.backend, llm.describe())
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


register_llm("extractive", _extractive, offline=True, fallback=True)
register_llm("openai", _openai, offline=False)
register_llm("llama-cpp", _llama_cpp, offline=True)
