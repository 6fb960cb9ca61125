"""The openai backend against a real OpenAI-compatible server: llama-cpp-python
serving SmolLM2-135M on loopback."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Sequence
from typing import Any

import pytest

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message
from pipelines.llm.diagnose import check_server
from pipelines.llm.openai_compat import OpenAICompatLLM
from pipelines.llm.parsing import StructuredOutputError, complete_json
from tests.llm.llm_contract import LLMContract

pytestmark = [pytest.mark.server, pytest.mark.slow]

QUESTION = [Message("user", "What is the capital of France? Answer in one sentence.")]
STORY = [Message("user", "Write a very long story about a lighthouse keeper and the sea.")]
SMOLLM2_EOS = {"0": -100, "2": -100}  # <|endoftext|>, <|im_end|>: keep it talking


class CountingLLM(OpenAICompatLLM):
    """Counts complete() calls (a real subclass, not a mock)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calls = 0

    def complete(self, messages: Sequence[Message], **kwargs: Any) -> str:
        self.calls += 1
        return super().complete(messages, **kwargs)


class EndlessLLM(OpenAICompatLLM):
    """Bans the end-of-text tokens so the model is surely mid-answer when killed."""

    def _payload(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {**super()._payload(*args, **kwargs), "logit_bias": SMOLLM2_EOS}


class TestOpenAIContract(LLMContract):
    @pytest.fixture
    def llm(self, llama_server_url: str) -> LLM:
        return OpenAICompatLLM(llama_server_url, "")


def test_completion_and_stream_agree(llama_server_url: str) -> None:
    llm = OpenAICompatLLM(llama_server_url, "")
    text = llm.complete(QUESTION, max_tokens=40, temperature=0)
    assert "Paris" in text
    chunks = list(llm.stream(QUESTION, max_tokens=40, temperature=0))
    assert len(chunks) >= 3
    assert "".join(chunks) == text  # greedy decoding: same text either way


def test_models_and_connection_check(llama_server_url: str) -> None:
    llm = OpenAICompatLLM(llama_server_url, "")
    models = llm.list_models()
    assert len(models) == 1 and models[0].endswith(".gguf")
    with pytest.raises(BackendError) as info:  # the Model field is empty: say so, list them
        check_server(llm)
    assert str(info.value).startswith("No model chosen.") and f"offers: {models[0]}." in str(
        info.value
    )
    msg = check_server(OpenAICompatLLM(llama_server_url, models[0]))
    assert msg.startswith(f"Connected to {llama_server_url}") and models[0] in msg


def test_model_name_is_ignored_by_llama_cpp_server(llama_server_url: str) -> None:
    # llama-cpp-python serves its one model whatever name is asked for, so a wrong
    # model name cannot be detected here (servers that check get the 404 path,
    # covered in test_openai_http.py). What matters: the request still succeeds.
    llm = OpenAICompatLLM(llama_server_url, "no-such-model")
    assert llm.complete(QUESTION, max_tokens=8, temperature=0).strip()


def test_complete_json_parses_or_fails_after_one_retry(llama_server_url: str) -> None:
    llm = CountingLLM(llama_server_url, "")
    messages = [
        Message("system", 'Reply with JSON only, like {"title": "...", "points": ["..."]}.'),
        Message("user", "Summarise: cats sleep most of the day and hunt at night."),
    ]
    try:
        data = complete_json(llm, messages, {"title": str, "points": list}, max_tokens=120)
    except StructuredOutputError as exc:
        assert llm.calls == 2 and exc.attempts == 2
    else:
        assert isinstance(data["title"], str) and isinstance(data["points"], list)
        assert llm.calls in (1, 2)
    # llama-cpp-python rejects json_schema (HTTP 500), so the backend moved to json_object
    assert llm._json_mode == 1


def test_server_killed_mid_stream_is_a_backend_error(private_llama_server: tuple[str, Any]) -> None:
    url, proc = private_llama_server
    llm = EndlessLLM(url, "", timeout_s=10)
    chunks = []
    started = None
    with pytest.raises(
        BackendError, match="closed the connection|ended its answer early|Could not reach"
    ):
        for chunk in llm.stream(STORY, max_tokens=1500, temperature=0.7):
            chunks.append(chunk)
            if len(chunks) == 5:
                proc.send_signal(signal.SIGKILL)
                started = time.monotonic()
    assert started is not None and time.monotonic() - started < 5
    assert len(chunks) >= 5


def test_server_hung_mid_stream_hits_the_read_timeout(
    private_llama_server: tuple[str, Any],
) -> None:
    url, proc = private_llama_server
    llm = EndlessLLM(url, "", timeout_s=2)
    started = None
    with pytest.raises(BackendError, match="stopped answering"):
        for i, _ in enumerate(llm.stream(STORY, max_tokens=1500, temperature=0.7)):
            if i == 3:
                os.kill(proc.pid, signal.SIGSTOP)  # alive but silent: only a timeout helps
                started = time.monotonic()
    assert started is not None and time.monotonic() - started < 2 + 5


def test_server_killed_during_complete(private_llama_server: tuple[str, Any]) -> None:
    import threading

    url, proc = private_llama_server
    llm = EndlessLLM(url, "", timeout_s=10)
    llm.list_models()  # resolve the model before the timer starts
    killer = threading.Timer(0.5, proc.send_signal, args=(signal.SIGKILL,))
    killer.start()
    started = time.monotonic()
    with pytest.raises(BackendError):
        llm.complete(STORY, max_tokens=1500, temperature=0.7)
    assert time.monotonic() - started < 0.5 + 5
    killer.join()
