"""A scripted stand-in LLM for tests of code that sits on top of an LLM.

A real `LLM` subclass, not a mock: replies come from a queue, every call is recorded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message

Reply = str | BackendError | Callable[[Sequence[Message]], str]


@dataclass
class Call:
    messages: list[Message]
    max_tokens: int
    temperature: float
    json_schema: dict[str, Any] | None


class ScriptedLLM(LLM):
    """Answers each call with the next queued reply.

    A reply is a string, a BackendError (raised, to test fallbacks), or a function of
    the messages. When the queue is empty, `default` is returned if given, otherwise
    a BackendError is raised so a test notices an unexpected extra call.
    """

    name = "scripted"
    generates = True
    streams = True

    def __init__(
        self,
        responses: Iterable[Reply] = (),
        *,
        default: str | None = None,
        context_window: int = 8192,
        chunk_words: int = 3,
    ) -> None:
        self._queue: deque[Reply] = deque(responses)
        self.default = default
        self.context_window = context_window
        self.chunk_words = chunk_words
        self.calls: list[Call] = []

    def enqueue(self, *replies: Reply) -> ScriptedLLM:
        self._queue.extend(replies)
        return self

    @property
    def pending(self) -> int:
        return len(self._queue)

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        self.calls.append(Call(list(messages), max_tokens, temperature, json_schema))
        if not self._queue:
            if self.default is not None:
                return self.default
            raise BackendError("ScriptedLLM has no reply queued for this call.")
        reply = self._queue.popleft()
        if isinstance(reply, BackendError):
            raise reply
        if callable(reply):
            return reply(messages)
        return reply

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        text = self.complete(messages, max_tokens=max_tokens, temperature=temperature)
        words = text.split(" ")
        for i in range(0, len(words), self.chunk_words):
            piece = " ".join(words[i : i + self.chunk_words])
            yield piece if i + self.chunk_words >= len(words) else piece + " "
