"""Assembling an episode's audio: the numpy path `pipelines.podcast.render.mix` (levels,
pauses and joins streamed into a WAV on disk) against the same steps with pydub
(AudioSegment gain to the same loudness and peak, silent pauses, `+` joins, WAV export),
timed alternately in one run on the same real piper clips. Decides whether the render
uses pydub (only if it is not slower).

.venv/bin/python bench/bench_mix.py [--turns 60] [--runs 5]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
import wave
from pathlib import Path

from common import peak_rss_mb, save

LINES = [
    "The Time Traveller was one of those men who are too clever to be believed.",
    "So what did he show his guests after dinner?",
    "A small machine of ivory and brass, no larger than a clock.",
    "And he said it would travel through time?",
    "He said so, and when he touched the lever it was gone.",
    "Filby thought it was a trick with mirrors.",
    "The Psychologist was less sure, and the Medical Man said nothing.",
    "A week later the Time Traveller came home dusty and limping.",
]


def pydub_mix(script, clips, wav_path: Path) -> float:  # type: ignore[no-untyped-def]
    """The same assembly as render.mix, with pydub's own operations."""
    from pydub import AudioSegment

    from pipelines.podcast import render

    rate = clips[0].sample_rate
    target = 20 * math.log10(render.TARGET_RMS)
    ceiling = 20 * math.log10(render.PEAK_LIMIT)
    episode = AudioSegment.empty().set_frame_rate(rate)
    previous = None
    for turn, clip in zip(script.turns, clips, strict=True):
        if previous is not None:
            pause = render.SEGMENT_PAUSE_S if turn.segment != previous else render.TURN_PAUSE_S
            episode += AudioSegment.silent(duration=int(pause * 1000), frame_rate=rate)
        seg = AudioSegment(clip.samples.tobytes(), frame_rate=rate, sample_width=2, channels=1)
        seg = seg.apply_gain(target - seg.dBFS)
        if seg.max_dBFS > ceiling:
            seg = seg.apply_gain(ceiling - seg.max_dBFS)
        episode += seg
        previous = turn.segment
    episode.export(str(wav_path), format="wav")
    return len(episode) / 1000


def main() -> None:
    from pipelines.podcast import render
    from pipelines.podcast.tts.piper_engine import PiperEngine
    from pipelines.types import Host, Script, Turn

    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=60)  # about a 5-minute episode
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    engine = PiperEngine()
    a, b = engine.default_voices()
    voiced = [engine.synthesize(text, a if i % 2 == 0 else b) for i, text in enumerate(LINES)]
    turns = [
        Turn("Ada" if i % 2 == 0 else "Ben", LINES[i % len(LINES)], [], i // 12)
        for i in range(args.turns)
    ]
    clips = [voiced[i % len(voiced)] for i in range(args.turns)]
    script = Script("Bench", [Host("Ada"), Host("Ben")], turns, [f"Part {n}" for n in range(10)])
    numpy_s: list[float] = []
    pydub_s: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs + 1):  # the first pair warms both paths up
            for name, times in (("numpy", numpy_s), ("pydub", pydub_s)):
                out = Path(tmp) / f"{name}.wav"
                start = time.perf_counter()
                if name == "numpy":
                    audio_s = render.mix(script, clips, out).duration_s
                else:
                    audio_s = pydub_mix(script, clips, out)
                if run:
                    times.append(time.perf_counter() - start)
                with wave.open(str(out)) as check:
                    assert abs(check.getnframes() / check.getframerate() - audio_s) < 0.05
    numpy_med, pydub_med = statistics.median(numpy_s), statistics.median(pydub_s)
    save(
        "mix",
        {
            "bench": "mix-numpy-vs-pydub",
            "turns": args.turns,
            "episode_s": round(audio_s, 1),
            "numpy_s_median": round(numpy_med, 4),
            "pydub_s_median": round(pydub_med, 4),
            "pydub_over_numpy": round(pydub_med / numpy_med, 2),
            "runs": args.runs,
            "load_avg": round(os.getloadavg()[0], 1),
            "peak_rss_mb": peak_rss_mb(),
        },
    )


if __name__ == "__main__":
    main()
