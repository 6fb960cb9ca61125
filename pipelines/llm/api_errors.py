"""Failures of an OpenAI-compatible server, as the `openai` SDK reports them, turned into
sentences that say what is wrong and where to fix it, with any secret masked out.

Never a raw "[Errno 111]": a refused connection is "nothing is listening at host:port",
an unknown host name is said as such, and every message names the setting to change.
"""

from __future__ import annotations

import errno
import json
import re
import socket
import ssl
from typing import Any
from urllib.parse import urlparse

from pipelines.errors import BackendError, UnreachableError

_BEARER = re.compile(r"(?i)(bearer\s+|api[_-]?key[\"']?\s*[=:]\s*[\"']?)[^\s\"',;]+")

# Where each setting can be changed, for the end of a message.
WHERE = {
    "base_url": "the server URL (Settings › Language model, `folio setup`, or FOLIO_LLM__BASE_URL)",
    "model": "the model (Settings › Language model, `folio setup`, or FOLIO_LLM__MODEL)",
    "api_key": "the API key (Settings › Language model, `folio setup`, or FOLIO_LLM__API_KEY)",
    "timeout_s": "FOLIO_LLM__TIMEOUT_S",
    "context_window": "FOLIO_LLM__CONTEXT_WINDOW",
}


def redact(text: str, secret: str | None) -> str:
    """`text` with the secret (and anything that looks like a bearer token) masked."""
    if secret:
        text = text.replace(secret, "***")
    return _BEARER.sub(r"\1***", text)


def host_port(url: str) -> str:
    parsed = urlparse(url)
    host = parsed.hostname or url
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return f"{host}:{port}"


def body_message(body: Any, text: str = "", limit: int = 300) -> str:
    """The error text a server put in its body (OpenAI: {"error": {"message": ...}})."""
    if isinstance(body, dict):
        err = body.get("error", body.get("detail", body.get("message", body)))
        if isinstance(err, dict):
            err = err.get("message", err)
        found = err if isinstance(err, str) else json.dumps(err)
        return found[:limit]
    if body is not None:
        return str(body)[:limit]
    return text.strip()[:limit]


def _root_causes(exc: BaseException) -> list[BaseException]:
    """The chain of causes under an SDK error, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def why_unreachable(exc: BaseException, url: str) -> str:
    """What kept the connection from being made, in words (never an errno)."""
    where = host_port(url)
    for cause in _root_causes(exc):
        if isinstance(cause, socket.gaierror):
            return f"the name '{urlparse(url).hostname}' could not be found (no such host)"
        if isinstance(cause, ssl.SSLError):
            return f"the secure connection to {where} failed (does the server speak https?)"
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return f"nothing is listening at {where}"
        text = str(cause).lower()
        if "refused" in text:
            return f"nothing is listening at {where}"
        if "name or service not known" in text or "nodename nor servname" in text:
            return f"the name '{urlparse(url).hostname}' could not be found (no such host)"
        if "timed out" in text or "timeout" in type(cause).__name__.lower():
            return f"{where} did not answer in time"
        if "may not reach the network" in text or "unreachable" in text:
            return f"{where} cannot be reached from this computer"
    return f"the connection to {where} failed"


def unreachable(exc: BaseException, url: str) -> UnreachableError:
    reason = why_unreachable(exc, url)
    if reason.startswith("nothing is listening"):
        hint = f"Is it running? Check {WHERE['base_url']}."
    else:
        hint = f"Check {WHERE['base_url']}."
    return UnreachableError(f"Could not reach the LLM server at {url}: {reason}. {hint}")


def timed_out(url: str, timeout_s: float) -> UnreachableError:
    return UnreachableError(
        f"The LLM server at {url} stopped answering (nothing within {timeout_s:g} s). "
        f"It may be overloaded or stuck; slow models need a larger {WHERE['timeout_s']}."
    )


def cut_off(url: str) -> UnreachableError:
    return UnreachableError(
        f"The LLM server at {url} closed the connection before finishing its answer. "
        "Did it crash or restart?"
    )


def status_error(
    code: int,
    detail: str,
    url: str,
    secret: str | None,
    *,
    model: str,
    has_key: bool,
    known_models: list[str] | None = None,
) -> BackendError:
    """An HTTP error status as a fixable message. `known_models` is filled in by the
    caller (from GET /models) for 404s, when it could be fetched."""
    detail = redact(detail, secret)
    if code in (401, 403):
        if has_key:
            msg = (
                f"The server at {url} refused the API key (HTTP {code}). Check {WHERE['api_key']}."
            )
        else:
            msg = f"The server at {url} needs an API key (HTTP {code}). Set {WHERE['api_key']}."
    elif code == 404 and (known_models is not None or "model" in detail.lower()):
        listing = ", ".join(known_models[:20]) if known_models else "none listed"
        msg = (
            f"The server at {url} does not know the model '{model}' (HTTP 404: {detail}). "
            f"Models it offers: {listing}. Choose one of them as {WHERE['model']}."
        )
    elif code == 404:
        msg = (
            f"The server at {url} has no chat-completions endpoint there (HTTP 404). "
            f"Does {WHERE['base_url']} end in /v1?"
        )
    elif code == 429:
        msg = f"The LLM server at {url} is rate-limiting requests (HTTP 429): {detail}"
    elif code in (400, 413, 422) and re.search(r"context|too long|maximum|tokens", detail, re.I):
        msg = (
            f"The request is too long for the model at {url} (HTTP {code}: {detail}). "
            f"Choose fewer chapters or set {WHERE['context_window']} to the model's real size."
        )
    else:
        msg = f"The LLM server at {url} answered HTTP {code}: {detail or 'no details'}"
    return BackendError(redact(msg, secret))


def not_an_api(url: str) -> BackendError:
    return BackendError(
        f"The server at {url} did not answer like an OpenAI-compatible API; "
        f"does {WHERE['base_url']} end in /v1?"
    )
