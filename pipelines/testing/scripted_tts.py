"""A scripted stand-in TTS engine for tests of code that sits on top of a voice
(rendering, fallbacks, caching) without paying for a real one.

A real `TTSEngine` subclass, not a mock: it speaks a quiet tone whose length follows the
words and the voice's speed and pitch, records every call, and can be told to fail
(`fail_after`, or a queue of errors) or to be missing (`missing`) to drive fallbacks.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from pipelines.errors import BackendError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, shift_pitch

SAMPLE_RATE = 16000
WORDS_PER_SECOND = 2.5


@dataclass
class SpokenCall:
    text: str
    voice: VoiceSpec


class ScriptedTTS(TTSEngine):
    """Speaks a tone of ~0.4 s per word; host A at 220 Hz, any other voice at 330 Hz."""

    name = "scripted"

    def __init__(
        self,
        *,
        online: bool = False,
        missing: str | None = None,
        fail_after: int | None = None,
        errors: Iterable[BackendError] = (),
    ) -> None:
        self.online = online
        self.missing = missing
        self.fail_after = fail_after
        self.errors: deque[BackendError] = deque(errors)
        self.calls: list[SpokenCall] = []

    def available(self) -> str | None:
        return self.missing

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec("scripted-a"), VoiceSpec("scripted-b", pitch=1.2)

    def enqueue(self, *errors: BackendError) -> ScriptedTTS:
        """Fail the next calls with these errors, one per call."""
        self.errors.extend(errors)
        return self

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        self.calls.append(SpokenCall(text, voice))
        if self.missing:
            raise BackendError(f"The scripted voice is not available: {self.missing}")
        if self.errors:
            raise self.errors.popleft()
        if self.fail_after is not None and len(self.calls) > self.fail_after:
            raise BackendError(f"scripted failure after {self.fail_after} turns")
        words = max(1, len(text.split()))
        seconds = words / WORDS_PER_SECOND / max(voice.speed, 0.1)
        hz = 220.0 if voice.voice == self.default_voices()[0].voice else 330.0
        t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
        samples = (0.2 * 32767 * np.sin(2 * np.pi * hz * t)).astype(np.int16)
        return shift_pitch(AudioClip(samples, SAMPLE_RATE), voice.pitch)
