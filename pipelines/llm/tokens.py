"""Token budgeting without a tokenizer: a conservative estimate, and trimming the
retrieved passages (lowest-ranked first) so a prompt never exceeds the model's window.

~3.5 characters per token over-counts English for BPE tokenizers (typically ~4), so
the estimate errs on the safe side; each message adds a few tokens of chat framing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pipelines.llm.base import Message

CHARS_PER_TOKEN = 3.5
MESSAGE_OVERHEAD = 4  # role markers and separators of a chat template
REPLY_PRIMER = 3  # the assistant header the server appends

T = TypeVar("T")


def estimate_tokens(text: str) -> int:
    """Conservative token count of `text` (never under-counts typical prose)."""
    if not text:
        return 0
    # Non-ASCII characters (accents, CJK) often take a token or more each.
    wide = sum(1 for ch in text if ord(ch) > 127)
    return math.ceil((len(text) - wide) / CHARS_PER_TOKEN + wide)


def count_message_tokens(messages: Sequence[Message]) -> int:
    """Tokens a chat request with these messages would occupy before the reply."""
    return sum(estimate_tokens(m.content) + MESSAGE_OVERHEAD for m in messages) + REPLY_PRIMER


@dataclass
class FitResult(Generic[T]):
    kept: list[T]
    dropped: int
    prompt_tokens: int  # estimated tokens of system + question + kept passages
    budget: int  # tokens available for the prompt (window - reserve)
    dropped_items: list[T] = field(default_factory=list)

    @property
    def trimmed(self) -> bool:
        return self.dropped > 0


def _default_render(item: object) -> str:
    passage = getattr(item, "passage", item)  # ScoredPassage or Passage
    return str(getattr(passage, "text", item))


def fit_passages(
    system: str,
    question: str,
    passages: Sequence[T],
    context_window: int,
    reserve: int,
    *,
    render: Callable[[T], str] | None = None,
    per_passage_overhead: int = 16,
) -> FitResult[T]:
    """Keep the best-ranked passages (given in rank order) that fit in
    `context_window - reserve` tokens together with the system prompt and question.

    Stops at the first passage that does not fit, so a lower-ranked passage never
    displaces a higher-ranked one. `render` gives the exact text a passage takes in the
    prompt (key, chapter, page, text); the default is its text plus
    `per_passage_overhead` tokens for that header.
    """
    budget = max(0, context_window - reserve)
    used = count_message_tokens([Message("system", system), Message("user", question)])
    kept: list[T] = []
    for i, item in enumerate(passages):
        text = render(item) if render else _default_render(item)
        cost = estimate_tokens(text) + (0 if render else per_passage_overhead) + 1
        if used + cost > budget:
            rest = list(passages[i:])
            return FitResult(kept, len(rest), used, budget, rest)
        kept.append(item)
        used += cost
    return FitResult(kept, 0, used, budget, [])
