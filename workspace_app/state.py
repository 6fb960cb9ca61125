"""Every session-state key the app uses, behind typed accessors (one place to look).

No other module touches `st.session_state` (but `persistence`, which keeps some of it
across reloads): views call the functions here (`bind`,
`widget_value` and `set_widget_value` for widgets). The keys of widgets whose values
matter live below as constants or `*_key()` helpers, so a test (or a callback) can seed
or read them by name; buttons and one-off inputs keep plain `key=`s in their views.

Streamlit forgets a widget's value when the widget is not drawn (another screen), so a
choice never lives only in a widget key. It lives under a plain key that no widget owns;
`bind()` fills the widget from it whenever the widget is drawn afresh, and the widget's
`on_change` writes it back. What must outlive the session is persisted:

- in the address bar (`persistence.sync_query_params` / `restore`): the view, the source,
  its ticked chapters and the chapter being read, so a reload or a shared link opens the
  same place;
- in the workspace: the studio's choices and the script drafts with their edits
  (`app-preferences.json`, see `persistence.persist`); the Settings screen saves its
  choices with `pipelines.settings_file` (settings.toml, keys in keys.toml readable only
  by their owner), which the CLI reads too.
"""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

# -- plain keys (no widget owns them) -------------------------------------------------
SELECTED_SOURCE = "selected_source"  # str | None: the source the reader/studio works on
SCOPE = "scope_chapters"  # dict[source_id, list[int]]: ticked chapters per source
READING = "reading_position"  # dict[source_id, int]: the chapter open in the reader
READER_TARGET = "reader_target"  # dict(source_id, chapter, passage_id, quote) from a citation
PENDING_QUESTION = "pending_question"  # str | None: a suggested question to ask
SUGGESTIONS = "suggestions"  # dict[scope key, list[str]]
SCRIPT_DRAFTS = "script_drafts"  # list[dict]: scripts being edited (series = several)
SCRIPT_VERSION = "script_version"  # int: bumps to re-key the editor widgets after an edit
STUDIO = "studio_choices"  # dict[str, Any]: length, format, hosts, focus, series (persisted)
TAB_SESSION = "tab_session"  # (fingerprint, Session): this tab's one Session (resources.session)
WORKSPACE_HOME = "workspace_home"  # str | None: another workspace folder chosen in Settings
UPLOAD_NONCE = "upload_nonce"  # int: bumps to empty the file uploader after a batch
SEEN_JOBS = "seen_jobs"  # set[str]: finished jobs whose result the page already handled
ACTIVE_JOBS = "active_jobs"  # dict[kind, job id]: work this session started and is watching
LATEST_EPISODE = "latest_episode"  # str | None: the episode this session rendered last
SHOW_PLAYER = "show_player"  # bool: scroll to the player once (a render just finished)
SAMPLES_CHECKED = "samples_checked"  # bool
CLOSEST = "closest_passages"  # dict[chat entry id, list[dict]]: "don't say" answers' nearest text
FLASH = "flash"  # list[tuple[where, kind, text]]: messages from callbacks, shown once
RESTORED = "restored"  # bool: the address bar and preferences were read into this session
SAVED_PREFS = "saved_prefs"  # str: the preferences JSON last written (to skip equal writes)
RAISE_ERRORS = "raise_errors"  # bool: views re-raise instead of showing the friendly message
COMPANION = "companion_panel"  # str | None: the reader's companion panel picked
QUIZ_ANSWERS = "quiz_answers"  # dict[quiz item key, str]: the reader's checked answers
HOSTS_REPLIES = "hosts_replies"  # dict[episode id, dict]: the last exchange with the hosts
CONNECT_FOUND = "connect_found"  # dict[where, list[(name, base_url, models)]]: servers found
CONNECT_MODELS = "connect_models"  # dict[where, list[str]]: models an API listed

# -- widget keys ------------------------------------------------------------------------
NAV = "nav_view"
ASK_INPUT = "ask_input"
READER_CHAPTER = "reader_chapter"  # prefix: reader_chapter:<source id>
SHOW_MATTER = "show_matter"  # prefix: show_matter:<source id>
CHAPTER_BOX = "chk"  # prefix: chk:<source id>:<chapter index>
UPTO = "upto"  # prefix: upto:<source id>
SCRIPT_TEXT = "script_text"  # prefix: script_text:<version>:<draft>
STUDIO_WIDGET = "studio_"  # prefix: studio_<choice name>
SETTING_WIDGET = "set_"  # prefix: set_<section>_<field>
HOME_WIDGET = "set_home"  # the workspace folder field on the Settings screen
SUMMARY_KIND = "summary_kind"
SUMMARY_CHAPTER = "summary_chapter"
COMPANION_PANEL = "companion_pills"
EXPLAIN_INPUT = "explain_input"
QUIZ_CHAPTER = "quiz_chapter"  # prefix: quiz_chapter:<source id>
QUIZ_ANSWER = "quiz_answer"  # prefix: quiz_answer:<chapter id>:<n>
HOSTS_INPUT = "hosts_input"  # prefix: hosts_input:<episode id>

VIEWS = ("Reader", "Ask", "Quiz", "Summaries", "Podcast", "Notes", "Settings")
RAISE_ENV = "FOLIO_APP_RAISE"  # "1": views re-raise (tests), see `raise_errors`


def _get(key: str, default: Any) -> Any:
    if key not in st.session_state:
        st.session_state[key] = default
    return st.session_state[key]


def bind(widget_key: str, value: Any) -> str:
    """Show `value` (the stored choice) in a widget that is being drawn afresh."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value
    return widget_key


def widget_value(widget_key: str, default: Any = None) -> Any:
    return st.session_state.get(widget_key, default)


def set_widget_value(widget_key: str, value: Any) -> None:
    """Only from a callback or before the widget is drawn in this run."""
    st.session_state[widget_key] = value


def raise_errors() -> bool:
    """Tests see every view failure: FOLIO_APP_RAISE=1 or the session flag."""
    return os.environ.get(RAISE_ENV) == "1" or bool(st.session_state.get(RAISE_ERRORS))


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
    chosen: dict[str, list[int]] = _get(SCOPE, {})
    return chosen


def chosen_chapters(source_id: str) -> list[int]:
    return sorted(scope_chapters().get(source_id, []))


def set_chosen_chapters(source_id: str, indexes: list[int]) -> None:
    """Replace the ticked chapters; the boxes re-read the selection when next drawn."""
    chosen = scope_chapters()
    if indexes:
        chosen[source_id] = sorted(set(indexes))
    else:
        chosen.pop(source_id, None)
    prefix = f"{CHAPTER_BOX}:{source_id[:16]}:"
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(prefix):
            del st.session_state[key]


def chapter_box_key(source_id: str, index: int) -> str:
    return f"{CHAPTER_BOX}:{source_id[:16]}:{index}"


def show_matter_key(source_id: str) -> str:
    return f"{SHOW_MATTER}:{source_id[:16]}"


def show_matter(source_id: str) -> bool:
    return bool(st.session_state.get(show_matter_key(source_id)))


def upto_key(source_id: str) -> str:
    return f"{UPTO}:{source_id[:16]}"


# -- reading position ---------------------------------------------------------------------
def reader_chapter_key(source_id: str) -> str:
    return f"{READER_CHAPTER}:{source_id[:16]}"


def reading_position(source_id: str) -> int | None:
    positions: dict[str, int] = _get(READING, {})
    return positions.get(source_id)


def show_chapter(source_id: str, chapter: int) -> None:
    """Make the reader show this chapter of the source (now and after a reload)."""
    _get(READING, {})[source_id] = chapter
    st.session_state.pop(reader_chapter_key(source_id), None)


def reader_target() -> dict[str, Any] | None:
    return st.session_state.get(READER_TARGET)


def open_in_reader(
    source_id: str, chapter: int, passage_id: str | None = None, quote: str = ""
) -> None:
    """Callback: open a chapter (scrolled to a passage, the quote marked) in the reader."""
    st.session_state[READER_TARGET] = {
        "source_id": source_id,
        "chapter": chapter,
        "passage_id": passage_id,
        "quote": quote,
    }
    st.session_state[SELECTED_SOURCE] = source_id
    show_chapter(source_id, chapter)
    st.session_state[NAV] = "Reader"


def clear_reader_target() -> None:
    st.session_state.pop(READER_TARGET, None)


# -- reading companion ----------------------------------------------------------------------
def companion_panel() -> str | None:
    return st.session_state.get(COMPANION)


def store_companion_panel() -> None:
    """Callback: keep the panel the reader picked (None when they unpicked it)."""
    st.session_state[COMPANION] = st.session_state.get(COMPANION_PANEL)


def quiz_chapter_key(source_id: str) -> str:
    return f"{QUIZ_CHAPTER}:{source_id[:16]}"


def quiz_answer_key(chapter_id: str, n: int) -> str:
    return f"{QUIZ_ANSWER}:{chapter_id}:{n}"


def quiz_answers() -> dict[str, str]:
    """Checked answers by `quiz_answer_key`: what the reader answered."""
    answers: dict[str, str] = _get(QUIZ_ANSWERS, {})
    return answers


def hosts_input_key(episode_id: str) -> str:
    return f"{HOSTS_INPUT}:{episode_id}"


def hosts_replies() -> dict[str, dict[str, Any]]:
    replies: dict[str, dict[str, Any]] = _get(HOSTS_REPLIES, {})
    return replies


# -- ask ----------------------------------------------------------------------------------
def pending_question() -> str | None:
    return st.session_state.get(PENDING_QUESTION)


def set_pending_question(question: str | None) -> None:
    st.session_state[PENDING_QUESTION] = question


def suggestions() -> dict[str, list[str]]:
    cache: dict[str, list[str]] = _get(SUGGESTIONS, {})
    return cache


def closest_passages() -> dict[int, list[dict[str, Any]]]:
    closest: dict[int, list[dict[str, Any]]] = _get(CLOSEST, {})
    return closest


# -- podcast studio --------------------------------------------------------------------
def script_drafts() -> list[dict[str, Any]]:
    drafts: list[dict[str, Any]] = _get(SCRIPT_DRAFTS, [])
    return drafts


def set_script_drafts(drafts: list[dict[str, Any]]) -> None:
    st.session_state[SCRIPT_DRAFTS] = drafts
    bump_script_version()


def script_version() -> int:
    return int(_get(SCRIPT_VERSION, 0))


def bump_script_version() -> None:
    st.session_state[SCRIPT_VERSION] = script_version() + 1


def script_text_key(draft_no: int) -> str:
    return f"{SCRIPT_TEXT}:{script_version()}:{draft_no}"


def studio_choices() -> dict[str, Any]:
    choices: dict[str, Any] = _get(STUDIO, {})
    return choices


def studio_widget_key(name: str) -> str:
    return f"{STUDIO_WIDGET}{name}"


def store_studio_choice(name: str) -> None:
    """Callback: keep what the studio widget `name` now says."""
    studio_choices()[name] = st.session_state.get(studio_widget_key(name))


def latest_episode() -> str | None:
    return st.session_state.get(LATEST_EPISODE)


def set_latest_episode(episode_id: str | None, *, show: bool = False) -> None:
    st.session_state[LATEST_EPISODE] = episode_id
    st.session_state[SHOW_PLAYER] = show


def pop_show_player() -> bool:
    return bool(st.session_state.pop(SHOW_PLAYER, False))


# -- jobs and uploads ------------------------------------------------------------------
def upload_nonce() -> int:
    return int(_get(UPLOAD_NONCE, 0))


def bump_upload_nonce() -> None:
    st.session_state[UPLOAD_NONCE] = upload_nonce() + 1


def seen_jobs() -> set[str]:
    seen: set[str] = _get(SEEN_JOBS, set())
    return seen


def active_jobs() -> dict[str, str]:
    active: dict[str, str] = _get(ACTIVE_JOBS, {})
    return active


def samples_checked() -> bool:
    return bool(st.session_state.get(SAMPLES_CHECKED))


def mark_samples_checked() -> None:
    st.session_state[SAMPLES_CHECKED] = True


def flash(message: str, kind: str = "error", *, where: str = "main") -> None:
    """A message from a callback (kind: error | warning | info), shown once on the next
    draw of `where` ("main" or "sidebar")."""
    _get(FLASH, []).append((where, kind, message))


def flash_error(message: str) -> None:
    flash(message, "error")


def pop_flash(where: str = "main") -> list[tuple[str, str]]:
    """(kind, text) of the messages waiting for `where`; they are shown once."""
    waiting: list[tuple[str, str, str]] = _get(FLASH, [])
    mine = [(kind, text) for w, kind, text in waiting if w == where]
    st.session_state[FLASH] = [m for m in waiting if m[0] != where]
    return mine


# -- connecting a model (the welcome card and Settings) ---------------------------------------
def connect_key(where: str, name: str) -> str:
    """Widget key of the connect form drawn at `where` ("welcome" or "settings")."""
    return f"{where}_connect_{name}"


def found_servers(where: str) -> list[tuple[str, str, list[str]]]:
    found: dict[str, list[tuple[str, str, list[str]]]] = _get(CONNECT_FOUND, {})
    return found.get(where, [])


def set_found_servers(where: str, servers: list[tuple[str, str, list[str]]]) -> None:
    _get(CONNECT_FOUND, {})[where] = servers


def listed_models(where: str) -> list[str]:
    listed: dict[str, list[str]] = _get(CONNECT_MODELS, {})
    return listed.get(where, [])


def set_listed_models(where: str, models: list[str]) -> None:
    _get(CONNECT_MODELS, {})[where] = models


# -- settings -------------------------------------------------------------------------------
def tab_session() -> tuple[str, Any] | None:
    found: tuple[str, Any] | None = st.session_state.get(TAB_SESSION)
    return found


def set_tab_session(fingerprint: str, session: Any) -> None:
    st.session_state[TAB_SESSION] = (fingerprint, session)


def setting_key(section: str, field: str) -> str:
    return f"{SETTING_WIDGET}{section}_{field}"


def workspace_home() -> str | None:
    return st.session_state.get(WORKSPACE_HOME)


def set_workspace_home(home: str | None) -> None:
    st.session_state[WORKSPACE_HOME] = home
