"""edge-tts online neural voices. Offline it fails in milliseconds; a stalled network is
bounded with asyncio.wait_for; the 0-byte file it leaves on failure is deleted."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from pipelines.errors import BackendError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, shift_pitch


class EdgeEngine(TTSEngine):
    name = "edge"
    online = True

    def __init__(self, timeout_s: float = 15.0) -> None:
        self.timeout_s = timeout_s

    def available(self) -> str | None:
        try:
            import edge_tts  # noqa: F401
        except ImportError:
            return "pip install edge-tts (and be online)"
        return None

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec("en-US-AriaNeural"), VoiceSpec("en-US-GuyNeural")

    def voices(self) -> list[str]:
        return [
            "en-US-AriaNeural",
            "en-US-GuyNeural",
            "en-GB-SoniaNeural",
            "en-GB-RyanNeural",
            "de-DE-KatjaNeural",
            "fr-FR-DeniseNeural",
            "es-ES-ElviraNeural",
        ]

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        from pipelines.podcast.ffmpeg import decode_to_clip

        with tempfile.TemporaryDirectory(prefix="folio-edge-") as tmp:
            out = Path(tmp) / "turn.mp3"
            try:
                asyncio.run(asyncio.wait_for(self._save(text, voice, out), self.timeout_s))
            except TimeoutError as exc:
                out.unlink(missing_ok=True)
                raise BackendError(
                    f"edge-tts did not answer within {self.timeout_s:.0f} s"
                ) from exc
            except Exception as exc:  # aiohttp/OSError offline, service errors online
                out.unlink(missing_ok=True)
                raise BackendError(
                    f"edge-tts is unreachable ({type(exc).__name__}: {exc})"
                ) from exc
            if not out.exists() or out.stat().st_size == 0:
                out.unlink(missing_ok=True)
                raise BackendError("edge-tts returned no audio")
            clip = decode_to_clip(out.read_bytes(), input_format="mp3", sample_rate=24000)
        return shift_pitch(clip, voice.pitch)

    @staticmethod
    async def _save(text: str, voice: VoiceSpec, out: Path) -> None:
        import edge_tts

        rate = f"{round((voice.speed - 1) * 100):+d}%"
        await edge_tts.Communicate(text, voice.voice, rate=rate).save(str(out))
