"""The contract every TTS engine honours; each engine's tests subclass this with an
`engine` fixture (haystack-style contract mixin).

`speaks` says whether the engine can produce audio in this test (False for online
engines, which cannot reach their service here: their contract is then to fail fast with
a BackendError that says what happened, and to hand over to the registered fallback).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from pipelines.errors import BackendError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec
from pipelines.podcast.tts.registry import ENGINES, FallbackTTS

TEXT = "Hello there, reader. This is a short test."


class TTSContract:
    speaks: bool = True
    fail_within_s: float = 10.0  # an engine that cannot speak says so quickly

    @pytest.fixture
    def engine(self) -> TTSEngine:
        raise NotImplementedError

    def test_flags_and_voices(self, engine: TTSEngine) -> None:
        assert isinstance(engine.name, str) and engine.name
        assert isinstance(engine.online, bool)
        a, b = engine.default_voices()
        assert isinstance(a, VoiceSpec) and isinstance(b, VoiceSpec)
        assert (a.voice, a.pitch) != (b.voice, b.pitch), "host A and B must sound different"
        assert {a.voice, b.voice} <= set(engine.voices())
        missing = engine.available()
        assert missing is None or (isinstance(missing, str) and missing.strip())

    def test_speaks_or_fails_clearly(self, engine: TTSEngine) -> None:
        a, b = engine.default_voices()
        if not self.speaks:
            started = time.monotonic()
            with pytest.raises(BackendError) as failure:
                engine.synthesize(TEXT, a)
            assert time.monotonic() - started < self.fail_within_s
            assert str(failure.value).strip()
            return
        clips = [engine.synthesize(TEXT, v) for v in (a, b)]
        for clip in clips:
            assert isinstance(clip, AudioClip) and clip.sample_rate > 0
            assert clip.samples.dtype == np.int16 and clip.samples.ndim == 1
            assert 0.5 < clip.duration_s < 30
            assert np.abs(clip.samples.astype(np.int32)).max() > 100  # not silence
        assert not np.array_equal(clips[0].samples, clips[1].samples)

    def test_preview_is_a_wav(self, engine: TTSEngine) -> None:
        if not self.speaks:
            with pytest.raises(BackendError):
                engine.preview("Hello.")
            return
        wav = engine.preview("Hello.")
        assert wav[:4] == b"RIFF" and AudioClip.from_wav_bytes(wav).duration_s > 0.1


class RegisteredEngineContract(TTSContract):
    """For the engines the registry offers."""

    def test_registration_matches_the_engine(self, engine: TTSEngine) -> None:
        entry = ENGINES.entry(engine.name)
        assert entry.offline is not engine.online
        assert not (entry.fallback and engine.online)


class OnlineEngineContract(TTSContract):
    """For engines that need a service: `get_tts` wraps them with the offline fallback."""

    def test_unreachable_hands_over_to_the_fallback(self, engine: TTSEngine) -> None:
        """Wrapped as `get_tts` wraps an online engine, a failure switches to the
        registered fallback for the rest of the render, with a note; host B stays B."""
        backup = ENGINES.fallback()
        assert backup is not None and engine.online and engine.name != backup.name
        wrapped = FallbackTTS(engine, _Recorder(backup.factory))
        a, b = wrapped.default_voices()
        first = wrapped.synthesize(TEXT, a)
        if self.speaks:
            assert wrapped.failed is None and wrapped.active is engine
            return
        second = wrapped.synthesize(TEXT, b)
        assert wrapped.failed and wrapped.active is wrapped.fallback
        assert first.duration_s > 0.5 and second.duration_s > 0.5
        assert len(wrapped.notes) == 1 and backup.name in wrapped.notes[0]
        fa, fb = wrapped.fallback.default_voices()
        assert wrapped.fallback.voices_used == [fa, fb]  # type: ignore[attr-defined]


class _Recorder(TTSEngine):
    """The fallback engine, recording which voices it was asked for."""

    def __init__(self, factory) -> None:  # type: ignore[no-untyped-def]
        from pipelines.settings import TTSSettings

        self.inner: TTSEngine = factory(TTSSettings())
        self.name = self.inner.name
        self.voices_used: list[VoiceSpec] = []

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return self.inner.default_voices()

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        self.voices_used.append(voice)
        return self.inner.synthesize(text, voice)
