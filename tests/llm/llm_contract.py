"""The contract every LLM backend honours; each backend's tests subclass this with
an `llm` fixture (haystack-style contract mixin)."""

from __future__ import annotations

import pytest

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message

PROMPT = [Message("user", "Say hello in one short sentence.")]


class LLMContract:
    @pytest.fixture
    def llm(self) -> LLM:
        raise NotImplementedError

    def test_flags(self, llm: LLM) -> None:
        assert isinstance(llm.name, str) and llm.name
        assert isinstance(llm.generates, bool) and isinstance(llm.streams, bool)
        assert llm.context_window > 0
        assert llm.name in repr(llm) or type(llm).__name__ in repr(llm)

    def test_complete_returns_text_or_refuses(self, llm: LLM) -> None:
        if not llm.generates:
            with pytest.raises(BackendError):
                llm.complete(PROMPT, max_tokens=16, temperature=0)
            return
        text = llm.complete(PROMPT, max_tokens=16, temperature=0)
        assert isinstance(text, str) and text.strip()

    def test_stream_joins_to_text(self, llm: LLM) -> None:
        if not llm.generates:
            return
        chunks = list(llm.stream(PROMPT, max_tokens=16, temperature=0))
        assert chunks and all(isinstance(c, str) for c in chunks)
        assert "".join(chunks).strip()
