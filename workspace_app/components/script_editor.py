"""The podcast script as an editable list of turns (speaker, text, the passages cited)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.podcast import script_doc
from pipelines.text.naming import chapter_name
from pipelines.types import Turn
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.text import escape_md


def _apply(draft_no: int, change) -> None:  # noqa: ANN001 - a Script -> Script edit
    drafts = state.script_drafts()
    try:
        script = script_doc.script_from_dict(drafts[draft_no])
        drafts[draft_no] = script_doc.script_to_dict(change(script))
    except FolioError as exc:
        state.flash_error(str(exc))


def _on_text(draft_no: int, turn: int, key: str) -> None:
    _apply(draft_no, lambda s: script_doc.edit_turn(s, turn, text=st.session_state[key]))


def _on_speaker(draft_no: int, turn: int, key: str) -> None:
    _apply(draft_no, lambda s: script_doc.edit_turn(s, turn, speaker=st.session_state[key]))


def _on_title(draft_no: int, key: str) -> None:
    state.script_drafts()[draft_no]["title"] = st.session_state[key]


def _delete(draft_no: int, turn: int) -> None:
    _apply(draft_no, lambda s: script_doc.delete_turn(s, turn))
    state.bump_script_version()


def _insert_after(draft_no: int, turn: int) -> None:
    def change(s):  # the other host answers, with an empty line to fill in
        names = [h.name for h in s.hosts]
        current = s.turns[turn].speaker if s.turns else names[0]
        other = next((n for n in names if n != current), current)
        segment = s.turns[turn].segment if s.turns else 0
        return script_doc.insert_turn(s, turn + 1, Turn(speaker=other, text="", segment=segment))

    _apply(draft_no, change)
    state.bump_script_version()


def _cited(ws: Workspace, passage_ids: list[str]) -> str:
    if not passage_ids:
        return ""
    found = ws.get_passages(passage_ids)
    places = []
    for pid in passage_ids:
        p = found.get(pid)
        if p is None:
            continue
        source = resources.source(ws, p.source_id)
        title = source.chapter(p.chapter_index).title
        page = f", {p.page_label}" if p.page_label else ""
        places.append(f"{chapter_name(title)}{page}")
    unique = list(dict.fromkeys(places))
    return "Draws on " + "; ".join(unique) if unique else ""


def render_script(ws: Workspace, draft_no: int, draft: dict[str, Any]) -> bool:
    """Draw the editor; return whether the script is valid for rendering."""
    version = state.script_version()
    prefix = f"{version}:{draft_no}"
    script = script_doc.script_from_dict(draft)
    title_key = f"script_title:{prefix}"
    st.text_input(
        "Episode title",
        value=script.title,
        key=title_key,
        on_change=_on_title,
        args=(draft_no, title_key),
    )
    names = [h.name for h in script.hosts]
    words = script.word_count
    minutes = words / max(1, ws.settings.podcast.words_per_minute)
    st.caption(f"{len(script.turns)} lines · {words:,} words · about {minutes:.1f} minutes")
    segment = None
    for i, turn in enumerate(script.turns):
        if turn.segment != segment and turn.segment < len(script.segments):
            st.markdown(f"**{escape_md(script.segments[turn.segment])}**")
        segment = turn.segment
        with st.container(border=True, key=f"turn:{prefix}:{i}"):
            speaker_key, text_key = f"turn_speaker:{prefix}:{i}", f"turn_text:{prefix}:{i}"
            options = names if turn.speaker in names else [*names, turn.speaker]
            st.selectbox(
                "Speaker",
                options,
                index=options.index(turn.speaker),
                key=speaker_key,
                on_change=_on_speaker,
                args=(draft_no, i, speaker_key),
                label_visibility="collapsed",
            )
            st.text_area(
                f"Line {i + 1}",
                value=turn.text,
                key=text_key,
                on_change=_on_text,
                args=(draft_no, i, text_key),
                label_visibility="collapsed",
                height="content",
            )
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                if cited := _cited(ws, turn.passage_ids):
                    st.caption(escape_md(cited))
                st.button(
                    "Add a line after",
                    key=f"turn_add:{prefix}:{i}",
                    type="tertiary",
                    on_click=_insert_after,
                    args=(draft_no, i),
                )
                st.button(
                    "Delete",
                    key=f"turn_del:{prefix}:{i}",
                    type="tertiary",
                    on_click=_delete,
                    args=(draft_no, i),
                )
    try:
        script_doc.validate_script(script)
    except FolioError as exc:
        st.error(str(exc))
        return False
    return True
