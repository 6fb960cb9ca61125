"""The TTS engine interface: `synthesize(text, voice) -> AudioClip`, nothing engine-specific
in the signature. A VoiceSpec names a voice of the engine plus speed and pitch, which
every engine honours the same way (pitch by resampling, see `shift_pitch`)."""

from __future__ import annotations

import io
import wave
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class VoiceSpec:
    voice: str  # the engine's voice id ("en_US-joe-medium", "en-US-AriaNeural", "en-us+f3")
    speed: float = 1.0  # > 1 speaks faster
    pitch: float = 1.0  # > 1 sounds higher (resampling factor)

    def cache_key(self) -> str:
        return f"{self.voice}|{self.speed:.3f}|{self.pitch:.3f}"


@dataclass
class AudioClip:
    samples: np.ndarray  # mono int16
    sample_rate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate if self.sample_rate else 0.0

    def to_wav_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(self.samples.astype(np.int16).tobytes())
        return buffer.getvalue()

    @classmethod
    def from_wav_bytes(cls, data: bytes) -> AudioClip:
        with wave.open(io.BytesIO(data), "rb") as src:
            rate, channels, width = src.getframerate(), src.getnchannels(), src.getsampwidth()
            frames = src.readframes(src.getnframes())
        if width != 2:
            raise ValueError(f"expected 16-bit WAV, got {8 * width}-bit")
        samples = np.frombuffer(frames, dtype=np.int16)
        if channels > 1:
            samples = samples.reshape(-1, channels).mean(axis=1).astype(np.int16)
        return cls(samples.copy(), rate)


def resample(samples: np.ndarray, factor: float) -> np.ndarray:
    """Linear-interpolation resampling to len/factor samples."""
    if abs(factor - 1.0) < 1e-3 or len(samples) < 2:
        return samples
    n_out = max(1, int(round(len(samples) / factor)))
    positions = np.linspace(0, len(samples) - 1, n_out)
    return np.interp(positions, np.arange(len(samples)), samples.astype(np.float32)).astype(
        np.int16
    )


def shift_pitch(clip: AudioClip, factor: float) -> AudioClip:
    """Raise pitch by `factor` by playing the samples faster (it also shortens the clip;
    engines compensate by speaking slower first)."""
    return AudioClip(resample(clip.samples, factor), clip.sample_rate)


class TTSEngine(ABC):
    """A text-to-speech engine. Constructors are cheap; models load on first use."""

    name: str = "tts"
    online: bool = False  # needs the network (so it can fail and fall back)
    # turns voiced at once by a render: None = one per core; 1 where parallel turns
    # finish no sooner than sequential ones (then the first turn is ready soonest)
    max_workers: int | None = None

    @abstractmethod
    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        """Speech for `text`; raises BackendError when the engine cannot speak."""

    def stream(self, text: str, voice: VoiceSpec) -> Iterator[AudioClip]:
        """The speech for `text` in consecutive pieces (e.g. a sentence each), each as
        soon as it is made; played one after the other they are the whole text. Engines
        that cannot stream give one piece."""
        yield self.synthesize(text, voice)

    @abstractmethod
    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        """Two clearly different voices for host A and host B."""

    def voices(self) -> list[str]:
        """Voice ids a user can pick from."""
        return sorted({v.voice for v in self.default_voices()})

    def available(self) -> str | None:
        """None when the engine can run here, else what to install or set."""
        return None

    def warm_up(self) -> None:  # noqa: B027 - optional, not abstract
        """Load what the first synthesis would (a model), so a render starts at once.
        Cheap engines need nothing."""

    def describe_voice(self, voice: str) -> str:
        """How a voice is shown in a list ("Heart — American woman"); its id by default."""
        return voice

    def preview(self, text: str, voice: VoiceSpec | str | None = None) -> bytes:
        """A short WAV to hear a voice (the settings screen's "preview voice")."""
        if voice is None:
            spec = self.default_voices()[0]
        elif isinstance(voice, str):
            spec = next((v for v in self.default_voices() if v.voice == voice), VoiceSpec(voice))
        else:
            spec = voice
        return self.synthesize(text, spec).to_wav_bytes()
