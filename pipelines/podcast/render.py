"""Script -> voices -> one MP3 with chapter marks, plus transcripts.

Each turn's audio is cached by a hash of (engine, voice, speed, pitch, text), so an
interrupted render resumes where it stopped and an edit re-voices only what changed.
Turns are mixed straight into a WAV on disk (never the whole episode in memory), then
encoded once with ffmpeg from the imageio-ffmpeg wheel.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipelines.errors import FolioError
from pipelines.podcast.ffmpeg import wav_to_mp3
from pipelines.podcast.mp3_tags import ChapterMark, tag_mp3
from pipelines.podcast.transcript import Cue, write_transcripts
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, resample
from pipelines.podcast.tts.registry import FallbackTTS
from pipelines.types import Script
from pipelines.workspace.store import atomic_write

log = logging.getLogger(__name__)

RenderProgress = Callable[[str, int, int], None]  # (stage, done, total)

TURN_PAUSE_S = 0.35
SEGMENT_PAUSE_S = 0.9
TARGET_RMS = 0.08  # ~ -22 dBFS: both voices at the same loudness
PEAK_LIMIT = 0.95


@dataclass
class RenderResult:
    mp3_path: Path
    transcript_paths: dict[str, Path]
    duration_s: float
    synthesized_turns: int
    cached_turns: int
    chapters: list[ChapterMark]
    notes: list[str] = field(default_factory=list)


def turn_key(engine: str, voice: VoiceSpec, text: str) -> str:
    return hashlib.sha256(f"{engine}\n{voice.cache_key()}\n{text}".encode()).hexdigest()


class TurnCache:
    """WAV files by turn key under the workspace's cache folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> AudioClip | None:
        path = self.path(key)
        if not path.exists():
            return None
        try:
            return AudioClip.from_wav_bytes(path.read_bytes())
        except Exception:  # a damaged cache entry is re-synthesised, never fatal
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, clip: AudioClip) -> None:
        atomic_write(self.path(key), clip.to_wav_bytes())


def _voice_turn(
    tts: TTSEngine, text: str, voice: VoiceSpec, cache: TurnCache
) -> tuple[AudioClip, bool]:
    """(clip, came_from_cache). After an online engine failed, the offline one's cache is used."""
    engine, spec = tts, voice
    if isinstance(tts, FallbackTTS) and tts.failed:
        engine, spec = tts.fallback, tts._mapped(voice)
    key = turn_key(engine.name, spec, text)
    if (clip := cache.get(key)) is not None:
        return clip, True
    clip = engine.synthesize(text, spec)
    if isinstance(tts, FallbackTTS) and tts.failed and engine is tts:
        key = turn_key(
            tts.fallback.name, tts._mapped(voice), text
        )  # it was the fallback that spoke
    if clip.duration_s <= 0:
        raise FolioError("The voice produced no audio for a turn; check the TTS settings.")
    cache.put(key, clip)
    return clip, False


def _normalised(clip: AudioClip, rate: int) -> np.ndarray:
    samples = (
        clip.samples
        if clip.sample_rate == rate
        else resample(clip.samples, clip.sample_rate / rate)
    )
    audio = samples.astype(np.float32) / 32768.0
    rms = float(np.sqrt(np.mean(audio**2))) if len(audio) else 0.0
    if rms > 1e-4:
        audio *= TARGET_RMS / rms
    peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
    if peak > PEAK_LIMIT:
        audio *= PEAK_LIMIT / peak
    return (audio * 32767).astype(np.int16)


def render_script(
    script: Script,
    out_dir: Path,
    *,
    tts: TTSEngine,
    voices: dict[str, VoiceSpec],
    cache_dir: Path,
    album: str = "",
    progress: RenderProgress | None = None,
    base_name: str = "episode",
) -> RenderResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = TurnCache(cache_dir)
    total = len(script.turns)
    clips: list[AudioClip] = []
    synthesized = cached = 0
    for n, turn in enumerate(script.turns, 1):
        if progress:
            progress("voices", n - 1, total)
        clip, hit = _voice_turn(tts, turn.text, voices[turn.speaker], cache)
        cached += hit
        synthesized += not hit
        clips.append(clip)
    if progress:
        progress("voices", total, total)
        progress("mixing", 0, 1)

    rate = clips[0].sample_rate
    cues: list[Cue] = []
    marks: list[ChapterMark] = []
    with tempfile.TemporaryDirectory(prefix="folio-mix-") as tmp:
        wav_path = Path(tmp) / "mix.wav"
        position = 0  # samples written
        with wave.open(str(wav_path), "wb") as mix:
            mix.setnchannels(1)
            mix.setsampwidth(2)
            mix.setframerate(rate)
            previous_segment = None
            for turn, clip in zip(script.turns, clips, strict=True):
                if previous_segment is not None:
                    pause = SEGMENT_PAUSE_S if turn.segment != previous_segment else TURN_PAUSE_S
                    silence = np.zeros(int(pause * rate), dtype=np.int16)
                    mix.writeframes(silence.tobytes())
                    position += len(silence)
                if turn.segment != previous_segment:
                    title = (
                        script.segments[turn.segment]
                        if turn.segment < len(script.segments)
                        else f"Part {turn.segment + 1}"
                    )
                    marks.append(ChapterMark(title, position * 1000 // rate, 0))
                samples = _normalised(clip, rate)
                cues.append(
                    Cue(position / rate, (position + len(samples)) / rate, turn.speaker, turn.text)
                )
                mix.writeframes(samples.tobytes())
                position += len(samples)
                previous_segment = turn.segment
        duration_s = position / rate
        end_ms = int(duration_s * 1000)
        for i, mark in enumerate(marks):
            mark.end_ms = marks[i + 1].start_ms if i + 1 < len(marks) else end_ms
        mp3_tmp = Path(tmp) / "episode.mp3"
        wav_to_mp3(wav_path, mp3_tmp)
        tag_mp3(mp3_tmp, title=script.title, album=album, chapters=marks)
        _check_mp3(mp3_tmp, duration_s)
        mp3_path = out_dir / f"{base_name}.mp3"
        atomic_write(mp3_path, mp3_tmp.read_bytes())
    transcripts = write_transcripts(cues, out_dir, base_name, title=script.title)
    if progress:
        progress("mixing", 1, 1)
    notes = list(getattr(tts, "notes", []))
    return RenderResult(mp3_path, transcripts, duration_s, synthesized, cached, marks, notes)


def _check_mp3(path: Path, expected_s: float) -> None:
    """Never present an empty or truncated MP3 as done."""
    from mutagen.mp3 import MP3

    try:
        info = MP3(path).info
        length = float(info.length) if info is not None else 0.0
    except Exception as exc:
        raise FolioError(f"The MP3 could not be written correctly ({exc}).") from exc
    if length <= 0.5 or abs(length - expected_s) > max(1.5, 0.05 * expected_s):
        raise FolioError(
            f"The MP3 came out {length:.1f} s long instead of {expected_s:.1f} s; not saved."
        )
