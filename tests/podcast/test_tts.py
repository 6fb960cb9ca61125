"""TTS engines against their contract: piper and espeak for real, edge and openai through
their failure and fallback paths (no network here), and openai against a real local HTTP
speech server; then the registry's choice of engine and fallback."""

from __future__ import annotations

import http.server
import io
import json
import shutil
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from pipelines.errors import BackendError, ConfigError
from pipelines.podcast.tts.base import TTSEngine, VoiceSpec
from pipelines.podcast.tts.edge import EdgeEngine
from pipelines.podcast.tts.espeak import EspeakEngine
from pipelines.podcast.tts.openai_tts import OpenAISpeechEngine
from pipelines.podcast.tts.piper_engine import PiperEngine
from pipelines.podcast.tts.registry import (
    ENGINES,
    FallbackTTS,
    get_tts,
    known_engines,
    register_tts,
    voices_for_hosts,
)
from pipelines.settings import TTSSettings
from pipelines.testing.scripted_tts import ScriptedTTS
from tests.llm.llama_server import free_port
from tests.podcast.tts_contract import (
    OnlineEngineContract,
    RegisteredEngineContract,
    TTSContract,
)

KEY = "sk-test-secret-123"


# -- engines against the contract ---------------------------------------------------------
class TestPiperContract(RegisteredEngineContract):
    @pytest.fixture
    def engine(self) -> TTSEngine:
        return PiperEngine()


class TestEspeakContract(RegisteredEngineContract):
    @pytest.fixture
    def engine(self) -> TTSEngine:
        if shutil.which("espeak-ng") is None:
            pytest.fail("espeak-ng is not installed; `make test` installs it (apt)")
        return EspeakEngine()


class TestEdgeOfflineContract(OnlineEngineContract, RegisteredEngineContract):
    """No network in tests: edge-tts fails in milliseconds and hands over to piper."""

    speaks = False

    @pytest.fixture
    def engine(self) -> TTSEngine:
        return EdgeEngine(timeout_s=5)


class TestScriptedContract(TTSContract):
    @pytest.fixture
    def engine(self) -> TTSEngine:
        return ScriptedTTS()


class TestScriptedOnlineFailingContract(OnlineEngineContract):
    speaks = False

    @pytest.fixture
    def engine(self) -> TTSEngine:
        return ScriptedTTS(online=True, fail_after=0)


# -- a real local /v1/audio/speech server ----------------------------------------------------
def _wav(seconds: float = 0.8, rate: int = 22050, hz: float = 220.0) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((0.3 * 32767 * np.sin(2 * np.pi * hz * t)).astype(np.int16).tobytes())
    return buffer.getvalue()


class SpeechServer(http.server.ThreadingHTTPServer):
    """Answers POST /v1/audio/speech with a WAV (a tone per voice), or with `status`."""

    status = 200
    requests: list[dict]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: SpeechServer

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.server.requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), **body}
        )
        if self.path != "/v1/audio/speech":
            status, data = 404, b'{"error": "not found"}'
        elif self.server.status != 200:
            status, data = self.server.status, f'{{"error": "bad key {KEY}"}}'.encode()
        else:
            status, data = 200, _wav(hz=330.0 if body["voice"] == "onyx" else 220.0)
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def speech_server() -> Iterator[SpeechServer]:
    server = SpeechServer(("127.0.0.1", 0), _Handler)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


class TestOpenAIServerContract(OnlineEngineContract, RegisteredEngineContract):
    @pytest.fixture
    def engine(self, speech_server: SpeechServer) -> TTSEngine:
        return OpenAISpeechEngine(speech_server.url, KEY)


class TestOpenAIUnreachableContract(OnlineEngineContract, RegisteredEngineContract):
    speaks = False

    @pytest.fixture
    def engine(self) -> TTSEngine:
        return OpenAISpeechEngine(f"http://127.0.0.1:{free_port()}/v1", timeout_s=5)


def test_openai_request_shape_and_key(speech_server: SpeechServer) -> None:
    engine = OpenAISpeechEngine(speech_server.url + "/", KEY, model="kokoro")
    clip = engine.synthesize("Hello", VoiceSpec("onyx", speed=1.1, pitch=1.0))
    assert 0.75 < clip.duration_s < 0.85
    (sent,) = speech_server.requests
    assert sent["path"] == "/v1/audio/speech" and sent["auth"] == f"Bearer {KEY}"
    assert sent["model"] == "kokoro" and sent["voice"] == "onyx" and sent["input"] == "Hello"
    assert sent["response_format"] == "wav" and sent["speed"] == pytest.approx(1.1)
    assert KEY not in repr(engine)


def test_openai_error_status_is_reported_without_the_key(speech_server: SpeechServer) -> None:
    speech_server.status = 401
    with pytest.raises(BackendError, match="401") as failure:
        OpenAISpeechEngine(speech_server.url, KEY).synthesize("Hello", VoiceSpec("alloy"))
    assert KEY not in str(failure.value)


def test_openai_unreachable_says_what_to_set() -> None:
    engine = OpenAISpeechEngine(f"http://127.0.0.1:{free_port()}/v1", timeout_s=5)
    with pytest.raises(BackendError, match="Could not reach.*FOLIO_TTS__BASE_URL"):
        engine.synthesize("Hello", VoiceSpec("alloy"))


def test_openai_through_the_registry_falls_back_when_the_server_dies(
    speech_server: SpeechServer,
) -> None:
    settings = TTSSettings(engine="openai", base_url=speech_server.url, api_key=KEY)
    tts = get_tts(settings)
    assert isinstance(tts, FallbackTTS) and tts.primary.name == "openai"
    a, b = voices_for_hosts(tts, settings)
    assert tts.synthesize("Hello", a).duration_s == pytest.approx(0.8, abs=0.01)
    speech_server.status = 500
    after = tts.synthesize("Hello again, listener.", b)
    assert tts.failed and "500" in tts.failed and KEY not in " ".join(tts.notes)
    assert tts.active.name == ENGINES.fallback().name  # type: ignore[union-attr]
    assert after.duration_s > 0.5


# -- the registry ---------------------------------------------------------------------------
def test_builtins_declare_their_capabilities() -> None:
    assert {"piper", "espeak", "edge", "openai"} <= set(known_engines())
    assert [e for e in ("piper", "espeak") if not ENGINES.entry(e).offline] == []
    assert not ENGINES.entry("edge").offline and not ENGINES.entry("openai").offline
    backup = ENGINES.fallback()
    assert backup is not None and backup.offline


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(ConfigError, match="Unknown TTS engine 'nope'.*piper.*FOLIO_TTS__ENGINE"):
        get_tts(TTSSettings(engine="nope"))
    assert get_tts(TTSSettings(engine=" Piper ")).name == "piper"


def test_offline_engine_is_used_as_is() -> None:
    assert isinstance(get_tts(TTSSettings(engine="piper")), PiperEngine)
    edge = get_tts(TTSSettings(engine="edge"), fallback=False)
    assert isinstance(edge, EdgeEngine)


def test_plugin_engines_and_a_declared_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback is whichever entry declares it, not an engine with a given name."""
    monkeypatch.setattr(ENGINES, "_entries", dict(ENGINES._entries))
    spare = ScriptedTTS()
    register_tts("cloud-test", lambda s: ScriptedTTS(online=True, fail_after=1), offline=False)
    register_tts("missing-test", lambda s: ScriptedTTS(missing="pip install nothing"), offline=True)
    for name in [n for n in known_engines() if ENGINES.entry(n).fallback]:
        ENGINES.register(name, ENGINES.get(name), offline=True, replace=True)  # no longer one
    register_tts("spare-test", lambda s: spare, offline=True, fallback=True)

    cloud = get_tts(TTSSettings(engine="cloud-test"))
    assert isinstance(cloud, FallbackTTS) and cloud.fallback is spare
    a, b = cloud.default_voices()
    cloud.synthesize("one", a)
    cloud.synthesize("two", b)
    assert [c.voice for c in spare.calls] == [spare.default_voices()[1]]  # B stays B
    assert "offline scripted voices" in cloud.notes[0]

    missing = get_tts(TTSSettings(engine="missing-test"))
    assert isinstance(missing, FallbackTTS) and missing.failed == "pip install nothing"
    assert missing.notes == [
        "The scripted voice is not available (pip install nothing); used scripted."
    ]
    missing.synthesize("hello", missing.default_voices()[0])
    assert spare.calls[-1].text == "hello"
    with pytest.raises(BackendError, match="not available here: pip install nothing"):
        get_tts(TTSSettings(engine="missing-test"), fallback=False)
    with pytest.raises(ConfigError, match="already registered"):
        register_tts("Spare_Test", lambda s: spare, offline=True)


def test_no_fallback_declared_means_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ENGINES, "_entries", {})
    register_tts("missing-test", lambda s: ScriptedTTS(missing="install it"), offline=True)
    with pytest.raises(BackendError, match="not available here: install it"):
        get_tts(TTSSettings(engine="missing-test"))


def test_chosen_host_voices_override_the_defaults() -> None:
    engine = ScriptedTTS()
    a, b = voices_for_hosts(engine, TTSSettings(voice_b="other"))
    assert a == engine.default_voices()[0]
    assert b == VoiceSpec("other", 1.0, 1.2)


def test_scripted_engine_records_and_fails_on_cue(tmp_path: Path) -> None:
    engine = ScriptedTTS().enqueue(BackendError("boom"))
    with pytest.raises(BackendError, match="boom"):
        engine.synthesize("a b c", engine.default_voices()[0])
    clip = engine.synthesize("a b c d e", engine.default_voices()[0])
    assert clip.duration_s == pytest.approx(2.0, abs=0.01)
    assert [c.text for c in engine.calls] == ["a b c", "a b c d e"]
