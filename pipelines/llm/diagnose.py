""" "Test connection": try the chosen model the way answers will use it, and say in words
what is wrong and how to fix it: nothing listening at the URL, a URL without its /v1,
no model chosen (with the models the server offers), a key refused, a missing file.

Probes never retry (a wrong URL should fail in a second, not after backoff) and never
put a key in a message.
"""

from __future__ import annotations

import time
from urllib.parse import urlparse, urlunparse

from pipelines.errors import BackendError, ConfigError
from pipelines.llm.api_errors import WHERE
from pipelines.llm.base import Message
from pipelines.llm.label import OFFLINE
from pipelines.llm.openai_compat import OpenAICompatLLM
from pipelines.settings import LLMSettings

PING = [Message("user", "Reply with the word OK.")]


def check_connection(settings: LLMSettings) -> str:
    """One sentence saying the model answered; BackendError/ConfigError saying what to fix."""
    backend = settings.backend.strip().lower().replace("_", "-")
    if backend == "openai":
        return check_server(probe_client(settings))
    if backend == "llama-cpp":
        return _check_file(settings)
    if backend == "extractive":
        return f"Nothing to connect: answers, summaries and scripts are {OFFLINE}."
    from pipelines.llm.registry import get_llm

    llm = get_llm(settings)
    llm.complete(PING, max_tokens=4, temperature=0)
    return f"Ready: {llm.describe()}."


def probe_client(settings: LLMSettings, *, timeout_s: float | None = None) -> OpenAICompatLLM:
    """A client for checks: the chosen server, no retries, short timeouts."""
    return OpenAICompatLLM(
        settings.base_url,
        settings.model,
        api_key=settings.api_key,
        timeout_s=timeout_s or min(settings.timeout_s, 60.0),
        connect_timeout_s=min(settings.connect_timeout_s, 3.0),
        max_retries=0,
        context_window=settings.context_window,
    )


def check_server(llm: OpenAICompatLLM) -> str:
    """Reach the server, check the model is chosen and known, get one tiny completion."""
    started = time.perf_counter()
    url = llm.base_url
    try:
        models: list[str] | None = llm.list_models()
    except BackendError as exc:
        if "no /models endpoint" not in str(exc):
            raise
        better = _api_below(llm)
        if better:
            raise BackendError(
                f"Nothing answers at {url}/models, but {better} is an OpenAI-compatible API: "
                f"use {better} as {WHERE['base_url']}."
            ) from None
        if not llm.model:
            raise BackendError(
                f"The server at {url} has no /models endpoint (HTTP 404), so it is not an "
                f"OpenAI-compatible API at that address. Does {WHERE['base_url']} end in /v1?"
            ) from None
        models = None  # some servers lack /models; the completion decides
    if not llm.model:
        if not models:
            raise BackendError(f"The server at {url} lists no models. Set {WHERE['model']}.")
        raise BackendError(
            f"No model chosen. The server at {url} offers: {', '.join(models[:20])}. "
            f"Pick one as {WHERE['model']}."
        )
    llm.complete(PING, max_tokens=4, temperature=0)
    ms = (time.perf_counter() - started) * 1000
    listed = f"{len(models)} model(s) listed" if models is not None else "no model list"
    return f"Connected to {url}: model '{llm.model}' answered in {ms:.0f} ms ({listed})."


def _api_below(llm: OpenAICompatLLM) -> str | None:
    """The same server with /v1 added, when that is where its API lives."""
    parsed = urlparse(llm.base_url)
    if parsed.path.rstrip("/").endswith("/v1"):
        return None
    candidate = urlunparse(parsed._replace(path=parsed.path.rstrip("/") + "/v1"))
    probe = OpenAICompatLLM(
        candidate,
        api_key=llm._api_key,
        timeout_s=5,
        connect_timeout_s=3,
        max_retries=0,
    )
    try:
        probe.list_models()
    except BackendError:
        return None
    finally:
        probe.close()
    return candidate


def _check_file(settings: LLMSettings) -> str:
    from pipelines.llm.llama_cpp_local import LlamaCppLLM

    if not settings.gguf_path:
        raise ConfigError(
            "No model file chosen: pick a .gguf file (Settings › Language model, "
            "`folio setup`, or FOLIO_LLM__GGUF_PATH)."
        )
    started = time.perf_counter()
    llm = LlamaCppLLM.from_settings(settings)
    try:
        llm.complete(PING, max_tokens=4, temperature=0)
    finally:
        llm.close()
    seconds = time.perf_counter() - started
    return f"Loaded {llm.gguf_path.name} and it answered in {seconds:.1f} s."
