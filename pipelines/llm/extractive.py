"""The `extractive` backend: no model at all, so Folio always has a working default.

It does not write text. Answers, summaries and scripts branch on `llm.generates` and,
when it is False, assemble their output from the source's own sentences with the
helpers in `pipelines.text.sentences`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message


class ExtractiveLLM(LLM):
    name = "extractive"
    generates = False
    streams = False
    context_window = 1_000_000  # nothing is sent anywhere; no trimming needed

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        raise BackendError(
            "The extractive backend quotes the text and cannot write free text. "
            "Set FOLIO_LLM__BACKEND=openai (and FOLIO_LLM__BASE_URL) to use a language model."
        )

    def describe(self) -> str:
        return "extractive (no language model)"
