"""Any OpenAI-compatible chat server (OpenAI, Ollama, llama.cpp, vLLM, LM Studio,
OpenRouter ...) over plain httpx: POST {base_url}/chat/completions, SSE streaming.

Failures become BackendErrors that say how to fix them; the API key lives in a
SecretStr, is sent only as a header, and is masked out of every message and log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import time
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
from pydantic import SecretStr

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message
from pipelines.llm.http_errors import (
    RETRY_STATUSES,
    redact,
    retry_after_s,
    status_error,
    transport_error,
)
from pipelines.settings import LLMSettings

log = logging.getLogger(__name__)

# Ways to ask for JSON, most specific first; servers that reject one (400/422) get the
# next. OpenAI/vLLM/LM Studio/Ollama take json_schema, llama-cpp-python json_object+schema.
_JSON_MODES = ("json_schema", "json_object", "none")


def _rejects_format(response: httpx.Response) -> bool:
    """A 400/422, or a 5xx that names response_format (llama-cpp-python answers its
    validation errors with 500): the server does not take this way of asking for JSON."""
    if response.status_code in (400, 422):
        return True
    if response.status_code < 500:
        return False
    try:
        response.read()
    except httpx.HTTPError:
        return False
    return "response_format" in response.text


class OpenAICompatLLM(LLM):
    name = "openai"
    generates = True
    streams = True

    def __init__(
        self,
        base_url: str,
        model: str = "",
        *,
        api_key: SecretStr | str | None = None,
        timeout_s: float = 60.0,
        connect_timeout_s: float = 5.0,
        max_retries: int = 2,
        context_window: int = 8192,
        backoff_s: float = 0.5,
    ) -> None:
        # Cheap: no network until the first call.
        self.base_url = base_url.strip().rstrip("/")
        self.model = model.strip()
        self._api_key = SecretStr(api_key) if isinstance(api_key, str) else api_key
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.max_retries = max(0, max_retries)
        self.context_window = context_window
        self.backoff_s = backoff_s
        self._client: httpx.Client | None = None
        self._resolved_model: str | None = None
        self._json_mode = 0

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> OpenAICompatLLM:
        return cls(
            settings.base_url,
            settings.model,
            api_key=settings.api_key,
            timeout_s=settings.timeout_s,
            connect_timeout_s=settings.connect_timeout_s,
            max_retries=settings.max_retries,
            context_window=settings.context_window,
        )

    # ---- plumbing -----------------------------------------------------------------

    @property
    def _secret(self) -> str | None:
        value = self._api_key.get_secret_value() if self._api_key else ""
        return value or None

    def _http(self) -> httpx.Client:
        if self._client is None:
            timeout = httpx.Timeout(
                self.timeout_s, connect=self.connect_timeout_s, pool=self.connect_timeout_s
            )
            self._client = httpx.Client(timeout=timeout, follow_redirects=True)
        return self._client

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self._secret:
            headers["Authorization"] = f"Bearer {self._secret}"
        return headers

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def describe(self) -> str:
        return f"openai-compatible {self.base_url} model={self.model or '(first listed)'}"

    def _send(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        *,
        stream: bool = False,
        probing_format: bool = False,
    ) -> httpx.Response:
        """One request, retried with exponential backoff on 429/5xx (Retry-After wins).
        Connection failures are not retried: a wrong URL should fail fast. With
        `probing_format`, a rejection of response_format is returned at once."""
        url = f"{self.base_url}{path}"
        client = self._http()
        for attempt in range(self.max_retries + 1):
            request = client.build_request(method, url, json=payload, headers=self._headers())
            try:
                response = client.send(request, stream=stream)
            except httpx.HTTPError as exc:
                raise transport_error(exc, self.base_url, self._secret) from None
            if probing_format and _rejects_format(response):
                return response
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                wait = retry_after_s(response)
                if wait is None:
                    wait = self.backoff_s * 2**attempt * (1 + 0.1 * random.random())
                response.close()
                log.warning(
                    "LLM server %s answered HTTP %d; retry %d/%d in %.1fs",
                    url,
                    response.status_code,
                    attempt + 1,
                    self.max_retries,
                    wait,
                )
                time.sleep(wait)
                continue
            return response
        raise AssertionError("unreachable")  # the loop always returns or raises

    def _raise_for_status(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        with contextlib.suppress(httpx.HTTPError):
            response.read()
        known = None
        if response.status_code == 404:
            try:  # distinguish "wrong model" from "wrong URL"
                known = self.list_models()
            except BackendError:
                known = None
        raise status_error(
            response,
            self.base_url,
            self._secret,
            model=self.model or self._resolved_model or "",
            has_key=bool(self._secret),
            known_models=known,
        )

    def _model_name(self) -> str:
        if self.model:
            return self.model
        if self._resolved_model is None:
            models = self.list_models()
            if not models:
                raise BackendError(
                    f"The server at {self.base_url} lists no models. Set FOLIO_LLM__MODEL."
                )
            self._resolved_model = models[0]
            log.info("No model configured; using the server's first: %s", models[0])
        return self._resolved_model

    def _payload(
        self, messages: Sequence[Message], max_tokens: int, temperature: float, stream: bool
    ) -> dict[str, Any]:
        return {
            "model": self._model_name(),
            "messages": [m.to_dict() for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": stream,
        }

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except (ValueError, UnicodeDecodeError):
            raise BackendError(
                f"The server at {self.base_url} did not answer with JSON; is "
                "FOLIO_LLM__BASE_URL an OpenAI-compatible API (usually ending in /v1)?"
            ) from None

    # ---- public API ---------------------------------------------------------------

    def list_models(self) -> list[str]:
        """Model ids from GET /models."""
        response = self._send("GET", "/models")
        if response.status_code == 404:
            raise BackendError(
                f"The server at {self.base_url} has no /models endpoint (HTTP 404). "
                "Does FOLIO_LLM__BASE_URL end in /v1?"
            )
        self._raise_for_status(response)
        data = self._json(response)
        items = data.get("data", []) if isinstance(data, dict) else data
        return [str(m.get("id")) for m in items if isinstance(m, dict) and m.get("id")]

    def check_connection(self) -> str:
        """For a "test connection" button: reach the server, find the model, get one
        tiny completion. Returns a sentence; raises BackendError with the fix."""
        started = time.perf_counter()
        try:
            models: list[str] | None = self.list_models()
        except BackendError as exc:
            if self.model and "no /models endpoint" in str(exc):
                models = None  # some servers lack /models; the completion still decides
            else:
                raise
        model = self._model_name()
        self.complete([Message("user", "Reply with the word OK.")], max_tokens=4, temperature=0)
        ms = (time.perf_counter() - started) * 1000
        listed = f"{len(models)} model(s) listed" if models is not None else "no model list"
        return f"Connected to {self.base_url}: model '{model}' answered in {ms:.0f} ms ({listed})."

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        payload = self._payload(messages, max_tokens, temperature, stream=False)
        while True:
            mode = _JSON_MODES[self._json_mode] if json_schema else "none"
            if mode == "json_schema":
                payload["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {"name": "reply", "schema": json_schema},
                }
            elif mode == "json_object":
                payload["response_format"] = {"type": "json_object", "schema": json_schema}
            else:
                payload.pop("response_format", None)
            response = self._send(
                "POST", "/chat/completions", payload, probing_format=mode != "none"
            )
            if mode != "none" and _rejects_format(response):
                log.info(
                    "Server %s rejected response_format %s; trying the next", self.base_url, mode
                )
                self._json_mode += 1
                continue
            self._raise_for_status(response)
            break
        data = self._json(response)
        try:
            choice = data["choices"][0]
            content = choice["message"].get("content") or ""
        except (KeyError, IndexError, TypeError, AttributeError):
            raise BackendError(
                f"The server at {self.base_url} sent a reply without choices: "
                f"{redact(str(data)[:200], self._secret)}"
            ) from None
        if choice.get("finish_reason") == "length":
            log.info("LLM reply hit max_tokens=%d", max_tokens)
        return str(content)

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        payload = self._payload(messages, max_tokens, temperature, stream=True)
        response = self._send("POST", "/chat/completions", payload, stream=True)
        try:
            self._raise_for_status(response)
            yield from self._sse_chunks(response)
        except httpx.HTTPError as exc:
            raise transport_error(exc, self.base_url, self._secret) from None
        finally:
            response.close()

    def _sse_chunks(self, response: httpx.Response) -> Iterator[str]:
        """Content deltas from an SSE body; ends at [DONE] or a finish_reason."""
        finished = False
        for line in response.iter_lines():
            if not line.startswith("data:"):
                continue  # blank separators, ": keep-alive" comments, "event:" lines
            data = line[5:].strip()
            if data == "[DONE]":
                return
            try:
                event = json.loads(data)
            except ValueError:
                log.debug("Skipping a non-JSON SSE line from %s", self.base_url)
                continue
            if isinstance(event, dict) and event.get("error"):
                err = event["error"]
                detail = err.get("message", err) if isinstance(err, dict) else err
                raise BackendError(
                    redact(
                        f"The LLM server at {self.base_url} failed mid-answer: {detail}",
                        self._secret,
                    )
                )
            for choice in event.get("choices", []) if isinstance(event, dict) else []:
                delta = choice.get("delta") or {}
                text = delta.get("content")
                if text:
                    yield text
                if choice.get("finish_reason"):
                    finished = True
        if not finished:
            raise BackendError(
                f"The LLM server at {self.base_url} ended its answer early "
                "(the stream stopped without finishing). Did it crash or restart?"
            )
