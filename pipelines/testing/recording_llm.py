"""A model wrapper that records every request and reply it passes on, in the layout
`ReplayLLM` replays (`req/NNNN.json` with the chat body, `resp/NNNN.txt`), so a run
against a capable model can become a replay fixture."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipelines.llm.base import LLM, Message


class RecordingLLM(LLM):
    def __init__(self, inner: LLM, folder: Path | str) -> None:
        self.inner = inner
        self.folder = Path(folder)
        (self.folder / "req").mkdir(parents=True, exist_ok=True)
        (self.folder / "resp").mkdir(parents=True, exist_ok=True)
        self.count = len(list((self.folder / "req").glob("[0-9]*.json")))
        self.name = inner.name
        self.generates = inner.generates
        self.streams = False  # a recorded reply is written whole
        self.context_window = inner.context_window

    def describe(self) -> str:
        return self.inner.describe()

    def __getattr__(self, attr: str) -> Any:  # base_url, model … for labels
        return getattr(self.inner, attr)

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        self.count += 1
        stem = f"{self.count:04d}"
        body = {"messages": [m.to_dict() for m in messages], "max_tokens": max_tokens}
        (self.folder / "req" / f"{stem}.json").write_text(json.dumps(body), "utf-8")
        reply = self.inner.complete(
            messages, max_tokens=max_tokens, temperature=temperature, json_schema=json_schema
        )
        (self.folder / "resp" / f"{stem}.txt").write_text(reply, "utf-8")
        return reply

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        yield self.complete(messages, max_tokens=max_tokens, temperature=temperature)
