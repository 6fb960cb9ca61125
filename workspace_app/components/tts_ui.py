"""Voice choices for the podcast hosts and a short preview, through pipelines' TTS registry."""

from __future__ import annotations

import streamlit as st

from pipelines.errors import FolioError
from workspace_app import resources

PREVIEW_LINE = "Hello, and welcome to Folio. Today we are reading together."


def _registry():
    try:
        from pipelines.podcast.tts import registry
    except ImportError:
        return None
    return registry


def engines() -> list[str]:
    reg = _registry()
    names = list(getattr(reg, "known_engines", lambda: [])()) if reg else []
    return names or ["piper", "espeak", "edge", "openai"]


def voices(engine: str) -> list[str]:
    reg = _registry()
    if reg is None:
        return []
    try:
        tts = reg.get_tts(resources.settings().tts.model_copy(update={"engine": engine}))
        return [str(v) for v in tts.voices()]
    except (FolioError, AttributeError, TypeError):
        return []


def voice_pickers(key_a: str, key_b: str) -> None:
    """Two voice choices (free text when the engine cannot list its voices)."""
    tts = resources.settings().tts
    names = voices(tts.engine)
    with st.container(horizontal=True, gap="medium"):
        for key, default, label in (
            (key_a, tts.voice_a, "First voice"),
            (key_b, tts.voice_b, "Second voice"),
        ):
            if names:
                if st.session_state.get(key) not in names:
                    st.session_state[key] = (
                        default
                        if default in names
                        else names[0 if key == key_a else min(1, len(names) - 1)]
                    )
                st.selectbox(label, names, key=key)
            else:
                st.session_state.setdefault(key, default)
                st.text_input(label, key=key, placeholder="engine default")


def preview(engine: str, voice: str) -> bytes | None:
    """A short line in `voice`; shows the problem in plain words when it fails."""
    reg = _registry()
    if reg is None:
        st.info("Voices are not installed in this build yet.")
        return None
    try:
        tts = reg.get_tts(resources.settings().tts.model_copy(update={"engine": engine}))
        return tts.preview(PREVIEW_LINE, voice)
    except FolioError as exc:
        st.error(str(exc))
    return None
