"""TTS engines by name (FOLIO_TTS__ENGINE). Built-ins register like plugins, declaring
whether they work offline and whether they may stand in for another engine; an engine that
is missing here, or online and fails, hands over to the registered fallback for the rest of
the render, with a note."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from pipelines.errors import BackendError
from pipelines.plugins import Registry
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec
from pipelines.settings import TTSSettings

log = logging.getLogger(__name__)

EngineFactory = Callable[[TTSSettings], TTSEngine]

ENGINES: Registry[EngineFactory] = Registry("TTS engine", "FOLIO_TTS__ENGINE")


def register_tts(
    name: str,
    factory: EngineFactory,
    *,
    offline: bool,
    fallback: bool = False,
    replace: bool = False,
) -> None:
    """Make `name` selectable as FOLIO_TTS__ENGINE (see pipelines.plugins)."""
    ENGINES.register(name, factory, offline=offline, fallback=fallback, replace=replace)


def known_engines() -> list[str]:
    return ENGINES.names()


class FallbackTTS(TTSEngine):
    """An engine that hands over to an offline one: at once when it cannot run here
    (`unavailable` says why), else the first time it fails.

    Voices of the primary engine are mapped to the fallback's host voices by position,
    so host A and host B stay distinct after the switch.
    """

    def __init__(
        self, primary: TTSEngine, fallback: TTSEngine, *, unavailable: str | None = None
    ) -> None:
        self.primary, self.fallback = primary, fallback
        self.name = primary.name
        self.online = primary.online
        self.failed: str | None = unavailable
        self.notes: list[str] = []
        if unavailable:
            self.notes.append(
                f"The {primary.name} voice is not available ({unavailable}); used {fallback.name}."
            )

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return self.primary.default_voices()

    def voices(self) -> list[str]:
        return self.primary.voices()

    def describe_voice(self, voice: str) -> str:
        return self.primary.describe_voice(voice)

    def warm_up(self) -> None:
        self.active.warm_up()

    @property
    def active(self) -> TTSEngine:
        return self.fallback if self.failed else self.primary

    def stream(self, text: str, voice: VoiceSpec) -> Iterator[AudioClip]:
        if self.failed:  # the fallback streams in its own pieces
            yield from self.fallback.stream(text, self._mapped(voice))
        else:  # one piece, so a failure can still hand the whole turn over
            yield self.synthesize(text, voice)

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


def get_tts(settings: TTSSettings, *, fallback: bool = True) -> TTSEngine:
    """The engine named by `settings.engine`; unless `fallback=False`, one that is missing
    here or online is wrapped so the registered fallback engine takes over."""
    entry = ENGINES.entry(settings.engine)
    engine = entry.factory(settings)
    if entry.fallback:
        return engine
    missing = engine.available()
    backup = ENGINES.fallback() if fallback else None
    if missing:
        if backup is None:
            raise BackendError(f"The {engine.name} voice is not available here: {missing}.")
        return FallbackTTS(engine, backup.factory(settings), unavailable=missing)
    if not entry.offline and backup is not None:
        return FallbackTTS(engine, backup.factory(settings))
    return engine


def voices_for_hosts(engine: TTSEngine, settings: TTSSettings) -> tuple[VoiceSpec, VoiceSpec]:
    """Host A and host B voices: the engine's defaults unless the settings name others."""
    a, b = engine.default_voices()
    if settings.voice_a:
        a = VoiceSpec(settings.voice_a, a.speed, a.pitch)
    if settings.voice_b:
        b = VoiceSpec(settings.voice_b, b.speed, b.pitch)
    return a, b


def _piper(_: TTSSettings) -> TTSEngine:
    from pipelines.podcast.tts.piper_engine import PiperEngine

    return PiperEngine()


def _kokoro(settings: TTSSettings) -> TTSEngine:
    from pipelines.podcast.tts.kokoro_engine import KokoroEngine
    from pipelines.podcast.tts.kokoro_files import kokoro_dir

    return KokoroEngine(kokoro_dir(settings.kokoro_dir))


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


register_tts("kokoro", _kokoro, offline=True)
register_tts("piper", _piper, offline=True, fallback=True)
register_tts("espeak", _espeak, offline=True)
register_tts("edge", _edge, offline=False)
register_tts("openai", _openai, offline=False)
