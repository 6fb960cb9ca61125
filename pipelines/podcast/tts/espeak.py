"""espeak-ng through a subprocess, when it is installed (two voices: en-us and en-us+f3)."""

from __future__ import annotations

import shutil
import subprocess

from pipelines.errors import BackendError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, shift_pitch

WORDS_PER_MINUTE = 165


class EspeakEngine(TTSEngine):
    name = "espeak"

    def available(self) -> str | None:
        return (
            None if shutil.which("espeak-ng") else "install espeak-ng (apt-get install espeak-ng)"
        )

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec("en-us"), VoiceSpec("en-us+f3")

    def voices(self) -> list[str]:
        return ["en-us", "en-us+f3", "en-us+m3", "en-gb", "en-gb+f2"]

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise BackendError("The espeak voice needs espeak-ng: apt-get install espeak-ng")
        rate = str(int(WORDS_PER_MINUTE * voice.speed * voice.pitch))
        try:
            done = subprocess.run(
                [binary, "-v", voice.voice, "-s", rate, "--stdout", text],
                capture_output=True,
                timeout=120,
                check=True,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise BackendError(f"espeak-ng failed: {exc}") from exc
        return shift_pitch(AudioClip.from_wav_bytes(done.stdout), voice.pitch)
