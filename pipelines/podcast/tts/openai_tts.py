"""Any OpenAI-compatible /v1/audio/speech server (OpenAI, Kokoro-FastAPI, Speaches)."""

from __future__ import annotations

import httpx

from pipelines.errors import BackendError
from pipelines.llm.http_errors import redact
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, shift_pitch


class OpenAISpeechEngine(TTSEngine):
    name = "openai"
    online = True

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        model: str = "tts-1",
        timeout_s: float = 60.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.model = model
        self.timeout_s = timeout_s

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec("alloy"), VoiceSpec("onyx")

    def voices(self) -> list[str]:
        return ["alloy", "echo", "fable", "onyx", "nova", "shimmer"]

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        url = f"{self.base_url}/audio/speech"
        body = {
            "model": self.model,
            "input": text,
            "voice": voice.voice,
            "response_format": "wav",
            "speed": voice.speed,
        }
        try:
            response = httpx.post(
                url, json=body, headers=headers, timeout=httpx.Timeout(self.timeout_s, connect=5.0)
            )
        except httpx.HTTPError as exc:
            raise BackendError(
                f"Could not reach the speech server at {self.base_url} ({type(exc).__name__}). "
                "Is it running? Set FOLIO_TTS__BASE_URL."
            ) from exc
        if response.status_code != 200:
            detail = redact(response.text[:200], self._key)
            raise BackendError(f"The speech server answered {response.status_code}: {detail}")
        data = response.content
        try:
            clip = AudioClip.from_wav_bytes(data)
        except Exception:  # a server that ignores response_format and sends MP3
            from pipelines.podcast.ffmpeg import decode_to_clip

            clip = decode_to_clip(data, input_format="mp3")
        return shift_pitch(clip, voice.pitch)
