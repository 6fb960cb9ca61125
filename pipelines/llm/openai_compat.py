"""Any OpenAI-compatible chat server (OpenAI, Ollama, llama.cpp, vLLM, LM Studio,
OpenRouter ...) through the `openai` SDK: its client, retries (429/5xx and dropped
connections, Retry-After honoured, exponential backoff), timeouts and typed errors.

What Folio adds: messages that say how to fix a failure (api_errors.py), the key kept in
a SecretStr and masked out of every message and log, the JSON-mode fallback
(json_schema -> json_object -> none, remembered per instance), and a stream that must
end with a finish_reason (a stream cut short is an error, not a short answer).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from pipelines.errors import BackendError
from pipelines.llm import api_errors
from pipelines.llm.api_errors import WHERE, redact
from pipelines.llm.base import LLM, Message
from pipelines.settings import LLMSettings

if TYPE_CHECKING:
    import openai

log = logging.getLogger(__name__)

# Ways to ask for JSON, most specific first; servers that reject one get the next.
# OpenAI/vLLM/LM Studio/Ollama take json_schema, llama-cpp-python json_object+schema.
_JSON_MODES = ("json_schema", "json_object", "none")
INSTALL_HINT = "pip install openai"


def _sdk() -> Any:
    try:
        import openai
    except ImportError as exc:  # a declared dependency; only a broken install lacks it
        raise BackendError(
            f"The OpenAI-compatible backend needs the openai SDK: {INSTALL_HINT}"
        ) from exc
    return openai


def _http_client(openai: Any) -> Any:
    """The SDK's HTTP client, except that a model that has not answered within the read
    timeout is not asked again: it would take as long again (the SDK retries every
    timeout; it still retries refused connections, 429 and 5xx). An OpenAIError raised
    by the transport is passed on by the SDK without a retry."""
    import httpx2

    class AnswerTimeoutNotRetried(httpx2.HTTPTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            try:
                return super().handle_request(request)
            except httpx2.ReadTimeout as exc:
                raise openai.APITimeoutError(request=request) from exc

    return openai.DefaultHttpxClient(transport=AnswerTimeoutNotRetried())


def _rejects_format(exc: Exception) -> bool:
    """A 400/422, or a 5xx that names response_format (llama-cpp-python answers its
    validation errors with 500): the server does not take this way of asking for JSON."""
    openai = _sdk()
    if not isinstance(exc, openai.APIStatusError):
        return False
    if exc.status_code in (400, 422):
        return True
    return exc.status_code >= 500 and "response_format" in _detail(exc)


def _retryable(exc: Exception) -> bool:
    """What the SDK itself would have asked again: a dropped connection, 408/409/429/5xx
    (not a timeout: a model that took that long would take as long again)."""
    openai = _sdk()
    if isinstance(exc, openai.APITimeoutError):
        return False
    if isinstance(exc, openai.APIConnectionError):
        return True
    status = getattr(exc, "status_code", 0)
    return status in (408, 409, 429) or status >= 500


def _detail(exc: Any) -> str:
    """The message a server put in an error response's body."""
    response = getattr(exc, "response", None)
    text = ""
    if response is not None:
        try:
            text = response.text
        except Exception:  # a streamed body that cannot be read any more
            text = ""
    return api_errors.body_message(getattr(exc, "body", None), text)


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
    ) -> None:
        # Cheap: no network (and no SDK client) until the first call.
        self.base_url = base_url.strip().rstrip("/")
        self.model = model.strip()
        self._api_key = SecretStr(api_key) if isinstance(api_key, str) else api_key
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.max_retries = max(0, max_retries)
        self.context_window = context_window
        self._client: openai.OpenAI | None = None
        self._resolved_model: str | None = None
        self._json_mode = 0
        self._format_confirmed = False  # the current JSON mode has worked once

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

    def _sdk_client(self) -> openai.OpenAI:
        if self._client is None:
            openai = _sdk()
            timeout = openai.Timeout(
                self.timeout_s, connect=self.connect_timeout_s, pool=self.connect_timeout_s
            )
            # A keyless local server gets no Authorization header at all (see _headers).
            self._client = openai.OpenAI(
                base_url=self.base_url,
                api_key=self._secret or "unused",
                timeout=timeout,
                max_retries=self.max_retries,
                http_client=_http_client(openai),
            )
        return self._client

    def _headers(self) -> dict[str, Any]:
        return {} if self._secret else {"Authorization": _sdk().omit}

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def describe(self) -> str:
        return f"openai-compatible {self.base_url} model={self.model or '(first listed)'}"

    def _failure(self, exc: Exception) -> BackendError:
        """Any SDK or transport error as a BackendError that says how to fix it."""
        openai = _sdk()
        if isinstance(exc, BackendError):
            return exc
        if isinstance(exc, openai.APITimeoutError):
            return api_errors.timed_out(self.base_url, self.timeout_s)
        if isinstance(exc, openai.APIConnectionError):
            if getattr(exc, "_folio_mid_stream", False):
                return api_errors.cut_off(self.base_url)
            return api_errors.unreachable(exc, self.base_url)
        if isinstance(exc, openai.APIStatusError):
            known = None
            if exc.status_code == 404:
                try:  # distinguish "wrong model" from "wrong URL"
                    known = self.list_models()
                except BackendError:
                    known = None
            return api_errors.status_error(
                exc.status_code,
                _detail(exc),
                self.base_url,
                self._secret,
                model=self.model or self._resolved_model or "",
                has_key=bool(self._secret),
                known_models=known,
            )
        if isinstance(exc, openai.APIResponseValidationError | ValueError):
            return api_errors.not_an_api(self.base_url)
        if isinstance(exc, openai.APIError):  # e.g. an error event inside a stream
            return BackendError(
                redact(
                    f"The LLM server at {self.base_url} failed mid-answer: {exc.message}",
                    self._secret,
                )
            )
        return BackendError(
            redact(f"Request to the LLM server at {self.base_url} failed: {exc}", self._secret)
        )

    def _model_name(self) -> str:
        if self.model:
            return self.model
        if self._resolved_model is None:
            models = self.list_models()
            if not models:
                raise BackendError(
                    f"The server at {self.base_url} lists no models. Set {WHERE['model']}."
                )
            self._resolved_model = models[0]
            log.info("No model configured; using the server's first: %s", models[0])
        return self._resolved_model

    def _payload(
        self, messages: Sequence[Message], max_tokens: int, temperature: float, stream: bool
    ) -> dict[str, Any]:
        """The keyword arguments of `chat.completions.create` (subclasses may add some)."""
        return {
            "model": self._model_name(),
            "messages": [m.to_dict() for m in messages],
            "max_tokens": max_tokens,
            "temperature": temperature,
            "stream": stream,
        }

    # ---- public API ---------------------------------------------------------------

    def list_models(self) -> list[str]:
        """Model ids from GET /models (an OpenAI-style page, or a bare list)."""
        openai = _sdk()
        try:
            data = self._sdk_client().get(
                "/models", cast_to=object, options={"headers": self._headers()}
            )
        except openai.NotFoundError:
            raise BackendError(
                f"The server at {self.base_url} has no /models endpoint (HTTP 404). "
                f"Does {WHERE['base_url']} end in /v1?"
            ) from None
        except openai.APIStatusError as exc:
            raise api_errors.status_error(
                exc.status_code,
                _detail(exc),
                self.base_url,
                self._secret,
                model=self.model,
                has_key=bool(self._secret),
            ) from None
        except openai.APIError as exc:
            raise self._failure(exc) from None
        items = data.get("data", []) if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise api_errors.not_an_api(self.base_url)
        return [str(m.get("id")) for m in items if isinstance(m, dict) and m.get("id")]

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        openai = _sdk()
        payload = self._payload(messages, max_tokens, temperature, stream=False)
        client = self._sdk_client()
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
            # A format not yet known to work is tried once without retries, so a server
            # that rejects it with a 5xx is not asked again and again.
            probing = mode != "none" and not self._format_confirmed
            sender = client.with_options(max_retries=0) if probing else client
            try:
                reply = sender.chat.completions.create(**payload, extra_headers=self._headers())
            except openai.APIError as exc:
                if probing and _rejects_format(exc):
                    log.info(
                        "Server %s rejected response_format %s; trying the next",
                        self.base_url,
                        mode,
                    )
                    self._json_mode += 1
                    self._format_confirmed = False
                    continue
                if probing and _retryable(exc):
                    # not about the format (a 503 while loading): ask again with retries
                    try:
                        reply = client.chat.completions.create(
                            **payload, extra_headers=self._headers()
                        )
                    except openai.APIError as again:
                        raise self._failure(again) from None
                else:
                    raise self._failure(exc) from None
            except (ValueError, TypeError) as exc:
                raise self._failure(ValueError(str(exc))) from None
            if mode != "none":
                self._format_confirmed = True
            break
        return self._content(reply, max_tokens)

    def _content(self, reply: Any, max_tokens: int) -> str:
        try:
            choice = reply.choices[0]
            content = choice.message.content or ""
        except (AttributeError, IndexError, TypeError):
            raise BackendError(
                f"The server at {self.base_url} sent a reply without choices: "
                f"{redact(str(reply)[:200], self._secret)}"
            ) from None
        if not isinstance(content, str):
            raise api_errors.not_an_api(self.base_url)
        if choice.finish_reason == "length":
            log.info("LLM reply hit max_tokens=%d", max_tokens)
        return content

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        openai = _sdk()
        payload = self._payload(messages, max_tokens, temperature, stream=True)
        try:
            chunks = self._sdk_client().chat.completions.create(
                **payload, extra_headers=self._headers()
            )
        except openai.APIError as exc:
            raise self._failure(exc) from None
        finished = False
        started = False
        try:
            for chunk in chunks:
                started = True
                problem = (chunk.model_extra or {}).get("error")
                if problem:  # an error event in the stream (out of memory, overload ...)
                    detail = (
                        problem.get("message", problem) if isinstance(problem, dict) else problem
                    )
                    raise BackendError(
                        redact(
                            f"The LLM server at {self.base_url} failed mid-answer: {detail}",
                            self._secret,
                        )
                    )
                for choice in chunk.choices or []:
                    text = choice.delta.content if choice.delta else None
                    if text:
                        yield text
                    if choice.finish_reason:
                        finished = True
        except openai.APIConnectionError as exc:
            if started and not isinstance(exc, openai.APITimeoutError):
                exc._folio_mid_stream = True  # type: ignore[attr-defined]
            raise self._failure(exc) from None
        except openai.APIError as exc:
            raise self._failure(exc) from None
        finally:
            chunks.close()
        if not finished:
            raise BackendError(
                f"The LLM server at {self.base_url} ended its answer early "
                "(the stream stopped without finishing). Did it crash or restart?"
            )
