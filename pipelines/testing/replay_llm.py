"""A stand-in LLM that replays a recorded run: the requests and replies a capable model
gave (`req/NNNN.json`, `resp/NNNN.txt`, as ../shared/tools/standin_llm.py records them),
answered in order. A request that no longer opens like the recorded one fails loudly, so
a prompt change shows up as a stale fixture instead of a silent mismatch."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message

MATCH_CHARS = 60  # how much of each message must open as recorded


class ReplayLLM(LLM):
    name = "replay"
    generates = True

    def __init__(self, folder: Path | str, *, context_window: int = 32768) -> None:
        self.folder = Path(folder)
        self.context_window = context_window
        self.requests = sorted((self.folder / "req").glob("[0-9]*.json"))
        self.position = 0
        self.calls: list[list[Message]] = []

    def describe(self) -> str:
        return f"replay of {self.folder.name}"

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        self.calls.append(list(messages))
        if self.position >= len(self.requests):
            raise BackendError(f"the replay {self.folder.name} has no more recorded replies")
        recorded = json.loads(self.requests[self.position].read_text("utf-8"))["messages"]
        self._check(recorded, messages)
        reply = self.folder / "resp" / f"{self.requests[self.position].stem}.txt"
        self.position += 1
        return reply.read_text("utf-8")

    def _check(self, recorded: list[dict[str, str]], messages: Sequence[Message]) -> None:
        for want, got in zip(recorded, messages, strict=False):
            if want["content"][:MATCH_CHARS] != got.content[:MATCH_CHARS]:
                raise BackendError(
                    f"request {self.position + 1} of the replay {self.folder.name} differs "
                    f"from the recording: {got.content[:MATCH_CHARS]!r} vs "
                    f"{want['content'][:MATCH_CHARS]!r}; record the run again"
                )
