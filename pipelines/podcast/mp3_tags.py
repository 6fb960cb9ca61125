"""ID3 tags for an episode: title, artist "Folio", album, and one CHAP frame per segment
(with a CTOC table of contents), so podcast players show chapter marks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class ChapterMark:
    title: str
    start_ms: int
    end_ms: int


def tag_mp3(path: Path, *, title: str, album: str, chapters: list[ChapterMark]) -> None:
    from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags
    from mutagen.id3 import error as ID3Error

    try:
        tags = ID3(path)
    except ID3Error:
        tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text="Folio"))
    tags.add(TALB(encoding=3, text=album or title))
    ids = [f"chp{i}" for i in range(len(chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text="Chapters")],
        )
    )
    for element_id, mark in zip(ids, chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=mark.start_ms,
                end_time=mark.end_ms,
                sub_frames=[TIT2(encoding=3, text=mark.title)],
            )
        )
    tags.save(path, v2_version=3)


def read_chapters(path: Path) -> list[ChapterMark]:
    from mutagen.id3 import ID3

    tags = ID3(path)
    marks = []
    for frame in tags.getall("CHAP"):
        title = frame.sub_frames.get("TIT2")
        marks.append(
            ChapterMark(str(title.text[0]) if title else "", frame.start_time, frame.end_time)
        )
    return sorted(marks, key=lambda m: m.start_ms)
