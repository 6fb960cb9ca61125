"""Quiz: test yourself on one chapter (5-10 questions, nothing from later chapters). Each
answer is checked (a model judges a free answer when one is set), then shows the right
answer with the passage it comes from; the questions download as Anki cards or CSV."""

from __future__ import annotations

import streamlit as st

from pipelines.companion.quiz import Quiz, QuizItem, is_right
from pipelines.errors import FolioError
from pipelines.types import Citation, Source
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.citations import render_citations
from workspace_app.components.text import escape_md, numbered


def _chapters(source: Source) -> list[int]:
    return [c.index for c in source.chapters if c.kind.is_body and c.word_count >= 150]


def _judge(item: QuizItem, reply: str) -> bool:
    """Right by the words; else, with a model, the model's verdict on a free answer."""
    if is_right(item, reply):
        return True
    session = resources.session()
    if not session.llm.generates or not reply.strip():
        return False
    from pipelines.companion.judge import judge_answer

    return judge_answer(session.llm, item, reply)


def _check(key: str) -> None:
    state.quiz_answers()[key] = str(state.widget_value(key, "") or "")


def _citation(quiz: Quiz, item: QuizItem) -> Citation:
    return Citation(
        1,
        item.passage_id,
        item.quote,
        item.chapter_title,
        item.chapter_index,
        quiz.source_id,
        quiz.source_title,
        item.page,
    )


def _question(quiz: Quiz, item: QuizItem, n: int, chapter_id: str) -> None:
    key = state.quiz_answer_key(chapter_id, n)
    with st.container(border=True, key=f"quiz_q_{n}"):
        st.markdown(f"**{n + 1}.** {escape_md(item.question)}")
        st.text_input(
            "Your answer",
            key=key,
            on_change=_check,
            args=(key,),
            placeholder="Type your answer and press Enter",
            label_visibility="collapsed",
        )
        answered = state.quiz_answers().get(key)
        if answered is None:
            return
        if _judge(item, answered):
            st.success(f"Right: {item.answer}", icon="✅")
        else:
            st.error(f"The answer is: {item.answer}", icon="❌")
        render_citations([_citation(quiz, item)], f"quiz_{n}")


def _downloads(quiz: Quiz) -> None:
    import tempfile
    from pathlib import Path

    from pipelines.companion.export import quiz_csv, write_anki

    slug = "".join(
        ch if ch.isalnum() else "-" for ch in f"{quiz.source_title} {quiz.chapter_title}"
    )
    slug = "-".join(w for w in slug.lower().split("-") if w)[:60] or "folio-quiz"
    with tempfile.TemporaryDirectory() as tmp:
        deck = write_anki([quiz], Path(tmp) / "deck.apkg").read_bytes()
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "Anki deck",
            deck,
            file_name=f"{slug}.apkg",
            mime="application/octet-stream",
            key="quiz_anki",
            on_click="ignore",
            icon="⬇️",
        )
        st.download_button(
            "CSV",
            quiz_csv([quiz]).encode("utf-8"),
            file_name=f"{slug}.csv",
            mime="text/csv",
            key="quiz_csv",
            on_click="ignore",
            type="tertiary",
        )


def draw(ws: Workspace) -> None:
    from pipelines.companion.quiz import chapter_quiz

    source_id = state.selected_source()
    if source_id is None:
        st.info("Choose a book in the library (the sidebar) to be quizzed on a chapter.")
        return
    source = resources.source(ws, source_id)
    choices = _chapters(source)
    if not choices:
        st.info("This source has no chapter with enough text for a quiz.")
        return
    reading = state.reading_position(source.id)
    default = reading if reading in choices else choices[0]
    key = state.bind(state.quiz_chapter_key(source.id), default)
    index = st.selectbox(
        "Quiz me on", choices, format_func=lambda i: numbered(source.chapter(i)), key=key
    )
    chapter = source.chapter(index)
    try:
        with st.spinner("Writing the questions…"):
            quiz = chapter_quiz(resources.session(), source, chapter.index)
    except FolioError as exc:
        st.warning(str(exc))
        return
    st.caption(
        f"{len(quiz.items)} questions on “{escape_md(chapter.title)}” only — nothing from "
        f"later chapters · written by {escape_md(quiz.made_by)}"
    )
    answers = state.quiz_answers()
    keys = [state.quiz_answer_key(chapter.id, n) for n in range(len(quiz.items))]
    checked = [k for k in keys if k in answers]
    for n, item in enumerate(quiz.items):
        _question(quiz, item, n, chapter.id)
    if checked:
        right = sum(
            1
            for k, item in zip(keys, quiz.items, strict=True)
            if k in answers and is_right(item, answers[k])
        )
        st.caption(f"{right} of {len(checked)} answered right so far (by the words).")
    _downloads(quiz)
