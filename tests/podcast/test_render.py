"""Real audio from real chapters with the real piper voice: what a listener would notice."""

from __future__ import annotations

import http.server
import io
import threading
import wave
from pathlib import Path

import numpy as np
import pytest

from pipelines.errors import BackendError
from pipelines.podcast.episodes import delete_episode, list_episodes, render_episode
from pipelines.podcast.ffmpeg import decode_file
from pipelines.podcast.mp3_tags import read_chapters
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.script import write_script
from pipelines.podcast.script_doc import edit_turn
from pipelines.podcast.transcript import parse_vtt_times
from pipelines.podcast.tts.base import AudioClip, VoiceSpec
from pipelines.podcast.tts.espeak import EspeakEngine
from pipelines.podcast.tts.openai_tts import OpenAISpeechEngine
from pipelines.podcast.tts.piper_engine import PiperEngine
from pipelines.podcast.tts.registry import get_tts
from pipelines.session import Session
from pipelines.settings import Settings, TTSSettings
from pipelines.types import Script, count_words
from pipelines.workspace import library
from pipelines.workspace.store import Workspace
from tests.podcast.listening import median_pitch
from tests.sessions import session_of
from tests.sources import TIME_MACHINE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory):
    ws = Workspace(tmp_path_factory.mktemp("render-home"))
    source = library.add_file(session_of(ws), TIME_MACHINE).source
    chapter = next(c.index for c in source.chapters if c.title == "II")
    script = write_script(session_of(ws), PodcastRequest(source.id, [chapter], minutes=1))
    episode = render_episode(session_of(ws), script)
    return ws, script, episode


def test_mp3_decodes_and_lasts_what_the_words_take(studio) -> None:
    ws, script, episode = studio
    audio = decode_file(Path(episode.audio_path))
    assert abs(audio.duration_s - episode.duration_s) < 1.0
    # the speaking rate measured here: this voice on a sample of this script's own turns
    engine = PiperEngine()
    voices = dict(zip([h.name for h in script.hosts], engine.default_voices(), strict=True))
    sample = script.turns[:4]
    seconds = sum(engine.synthesize(t.text, voices[t.speaker]).duration_s for t in sample)
    words_per_second = sum(count_words(t.text) for t in sample) / seconds
    changes = sum(
        a.segment != b.segment for a, b in zip(script.turns, script.turns[1:], strict=False)
    )
    pauses = 0.35 * (len(script.turns) - 1 - changes) + 0.9 * changes
    expected = script.word_count / words_per_second + pauses
    assert abs(audio.duration_s - expected) <= 0.2 * expected
    assert abs(audio.duration_s - 60) <= 0.2 * 60  # a one-minute request plays about a minute


def test_the_two_hosts_sound_different() -> None:
    engine = PiperEngine()
    a, b = engine.default_voices()
    text = "So what happened when the Time Traveller came back from the future?"
    pitch_a = median_pitch(engine.synthesize(text, a).samples, 22050)
    pitch_b = median_pitch(engine.synthesize(text, b).samples, 22050)
    assert pitch_b >= 1.1 * pitch_a, (pitch_a, pitch_b)


def test_chapter_marks_and_transcript_follow_the_segments(studio) -> None:
    ws, script, episode = studio
    marks = read_chapters(Path(episode.audio_path))
    used_segments = sorted({t.segment for t in script.turns})
    assert [m.title for m in marks] == [script.segments[s] for s in used_segments]
    assert marks[0].start_ms == 0
    assert all(a.end_ms == b.start_ms for a, b in zip(marks, marks[1:], strict=False))
    assert marks[-1].end_ms <= episode.duration_s * 1000 + 1
    times = parse_vtt_times(Path(episode.transcript_path).read_text())
    assert len(times) == len(script.turns)
    assert all(s < e for s, e in times)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(times, times[1:], strict=False))
    from mutagen.id3 import ID3

    tags = ID3(episode.audio_path)
    assert str(tags["TPE1"]) == "Folio" and str(tags["TALB"]) == "The Time Machine"


def test_editing_one_turn_revoices_exactly_that_turn(studio) -> None:
    ws, script, episode = studio
    edited = edit_turn(script, 2, text=script.turns[2].text + " Remarkable.")
    again = render_episode(session_of(ws), edited, episode_id=episode.id)
    assert again.settings["synthesized_turns"] == 1
    assert again.settings["cached_turns"] == len(script.turns) - 1
    assert again.id == episode.id and len(list_episodes(ws)) == 1


def test_changing_host_b_voice_revoices_only_host_b(studio) -> None:
    ws, script, episode = studio
    settings = Settings(home=ws.home, tts=TTSSettings(engine="piper", voice_b="en_US-joe-medium"))
    # same voice id, but a different spec than B's default (pitch 1.0 instead of 1.22)
    from pipelines.podcast.tts import registry

    original = registry.voices_for_hosts
    b_turns = sum(t.speaker == script.hosts[1].name for t in script.turns)

    def lower_b(engine, tts_settings=None):
        a, _ = original(engine, tts_settings)
        return a, VoiceSpec("en_US-joe-medium", a.speed, 1.15)

    from pipelines.podcast import episodes

    episodes.voices_for_hosts = lower_b
    try:
        again = render_episode(Session.of(settings), script, episode_id="voice-change")
    finally:
        episodes.voices_for_hosts = original
    assert again.settings["synthesized_turns"] == b_turns
    delete_episode(ws, "voice-change")
    assert not (ws.episodes_dir / "voice-change").exists()


def test_edge_offline_falls_back_to_piper_with_a_note(tmp_path: Path) -> None:
    session = Session.of(
        Settings(home=tmp_path / "home", tts=TTSSettings(engine="edge", edge_timeout_s=5))
    )
    ws = session.workspace
    script = Script(title="Edge test", hosts=[], turns=[], segments=["Introduction"])
    from pipelines.types import Host, Turn

    script.hosts = [Host("Ada"), Host("Ben")]
    script.turns = [
        Turn("Ada", "Hello and welcome.", [], 0),
        Turn("Ben", "Glad to be here.", [], 0),
    ]
    episode = render_episode(session, script)
    assert any("offline piper voices" in n for n in episode.settings["render_notes"])
    assert episode.duration_s > 1
    leftovers = [p for p in Path(ws.home).rglob("*") if p.is_file() and p.stat().st_size == 0]
    assert leftovers == []


def _wav_bytes(seconds: float = 0.5, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


class _SpeechHandler(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = _wav_bytes() if self.status == 200 else b'{"error": "boom sk-secret"}'
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_openai_speech_server_and_its_failures() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SpeechHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        engine = OpenAISpeechEngine(url, "sk-secret")
        clip = engine.synthesize("Hello", VoiceSpec("alloy"))
        assert isinstance(clip, AudioClip) and 0.45 < clip.duration_s < 0.55
        _SpeechHandler.status = 500
        with pytest.raises(BackendError, match="500") as failure:
            engine.synthesize("Hello", VoiceSpec("alloy"))
        assert "sk-secret" not in str(failure.value)
    finally:
        _SpeechHandler.status = 200
        server.shutdown()
        server.server_close()
    port = server.server_address[1]
    with pytest.raises(BackendError, match="Could not reach"):
        OpenAISpeechEngine(f"http://127.0.0.1:{port}/v1", timeout_s=5).synthesize(
            "Hi", VoiceSpec("alloy")
        )


def test_espeak_speaks_or_says_what_to_install() -> None:
    engine = EspeakEngine()
    if engine.available() is not None:
        assert "espeak-ng" in engine.available()
        with pytest.raises(BackendError, match="espeak-ng"):
            engine.synthesize("Hello", engine.default_voices()[0])
        wrapped = get_tts(TTSSettings(engine="espeak"))
        assert any("espeak" in n for n in wrapped.notes)  # type: ignore[attr-defined]
        return
    a, b = engine.default_voices()
    assert engine.synthesize("Hello there, reader.", a).duration_s > 0.3
    assert engine.synthesize("Hello there, reader.", b).duration_s > 0.3


def test_the_start_is_playable_while_the_rest_is_voiced(studio, tmp_path: Path) -> None:
    """Parts come in order while voicing goes on; played back to back they are the
    episode (same length as the MP3, give or take the pauses); a re-render from the turn
    cache still hands over parts."""
    from pipelines.podcast.live import PartReady
    from pipelines.podcast.render import render_script
    from pipelines.podcast.tts.registry import voices_for_hosts

    ws, script, _ = studio
    tts = get_tts(session_of(ws).settings.tts)
    voices = dict(
        zip(
            [h.name for h in script.hosts],
            voices_for_hosts(tts, session_of(ws).settings.tts),
            strict=True,
        )
    )
    for cache in (tmp_path / "cold", ws.cache_dir / "tts"):
        ready: list[PartReady] = []
        stages: list[str] = []
        result = render_script(
            script,
            tmp_path / "out",
            tts=tts,
            voices=voices,
            cache_dir=cache,
            progress=lambda stage, done, total, stages=stages: stages.append(stage),
            on_part=ready.append,
        )
        assert [p.index for p in ready] == list(range(len(ready))) and ready == result.parts
        assert ready[0].start_s == 0 and ready[0].duration_s > 1.0
        for before, after in zip(ready, ready[1:], strict=False):
            assert after.start_s == pytest.approx(before.start_s + before.duration_s, abs=0.01)
            assert after.released_s >= before.released_s
        heard = sum(AudioClip.from_wav_bytes(p.path.read_bytes()).duration_s for p in ready)
        assert heard == pytest.approx(result.duration_s, abs=0.05)
        assert stages.index("voices") < stages.index("mixing") < stages.index("encoding")
        assert set(result.stage_s) == {"voices_s", "mix_s", "encode_s"}
    assert result.synthesized_turns == 0  # the second time, all from the turn cache
