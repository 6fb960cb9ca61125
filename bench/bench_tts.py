"""Voices: real-time factor and time to first audio per offline engine, then a 5-minute
episode rendered by each, as the studio renders it.

Per engine (in-process): the first piece of a cold engine (model load included), then
the real-time factor (seconds of voicing per second of speech) of each host voice on the
same three lines, warm; what Whisper-base hears of the numbers sentence with and without
the speech-ready text (word error rate against the sentence as a person says it), and
each host's median pitch (needs the `listen` extra, which `make bench` installs). Per episode (each engine in a fresh process, cold turn cache, so
model loading counts as it does for the first render in the app): seconds from Render to
the first playable part, the whole render, the render as a fraction of the episode's
length, and how long a listener who pressed play at the first part would wait for audio
(`live.stalls`: 0 means playback never caught up with voicing).

.venv/bin/python bench/bench_tts.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import SOURCES, peak_rss_mb, save

LINES = [
    "The Time Traveller was one of those men who are too clever to be believed, "
    "and he always seemed to keep something back.",
    "So what happened when he came back from the future?",
    "In 1871, 3.5% of 2,000 readers (Fig. 2) paid £4 for a copy.",
]
ENGINES = ("kokoro", "piper", "espeak")


def engine_figures(name: str) -> dict:
    from pipelines.podcast.tts.registry import ENGINES as REGISTRY
    from pipelines.settings import TTSSettings
    from pipelines.text.speech import speech_text

    engine = REGISTRY.get(name)(TTSSettings(engine=name))
    if engine.available():
        return {"available": False, "why": engine.available()}
    a, b = engine.default_voices()
    start = time.perf_counter()
    first = next(iter(engine.stream(speech_text(LINES[0]), a)))
    cold_first_s = time.perf_counter() - start
    rtf = {}
    for host, voice in (("host_a", a), ("host_b", b)):
        spent = heard = 0.0
        for line in LINES:
            start = time.perf_counter()
            clip = engine.synthesize(speech_text(line), voice)
            spent += time.perf_counter() - start
            heard += clip.duration_s
        rtf[host] = round(spent / heard, 3)
    start = time.perf_counter()
    warm_first = next(iter(engine.stream(speech_text(LINES[0]), a)))
    warm_first_s = time.perf_counter() - start
    return {
        "available": True,
        "voices": [a.voice, b.voice],
        "first_piece_cold_s": round(cold_first_s, 2),
        "first_piece_warm_s": round(warm_first_s, 2),
        "first_piece_audio_s": round(max(first.duration_s, warm_first.duration_s), 2),
        "rtf": rtf,
        **heard_figures(engine),
    }


def heard_figures(engine) -> dict:  # type: ignore[no-untyped-def]
    """Whisper-base's word error rate on the numbers sentence, with and without the
    speech-ready text, and each host's median pitch (tests/podcast/listening.py)."""
    from pipelines.text.speech import speech_text
    from tests.podcast.listening import median_pitch, transcribe, word_error_rate

    a, b = engine.default_voices()
    said = speech_text(LINES[2])
    heard = transcribe(engine.synthesize(said, a))
    raw = transcribe(engine.synthesize(LINES[2], a))
    line = "So what happened when the Time Traveller came back from the future?"
    pitch = {}
    for host, voice in (("host_a", a), ("host_b", b)):
        clip = engine.synthesize(line, voice)
        pitch[host] = round(median_pitch(clip.samples, clip.sample_rate))
    return {
        "numbers_heard": heard,
        "numbers_wer": round(word_error_rate(LINES[2], heard), 3),
        "numbers_heard_without_speech_text": raw,
        "numbers_wer_without_speech_text": round(word_error_rate(LINES[2], raw), 3),
        "median_pitch_hz": pitch,
    }


def episode_figures(name: str, home: Path) -> dict:
    """Run in its own process: render the saved script with `name`, cold."""
    from pipelines.podcast.episodes import render_episode
    from pipelines.podcast.live import stalls
    from pipelines.podcast.script_doc import load_script
    from pipelines.session import Session

    load = os.getloadavg()[0]
    session = Session.open(home, overrides={"tts": {"engine": name}})
    script = load_script(home / "script.json")
    parts = []
    start = time.perf_counter()
    episode = render_episode(session, script, on_part=parts.append)
    total_s = time.perf_counter() - start
    audio_s = float(episode.duration_s or 0)
    return {
        "load_average_at_start": round(load, 1),
        "words": script.word_count,
        "audio_s": round(audio_s, 1),
        "first_audio_s": round(parts[0].released_s, 2),
        "first_part_audio_s": round(parts[0].duration_s, 1),
        "render_s": round(total_s, 1),
        "render_over_audio": round(total_s / audio_s, 3),
        "parts": len(parts),
        "listener_waits_s": round(stalls(parts), 2),
        "notes": episode.settings.get("render_notes", []),
        "peak_rss_mb": peak_rss_mb(),
    }


def write_script(home: Path) -> None:
    from pipelines.podcast.request import PodcastRequest
    from pipelines.podcast.script import write_script as write
    from pipelines.podcast.script_doc import save_script
    from pipelines.session import Session
    from pipelines.workspace import library

    session = Session.open(home, overrides={"podcast": {"helper_model": "off"}})
    book = SOURCES / "books" / "wells_the-time-machine_se.epub"
    source = library.add_file(session, book).source
    chapters = [c.index for c in source.chapters if c.title in ("III", "IV")]
    script = write(session, PodcastRequest(source.id, chapters, minutes=5))
    save_script(script, home / "script.json")


def _run(*args: str) -> dict:
    """One figure-gathering step in its own process; its JSON (or why it failed)."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"available": False, "why": done.stderr.strip()[-500:]}
    result: dict = json.loads(lines[-1])
    return result


def main() -> None:
    load = os.getloadavg()[0]
    engines = {}
    for name in ENGINES:
        engines[name] = _run("--engine", name)
    episodes = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        write_script(home)
        for name in ("kokoro", "piper"):
            if not engines[name].get("available"):
                continue
            episode = _run("--episode", name, str(home))
            if "render_s" not in episode:
                episodes[name] = episode
                continue
            # the render against the engine's own voicing speed measured in this run:
            # 1.0 would mean no cost beyond voicing (mixing, MP3, parts are the rest)
            rtf = engines[name]["rtf"]
            voicing_s = episode["audio_s"] * (rtf["host_a"] + rtf["host_b"]) / 2
            episode["render_over_voicing"] = round(episode["render_s"] / voicing_s, 2)
            episodes[name] = episode
    save(
        "tts",
        {
            "engines": engines,
            "episode_5_min": episodes,
            "load_average_at_start": round(load, 1),
        },
    )


if __name__ == "__main__":
    os.environ["FOLIO_PODCAST__HELPER_MODEL"] = "off"
    if sys.argv[1:2] == ["--engine"]:
        print(json.dumps(engine_figures(sys.argv[2])))
    elif sys.argv[1:2] == ["--episode"]:
        print(json.dumps(episode_figures(sys.argv[2], Path(sys.argv[3]))))
    else:
        main()
