"""Tolerant structured output: get JSON out of what a (small) model actually writes.

Reasoning blocks are dropped, JSON is found in fences or as the first balanced
object/array, simple damage (trailing commas, single quotes, Python literals) is
repaired, required keys are checked, and `complete_json` asks again once with the
error before giving up with StructuredOutputError, so callers can fall back.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message

log = logging.getLogger(__name__)

Schema = Mapping[str, type | tuple[type, ...]]

_THINK = re.compile(r"<(think|thinking|reasoning)>.*?</\1>", re.S | re.I)
_OPEN_THINK = re.compile(r"<(think|thinking|reasoning)>.*", re.S | re.I)
_CLOSE_THINK = re.compile(r"^.*?</(?:think|thinking|reasoning)>", re.S | re.I)
_FENCE = re.compile(r"```[ \t]*(?:json[c5]?|javascript|js)?[ \t]*\n?(.*?)```", re.S | re.I)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


class JSONParseError(ValueError):
    """No usable JSON in a reply; the message says what was wrong (fed back to the model)."""


class StructuredOutputError(BackendError):
    """The model did not produce valid structured output, even after one retry."""

    def __init__(self, message: str, *, raw: str = "", attempts: int = 0) -> None:
        super().__init__(message)
        self.raw = raw
        self.attempts = attempts


def strip_think(text: str) -> str:
    """Drop <think>...</think> blocks, an unclosed trailing <think>, and anything
    before a lone </think> (templates that open the block in the prompt)."""
    text = _THINK.sub("", text)
    text = (
        _CLOSE_THINK.sub("", text)
        if re.search(r"</(?:think|thinking|reasoning)>", text, re.I)
        else text
    )
    return _OPEN_THINK.sub("", text).strip()


def _balanced(text: str, start: int) -> str | None:
    """The balanced {...} or [...] starting at `start`, aware of quoted strings."""
    stack: list[str] = []
    quote: str | None = None
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            # a single quote inside a word is an apostrophe, not a string delimiter
            if ch == '"' or not (i > 0 and text[i - 1].isalnum()):
                quote = ch
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack or stack.pop() != ch:
                return None
            if not stack:
                return text[start : i + 1]
        i += 1
    return None


def _requote(text: str) -> str:
    """Single-quoted strings -> JSON strings; Python True/False/None -> JSON."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':  # copy a double-quoted string verbatim
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif ch == "'":
            j = i + 1
            buf = []
            while j < len(text) and text[j] != "'":
                if text[j] == "\\" and j + 1 < len(text):
                    buf.append(text[j + 1])
                    j += 2
                    continue
                buf.append(text[j])
                j += 1
            out.append(json.dumps("".join(buf)))
            i = j + 1
        else:
            m = re.match(r"(True|False|None)\b", text[i:])
            if m and (i == 0 or not text[i - 1].isalnum()):
                out.append({"True": "true", "False": "false", "None": "null"}[m.group(1)])
                i += len(m.group(1))
            else:
                out.append(ch)
                i += 1
    return "".join(out)


def _loads(candidate: str) -> Any:
    try:
        return json.loads(candidate)
    except ValueError:
        pass
    repaired = _TRAILING_COMMA.sub(r"\1", candidate)
    try:
        return json.loads(repaired)
    except ValueError:
        pass
    return json.loads(_TRAILING_COMMA.sub(r"\1", _requote(candidate)))


def extract_json(text: str) -> Any:
    """The first JSON value found in a model reply; raises JSONParseError."""
    cleaned = strip_think(text)
    candidates: list[str] = [m.group(1).strip() for m in _FENCE.finditer(cleaned)]
    candidates.append(cleaned.strip())
    for start, ch in enumerate(cleaned):
        if ch in "{[":
            found = _balanced(cleaned, start)
            if found:
                candidates.append(found)
                if len(candidates) > 12:
                    break
    last_error = "no JSON object or array found"
    for candidate in candidates:
        if not candidate or candidate[0] not in "{[":
            continue
        try:
            return _loads(candidate)
        except ValueError as exc:
            last_error = f"invalid JSON ({exc})"
    if not cleaned:
        last_error = "the reply was empty"
    raise JSONParseError(last_error)


_TYPE_NAMES = {
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "array",
    dict: "object",
}


def _type_ok(value: Any, expected: type | tuple[type, ...]) -> bool:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in kinds:
        return False  # True is an int in Python, never in a schema
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return True
    return isinstance(value, kinds)


def validate(data: Any, schema: Schema) -> dict[str, Any]:
    """Check that `data` is an object with every key of `schema` of the right type.

    A bare array is accepted for a schema with a single array key ({"turns": list}),
    since small models often drop the wrapper.
    """
    list_keys = [k for k, t in schema.items() if t is list]
    if isinstance(data, list) and len(schema) == 1 and list_keys:
        data = {list_keys[0]: data}
    if not isinstance(data, dict):
        raise JSONParseError(f"expected a JSON object, got {type(data).__name__}")
    missing = [k for k in schema if k not in data]
    if missing:
        raise JSONParseError(f"missing required key(s): {', '.join(missing)}")
    wrong = [
        f"{k} should be {_type_label(t)}" for k, t in schema.items() if not _type_ok(data[k], t)
    ]
    if wrong:
        raise JSONParseError("; ".join(wrong))
    return data


def _type_label(t: type | tuple[type, ...]) -> str:
    kinds = t if isinstance(t, tuple) else (t,)
    return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def to_json_schema(schema: Schema) -> dict[str, Any]:
    """The small key->type schema as a JSON Schema (for servers that constrain output)."""
    props: dict[str, Any] = {}
    for key, t in schema.items():
        kinds = t if isinstance(t, tuple) else (t,)
        names = [_TYPE_NAMES.get(k, "string") for k in kinds]
        props[key] = {"type": names[0] if len(names) == 1 else names}
    return {"type": "object", "properties": props, "required": list(schema)}


def parse_structured(text: str, schema: Schema) -> dict[str, Any]:
    return validate(extract_json(text), schema)


def complete_json(
    llm: LLM,
    messages: Sequence[Message],
    schema: Schema,
    *,
    max_tokens: int = 1024,
    temperature: float = 0.2,
    retries: int = 1,
) -> dict[str, Any]:
    """Ask for JSON matching `schema`; on a parse/validation failure ask again (once by
    default) with the error appended; then raise StructuredOutputError."""
    conversation = list(messages)
    json_schema = to_json_schema(schema)
    raw = ""
    error = ""
    for attempt in range(retries + 1):
        raw = llm.complete(
            conversation, max_tokens=max_tokens, temperature=temperature, json_schema=json_schema
        )
        try:
            return parse_structured(raw, schema)
        except JSONParseError as exc:
            error = str(exc)
            log.info("Structured output attempt %d failed: %s", attempt + 1, error)
        keys = ", ".join(f'"{k}" ({_type_label(t)})' for k, t in schema.items())
        conversation = [
            *conversation,
            Message("assistant", raw[:4000]),
            Message(
                "user",
                f"That reply could not be used: {error}. Reply again with only one JSON "
                f"object with the keys {keys}, and nothing else.",
            ),
        ]
    raise StructuredOutputError(
        f"The language model did not return usable JSON after {retries + 1} attempts ({error}).",
        raw=raw,
        attempts=retries + 1,
    )
