"""The companion never spoils: for a reader at chapter IV of The Time Machine, nothing that
the book first names in chapter V or later (Weena, the Eloi, the Morlocks, the Palace of
Green Porcelain …) appears in who's who, "previously on", the quizzes or an answer —
offline, and with a model that knows the book and tries to say more than it was given."""

from __future__ import annotations

import json
import re

import pytest

from pipelines.answers.qa import answer
from pipelines.companion.explain import explain_passage
from pipelines.companion.people import people_so_far
from pipelines.companion.quiz import chapter_quiz
from pipelines.companion.recap import previously_on
from pipelines.llm.base import Message
from pipelines.testing.scripted_llm import ScriptedLLM
from pipelines.types import Scope
from tests.companion.conftest import TM_IV, TM_V, leaked
from tests.sessions import session_of

pytestmark = pytest.mark.slow

QUESTIONS = [
    "Who is Weena?",
    "Who are the little people the Time Traveller meets?",
    "What happens to the Time Machine?",
    "Who lives underground?",
    "Who does the Time Traveller save from drowning?",
]


def _companion_text(session, source) -> dict[str, str]:
    """Everything the companion shows a reader at chapter IV, by feature."""
    out: dict[str, str] = {}
    people = people_so_far(session, source, TM_IV)
    out["who's who"] = json.dumps(
        [[e.name, e.line, e.quote, [d.text for d in e.deeds]] for e in people]
    )
    recap = previously_on(session, source, TM_V)
    out["previously on"] = recap.text + json.dumps([c.quote for c in recap.citations])
    body = [c for c in source.chapters if c.kind.is_body and c.word_count and c.index <= TM_IV]
    quizzes = [chapter_quiz(session, source, c.index) for c in body]
    out["quiz"] = json.dumps([[i.question, i.answer, i.quote] for q in quizzes for i in q.items])
    for question in QUESTIONS:
        result = answer(session, question, Scope.upto(source, TM_IV))
        out[f"answer to {question!r}"] = result.text + json.dumps(
            [c.quote for c in result.citations]
        )
    return out


def test_offline_nothing_from_later_chapters(companion_ws) -> None:
    ws, source, _ = companion_ws
    session = session_of(ws)
    shown = _companion_text(session, source)
    for feature, text in shown.items():
        assert not leaked(text), f"{feature} names {leaked(text)}"
    # and it is not empty: the reader does get a companion
    assert "Filby" in shown["who's who"] and "Psychologist" in shown["who's who"]
    assert "[1]" in shown["previously on"]
    # a reader at chapter V meets Weena in who's who
    later = people_so_far(session, source, TM_V)
    assert any(e.name == "Weena" and e.first_title == "V" for e in later)


def _keys(messages: list[Message]) -> list[str]:
    return re.findall(r"\[(P\d+)\]", messages[-1].content)


def knows_the_book(messages: list[Message]) -> str:
    """A model that has read The Time Machine and says so: every reply mentions what the
    reader has not reached yet, next to what the prompt gave it."""
    system = messages[0].content
    keys = _keys(messages) or ["P1"]
    if system.startswith("You take careful reading notes"):
        return json.dumps(
            {
                "points": [
                    {"text": "The Time Traveller explains time travel to his guests.", "passages": keys[:1]},
                    {"text": "Later he will save Weena from the Morlocks.", "passages": keys[-1:]},
                    {"text": "Filby doubts the story.", "passages": keys[-1:]},
                ],
                "entities": [
                    {"name": "Filby", "kind": "person", "line": "A guest with red hair.", "passages": keys[:1]},
                    {"name": "Weena", "kind": "person", "line": "The Eloi woman he saves.", "passages": keys[:1]},
                ],
                "turning_points": [
                    {"text": "The Eloi turn out to be cattle for the Morlocks.", "passages": keys[:1]}
                ],
                "numbers": [],
                "quotes": [],
            }
        )  # fmt: skip
    if system.startswith("You write a short quiz"):
        return json.dumps(
            {
                "questions": [
                    {"question": "Whom does he save from drowning?", "answer": "Weena", "passage": keys[0]},
                    {"question": "Who lives below ground?", "answer": "the Morlocks", "passage": keys[0]},
                ]
            }
        )  # fmt: skip
    if system.startswith("You help someone"):
        return "This is where he first sees the Eloi, long before Weena."
    return f"The Time Traveller meets the little people [{keys[0]}]. One of them is Weena, whom the Morlocks hunt [{keys[-1]}]."


def test_a_model_that_knows_the_book_is_held_back(companion_ws) -> None:
    ws, source, _ = companion_ws
    llm = ScriptedLLM(default=None, context_window=32768)
    llm.enqueue(*([knows_the_book] * 200))
    session = session_of(ws, llm)
    shown = _companion_text(session, source)
    chapter_iv = source.chapter(TM_IV)
    explained = explain_passage(session, source, TM_IV, chapter_iv.text[:600])
    shown["explain"] = explained.text
    for feature, text in shown.items():
        assert not leaked(text), f"{feature} names {leaked(text)}"
    assert "Filby" in shown["who's who"]  # what the model said of chapters 1..IV stays
    assert any("meets the little people" in v for k, v in shown.items() if k.startswith("answer"))
    assert any(c.messages[0].content.startswith("You take careful") for c in llm.calls)
