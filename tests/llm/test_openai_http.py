"""The openai backend's failure handling (the openai SDK underneath) against real local
HTTP servers: a canned server (http.server in a thread) for statuses a model server
won't produce on demand, and a closed port for "nothing is listening"."""

from __future__ import annotations

import logging
import time

import pytest

from pipelines.errors import BackendError
from pipelines.llm.base import Message
from pipelines.llm.diagnose import check_server
from pipelines.llm.openai_compat import OpenAICompatLLM
from tests.llm.fake_openai import Canned, completion, fake_openai
from tests.llm.llama_server import free_port

CHAT = "POST /v1/chat/completions"
MODELS = "GET /v1/models"
HI = [Message("user", "hi")]
KEY = "sk-test-SECRET-0123456789"


def test_wrong_url_fails_fast_and_names_it() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    llm = OpenAICompatLLM(url, "m", connect_timeout_s=2)
    started = time.monotonic()
    with pytest.raises(BackendError) as info:
        llm.complete(HI)
    assert time.monotonic() - started < 5  # the SDK retries a dropped connection twice
    msg = str(info.value)
    assert msg.startswith(f"Could not reach the LLM server at {url}: nothing is listening at")
    assert "Is it running?" in msg and "FOLIO_LLM__BASE_URL" in msg
    assert "Errno" not in msg and "111" not in msg
    with pytest.raises(BackendError, match="Could not reach"):
        check_server(llm)


def test_retries_503_with_backoff_honouring_retry_after() -> None:
    routes = {
        CHAT: [
            Canned(503, {"error": {"message": "loading model"}}, {"Retry-After": "1"}),
            Canned(503, {"error": {"message": "still loading"}}),
            Canned(200, completion("Paris.")),
        ]
    }
    with fake_openai(routes) as server:
        llm = OpenAICompatLLM(server.url, "m", max_retries=2)
        started = time.monotonic()
        assert llm.complete(HI) == "Paris."
        elapsed = time.monotonic() - started
    assert len(server.requests) == 3
    assert 1.0 <= elapsed < 5  # Retry-After 1 s, then the SDK's own backoff


def test_gives_up_after_max_retries() -> None:
    with fake_openai({CHAT: Canned(429, {"error": {"message": "slow down"}})}) as server:
        llm = OpenAICompatLLM(server.url, "m", max_retries=1)
        with pytest.raises(BackendError, match="rate-limiting.*slow down"):
            llm.complete(HI)
    assert len(server.requests) == 2


def test_bad_key_message_never_contains_the_key(caplog: pytest.LogCaptureFixture) -> None:
    body = {"error": {"message": f"Incorrect API key provided: {KEY}. Bearer {KEY}"}}
    caplog.set_level(logging.DEBUG)
    with fake_openai({CHAT: Canned(401, body), MODELS: Canned(401, body)}) as server:
        llm = OpenAICompatLLM(server.url, "m", api_key=KEY)
        for call in (
            lambda: llm.complete(HI),
            lambda: list(llm.stream(HI)),
            lambda: check_server(llm),
        ):
            with pytest.raises(BackendError) as info:
                call()
            assert "refused the API key (HTTP 401)" in str(info.value)
            assert KEY not in str(info.value) and KEY not in repr(info.value)
        assert server.requests[0]["headers"]["authorization"] == f"Bearer {KEY}"
    assert KEY not in repr(llm) and KEY not in caplog.text


def test_missing_key_says_to_set_one() -> None:
    with fake_openai({CHAT: Canned(401, {"error": "unauthorized"})}) as server:
        with pytest.raises(BackendError, match="needs an API key.*FOLIO_LLM__API_KEY"):
            OpenAICompatLLM(server.url, "m").complete(HI)
        assert "authorization" not in server.requests[0]["headers"]


def test_unknown_model_lists_the_models() -> None:
    routes = {
        CHAT: Canned(404, {"error": {"message": "model 'gpt-9' not found"}}),
        MODELS: Canned(200, {"data": [{"id": "llama3.2"}, {"id": "qwen2.5"}]}),
    }
    with fake_openai(routes) as server, pytest.raises(BackendError) as info:
        OpenAICompatLLM(server.url, "gpt-9").complete(HI)
    msg = str(info.value)
    assert "does not know the model 'gpt-9'" in msg and "llama3.2, qwen2.5" in msg
    assert "FOLIO_LLM__MODEL" in msg


def test_wrong_path_suggests_v1() -> None:
    with fake_openai({}) as server, pytest.raises(BackendError, match="end in /v1"):
        OpenAICompatLLM(server.url.removesuffix("/v1"), "m").complete(HI)  # every path 404s


def test_empty_model_uses_first_listed() -> None:
    routes = {
        CHAT: Canned(200, completion("ok")),
        MODELS: Canned(200, {"data": [{"id": "first"}, {"id": "second"}]}),
    }
    with fake_openai(routes) as server:
        llm = OpenAICompatLLM(server.url, "")
        assert llm.complete(HI) == "ok"
        assert llm.complete(HI) == "ok"
    chats = [r for r in server.requests if r["method"] == "POST"]
    assert [r["json"]["model"] for r in chats] == ["first", "first"]
    assert sum(r["method"] == "GET" for r in server.requests) == 1  # resolved once


def test_sse_parsing_tolerates_comments_and_events() -> None:
    def chunk(text: str, finish: str | None = None) -> str:
        import json

        return "data: " + json.dumps(
            {"choices": [{"delta": {"content": text}, "finish_reason": finish}]}
        )

    sse = [
        ": keep-alive",
        "",
        "event: message",
        chunk("Hel"),
        "",
        chunk("lo"),
        "",
        'data: {"choices": [{"delta": {"role": "assistant"}}]}',
        "",
        chunk("!", "stop"),
        "",
        "data: [DONE]",
        "",
    ]
    with fake_openai({CHAT: Canned(200, sse=sse)}) as server:
        llm = OpenAICompatLLM(server.url, "m")
        assert list(llm.stream(HI)) == ["Hel", "lo", "!"]
        assert server.requests[0]["json"]["stream"] is True


def test_stream_error_event_and_early_end() -> None:
    sse = [
        'data: {"choices": [{"delta": {"content": "Hi"}}]}',
        "",
        'data: {"error": {"message": "out of memory"}}',
        "",
    ]
    error = pytest.raises(BackendError, match="failed mid-answer: out of memory")
    with fake_openai({CHAT: Canned(200, sse=sse)}) as server, error:
        list(OpenAICompatLLM(server.url, "m").stream(HI))
    cut = Canned(200, sse=sse[:1])
    early = pytest.raises(BackendError, match="ended its answer early")
    with fake_openai({CHAT: cut}) as server, early:
        list(OpenAICompatLLM(server.url, "m").stream(HI))


def test_json_mode_falls_back_when_rejected() -> None:
    routes = {
        CHAT: [
            Canned(422, {"detail": "response_format.type must be json_object"}),
            Canned(200, completion('{"a": 1}')),
        ]
    }
    with fake_openai(routes) as server:
        llm = OpenAICompatLLM(server.url, "m")
        assert llm.complete(HI, json_schema={"type": "object"}) == '{"a": 1}'
        llm.complete(HI, json_schema={"type": "object"})  # remembers what worked
    formats = [r["json"].get("response_format", {}).get("type") for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]


def test_non_json_server_is_explained() -> None:
    html = Canned(200, "<html>hello</html>")
    with (
        fake_openai({CHAT: html}) as server,
        pytest.raises(BackendError, match="not answer like an OpenAI-compatible API"),
    ):
        OpenAICompatLLM(server.url, "m").complete(HI)


def test_redact() -> None:
    from pipelines.llm.api_errors import redact

    assert redact(f"bad key {KEY}!", KEY) == "bad key ***!"
    assert redact("Authorization: Bearer abc.def", None) == "Authorization: Bearer ***"
    assert redact('{"api_key": "zzz"}', None) == '{"api_key": "***"}'
    assert (
        redact("Set FOLIO_LLM__API_KEY to your key.", None) == "Set FOLIO_LLM__API_KEY to your key."
    )
