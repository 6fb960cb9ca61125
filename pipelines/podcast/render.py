"""Script -> voices -> one MP3 with chapter marks, plus transcripts.

One function per concern: `voice_turns` (voicing.py: speech-ready text, turn cache,
pieces in script order), `LiveParts` (live.py: what is voiced so far, playable at once),
`mix` (levels and pauses into a WAV on disk, cues, chapter marks), `encode` (MP3, ID3
tags, check, atomic move); `render_script` runs them in order and times each stage.

Turns are mixed straight into a WAV on disk (never the whole episode in memory), then
encoded once with ffmpeg from the imageio-ffmpeg wheel.
"""

from __future__ import annotations

import logging
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipelines.errors import FolioError
from pipelines.podcast.ffmpeg import wav_to_mp3
from pipelines.podcast.live import LiveParts, PartCallback, PartReady, levelled, pause_before
from pipelines.podcast.mp3_tags import ChapterMark, tag_mp3
from pipelines.podcast.transcript import Cue, write_transcripts
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec
from pipelines.podcast.voicing import TurnCache, voice_turns
from pipelines.types import Script
from pipelines.workspace.store import atomic_write

log = logging.getLogger(__name__)

RenderProgress = Callable[[str, int, int], None]  # (stage, done, total)

__all__ = ["PartReady", "RenderProgress", "RenderResult", "encode", "mix", "render_script"]


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
    parts: list[PartReady] = field(default_factory=list)  # handed over while voicing


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
        for n, (turn, clip) in enumerate(zip(script.turns, clips, strict=True)):
            silence = np.zeros(int(pause_before(script, n) * rate), dtype=np.int16)
            out.writeframes(silence.tobytes())
            position += len(silence)
            if turn.segment != previous:
                marks.append(
                    ChapterMark(_segment_title(script, turn.segment), position * 1000 // rate, 0)
                )
            samples = levelled(clip, rate)
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
    on_part: PartCallback | None = None,
    workers: int | None = None,
) -> RenderResult:
    """Voices -> mix -> MP3 with chapter marks -> transcripts, timing each stage.

    `progress(stage, done, total)` for stages "voices", "mixing", "encoding";
    `on_part(PartReady)` each time more of the episode is playable, in order, while
    the rest is voiced (see live.py for when).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    cache = TurnCache(cache_dir)
    total = len(script.turns)
    times: dict[str, float] = {}
    live = LiveParts(script, cache_dir / "live", on_part) if on_part else None
    turns_done = 0

    def on_piece(turn: int, piece: AudioClip) -> None:
        nonlocal turns_done
        if live:
            live.add(turn, piece)
        if progress and turn > turns_done:  # the turns before this one are voiced
            turns_done = turn
            progress("voices", turns_done, total)

    if progress:
        progress("voices", 0, total)
    t0 = time.perf_counter()
    voiced = voice_turns(
        script, tts=tts, voices=voices, cache=cache, workers=workers, on_piece=on_piece
    )
    if live:
        live.finish()
    if progress:
        progress("voices", total, total)
    times["voices_s"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="folio-mix-") as tmp:
        if progress:
            progress("mixing", 0, 1)
        t0 = time.perf_counter()
        wav_path = Path(tmp) / "mix.wav"
        mixed = mix(script, voiced.clips, wav_path)
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
        voiced.synthesized,
        voiced.cached,
        mixed.marks,
        notes,
        {k: round(v, 3) for k, v in times.items()},
        live.parts if live else [],
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
