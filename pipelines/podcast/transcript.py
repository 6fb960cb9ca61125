"""Transcripts beside the MP3: WebVTT and SRT with one timed cue per turn, and the
plain-text script."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.workspace.store import atomic_write


@dataclass
class Cue:
    start_s: float
    end_s: float
    speaker: str
    text: str


def _stamp(seconds: float, separator: str) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def to_vtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT", ""]
    for cue in cues:
        blocks += [
            f"{_stamp(cue.start_s, '.')} --> {_stamp(cue.end_s, '.')}",
            f"<v {cue.speaker}>{cue.text}",
            "",
        ]
    return "\n".join(blocks)


def to_srt(cues: list[Cue]) -> str:
    blocks = []
    for n, cue in enumerate(cues, 1):
        blocks += [
            str(n),
            f"{_stamp(cue.start_s, ',')} --> {_stamp(cue.end_s, ',')}",
            f"{cue.speaker}: {cue.text}",
            "",
        ]
    return "\n".join(blocks)


def to_text(cues: list[Cue], title: str) -> str:
    return f"{title}\n\n" + "\n\n".join(f"{c.speaker}: {c.text}" for c in cues) + "\n"


def write_transcripts(
    cues: list[Cue], out_dir: Path, base_name: str, *, title: str
) -> dict[str, Path]:
    paths = {
        "vtt": out_dir / f"{base_name}.vtt",
        "srt": out_dir / f"{base_name}.srt",
        "txt": out_dir / f"{base_name}.txt",
    }
    atomic_write(paths["vtt"], to_vtt(cues).encode())
    atomic_write(paths["srt"], to_srt(cues).encode())
    atomic_write(paths["txt"], to_text(cues, title).encode())
    return paths


def parse_vtt_times(text: str) -> list[tuple[float, float]]:
    """(start, end) of each cue, for checks and for players that need them."""

    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    return [
        (seconds(a.strip()), seconds(b.strip()))
        for line in text.splitlines()
        if "-->" in line
        for a, b in [line.split("-->")]
    ]
