"""Turning HTTP failures of an OpenAI-compatible server into messages that say how to
fix them, with any secret removed from every string that leaves this layer."""

from __future__ import annotations

import email.utils
import json
import re
import time

import httpx

from pipelines.errors import BackendError

RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 60.0
_BEARER = re.compile(r"(?i)(bearer\s+|api[_-]?key[\"']?\s*[=:]\s*[\"']?)[^\s\"',;]+")


def redact(text: str, secret: str | None) -> str:
    """`text` with the secret (and anything that looks like a bearer token) masked."""
    if secret:
        text = text.replace(secret, "***")
    return _BEARER.sub(r"\1***", text)


def server_message(response: httpx.Response, limit: int = 300) -> str:
    """The error text a server put in its body (OpenAI: {"error": {"message": ...}})."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        text = response.text.strip()
        return text[:limit]
    if isinstance(body, dict):
        err = body.get("error", body.get("detail", body.get("message", body)))
        if isinstance(err, dict):
            err = err.get("message", err)
        text = err if isinstance(err, str) else json.dumps(err)[:limit]
        return text[:limit]
    return str(body)[:limit]


def retry_after_s(response: httpx.Response) -> float | None:
    """Seconds the server asked us to wait (Retry-After: seconds or an HTTP date)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_RETRY_AFTER_S)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(when.timestamp() - time.time(), 0.0), MAX_RETRY_AFTER_S)


def transport_error(exc: httpx.HTTPError, url: str, secret: str | None) -> BackendError:
    """A network-level failure (no HTTP status) as a fixable message."""
    reason = redact(str(exc) or type(exc).__name__, secret)
    if isinstance(exc, httpx.ConnectTimeout):
        msg = (
            f"Could not reach the LLM server at {url}: the connection timed out. "
            "Is it running and reachable? Set FOLIO_LLM__BASE_URL to its address."
        )
    elif isinstance(exc, httpx.ConnectError):
        msg = (
            f"Could not reach the LLM server at {url}: {reason}. Is it running? "
            "Set FOLIO_LLM__BASE_URL to its address (e.g. http://127.0.0.1:11434/v1 for Ollama)."
        )
    elif isinstance(exc, httpx.ReadTimeout):
        msg = (
            f"The LLM server at {url} stopped answering (no data within the read timeout). "
            "It may be overloaded or stuck; raise FOLIO_LLM__TIMEOUT_S for slow models."
        )
    elif isinstance(exc, httpx.TimeoutException):
        msg = (
            f"The LLM server at {url} timed out ({type(exc).__name__}). Raise FOLIO_LLM__TIMEOUT_S."
        )
    elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        msg = (
            f"The LLM server at {url} closed the connection before finishing its answer "
            f"({reason}). Did it crash or restart?"
        )
    else:
        msg = f"Request to the LLM server at {url} failed: {reason}"
    return BackendError(redact(msg, secret))


def status_error(
    response: httpx.Response,
    url: str,
    secret: str | None,
    *,
    model: str,
    has_key: bool,
    known_models: list[str] | None = None,
) -> BackendError:
    """An HTTP error status as a fixable message. `known_models` is filled in by the
    caller (from GET /models) for 404s, when it could be fetched."""
    code = response.status_code
    detail = redact(server_message(response), secret)
    if code in (401, 403):
        if has_key:
            msg = (
                f"The server at {url} rejected the API key (HTTP {code}). Check FOLIO_LLM__API_KEY."
            )
        else:
            msg = f"The server at {url} needs an API key (HTTP {code}). Set FOLIO_LLM__API_KEY."
    elif code == 404 and (known_models is not None or "model" in detail.lower()):
        listing = ", ".join(known_models[:20]) if known_models else "none listed"
        msg = (
            f"The server at {url} does not know the model '{model}' (HTTP 404: {detail}). "
            f"Models it offers: {listing}. Set FOLIO_LLM__MODEL to one of them."
        )
    elif code == 404:
        msg = (
            f"The server at {url} has no chat-completions endpoint there (HTTP 404). "
            "Does FOLIO_LLM__BASE_URL end in /v1?"
        )
    elif code == 429:
        msg = f"The LLM server at {url} is rate-limiting requests (HTTP 429): {detail}"
    elif code in (400, 413, 422) and re.search(r"context|too long|maximum|tokens", detail, re.I):
        msg = (
            f"The request is too long for the model at {url} (HTTP {code}: {detail}). "
            "Choose fewer chapters or set FOLIO_LLM__CONTEXT_WINDOW to the model's real size."
        )
    else:
        msg = f"The LLM server at {url} answered HTTP {code}: {detail or response.reason_phrase}"
    return BackendError(redact(msg, secret))
