"""What a person asks for when they ask for an episode: chapters, length, format, hosts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pipelines.errors import FolioError

BRIEF_MAX_MINUTES = 2.0


class PodcastFormat(StrEnum):
    DEEP_DIVE = "deep-dive"
    BRIEF = "brief"
    DEBATE = "debate"

    @property
    def label(self) -> str:
        return {"deep-dive": "Deep dive", "brief": "Brief", "debate": "Debate"}[self.value]

    @property
    def one_host(self) -> bool:
        return self is PodcastFormat.BRIEF


FORMATS: tuple[str, ...] = tuple(f.value for f in PodcastFormat)


@dataclass
class PodcastRequest:
    source_id: str
    chapters: list[int] | None = None  # None: the body of the source
    minutes: float = 5.0
    format: str = PodcastFormat.DEEP_DIVE.value
    hosts: tuple[str, str] = ("Ada", "Ben")
    focus: str = ""
    language: str = "English"
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> PodcastFormat:
        return PodcastFormat(self.format)

    def checked(self) -> PodcastRequest:
        if self.format not in FORMATS:
            raise FolioError(f"Unknown format '{self.format}'; choose one of {', '.join(FORMATS)}.")
        if not 0.5 <= self.minutes <= 90:
            raise FolioError("Choose an episode length between 0.5 and 90 minutes.")
        if self.kind.one_host and self.minutes > BRIEF_MAX_MINUTES:
            self.minutes = BRIEF_MAX_MINUTES
            self.notes.append("A brief is at most 2 minutes; the length was capped.")
        if len({h.strip() for h in self.hosts}) != 2 or not all(h.strip() for h in self.hosts):
            raise FolioError("The two hosts need two different, non-empty names.")
        return self
