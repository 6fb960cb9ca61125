"""What an episode is about: the chosen chapters cut into segments, with their passages,
and the word budget each segment gets."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.text.naming import chapter_name, chapter_range
from pipelines.types import Chapter, ChapterKind, Passage, Source, count_words
from pipelines.workspace.store import Workspace

MAX_SEGMENTS = 8
OPENING_WORDS = 70  # intro + first question
CLOSING_WORDS = 80  # recap + outro


@dataclass
class Segment:
    title: str  # for chapter marks: "III", "I: the opening"
    passages: list[Passage]
    chapters: list[Chapter] = field(default_factory=list)
    spoken: str = ""  # for the hosts to say: "chapter III", "the opening of chapter I"

    def __post_init__(self) -> None:
        self.spoken = self.spoken or chapter_name(self.title)

    @property
    def words(self) -> int:
        return sum(count_words(p.text) for p in self.passages)


@dataclass
class Material:
    source: Source
    chapters: list[Chapter]
    segments: list[Segment]

    @property
    def label(self) -> str:
        """'chapter III', 'chapters I to IV' or 'the whole paper' for intros and titles."""
        body = [c for c in self.chapters if c.kind != ChapterKind.PART]
        if len(body) == 1:
            return chapter_name(body[0].title)
        whole = [c for c in self.source.chapters if c.kind.is_body and c.kind != ChapterKind.PART]
        if len(body) >= len(whole):
            return f"the whole {self.source.kind}"
        return chapter_range(body[0].title, body[-1].title)


def gather(
    ws: Workspace,
    source: Source,
    chapter_indexes: list[int] | None,
    *,
    max_segments: int = MAX_SEGMENTS,
) -> Material:
    """Chapters in scope (default: the body of the source) split into at most
    `max_segments` segments (short episodes get fewer, longer ones more)."""
    if chapter_indexes:  # a parent means its children too
        chapters = source.expand(chapter_indexes)
    else:
        chapters = [c for c in source.chapters if c.kind.is_body]
    chapters = [c for c in chapters if c.word_count > 0] or chapters
    passages = ws.passages_for(chapter_ids=[c.id for c in chapters])
    by_chapter: dict[int, list[Passage]] = {}
    for p in passages:
        by_chapter.setdefault(p.chapter_index, []).append(p)
    with_text = [c for c in chapters if by_chapter.get(c.index)]
    segments = _segments(with_text, by_chapter, max(1, max_segments))
    return Material(source=source, chapters=chapters, segments=segments)


def _segments(
    chapters: list[Chapter], by_chapter: dict[int, list[Passage]], max_segments: int
) -> list[Segment]:
    if len(chapters) == 1:
        return _split_one(chapters[0], by_chapter[chapters[0].index], max_segments)
    # one segment per chapter, consecutive chapters grouped when there are too many
    per_group = max(1, -(-len(chapters) // max_segments))
    segments = []
    for start in range(0, len(chapters), per_group):
        group = chapters[start : start + per_group]
        if len(group) == 1:
            title, spoken = group[0].title, chapter_name(group[0].title)
        else:
            title = f"{group[0].title} – {group[-1].title}"
            spoken = chapter_range(group[0].title, group[-1].title)
        passages = [p for c in group for p in by_chapter[c.index]]
        segments.append(Segment(title, passages, group, spoken))
    return segments


def _split_one(chapter: Chapter, passages: list[Passage], max_segments: int) -> list[Segment]:
    """A single chapter becomes up to three parts: its opening, middle and last part ("the
    end of chapter one" before half its lines misled a blind reader)."""
    parts = min(3, max_segments, max(1, len(passages) // 3))
    if parts == 1:
        return [Segment(title=chapter.title, passages=passages, chapters=[chapter])]
    names = (
        ["the opening", "the middle", "the last part"]
        if parts == 3
        else ["the first half", "the second half"]
    )
    size = -(-len(passages) // parts)
    return [
        Segment(
            title=f"{chapter.title}: {names[i]}",
            passages=passages[i * size : (i + 1) * size],
            chapters=[chapter],
            spoken=f"{names[i]} of {chapter_name(chapter.title)}",
        )
        for i in range(parts)
        if passages[i * size : (i + 1) * size]
    ]


def segments_for(total_words: int) -> int:
    """How many segments an episode of this many words can carry (~120 words or more each)."""
    return max(1, min(MAX_SEGMENTS, total_words // 120))


def body_words(total_words: int) -> int:
    """The words left for the segments once the intro and the recap are said."""
    return max(40, total_words - OPENING_WORDS - CLOSING_WORDS)


def segment_budgets(segments: list[Segment], body: int) -> list[int]:
    """Split the body's word budget across segments in proportion to their text."""
    weights = [max(1, s.words) ** 0.5 for s in segments]
    scale = body / sum(weights)
    return [max(25, round(w * scale)) for w in weights]
