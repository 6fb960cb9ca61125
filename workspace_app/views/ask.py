"""Ask: a chat grounded in the current scope, with citations, notes and suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.types import Answer, Scope
from pipelines.workspace import notebook
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.citations import render_citations
from workspace_app.components.scope import current_scope, scope_key, scope_label
from workspace_app.components.text import escape_md, model_md, short

NOT_SAID_ICON = "🔍"


def notebook_name(scope: Scope) -> str:
    """One conversation per source (several sources share the default notebook)."""
    return scope.source_ids[0] if len(scope.source_ids) == 1 else notebook.DEFAULT_NOTEBOOK


def closest_passage(hit: dict[str, Any], key: str) -> None:
    """One of the passages nearest to a question the chapters don't answer."""
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        quote = short(hit["text"], 200)
        if not quote.startswith(("“", '"', "‘")):
            quote = f"“{quote}”"
        st.caption(f"Closest: {escape_md(quote)}")
        st.button(
            "Open",
            key=key,
            type="tertiary",
            help="Open this passage in the reader.",
            on_click=state.open_in_reader,
            args=(hit["source_id"], hit["chapter"], hit["passage_id"], short(hit["text"], 200)),
        )


def answer_view(
    text: str,
    payload: dict[str, Any],
    key_prefix: str,
    closest: list[dict[str, Any]] | None = None,
) -> None:
    """An answer from the conversation: cited, or the plain "the chapters don't say"."""
    if not payload.get("supported", True):
        st.warning(model_md(text), icon=NOT_SAID_ICON)
        for n, hit in enumerate(closest or []):
            closest_passage(hit, f"{key_prefix}_closest_{n}")
        return
    st.markdown(model_md(text))
    render_citations(notebook.citations_from_payload(payload), key_prefix)
    for note in payload.get("notes", []):
        st.caption(f"Note: {escape_md(note)}")
    if payload.get("written_by"):
        st.caption(f"Written by {escape_md(payload['written_by'])}")


def _save_note(ws: Workspace, name: str, question: str, text: str, payload: dict[str, Any]) -> None:
    notebook.save_note(ws, name, question, text, payload)
    st.toast("Saved to Notes.", icon="📝")


def _history(ws: Workspace, name: str) -> None:
    question = ""
    for entry in notebook.history(ws, name):
        if entry.role == "user":
            question = entry.content
            with st.chat_message("user"):
                st.markdown(escape_md(entry.content))
            continue
        with st.chat_message("assistant"):
            closest = state.closest_passages().get(entry.id)
            answer_view(entry.content, entry.payload, f"h{entry.id}", closest)
            if entry.payload.get("supported", True):
                st.button(
                    "Save to notes",
                    key=f"save_{entry.id}",
                    icon="📝",
                    type="tertiary",
                    on_click=_save_note,
                    args=(ws, name, question, entry.content, entry.payload),
                )


def _ask(ws: Workspace, scope: Scope, name: str, question: str) -> None:
    from pipelines.answers.qa import stream_answer

    with st.chat_message("user"):
        st.markdown(escape_md(question))
    with st.chat_message("assistant"):
        final: list[Answer] = []

        def deltas() -> Iterator[str]:
            for event in stream_answer(resources.session(), question, scope):
                if event.answer is not None:
                    final.append(event.answer)
                elif event.delta:
                    yield event.delta

        try:
            with st.spinner("Reading the selected chapters…"):
                placeholder = st.empty()
                placeholder.write_stream(deltas())
        except FolioError as exc:
            st.error(str(exc))
            return
        if not final:
            st.error("No answer came back; try again.")
            return
        placeholder.empty()
        notebook.record_exchange(ws, name, final[0])
        if final[0].closest:  # the notebook keeps no passages; this session shows them
            last = notebook.history(ws, name, limit=1)[-1]
            state.closest_passages()[last.id] = [
                {
                    "text": h.passage.text,
                    "source_id": h.passage.source_id,
                    "chapter": h.passage.chapter_index,
                    "passage_id": h.passage.id,
                }
                for h in final[0].closest
            ]
    st.rerun()


def _suggestions(ws: Workspace, scope: Scope) -> None:
    from pipelines.answers.suggestions import suggest_questions

    key = scope_key(scope)
    cache = state.suggestions()
    if key not in cache:
        source = resources.source(ws, scope.source_ids[0])
        chapter = None
        if scope.chapter_ids and len(scope.chapter_ids) == 1 and len(scope.source_ids) == 1:
            chapter = next((c for c in source.chapters if c.id == scope.chapter_ids[0]), None)
        try:
            cache[key] = suggest_questions(resources.session(), source, chapter)
        except FolioError:
            cache[key] = []
    if not cache[key]:
        return
    st.caption("Suggested questions")
    with st.container(horizontal=True, gap="small", key="suggestions"):
        for n, question in enumerate(cache[key]):
            st.button(
                question,
                key=f"suggest_{n}",
                on_click=state.set_pending_question,
                args=(question,),
            )


def _clear(ws: Workspace, name: str) -> None:
    notebook.clear_history(ws, name)


def draw(ws: Workspace) -> None:
    scope = current_scope(ws)
    if scope is None:
        st.info("Choose a source or tick chapters in the library (the sidebar) to ask about them.")
        return
    name = notebook_name(scope)
    label = scope_label(ws, scope)
    has_history = bool(notebook.history(ws, name, limit=1))
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"Asking about **{escape_md(label)}**")
        if has_history:
            st.button(
                "Clear conversation",
                key="ask_clear",
                type="tertiary",
                on_click=_clear,
                args=(ws, name),
            )
    _history(ws, name)
    pending = state.pending_question()
    if pending:
        state.set_pending_question(None)
        _ask(ws, scope, name, pending)
    _suggestions(ws, scope)
    with st.container(key="ask_box"):  # inside a container the input sits under the scope
        st.caption(f"Scope: {escape_md(label)}")
        question = st.chat_input(f"Ask about {short(label, 60)}", key=state.ASK_INPUT)
    if question:
        _ask(ws, scope, name, question)
