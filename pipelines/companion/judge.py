"""A model judges a reader's free answer to a quiz question against the expected answer
and the passage it comes from (used only when the words alone do not match)."""

from __future__ import annotations

import logging

from pydantic import BaseModel

from pipelines.companion.quiz import QuizItem
from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message

log = logging.getLogger(__name__)

JUDGE_SYSTEM = """You check a reader's answer to a quiz question about a book.
Reply with one JSON object and nothing else: {"correct": true|false}
The answer is correct when it means the same as the expected answer, in the passage's sense (other words, a fuller or shorter form are fine); it is wrong when it names something else or is too vague to tell."""


class Verdict(BaseModel):
    correct: bool = False


def judge_answer(llm: LLM, item: QuizItem, reply: str) -> bool:
    """True when the model judges `reply` right; False when it cannot tell (or fails)."""
    from pipelines.llm.structured import complete_model

    prompt = (
        f"Question: {item.question}\nExpected answer: {item.answer}\n"
        f"Passage: “{item.quote}”\nReader's answer: {reply}"
    )
    try:
        verdict = complete_model(
            llm, [Message("system", JUDGE_SYSTEM), Message("user", prompt)], Verdict, max_tokens=40
        )
    except BackendError as exc:
        log.warning("The model could not judge the answer: %s", exc)
        return False
    return verdict.correct
