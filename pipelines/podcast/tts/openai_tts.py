"""Any OpenAI-compatible /v1/audio/speech server (OpenAI, Kokoro-FastAPI, Speaches),
through the `openai` SDK (its client, retries and timeouts)."""

from __future__ import annotations

from typing import Any

from pipelines.errors import BackendError
from pipelines.llm.api_errors import body_message, redact, why_unreachable
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
        self._client: Any = None

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec("alloy"), VoiceSpec("onyx")

    def voices(self) -> list[str]:
        return ["alloy", "echo", "fable", "onyx", "nova", "shimmer"]

    def _sdk_client(self) -> Any:
        if self._client is None:
            import openai

            self._client = openai.OpenAI(
                base_url=self.base_url,
                api_key=self._key or "unused",
                timeout=openai.Timeout(self.timeout_s, connect=5.0),
                max_retries=2,
            )
        return self._client

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        import openai

        headers = {} if self._key else {"Authorization": openai.omit}  # keyless servers
        try:
            reply = self._sdk_client().audio.speech.create(
                model=self.model,
                input=text,
                voice=voice.voice,
                response_format="wav",
                speed=voice.speed,
                extra_headers=headers,
            )
            data = reply.read()
        except openai.APIStatusError as exc:
            detail = redact(body_message(exc.body, exc.response.text), self._key)
            raise BackendError(
                f"The speech server at {self.base_url} answered {exc.status_code}: {detail}"
            ) from None
        except openai.APIConnectionError as exc:
            raise BackendError(
                f"Could not reach the speech server at {self.base_url}: "
                f"{why_unreachable(exc, self.base_url)}. Is it running? Set FOLIO_TTS__BASE_URL."
            ) from None
        try:
            clip = AudioClip.from_wav_bytes(data)
        except Exception:  # a server that ignores response_format and sends MP3
            from pipelines.podcast.ffmpeg import decode_to_clip

            clip = decode_to_clip(data, input_format="mp3")
        return shift_pitch(clip, voice.pitch)
