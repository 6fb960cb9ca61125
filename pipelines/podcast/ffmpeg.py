"""ffmpeg from the `imageio-ffmpeg` wheel (no system ffmpeg, no ffprobe needed)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipelines.errors import BackendError
from pipelines.podcast.tts.base import AudioClip


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:
        raise BackendError("MP3 output needs imageio-ffmpeg: pip install imageio-ffmpeg") from exc
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: list[str], *, data: bytes | None = None, timeout: float = 600) -> bytes:
    try:
        done = subprocess.run(
            [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args],
            input=data,
            capture_output=True,
            timeout=timeout,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        raise BackendError(f"ffmpeg failed: {exc}") from exc
    if done.returncode != 0:
        raise BackendError(f"ffmpeg failed: {done.stderr.decode(errors='replace')[-300:]}")
    return done.stdout


def decode_to_clip(
    data: bytes, *, input_format: str = "mp3", sample_rate: int = 22050
) -> AudioClip:
    """Compressed audio bytes -> mono 16-bit clip (explicit input format: there is no ffprobe)."""
    wav = run_ffmpeg(
        [
            "-f",
            input_format,
            "-i",
            "pipe:0",
            "-ac",
            "1",
            "-ar",
            str(sample_rate),
            "-f",
            "wav",
            "pipe:1",
        ],
        data=data,
    )
    return AudioClip.from_wav_bytes(wav)


def decode_file(path: Path, *, sample_rate: int = 22050) -> AudioClip:
    wav = run_ffmpeg(["-i", str(path), "-ac", "1", "-ar", str(sample_rate), "-f", "wav", "pipe:1"])
    return AudioClip.from_wav_bytes(wav)


def wav_to_mp3(wav: Path, mp3: Path, *, bitrate: str = "64k") -> None:
    run_ffmpeg(["-i", str(wav), "-codec:a", "libmp3lame", "-b:a", bitrate, "-ac", "1", str(mp3)])
