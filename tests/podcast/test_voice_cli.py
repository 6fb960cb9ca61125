"""`folio voices` lists an engine's voices and previews one; `folio render --voices`
records with the two chosen (a real subprocess, the real Kokoro engine)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.podcast.script_doc import save_script
from pipelines.podcast.tts.base import AudioClip
from pipelines.types import Host, Script, Turn
from tests.test_cli import folio

pytestmark = pytest.mark.slow


def test_every_english_kokoro_voice_is_listed_with_the_hosts(tmp_path: Path) -> None:
    listed = json.loads(folio(tmp_path, "voices", "--tts", "kokoro", "--json").stdout)
    assert listed["engine"] == "kokoro" and listed["available"]
    voices = {row["voice"]: row for row in listed["voices"]}
    assert len(voices) == 28
    assert voices["af_heart"]["host"] == "A" and voices["am_michael"]["host"] == "B"
    assert voices["bm_george"]["name"] == "George — British man"
    plain = folio(tmp_path, "voices", "--tts", "kokoro").stdout
    assert "bf_emma" in plain and "Emma — British woman" in plain


def test_a_voice_is_previewed_to_a_wav_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    out = tmp_path / "george.wav"
    done = folio(tmp_path, "voices", "--tts", "kokoro", "--preview", "bm_george", "--out", str(out))
    assert "George — British man" in done.stdout
    assert AudioClip.from_wav_bytes(out.read_bytes()).duration_s > 3
    wrong = folio(tmp_path, "voices", "--tts", "kokoro", "--preview", "nobody", check=False)
    assert wrong.returncode == 1 and "no voice 'nobody'" in wrong.stderr


def test_render_with_two_chosen_voices(tmp_path: Path) -> None:
    script = Script(
        "Chosen voices",
        [Host("Ada"), Host("Ben")],
        [Turn("Ada", "Good evening.", [], 0), Turn("Ben", "Good evening to you.", [], 0)],
        ["Hello"],
    )
    path = save_script(script, tmp_path / "script.json")
    args = ("render", str(path), "--tts", "kokoro", "--voices", "bf_emma,bm_george", "--json")
    row = json.loads(folio(tmp_path / "home", *args).stdout)
    saved = json.loads((Path(row["mp3"]).parent / "script.json").read_text())
    assert [h["voice"] for h in saved["hosts"]] == ["bf_emma", "bm_george"]
    assert row["notes"] == []
    bad = folio(tmp_path / "home", "render", str(path), "--voices", "only-one", check=False)
    assert bad.returncode == 1 and "Give two voices" in bad.stderr
