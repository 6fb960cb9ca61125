"""Voice choices for the podcast hosts and a short preview, through pipelines' TTS registry.

The engine and the two voices have one owner: the session's `tts` settings overrides
(saved in the workspace). The Settings screen and the studio both draw pickers over
them, and rendering uses the same Settings, so the voices shown are the voices heard.
"""

from __future__ import annotations

import logging
import threading
from types import ModuleType

import streamlit as st

from pipelines.errors import FolioError
from workspace_app import resources, state

log = logging.getLogger("folio.app")
PREVIEW_LINE = "Hello, and welcome to Folio. Today we are reading together."
SLOTS = (("voice_a", "First host's voice"), ("voice_b", "Second host's voice"))


def _registry() -> ModuleType | None:
    try:
        from pipelines.podcast.tts import registry
    except ImportError:
        return None
    return registry


def engines() -> list[str]:
    reg = _registry()
    names = list(getattr(reg, "known_engines", lambda: [])()) if reg else []
    return names or ["kokoro", "piper", "espeak", "edge", "openai"]


def voices(engine: str) -> list[str]:
    reg = _registry()
    if reg is None:
        return []
    try:
        tts = reg.get_tts(resources.settings().tts.model_copy(update={"engine": engine}))
        return [str(v) for v in tts.voices()]
    except (FolioError, AttributeError, TypeError):
        return []


def default_voice(engine: str, field: str) -> str:
    """The voice the engine gives a host when none is chosen (shown, not saved)."""
    reg = _registry()
    if reg is None:
        return ""
    try:
        tts = reg.get_tts(resources.settings().tts.model_copy(update={"engine": engine}))
        a, b = tts.default_voices()
    except (FolioError, AttributeError, TypeError):
        return ""
    return str((a if field == "voice_a" else b).voice)


def voice_names(engine: str) -> dict[str, str]:
    """Each voice's id -> how the engine names it ("af_heart" -> "Heart — American woman")."""
    reg = _registry()
    if reg is None:
        return {}
    try:
        tts = reg.get_tts(resources.settings().tts.model_copy(update={"engine": engine}))
        return {str(v): str(tts.describe_voice(v)) for v in tts.voices()}
    except (FolioError, AttributeError, TypeError):
        return {}


def chosen_voice(field: str, names: list[str], default: str = "") -> str:
    """The voice for a slot. A chosen voice the engine does not have (another engine's)
    is replaced by the engine's `default` for that host (and the replacement kept, so
    rendering uses it); no choice means the engine's default."""
    current = str(getattr(resources.settings().tts, field) or "")
    if names and current and current not in names:
        slot = names[0 if field == "voice_a" else min(1, len(names) - 1)]
        current = default if default in names else slot
        resources.save_choice("tts", field, current)
    return current


def _store(field: str, key: str) -> None:
    resources.save_choice("tts", field, state.widget_value(key) or "")


def voice_pickers(prefix: str, *, horizontal: bool = True) -> None:
    """Two voice choices for the current engine (free text when it cannot list voices)."""
    engine = resources.settings().tts.engine
    names = voices(engine)
    shown = voice_names(engine)
    with st.container(horizontal=horizontal, gap="medium"):
        for field, label in SLOTS:
            key = f"{prefix}{field}"
            default = default_voice(engine, field)
            value = chosen_voice(field, names, default) or default
            if state.widget_value(key) != value:
                state.set_widget_value(key, value)
            if names:
                st.selectbox(
                    label,
                    names,
                    key=key,
                    format_func=lambda v: shown.get(v, v),
                    on_change=_store,
                    args=(field, key),
                )
            else:
                st.text_input(
                    label,
                    key=key,
                    placeholder="engine default",
                    on_change=_store,
                    args=(field, key),
                )


@st.cache_resource(show_spinner=False)
def _warming(engine: str, folder: str) -> threading.Thread:
    """Once per process and engine: load its model in the background."""

    def work() -> None:
        reg = _registry()
        try:
            settings = resources.settings().tts.model_copy(update={"engine": engine})
            if reg is not None:
                reg.get_tts(settings).warm_up()
        except Exception as exc:  # only an optimisation: the render says what is wrong
            log.info("Could not warm up the %s voice: %s", engine, exc)

    thread = threading.Thread(target=work, name=f"folio-warm-{engine}", daemon=True)
    thread.start()
    return thread


def warm_up() -> None:
    """Get the chosen voice ready while a script is edited, so Render starts speaking at
    once (Kokoro's model takes a second or two to load and first run)."""
    tts = resources.settings().tts
    _warming(tts.engine, tts.kokoro_dir)


def preview(engine: str, voice: str) -> bytes | None:
    """A short line in `voice`; shows the problem in plain words when it fails."""
    reg = _registry()
    if reg is None:
        st.info("Voices are not installed in this build yet.")
        return None
    try:
        tts = reg.get_tts(resources.settings().tts.model_copy(update={"engine": engine}))
        audio: bytes = tts.preview(PREVIEW_LINE, voice)
        return audio
    except FolioError as exc:
        st.error(str(exc))
    return None
