"""When parts of an episode are handed over while the rest is voiced (live.py): a
listener who presses play at the first part must never catch up with the voice.

Voicing is simulated here with a clock that advances as a real engine would (a model
load, then `rtf` seconds per second of speech), so the timing is exact and the test is
deterministic; the real engines' figures are in bench/bench_tts.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from pipelines.podcast.live import MAX_FIRST_PART_S, LiveParts, PartReady, stalls
from pipelines.podcast.tts.base import AudioClip
from pipelines.types import Host, Script, Turn

RATE = 8000


def _script(*lines: str) -> Script:
    turns = [Turn("Ada" if i % 2 == 0 else "Ben", t, [], i // 12) for i, t in enumerate(lines)]
    return Script("Live", [Host("Ada"), Host("Ben")], turns, ["One", "Two", "Three"])


def _tone(seconds: float) -> AudioClip:
    t = np.arange(int(seconds * RATE)) / RATE
    return AudioClip((8000 * np.sin(2 * np.pi * 200 * t)).astype(np.int16), RATE)


def _voice(
    script: Script, root: Path, *, rtf: float, load_s: float = 1.5, words_per_s: float = 2.7
) -> list[PartReady]:
    """Feed LiveParts one piece per sentence, the clock moving as voicing would."""
    now = [0.0]
    parts: list[PartReady] = []
    live = LiveParts(script, root, parts.append, clock=lambda: now[0])
    now[0] += load_s
    for n, turn in enumerate(script.turns):
        for sentence in re.split(r"(?<=[.!?])\s+", turn.text):
            seconds = len(sentence.split()) / words_per_s
            now[0] += rtf * seconds
            live.add(n, _tone(seconds))
    live.finish()
    return parts


LONG = (
    "The Time Traveller was one of those men who are too clever to be believed, and he "
    "always seemed to keep something back, so that nobody quite trusted what he said."
)
EPISODE = [
    "Welcome back.",
    LONG,
    "Why did they doubt him?",
    "Because he always seemed to hold something back. They never knew what.",
    *[f"This is line {n} of the story, told at an ordinary pace for a while." for n in range(30)],
]


def test_a_short_first_line_waits_for_the_long_one_after_it(tmp_path: Path) -> None:
    parts = _voice(_script(*EPISODE), tmp_path, rtf=0.65)
    # "Welcome back." alone would leave a listener waiting for the long sentence
    assert parts[0].duration_s > 5
    assert stalls(parts) == 0
    assert parts[0].released_s < 10


@pytest.mark.parametrize("rtf", [0.05, 0.3, 0.65, 0.9])
def test_playback_never_catches_up_below_real_time(tmp_path: Path, rtf: float) -> None:
    parts = _voice(_script(*EPISODE), tmp_path, rtf=rtf)
    assert stalls(parts) == 0, [(p.released_s, p.duration_s) for p in parts]
    # ... nor for a listener who presses play later
    assert stalls(parts, pressed_play_s=parts[0].released_s + 3) == 0


def test_the_parts_are_the_episode_in_order(tmp_path: Path) -> None:
    script = _script(*EPISODE)
    parts = _voice(script, tmp_path, rtf=0.65)
    assert [p.index for p in parts] == list(range(len(parts)))
    for before, after in zip(parts, parts[1:], strict=False):
        assert after.start_s == pytest.approx(before.start_s + before.duration_s, abs=1e-3)
        assert after.released_s >= before.released_s
    heard = sum(AudioClip.from_wav_bytes(p.path.read_bytes()).duration_s for p in parts)
    pauses = sum(
        0.9 if a.segment != b.segment else 0.35
        for a, b in zip(script.turns, script.turns[1:], strict=False)
    )
    speech = sum(
        len(s.split()) / 2.7 for t in script.turns for s in re.split(r"(?<=[.!?])\s+", t.text)
    )
    assert heard == pytest.approx(speech + pauses, abs=0.05)
    assert [p.title for p in parts][:1] == ["One"] and parts[-1].title == "Three"
    assert 3 <= len(parts) <= 12, "few parts: short at first, longer as voicing pulls ahead"


def test_a_voice_slower_than_speech_still_starts_playing(tmp_path: Path) -> None:
    """At a real-time factor over 1 no start avoids waiting; the first part still comes
    (bounded), and the listener's waits are what the slowness costs."""
    parts = _voice(_script(*EPISODE), tmp_path, rtf=1.5)
    assert parts[0].duration_s <= MAX_FIRST_PART_S + 10  # one piece more at most
    assert parts[0].released_s <= 1.5 + 1.5 * (MAX_FIRST_PART_S + 10)
    assert stalls(parts) > 0
