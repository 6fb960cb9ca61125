"""Listening while an episode is voiced: the pieces already made, cut into consecutive
playable parts (WAV files) that the studio plays one after the other.

When to hand over a part is the whole design. The first part goes out as soon as a
listener who presses play then would not run out: its length must cover the time the
next pieces take to voice, estimated from their words (the script says what comes next)
and the real-time factor measured so far. So a short opening line followed by a long one
waits for the long one, and otherwise the first audio comes within seconds.
After that, pieces are held back while that listener still has plenty to hear, and
handed over when what was handed over runs low (below `low_water`: a few seconds, and
at least twice the longest a piece has taken to voice).
So parts are short at the start and grow as voicing pulls ahead of playback; at a
real-time factor below 1 a listener never reaches the end of what was handed over.
Each part is levelled like the final mix and has the same pauses between turns.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipelines.podcast.tts.base import AudioClip, resample
from pipelines.text.speech import speech_text
from pipelines.types import Script
from pipelines.workspace.store import atomic_write

TURN_PAUSE_S = 0.35
SEGMENT_PAUSE_S = 0.9
TARGET_RMS = 0.08  # ~ -22 dBFS: both voices at the same loudness
PEAK_LIMIT = 0.95
FIRST_PART_S = 2.0  # never less, even when the plan says it would do
MAX_FIRST_PART_S = 20.0  # nor more, however slow the voice is
LOW_WATER_S = 6.0
SAFETY = 1.15  # on the measured real-time factor ...
MAX_PLANNED_RTF = 0.97  # ... but at 1 or more no first part is long enough: stalls are due
MARGIN_S = 1.0
LOOKAHEAD_S = 60.0  # audio ahead that the first part must cover (stalls happen early)
WORDS_PER_S = 2.7  # until the first turn is voiced and the real rate is known
_SENTENCE = re.compile(r"(?<=[.!?;,])\s+")
KEEP_PARTS_S = 24 * 3600  # part files older than a day are removed at the next render


@dataclass(frozen=True)
class PartReady:
    index: int  # 0, 1, ... in playing order
    path: Path  # a WAV
    start_s: float  # where it starts in the episode (its first turn's cue)
    duration_s: float
    segment: int  # the segment its first piece belongs to
    title: str  # that segment's title
    released_s: float  # seconds after the render started


PartCallback = Callable[[PartReady], None]


def levelled(clip: AudioClip, rate: int) -> np.ndarray:
    """The clip at `rate`, scaled to TARGET_RMS and kept below PEAK_LIMIT (int16)."""
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


def pause_before(script: Script, turn: int) -> float:
    if turn == 0:
        return 0.0
    same = script.turns[turn].segment == script.turns[turn - 1].segment
    return TURN_PAUSE_S if same else SEGMENT_PAUSE_S


def _title(script: Script, segment: int) -> str:
    return script.segments[segment] if segment < len(script.segments) else f"Part {segment + 1}"


class LiveParts:
    """Gets the pieces in script order (`add`), writes parts under `root`, calls
    `on_part` for each; `finish()` hands over what is left."""

    def __init__(
        self,
        script: Script,
        root: Path,
        on_part: PartCallback,
        *,
        clock: Callable[[], float] = time.monotonic,
        first_part_s: float = FIRST_PART_S,
        low_water_s: float = LOW_WATER_S,
    ) -> None:
        self.script, self.root, self.on_part, self.clock = script, root, on_part, clock
        self.first_part_s, self.low_water_s = first_part_s, low_water_s
        self.started = clock()
        self.parts: list[PartReady] = []
        self._pending: list[np.ndarray] = []
        self._pending_start = 0.0  # episode time where the pending audio starts
        self._pending_segment = 0
        self._position = 0.0  # episode time after the last piece added
        self._rate = 0
        self._last_turn = -1
        self._last_piece_at = self.started
        self._slowest_piece_s = 0.0
        self._voiced_s = 0.0  # speech (no pauses) voiced so far
        self._first_piece: tuple[float, float] | None = None  # (when, seconds of speech)
        self._turn_voiced_s: dict[int, float] = {}
        # words of each turn's sentences (and clauses), to foresee the coming pieces
        self._chunks = [
            [len(c.split()) for c in _SENTENCE.split(speech_text(t.text))] for t in script.turns
        ]
        _prune(root)

    @property
    def released_s(self) -> float:
        """Seconds of the episode handed over so far."""
        return sum(p.duration_s for p in self.parts)

    def headroom(self, now: float) -> float:
        """What a listener who pressed play at the first part has left to hear, in s."""
        if not self.parts:
            return 0.0
        return self.parts[0].released_s + self.released_s - (now - self.started)

    def add(self, turn: int, piece: AudioClip) -> None:
        now = self.clock()
        if self._first_piece is not None:  # the first one's time includes loading the model
            self._slowest_piece_s = max(self._slowest_piece_s, now - self._last_piece_at)
        self._last_piece_at = now
        self._rate = self._rate or piece.sample_rate
        if not self._pending:
            self._pending_start = self._position
            self._pending_segment = self.script.turns[turn].segment
        if turn != self._last_turn:
            gap = pause_before(self.script, turn)
            self._pending.append(np.zeros(int(gap * self._rate), dtype=np.int16))
            self._position += gap
            self._last_turn = turn
        samples = levelled(piece, self._rate)
        self._pending.append(samples)
        self._position += len(samples) / self._rate
        self._voiced_s += piece.duration_s
        self._first_piece = self._first_piece or (now, piece.duration_s)
        self._turn_voiced_s[turn] = self._turn_voiced_s.get(turn, 0.0) + piece.duration_s
        if self._release_now(now, turn):
            self._release(now)

    def _release_now(self, now: float, turn: int) -> bool:
        if not self.parts:
            pending_s = self._position - self._pending_start
            if pending_s < self.first_part_s:
                return False
            return pending_s >= min(MAX_FIRST_PART_S, self._needed_first_s(now, turn))
        low_water = max(self.low_water_s, 2 * self._slowest_piece_s)
        return self.headroom(now) < low_water

    def _words_per_s(self, turn: int) -> float:
        words = sum(sum(self._chunks[t]) for t in range(turn))
        spoken = sum(self._turn_voiced_s.get(t, 0.0) for t in range(turn))
        return words / spoken if words and spoken > 1.0 else WORDS_PER_S

    def _rtf(self, now: float) -> float:
        """Seconds of voicing per second of speech, measured after the first piece (whose
        time includes loading the model) once there is more than one."""
        assert self._first_piece is not None
        at, first_s = self._first_piece
        if self._voiced_s - first_s > 0.5:
            return (now - at) / (self._voiced_s - first_s)
        return (now - self.started) / max(self._voiced_s, 0.1)

    def _needed_first_s(self, now: float, turn: int) -> float:
        """Audio the first part must hold so that a listener starting now is never
        overtaken by voicing, given what the script says comes next."""
        rtf = self._rtf(now)
        wps = self._words_per_s(turn)
        done_words = self._turn_voiced_s.get(turn, 0.0) * wps
        coming: list[float] = []  # seconds of each piece still to voice, in order
        for t in range(turn, len(self.script.turns)):
            for words in self._chunks[t]:
                if t == turn and done_words >= words / 2:
                    done_words -= words
                    continue
                coming.append(words / wps)
            if sum(coming) > LOOKAHEAD_S:
                break
        rtf = min(SAFETY * rtf, MAX_PLANNED_RTF)
        needed, heard, voiced = 0.0, 0.0, 0.0
        for seconds in coming:  # piece k is ready at rtf*voiced, heard at needed+heard
            voiced += seconds
            needed = max(needed, rtf * voiced - heard)
            heard += seconds
        return needed + MARGIN_S

    def finish(self) -> None:
        if self._pending:
            self._release(self.clock())

    def _release(self, now: float) -> None:
        body = np.concatenate(self._pending)
        self._pending = []
        data = AudioClip(body, self._rate).to_wav_bytes()
        path = self.root / f"{hashlib.sha256(data).hexdigest()[:32]}.wav"
        if not path.exists():
            atomic_write(path, data)
        part = PartReady(
            index=len(self.parts),
            path=path,
            start_s=round(self._pending_start, 3),
            duration_s=len(body) / self._rate,
            segment=self._pending_segment,
            title=_title(self.script, self._pending_segment),
            released_s=round(now - self.started, 3),
        )
        self.parts.append(part)
        self.on_part(part)


def _prune(root: Path) -> None:
    """Parts of renders long finished are not needed any more (the MP3 has them)."""
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_PARTS_S
    for old in root.glob("*.wav"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass


def stalls(parts: list[PartReady], *, pressed_play_s: float | None = None) -> float:
    """Seconds a listener who pressed play when the first part came (or at
    `pressed_play_s`) and never paused would wait for audio, summed over the parts."""
    if not parts:
        return 0.0
    clock = parts[0].released_s if pressed_play_s is None else pressed_play_s
    waited = 0.0
    for part in parts:
        if part.released_s > clock:
            waited += part.released_s - clock
            clock = part.released_s
        clock += part.duration_s
    return waited
