"""The LLM interface every backend implements, with capability flags.

Callers branch on flags (`generates`, `streams`), never on backend names. The base
signature carries no engine-specific arguments: a backend reads those from its
settings when it is built.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    """One chat message, as OpenAI-style chat APIs take them."""

    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


class LLM(ABC):
    """A language model backend.

    - `name`: the registry name ("openai", "extractive", ...).
    - `generates`: False for backends that cannot write free text (extractive);
      callers must then build answers from the passages themselves.
    - `streams`: True when `stream()` yields real incremental chunks.
    - `context_window`: tokens the model accepts, prompt and answer together.
    """

    name: str = "llm"
    generates: bool = True
    streams: bool = False
    context_window: int = 8192

    @abstractmethod
    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        """The model's whole reply. `json_schema` (a JSON Schema) is a hint that the
        reply must be JSON of that shape; backends that can constrain output use it,
        others ignore it. Raises BackendError on any failure."""

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        """The reply in chunks; the default yields `complete()` in one piece."""
        yield self.complete(messages, max_tokens=max_tokens, temperature=temperature)

    def describe(self) -> str:
        """A short, secret-free label for logs and the UI."""
        return self.name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"
