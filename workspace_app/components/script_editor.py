"""The podcast script as one compact editor: a text area with one line per turn.

    ## Segment title
    Ada: What the first host says.
    Ben: What the second host says.

Edits are parsed back into the Script; a line that is changed keeps the passages its
turn drew on (matched by position), a new line draws on none.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.podcast import script_doc
from pipelines.podcast.script_doc import ScriptError
from pipelines.text.naming import chapter_name
from pipelines.types import Script, Turn
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.text import escape_md

_SEGMENT = re.compile(r"^#{1,3}\s+(.*)$")
_TURN = re.compile(r"^([^:\n]{1,40}):\s*(.*)$")


def script_to_text(script: Script) -> str:
    lines: list[str] = []
    segment = None
    for turn in script.turns:
        if turn.segment != segment and turn.segment < len(script.segments):
            if lines:
                lines.append("")
            lines.append(f"## {script.segments[turn.segment]}")
        segment = turn.segment
        lines.append(f"{turn.speaker}: {' '.join(turn.text.split())}")
    return "\n".join(lines)


def text_to_script(text: str, script: Script) -> Script:
    """Parse the editor's text into a copy of `script` (ScriptError says which line)."""
    names = [h.name for h in script.hosts]
    segments = list(script.segments)
    turns: list[Turn] = []
    segment = script.turns[0].segment if script.turns else 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if heading := _SEGMENT.match(line):
            title = heading.group(1).strip()
            if title in segments:
                segment = segments.index(title)
            else:
                segments.append(title)
                segment = len(segments) - 1
            continue
        match = _TURN.match(line)
        if match and match.group(1).strip() in names:
            turns.append(Turn(speaker=match.group(1).strip(), text=match.group(2).strip(),
                              segment=segment))  # fmt: skip
        elif turns:  # a line without a speaker continues the turn above
            turns[-1].text = f"{turns[-1].text} {line}".strip()
        else:
            raise ScriptError(
                f"Line {number} should start with a host's name and a colon "
                f"({', '.join(f'{n}:' for n in names)})."
            )
    old = script.turns
    by_text = {" ".join(t.text.split()): t.passage_ids for t in old}
    for n, turn in enumerate(turns):
        same = by_text.get(" ".join(turn.text.split()))
        if same is not None:
            turn.passage_ids = list(same)
        elif n < len(old) and old[n].speaker == turn.speaker:
            turn.passage_ids = list(old[n].passage_ids)
    edited = script_doc.script_from_dict(script_doc.script_to_dict(script))
    edited.turns, edited.segments = turns, segments
    return edited


def _on_text(draft_no: int, key: str) -> None:
    drafts = state.script_drafts()
    try:
        script = script_doc.script_from_dict(drafts[draft_no])
        drafts[draft_no] = script_doc.script_to_dict(
            text_to_script(str(state.widget_value(key, "")), script)
        )
    except FolioError as exc:
        state.flash(str(exc))


def _on_title(draft_no: int, key: str) -> None:
    state.script_drafts()[draft_no]["title"] = state.widget_value(key, "")


def _sources(ws: Workspace, script: Script) -> list[str]:
    """Where each segment's lines come from: 'Segment — chapter I, p. 3; …'."""
    ids = list(dict.fromkeys(pid for t in script.turns for pid in t.passage_ids))
    if not ids:
        return []
    found = ws.get_passages(ids)
    places: dict[int, list[str]] = {}
    for turn in script.turns:
        for pid in turn.passage_ids:
            p = found.get(pid)
            if p is None:
                continue
            title = resources.source(ws, p.source_id).chapter(p.chapter_index).title
            page = f", {p.page_label}" if p.page_label else ""
            where = places.setdefault(turn.segment, [])
            if (place := f"{chapter_name(title)}{page}") not in where:
                where.append(place)
    lines = []
    for segment, where in sorted(places.items()):
        name = script.segments[segment] if segment < len(script.segments) else "Lines"
        lines.append(f"**{escape_md(name)}** — {escape_md('; '.join(where))}")
    return lines


def script_editor(ws: Workspace, draft_no: int, draft: dict[str, Any]) -> bool:
    """Draw the editor; return whether the script is valid for rendering."""
    script = script_doc.script_from_dict(draft)
    title_key = state.bind(f"script_title:{state.script_version()}:{draft_no}", script.title)
    st.text_input("Episode title", key=title_key, on_change=_on_title, args=(draft_no, title_key))
    words = script.word_count
    minutes = words / max(1, resources.settings().podcast.words_per_minute)
    names = " and ".join(h.name for h in script.hosts)
    made_by = script.settings.get("written_by")
    st.caption(
        f"{len(script.turns)} lines · {words:,} words · about {minutes:.1f} minutes. "
        f"One line per turn, starting with who speaks ({names}); `## ` starts a segment."
        + (f" Written by {made_by}." if made_by else "")
    )
    text_key = state.bind(state.script_text_key(draft_no), script_to_text(script))
    st.text_area(
        "Script",
        key=text_key,
        on_change=_on_text,
        args=(draft_no, text_key),
        height=360,
        label_visibility="collapsed",
    )
    for kind, message in state.pop_flash():
        getattr(st, kind)(message)
    if sources := _sources(ws, script):
        with st.expander("Where the lines come from"):
            for line in sources:
                st.markdown(line)
    try:
        script_doc.validate_script(script)
    except FolioError as exc:
        st.error(str(exc))
        return False
    return True
