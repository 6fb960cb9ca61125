"""Every session-state key the app uses, behind typed accessors (one place to look).

Widget keys are listed here too, so a test (or a callback) can seed or read them by
name. Values that must outlive a widget that is not drawn (the chapter selection, the
script being edited) live under plain keys that no widget owns.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

# -- plain keys (no widget owns them) -------------------------------------------------
SELECTED_SOURCE = "selected_source"  # str | None: the source the reader/studio works on
SCOPE = "scope_chapters"  # dict[source_id, list[int]]: ticked chapters per source
READER_TARGET = "reader_target"  # dict(source_id, chapter, passage_id) from a citation
PENDING_QUESTION = "pending_question"  # str | None: a suggested question to ask
SUGGESTIONS = "suggestions"  # dict[scope key, list[str]]
SCRIPT_DRAFTS = "script_drafts"  # list[dict]: scripts being edited (series = several)
SCRIPT_VERSION = "script_version"  # int: bumps to re-key the editor widgets after an edit
UPLOAD_NONCE = "upload_nonce"  # int: bumps to empty the file uploader after a batch
SEEN_JOBS = "seen_jobs"  # set[str]: finished jobs whose result the page already showed
SETTINGS_OVERRIDES = "settings_overrides"  # dict[section, dict]: edits from Settings
SECRET_KEYS = "secret_keys"  # dict[section, str]: keys typed in (session only, never logged)
WORKSPACE_HOME = "workspace_home"  # str | None: another workspace folder chosen in Settings
SAMPLES_CHECKED = "samples_checked"  # bool
CLOSEST = "closest_passages"  # dict[chat entry id, list[dict]]: "don't say" answers' nearest text
FLASH_ERROR = "flash_error"  # str | None: an error from a callback, shown on the next draw

# -- widget keys ------------------------------------------------------------------------
NAV = "nav_view"
READER_CHAPTER = "reader_chapter"  # prefix: reader_chapter:<source id>
SHOW_MATTER = "show_matter"  # prefix: show_matter:<source id>
CHAPTER_BOX = "chk"  # prefix: chk:<source id>:<chapter index>
ASK_INPUT = "ask_input"

VIEWS = ("Reader", "Ask", "Summaries", "Podcast", "Notes", "Settings")


def _get(key: str, default: Any) -> Any:
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


# -- navigation -----------------------------------------------------------------------
def view() -> str:
    current = st.session_state.get(NAV)
    return current if current in VIEWS else "Reader"


def go_to(view_name: str) -> None:
    """Only call from a callback or before the navigation widget is drawn."""
    st.session_state[NAV] = view_name


# -- sources and scope ------------------------------------------------------------------
def selected_source() -> str | None:
    return st.session_state.get(SELECTED_SOURCE)


def select_source(source_id: str | None) -> None:
    st.session_state[SELECTED_SOURCE] = source_id


def scope_chapters() -> dict[str, list[int]]:
    return _get(SCOPE, {})


def chosen_chapters(source_id: str) -> list[int]:
    return sorted(scope_chapters().get(source_id, []))


def set_chosen_chapters(source_id: str, indexes: list[int]) -> None:
    chosen = scope_chapters()
    if indexes:
        chosen[source_id] = sorted(set(indexes))
    else:
        chosen.pop(source_id, None)
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(f"{CHAPTER_BOX}:{source_id[:16]}:"):
            del st.session_state[key]  # the boxes re-read the selection when drawn


def chapter_box_key(source_id: str, index: int) -> str:
    return f"{CHAPTER_BOX}:{source_id[:16]}:{index}"


def show_matter_key(source_id: str) -> str:
    return f"{SHOW_MATTER}:{source_id[:16]}"


def reader_chapter_key(source_id: str) -> str:
    return f"{READER_CHAPTER}:{source_id[:16]}"


def show_chapter(source_id: str, chapter: int) -> None:
    """Make the reader show this chapter of the source next time it is drawn."""
    st.session_state[reader_chapter_key(source_id)] = chapter


def reader_target() -> dict[str, Any] | None:
    return st.session_state.get(READER_TARGET)


def open_in_reader(source_id: str, chapter: int, passage_id: str | None = None) -> None:
    """Callback: open a chapter (scrolled to a passage) in the reader."""
    st.session_state[READER_TARGET] = {
        "source_id": source_id,
        "chapter": chapter,
        "passage_id": passage_id,
    }
    st.session_state[SELECTED_SOURCE] = source_id
    st.session_state[reader_chapter_key(source_id)] = chapter
    st.session_state[NAV] = "Reader"


def clear_reader_target() -> None:
    st.session_state.pop(READER_TARGET, None)


# -- ask ----------------------------------------------------------------------------------
def pending_question() -> str | None:
    return st.session_state.get(PENDING_QUESTION)


def set_pending_question(question: str | None) -> None:
    st.session_state[PENDING_QUESTION] = question


def suggestions() -> dict[str, list[str]]:
    return _get(SUGGESTIONS, {})


def closest_passages() -> dict[int, list[dict[str, Any]]]:
    return _get(CLOSEST, {})


# -- podcast studio --------------------------------------------------------------------
def script_drafts() -> list[dict[str, Any]]:
    return _get(SCRIPT_DRAFTS, [])


def set_script_drafts(drafts: list[dict[str, Any]]) -> None:
    st.session_state[SCRIPT_DRAFTS] = drafts
    bump_script_version()


def script_version() -> int:
    return _get(SCRIPT_VERSION, 0)


def bump_script_version() -> None:
    st.session_state[SCRIPT_VERSION] = script_version() + 1


# -- jobs and uploads ------------------------------------------------------------------
def upload_nonce() -> int:
    return _get(UPLOAD_NONCE, 0)


def bump_upload_nonce() -> None:
    st.session_state[UPLOAD_NONCE] = upload_nonce() + 1


def seen_jobs() -> set[str]:
    return _get(SEEN_JOBS, set())


def samples_checked() -> bool:
    return bool(st.session_state.get(SAMPLES_CHECKED))


def mark_samples_checked() -> None:
    st.session_state[SAMPLES_CHECKED] = True


# -- settings -------------------------------------------------------------------------------
def settings_overrides() -> dict[str, dict[str, Any]]:
    return _get(SETTINGS_OVERRIDES, {})


def set_override(section: str, field: str, value: Any) -> None:
    settings_overrides().setdefault(section, {})[field] = value


def secret_keys() -> dict[str, str]:
    return _get(SECRET_KEYS, {})


def workspace_home() -> str | None:
    return st.session_state.get(WORKSPACE_HOME)


def set_workspace_home(home: str | None) -> None:
    st.session_state[WORKSPACE_HOME] = home


def flash_error(message: str) -> None:
    st.session_state[FLASH_ERROR] = message


def pop_flash_error() -> str | None:
    return st.session_state.pop(FLASH_ERROR, None)
