"""Tolerant JSON extraction and complete_json's single retry (with ScriptedLLM)."""

from __future__ import annotations

import pytest

from pipelines.errors import BackendError
from pipelines.llm.base import Message
from pipelines.llm.parsing import (
    JSONParseError,
    StructuredOutputError,
    complete_json,
    extract_json,
    strip_think,
    to_json_schema,
    validate,
)
from pipelines.testing.scripted_llm import ScriptedLLM

ASK = [Message("user", "Give JSON.")]
SCHEMA = {"title": str, "points": list}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('Sure! ```json\n{"a": [1, 2]}\n``` Hope that helps.', {"a": [1, 2]}),
        ("```\n[1, 2]\n```", [1, 2]),
        ('<think>maybe {"a": 0}?</think>\n{"a": 1}', {"a": 1}),
        ('I think... </think>{"a": 1}', {"a": 1}),
        ('Here you go: {"a": {"b": "}"}} and more text {"c": 2}', {"a": {"b": "}"}}),
        ('{"a": [1, 2,], "b": 3,}', {"a": [1, 2], "b": 3}),
        ("{'a': 'it\\'s', 'b': True, 'c': None}", {"a": "it's", "b": True, "c": None}),
        ("The answer's here: {'title': 'Cats'}", {"title": "Cats"}),
    ],
)
def test_extract_json(raw: str, expected: object) -> None:
    assert extract_json(raw) == expected


@pytest.mark.parametrize("raw", ["", "no json here", "{broken", '<think>{"a": 1}</think>'])
def test_extract_json_failures(raw: str) -> None:
    with pytest.raises(JSONParseError):
        extract_json(raw)


def test_strip_think_unclosed() -> None:
    assert strip_think("Answer.<think>and then I ran out of tokens") == "Answer."


def test_validate() -> None:
    assert validate({"title": "t", "points": []}, SCHEMA) == {"title": "t", "points": []}
    assert validate([{"x": 1}], {"turns": list}) == {"turns": [{"x": 1}]}
    assert validate({"n": 3}, {"n": float}) == {"n": 3}
    with pytest.raises(JSONParseError, match="missing required key.*points"):
        validate({"title": "t"}, SCHEMA)
    with pytest.raises(JSONParseError, match="points should be array"):
        validate({"title": "t", "points": "x"}, SCHEMA)
    with pytest.raises(JSONParseError, match="should be integer"):
        validate({"n": True}, {"n": int})
    with pytest.raises(JSONParseError, match="expected a JSON object"):
        validate("x", SCHEMA)


def test_json_schema_conversion() -> None:
    assert to_json_schema({"t": str, "n": (int, float)}) == {
        "type": "object",
        "properties": {"t": {"type": "string"}, "n": {"type": ["integer", "number"]}},
        "required": ["t", "n"],
    }


def test_complete_json_first_try() -> None:
    llm = ScriptedLLM(['```json\n{"title": "T", "points": ["a"]}\n```'])
    assert complete_json(llm, ASK, SCHEMA) == {"title": "T", "points": ["a"]}
    assert len(llm.calls) == 1
    assert llm.calls[0].json_schema == to_json_schema(SCHEMA)


def test_complete_json_retries_once_with_the_error() -> None:
    llm = ScriptedLLM(['{"title": "T"}', '{"title": "T", "points": []}'])
    assert complete_json(llm, ASK, SCHEMA) == {"title": "T", "points": []}
    retry = llm.calls[1].messages
    assert [m.role for m in retry] == ["user", "assistant", "user"]
    assert retry[1].content == '{"title": "T"}'
    assert "missing required key(s): points" in retry[2].content


def test_complete_json_gives_up_after_one_retry() -> None:
    llm = ScriptedLLM(["not json", "still {not json"], default='{"title": "x", "points": []}')
    with pytest.raises(StructuredOutputError) as info:
        complete_json(llm, ASK, SCHEMA)
    assert len(llm.calls) == 2
    assert info.value.attempts == 2 and info.value.raw == "still {not json"
    assert isinstance(info.value, BackendError)


def test_complete_json_backend_errors_pass_through() -> None:
    llm = ScriptedLLM([BackendError("server down")])
    with pytest.raises(BackendError, match="server down"):
        complete_json(llm, ASK, SCHEMA)
