"""Direct answers on a real book: the offline answer picks the sentence of the kind the
question asks for (a reason for "why", a description for "who is"), and never quotes a
question, a scrap of dialogue or an echo of the question."""

from __future__ import annotations

import re

import pytest

from pipelines.answers.qa import answer
from pipelines.answers.question_kinds import echoes, is_dialogue_fragment, is_question
from pipelines.text.sentences import split_sentences
from pipelines.types import Scope, Source
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import TIME_MACHINE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Source]:
    ws = Workspace(tmp_path_factory.mktemp("direct-home"))
    return ws, library.add_file(session_of(ws), TIME_MACHINE).source


def _body(text: str) -> str:
    return re.sub(r"\s*\[\d+\]", "", text)


def test_why_question_quotes_the_causal_sentence(book) -> None:
    ws, source = book
    q = "Why was the Time Traveller limping when he came in?"
    result = answer(session_of(ws), q, Scope([source.id]))
    assert result.supported
    assert "because my heel was still painful" in result.text, result.text
    assert any("because my heel" in c.quote for c in result.citations)


def test_who_question_leads_with_a_description_from_the_text(book) -> None:
    ws, source = book
    result = answer(session_of(ws), "Who are the Eloi?", Scope([source.id]))
    assert result.supported
    assert result.text.startswith("Eloi — the beautiful race"), result.text
    lead_citation = result.citations[0]
    assert result.text.split("[", 1)[1].startswith(f"{lead_citation.number}]")
    assert "the beautiful race" in lead_citation.quote  # the description is a quote


@pytest.mark.parametrize(
    "question",
    [
        "Why was the Time Traveller limping when he came in?",
        "Who is the Time Traveller?",
        "Why did the Time Traveller go back to the future again?",
    ],
)
def test_never_a_question_a_scrap_of_dialogue_or_an_echo(book, question: str) -> None:
    ws, source = book
    result = answer(session_of(ws), question, Scope([source.id]))
    assert result.supported and result.citations
    for c in result.citations:
        for start, end in split_sentences(c.quote):
            sentence = c.quote[start:end]
            assert not is_question(sentence), sentence
            assert not is_dialogue_fragment(sentence), sentence
        assert not echoes(c.quote, question), c.quote
    # '“What on earth have you been up to, man?” said the Doctor.' asks, it doesn't answer
    assert "What on earth have you been up to" not in result.text
    assert "?" not in _body(result.text).split(":", 1)[1].replace("?”", "")


def test_dialogue_lines_that_only_ask_or_attribute_are_recognised() -> None:
    """The sentences above, as the book has them."""
    assert is_question("“What on earth have you been up to, man?” said the Doctor.")
    assert is_dialogue_fragment("“Why not?” said the Time Traveller.")
    assert not is_dialogue_fragment(
        "Presently I got up and came through the passage here, limping, because my heel "
        "was still painful, and feeling sorely begrimed."
    )
