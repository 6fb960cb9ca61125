"""Script -> voices -> one MP3 with chapter marks, plus transcripts.

One function per concern: `voice_turns` (parallel, cache first), `mix` (levels and pauses
into a WAV on disk, cues, chapter marks), `encode` (MP3, ID3 tags, check, atomic move),
`SegmentPreviews` (each segment playable as soon as it is voiced); `render_script` runs
them in order and times each stage.

Each turn's audio is cached by a hash of (engine, voice, speed, pitch, text), so an
interrupted render resumes where it stopped and an edit re-voices only what changed.
Turns are mixed straight into a WAV on disk (never the whole episode in memory), then
encoded once with ffmpeg from the imageio-ffmpeg wheel.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
import wave
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
SegmentReady = Callable[[int, Path], None]  # (segment index, WAV of that segment)

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
    stage_s: dict[str, float] = field(default_factory=dict)  # voices_s, mix_s, encode_s


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


def voice_turns(
    script: Script,
    *,
    tts: TTSEngine,
    voices: dict[str, VoiceSpec],
    cache: TurnCache,
    workers: int | None = None,
    on_turn: Callable[[int, AudioClip], None] | None = None,
) -> tuple[list[AudioClip], int, int]:
    """Voice every turn (cache first), `workers` turns at a time, in script order.

    `on_turn(index, clip)` is called in script order as soon as a turn and all turns
    before it are voiced. Returns (clips, synthesized, cached).
    """
    turns = script.turns
    workers = max(1, min(workers or os.cpu_count() or 1, len(turns) or 1))
    clips: list[AudioClip | None] = [None] * len(turns)
    hits = [False] * len(turns)

    def one(i: int) -> int:
        clips[i], hits[i] = _voice_turn(tts, turns[i].text, voices[turns[i].speaker], cache)
        return i

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="folio-voice") as pool:
        futures = [pool.submit(one, i) for i in range(len(turns))]  # in order: first come first
        try:
            for i, future in enumerate(futures):  # in script order
                future.result()
                if on_turn:
                    on_turn(i, clips[i])  # type: ignore[arg-type]
        except BaseException:
            for f in futures:
                f.cancel()
            raise
    cached = sum(hits)
    return [c for c in clips if c is not None], len(turns) - cached, cached


@dataclass
class Mix:
    duration_s: float
    cues: list[Cue]
    marks: list[ChapterMark]


def _segment_title(script: Script, segment: int) -> str:
    return script.segments[segment] if segment < len(script.segments) else f"Part {segment + 1}"


def mix(script: Script, clips: list[AudioClip], wav_path: Path) -> Mix:
    """Level every turn, join them with pauses into one WAV on disk; cues and chapter marks."""
    rate = clips[0].sample_rate
    cues: list[Cue] = []
    marks: list[ChapterMark] = []
    position = 0  # samples written
    with wave.open(str(wav_path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        previous = None
        for turn, clip in zip(script.turns, clips, strict=True):
            if previous is not None:
                pause = SEGMENT_PAUSE_S if turn.segment != previous else TURN_PAUSE_S
                silence = np.zeros(int(pause * rate), dtype=np.int16)
                out.writeframes(silence.tobytes())
                position += len(silence)
            if turn.segment != previous:
                marks.append(
                    ChapterMark(_segment_title(script, turn.segment), position * 1000 // rate, 0)
                )
            samples = _normalised(clip, rate)
            cues.append(
                Cue(position / rate, (position + len(samples)) / rate, turn.speaker, turn.text)
            )
            out.writeframes(samples.tobytes())
            position += len(samples)
            previous = turn.segment
    duration_s = position / rate
    end_ms = int(duration_s * 1000)
    for i, mark in enumerate(marks):
        mark.end_ms = marks[i + 1].start_ms if i + 1 < len(marks) else end_ms
    return Mix(duration_s, cues, marks)


def encode(wav_path: Path, mp3_path: Path, *, title: str, album: str, mixed: Mix) -> None:
    """WAV -> MP3 with ID3 title and chapter marks, checked, then moved into place atomically."""
    tmp = wav_path.with_suffix(".mp3")
    wav_to_mp3(wav_path, tmp)
    tag_mp3(tmp, title=title, album=album, chapters=mixed.marks)
    _check_mp3(tmp, mixed.duration_s)
    atomic_write(mp3_path, tmp.read_bytes())


class SegmentPreviews:
    """Each segment as its own WAV as soon as its turns are voiced (for playing while the
    rest renders); content-addressed under the turn cache, so re-renders reuse them."""

    def __init__(
        self, script: Script, voices: dict[str, VoiceSpec], root: Path, on_segment: SegmentReady
    ) -> None:
        self.script, self.root, self.on_segment = script, root, on_segment
        self.voices = voices
        self.pending: list[tuple[int, AudioClip]] = []

    def __call__(self, index: int, clip: AudioClip) -> None:
        turns = self.script.turns
        self.pending.append((index, clip))
        last_of_segment = (
            index + 1 == len(turns) or turns[index + 1].segment != turns[index].segment
        )
        if not last_of_segment:
            return
        segment = turns[index].segment
        part = [(turns[i], c) for i, c in self.pending]
        self.pending = []
        key = hashlib.sha256(
            "\n".join(f"{self.voices[t.speaker].cache_key()}|{t.text}" for t, _ in part).encode()
        ).hexdigest()
        path = self.root / f"{key}.wav"
        if not path.exists():
            rate = part[0][1].sample_rate
            pause = np.zeros(int(TURN_PAUSE_S * rate), dtype=np.int16).tobytes()
            body = pause.join(_normalised(c, rate).tobytes() for _, c in part)
            atomic_write(path, AudioClip(np.frombuffer(body, dtype=np.int16), rate).to_wav_bytes())
        self.on_segment(segment, path)


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
    on_segment: SegmentReady | None = None,
    workers: int | None = None,
) -> RenderResult:
    """Voices -> mix -> MP3 with chapter marks -> transcripts, timing each stage.

    `progress(stage, done, total)` for stages "voices", "mixing", "encoding";
    `on_segment(segment index, wav path)` as each segment becomes playable, in order.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = TurnCache(cache_dir)
    total = len(script.turns)
    times: dict[str, float] = {}
    finished = 0
    previews = (
        SegmentPreviews(script, voices, cache_dir / "segments", on_segment) if on_segment else None
    )

    def on_turn(index: int, clip: AudioClip) -> None:
        nonlocal finished
        finished += 1
        if progress:
            progress("voices", finished, total)
        if previews:
            previews(index, clip)

    if progress:
        progress("voices", 0, total)
    t0 = time.perf_counter()
    clips, synthesized, cached = voice_turns(
        script, tts=tts, voices=voices, cache=cache, workers=workers, on_turn=on_turn
    )
    times["voices_s"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="folio-mix-") as tmp:
        if progress:
            progress("mixing", 0, 1)
        t0 = time.perf_counter()
        wav_path = Path(tmp) / "mix.wav"
        mixed = mix(script, clips, wav_path)
        times["mix_s"] = time.perf_counter() - t0
        if progress:
            progress("mixing", 1, 1)
            progress("encoding", 0, 1)
        t0 = time.perf_counter()
        mp3_path = out_dir / f"{base_name}.mp3"
        encode(wav_path, mp3_path, title=script.title, album=album, mixed=mixed)
        times["encode_s"] = time.perf_counter() - t0
    transcripts = write_transcripts(mixed.cues, out_dir, base_name, title=script.title)
    if progress:
        progress("encoding", 1, 1)
    notes = list(getattr(tts, "notes", []))
    return RenderResult(
        mp3_path,
        transcripts,
        mixed.duration_s,
        synthesized,
        cached,
        mixed.marks,
        notes,
        {k: round(v, 3) for k, v in times.items()},
    )


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
