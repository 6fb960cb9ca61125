"""TTS engines by name. Built-ins register like plugins; online engines are wrapped so a
failure falls back to the offline piper voices for the rest of the render, with a note."""

from __future__ import annotations

import logging
from collections.abc import Callable

from pipelines.errors import BackendError, ConfigError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec
from pipelines.settings import TTSSettings

log = logging.getLogger(__name__)

EngineFactory = Callable[[TTSSettings], TTSEngine]
_ENGINES: dict[str, EngineFactory] = {}


def register_tts(name: str, factory: EngineFactory, *, replace: bool = False) -> None:
    if name in _ENGINES and not replace:
        raise ConfigError(f"A TTS engine named '{name}' is already registered.")
    _ENGINES[name] = factory


def known_engines() -> list[str]:
    return sorted(_ENGINES)


class FallbackTTS(TTSEngine):
    """An online engine that hands over to an offline one the first time it fails.

    Voices of the primary engine are mapped to the fallback's host voices by position,
    so host A and host B stay distinct after the switch.
    """

    def __init__(self, primary: TTSEngine, fallback: TTSEngine) -> None:
        self.primary, self.fallback = primary, fallback
        self.name = primary.name
        self.online = primary.online
        self.failed: str | None = None
        self.notes: list[str] = []

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return self.primary.default_voices()

    def voices(self) -> list[str]:
        return self.primary.voices()

    @property
    def active(self) -> TTSEngine:
        return self.fallback if self.failed else self.primary

    def _mapped(self, voice: VoiceSpec) -> VoiceSpec:
        a, b = self.fallback.default_voices()
        primary_b = self.primary.default_voices()[1]
        return b if voice.voice == primary_b.voice or voice.pitch > 1.05 else a

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        if self.failed is None:
            try:
                return self.primary.synthesize(text, voice)
            except BackendError as exc:
                self.failed = str(exc)
                note = (
                    f"Online voices unavailable ({exc}); used the offline "
                    f"{self.fallback.name} voices instead."
                )
                self.notes.append(note)
                log.warning("%s", note)
        return self.fallback.synthesize(text, self._mapped(voice))


def get_tts(settings: TTSSettings | None = None, *, fallback: bool = True) -> TTSEngine:
    settings = settings or TTSSettings.model_validate({})
    factory = _ENGINES.get(settings.engine)
    if factory is None:
        raise ConfigError(
            f"Unknown TTS engine '{settings.engine}'; choose one of {', '.join(known_engines())} "
            "(FOLIO_TTS__ENGINE)."
        )
    engine = factory(settings)
    missing = engine.available()
    if missing and settings.engine != "piper":
        if not fallback:
            raise BackendError(f"The {engine.name} voice is not available here: {missing}.")
        piper = _ENGINES["piper"](settings)
        wrapped = FallbackTTS(engine, piper)
        wrapped.failed = missing
        wrapped.notes.append(f"The {engine.name} voice is not available ({missing}); used piper.")
        return wrapped
    if engine.online and fallback:
        return FallbackTTS(engine, _ENGINES["piper"](settings))
    return engine


def voices_for_hosts(
    engine: TTSEngine, settings: TTSSettings | None = None
) -> tuple[VoiceSpec, VoiceSpec]:
    """Host A and host B voices: the engine's defaults unless the settings name others."""
    a, b = engine.default_voices()
    if settings is not None and settings.voice_a:
        a = VoiceSpec(settings.voice_a, a.speed, a.pitch)
    if settings is not None and settings.voice_b:
        b = VoiceSpec(settings.voice_b, b.speed, b.pitch)
    return a, b


def _piper(_: TTSSettings) -> TTSEngine:
    from pipelines.podcast.tts.piper_engine import PiperEngine

    return PiperEngine()


def _espeak(_: TTSSettings) -> TTSEngine:
    from pipelines.podcast.tts.espeak import EspeakEngine

    return EspeakEngine()


def _edge(settings: TTSSettings) -> TTSEngine:
    from pipelines.podcast.tts.edge import EdgeEngine

    return EdgeEngine(timeout_s=settings.edge_timeout_s)


def _openai(settings: TTSSettings) -> TTSEngine:
    from pipelines.podcast.tts.openai_tts import OpenAISpeechEngine

    key = settings.api_key.get_secret_value() if settings.api_key else None
    return OpenAISpeechEngine(settings.base_url, key)


register_tts("piper", _piper)
register_tts("espeak", _espeak)
register_tts("edge", _edge)
register_tts("openai", _openai)
