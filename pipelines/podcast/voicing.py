"""Voicing a script's turns: speech-ready text, the content-addressed turn cache, and
pieces handed on in script order as soon as they are made.

Each turn is said as `speech_text(turn.text)` (numbers, money, abbreviations in words);
the script keeps what was written. A turn's audio is cached by a hash of (engine, voice,
speed, pitch, spoken text), so an interrupted render resumes where it stopped and an edit
re-voices only what changed. An engine voices a turn in pieces (Kokoro and piper: a
sentence each); `on_piece` gets them in script order while later turns are still being
voiced, which is what lets the studio play the start of an episode at once.
"""

from __future__ import annotations

import hashlib
import os
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.errors import FolioError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec
from pipelines.podcast.tts.registry import FallbackTTS
from pipelines.text.speech import speech_text
from pipelines.types import Script
from pipelines.workspace.store import atomic_write

PieceReady = Callable[[int, AudioClip], None]  # (turn index, piece), in script order


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


@dataclass
class _TurnDone:
    whole: AudioClip
    cached: bool


@dataclass
class Voiced:
    clips: list[AudioClip]  # one per turn, in script order
    synthesized: int
    cached: int


def _speaker(tts: TTSEngine, voice: VoiceSpec) -> tuple[TTSEngine, VoiceSpec]:
    """The engine and voice that will speak: after an online engine failed, the fallback."""
    if isinstance(tts, FallbackTTS) and tts.failed:
        return tts.fallback, tts._mapped(voice)
    return tts, voice


def voice_turn(
    tts: TTSEngine,
    text: str,
    voice: VoiceSpec,
    cache: TurnCache,
    on_piece: Callable[[AudioClip], None] = lambda piece: None,
) -> tuple[AudioClip, bool]:
    """(the whole turn, came_from_cache); `on_piece` gets each piece as it is made
    (a cached turn is one piece)."""
    spoken = speech_text(text)
    engine, spec = _speaker(tts, voice)
    key = turn_key(engine.name, spec, spoken)
    if (clip := cache.get(key)) is not None:
        on_piece(clip)
        return clip, True
    pieces: list[AudioClip] = []
    for piece in engine.stream(spoken, spec):
        pieces.append(piece)
        on_piece(piece)
    if not pieces or sum(len(p.samples) for p in pieces) == 0:
        raise FolioError("The voice produced no audio for a turn; check the TTS settings.")
    whole = AudioClip(np.concatenate([p.samples for p in pieces]), pieces[0].sample_rate)
    if engine is tts and isinstance(tts, FallbackTTS) and tts.failed:
        spoken_by, spoken_as = _speaker(tts, voice)  # it failed during this turn
        key = turn_key(spoken_by.name, spoken_as, spoken)
    cache.put(key, whole)
    return whole, False


def voice_turns(
    script: Script,
    *,
    tts: TTSEngine,
    voices: dict[str, VoiceSpec],
    cache: TurnCache,
    workers: int | None = None,
    on_piece: PieceReady | None = None,
) -> Voiced:
    """Voice every turn (cache first), `workers` turns at a time (default: what the
    engine asks for, else one per core); `on_piece` in script order as pieces come."""
    turns = script.turns
    speaker = tts.active if isinstance(tts, FallbackTTS) else tts
    workers = workers or speaker.max_workers or os.cpu_count() or 1
    workers = max(1, min(workers, len(turns) or 1))
    inboxes: list[queue.Queue[AudioClip | _TurnDone | BaseException]] = [
        queue.Queue() for _ in turns
    ]

    def work(i: int) -> None:
        try:
            inbox = inboxes[i]
            whole, hit = voice_turn(tts, turns[i].text, voices[turns[i].speaker], cache, inbox.put)
            inbox.put(_TurnDone(whole, hit))
        except BaseException as exc:  # handed to the caller's thread, raised there
            inboxes[i].put(exc)

    clips: list[AudioClip] = []
    hits = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="folio-voice") as pool:
        futures = [pool.submit(work, i) for i in range(len(turns))]  # first come first
        try:
            for i in range(len(turns)):  # in script order
                while True:
                    item = inboxes[i].get()
                    if isinstance(item, BaseException):
                        raise item
                    if isinstance(item, AudioClip):
                        if on_piece:
                            on_piece(i, item)
                        continue
                    clips.append(item.whole)
                    hits += item.cached
                    break
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return Voiced(clips, len(turns) - hits, hits)
