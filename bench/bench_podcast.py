"""A 5-minute offline episode end to end (script + voices + MP3) on this machine: wall time
and peak RSS with a cold turn cache, the re-render with a warm cache, and piper's
real-time factor per host voice. Then the render alone, cold, three times: seconds from
its start to the first part being playable (the first `on_part` call, what the
studio plays while the rest is made) next to the whole render, medians of the runs.
Voiced with piper (the fast engine); the Kokoro default's figures are bench_tts.py's.

.venv/bin/python bench/bench_podcast.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from common import SOURCES, peak_rss_mb, save, session_of

RUNS = 3
os.environ.setdefault("FOLIO_TTS__ENGINE", "piper")


def main() -> None:
    from pipelines.podcast.episodes import render_episode
    from pipelines.podcast.request import PodcastRequest
    from pipelines.podcast.script import write_script
    from pipelines.podcast.tts.piper_engine import PiperEngine
    from pipelines.workspace import library
    from pipelines.workspace.store import Workspace

    load = os.getloadavg()[0]
    engine = PiperEngine()
    line = (
        "The Time Traveller was one of those men who are too clever to be believed, "
        "and he always seemed to keep something back."
    )
    rtf = {}
    for name, voice in zip(("host_a", "host_b"), engine.default_voices(), strict=True):
        engine.synthesize("Warm up.", voice)
        start = time.perf_counter()
        clip = engine.synthesize(line, voice)
        rtf[name] = round((time.perf_counter() - start) / clip.duration_s, 3)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp))
        source = library.add_file(
            session_of(ws), SOURCES / "books" / "wells_the-time-machine_se.epub"
        ).source
        chapters = [c.index for c in source.chapters if c.title in ("III", "IV")]
        request = PodcastRequest(source.id, chapters, minutes=5)
        rules = session_of(ws, podcast={"helper_model": "off"})
        helped = session_of(ws, podcast={"helper_model": "auto"})
        lines: list[float] = []
        start = time.perf_counter()  # host B's questions by the small model, when installed
        write_script(helped, request, progress=lambda d, n: lines.append(time.perf_counter()))
        helped_s = time.perf_counter() - start
        start = time.perf_counter()  # the default: the rules alone (the script rendered below)
        script = write_script(rules, request)
        script_s = time.perf_counter() - start
        writer = {
            "rules_only_s": round(script_s, 2),
            "with_small_model_s": round(helped_s, 2) if lines else None,
            "model_lines": len(lines),
        }
        start = time.perf_counter()
        marks: dict[str, float] = {}

        def seen(stage: str, done: int, total: int) -> None:
            marks.setdefault(stage, time.perf_counter())

        render_start = time.perf_counter()
        episode = render_episode(session_of(ws), script, progress=seen)
        end = time.perf_counter()
        cold_s = end - start + script_s
        stages = {
            "script_s": round(script_s, 2),
            "voices_s": round(marks.get("mixing", end) - render_start, 1),
            "mix_s": round(marks.get("encoding", end) - marks.get("mixing", end), 2),
            "encode_s": round(end - marks.get("encoding", end), 2),
        }
        start = time.perf_counter()
        render_episode(session_of(ws), script, episode_id=episode.id)
        warm_s = time.perf_counter() - start
        first_s, total_s, segments = [], [], []
        for _ in range(RUNS):
            shutil.rmtree(ws.cache_dir / "tts", ignore_errors=True)  # cold: voice every turn
            ready: list[float] = []
            start = time.perf_counter()
            render_episode(
                session_of(ws),
                script,
                episode_id=episode.id,
                on_part=lambda part, ready=ready: ready.append(time.perf_counter()),
            )
            total_s.append(time.perf_counter() - start)
            first_s.append(ready[0] - start)
            segments.append(len(ready))
    save(
        "podcast",
        {
            "target_minutes": 5,
            "words": script.word_count,
            "audio_s": round(episode.duration_s or 0, 1),
            "script_s": round(script_s, 2),
            "script_writer": writer,
            "end_to_end_cold_s": round(cold_s, 1),
            "stages": stages,
            "rerender_warm_cache_s": round(warm_s, 1),
            "first_segment": {
                "runs": RUNS,
                "segments": segments[0],
                "first_segment_playable_s": round(statistics.median(first_s), 1),
                "render_cold_s": round(statistics.median(total_s), 1),
                "first_segment_runs_s": [round(x, 1) for x in first_s],
                "render_cold_runs_s": [round(x, 1) for x in total_s],
            },
            "piper_rtf": rtf,
            "peak_rss_mb": peak_rss_mb(),
            "load_average_at_start": round(load, 1),
        },
    )


if __name__ == "__main__":
    main()
