"""Structured steps against a pydantic model: the model's JSON Schema goes to the server
(`response_format` where it takes one), the reply is parsed tolerantly (fences, prose
around the JSON, small damage) and validated; one retry carries the validation error."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from pipelines.llm.base import LLM, Message
from pipelines.llm.parsing import JSONParseError, StructuredOutputError, extract_json

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


def complete_model(
    llm: LLM,
    messages: Sequence[Message],
    model: type[M],
    *,
    max_tokens: int = 2048,
    temperature: float = 0.2,
    retries: int = 1,
) -> M:
    """The reply as an instance of `model`; raises StructuredOutputError (a BackendError)
    when the model cannot produce it, so callers can fall back."""
    schema = model.model_json_schema()
    conversation = list(messages)
    raw, error = "", ""
    for attempt in range(retries + 1):
        raw = llm.complete(
            conversation, max_tokens=max_tokens, temperature=temperature, json_schema=schema
        )
        try:
            return model.model_validate(extract_json(raw))
        except (JSONParseError, ValidationError) as exc:
            error = _short(exc)
            log.info("Structured reply %d for %s failed: %s", attempt + 1, model.__name__, error)
        conversation = [
            *conversation,
            Message("assistant", raw[:6000]),
            Message(
                "user",
                f"That reply could not be used: {error}. Reply again with only the JSON "
                "object, in the shape asked for, and nothing else.",
            ),
        ]
    raise StructuredOutputError(
        f"The language model did not return usable {model.__name__} JSON ({error}).",
        raw=raw,
        attempts=retries + 1,
    )


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:4]]
        return "; ".join(problems)
    return str(exc)
