"""What outlives a browser session: where the reader is, in the address bar (a reload or
a shared link opens the same place), and the studio's choices and script drafts, in the
workspace's `app-preferences.json`."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import streamlit as st

from workspace_app.state import (
    NAV,
    RESTORED,
    SAVED_PREFS,
    SCRIPT_DRAFTS,
    VIEWS,
    chosen_chapters,
    reading_position,
    script_drafts,
    seen_jobs,
    select_source,
    selected_source,
    set_chosen_chapters,
    show_chapter,
    studio_choices,
    view,
)

log = logging.getLogger("folio.app")
PREFS_FILE = "app-preferences.json"


def _prefs_path(home: Path) -> Path:
    return Path(home) / PREFS_FILE


def _prefs() -> dict[str, Any]:
    """What outlives the session: the studio's choices, the script drafts being edited,
    and the finished jobs whose results are already in them (so a reload does not load
    a script job's original over an edited draft)."""
    return {
        "studio": studio_choices(),
        "drafts": script_drafts(),
        "seen_jobs": sorted(seen_jobs()),
    }


def restore(home: Path, source_ids: list[str]) -> None:
    """Once per session: read the address bar and the workspace's saved preferences."""
    if st.session_state.get(RESTORED):
        return
    st.session_state[RESTORED] = True
    try:
        saved = json.loads(_prefs_path(home).read_text(encoding="utf-8"))
    except FileNotFoundError:
        saved = {}
    except (OSError, ValueError) as exc:
        log.warning("Could not read %s: %s", PREFS_FILE, exc)
        saved = {}
    if isinstance(saved, dict):
        _adopt_old_settings(home, saved.get("settings"))
        if isinstance(saved.get("studio"), dict):
            studio_choices().update(saved["studio"])
        if isinstance(saved.get("drafts"), list) and saved["drafts"]:
            st.session_state[SCRIPT_DRAFTS] = [d for d in saved["drafts"] if isinstance(d, dict)]
        if isinstance(saved.get("seen_jobs"), list):
            seen_jobs().update(str(j) for j in saved["seen_jobs"])
        st.session_state[SAVED_PREFS] = json.dumps(_prefs(), sort_keys=True)
    params = st.query_params
    if params.get("view") in VIEWS and NAV not in st.session_state:
        st.session_state[NAV] = params["view"]
    prefix = params.get("source", "")
    match = [s for s in source_ids if prefix and s.startswith(prefix)]
    if len(match) != 1:
        return
    source_id = match[0]
    select_source(source_id)
    chapters = [int(n) for n in params.get("chapters", "").split(",") if n.strip().isdigit()]
    if chapters:
        set_chosen_chapters(source_id, chapters)
    reading = params.get("chapter", "")
    if reading.isdigit():
        show_chapter(source_id, int(reading))


def _adopt_old_settings(home: Path, old: Any) -> None:
    """Settings-screen choices that older versions kept in app-preferences.json move to
    the workspace's settings.toml once, unless it already has choices of its own."""
    from pipelines.settings_file import SAVED_SECTIONS, load_saved, save_choices

    if not isinstance(old, dict) or load_saved(Path(home)):
        return
    for section, fields in old.items():
        if section in SAVED_SECTIONS and isinstance(fields, dict):
            try:
                save_choices(
                    Path(home), section, {k: v for k, v in fields.items() if k != "api_key"}
                )
            except Exception as exc:  # an unknown old field must not stop the app
                log.warning("Could not keep the old %s settings: %s", section, exc)


def sync_query_params() -> None:
    """Write where the reader is into the address bar (only the parts that changed)."""
    wanted: dict[str, str] = {"view": view()}
    source_id = selected_source()
    if source_id:
        wanted["source"] = source_id[:16]
        chosen = chosen_chapters(source_id)
        if chosen:
            wanted["chapters"] = ",".join(str(i) for i in chosen)
        position = reading_position(source_id)
        if position is not None:
            wanted["chapter"] = str(position)
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def persist(home: Path) -> None:
    """Write the studio's choices and drafts to the workspace when they changed."""
    data = json.dumps(_prefs(), sort_keys=True)
    if data == st.session_state.get(SAVED_PREFS):
        return
    path = _prefs_path(home)
    try:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        log.warning("Could not save %s: %s", path, exc)
        return
    st.session_state[SAVED_PREFS] = data
