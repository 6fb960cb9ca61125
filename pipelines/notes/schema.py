"""Chapter notes: what one chapter says, as structured points that each keep the passages
they rest on.

Notes are made once per chapter (by the configured model, or offline by the digest) and
kept in the workspace. Everything Folio writes starts from them: episode plans,
summaries, briefs, "previously on" recaps, who's who. Notes of chapter k are made from
chapter k alone, so anything built from the notes of chapters 1..N knows nothing of
chapter N+1.

`Notes*` models are what a model is asked to fill (passage keys like "P3", as in its
prompt); `ChapterNotes` is what is stored (passage ids).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EntityKind = Literal["person", "place", "term"]


class NotesPoint(BaseModel):
    text: str = Field(description="One sentence in plain words.")
    passages: list[str] = Field(default_factory=list, description='Passage keys, e.g. ["P3"].')


class NotesEntity(BaseModel):
    name: str = Field(description="As the text names it.")
    kind: EntityKind = "person"
    line: str = Field(description="Who or what it is, in one line, from this chapter only.")
    passages: list[str] = Field(default_factory=list)


class NotesQuote(BaseModel):
    text: str = Field(description="Copied word for word from the passage.")
    passage: str = Field(description='The passage key, e.g. "P5".')


class NotesReply(BaseModel):
    """The JSON a model writes for one chapter (or one part of a long chapter)."""

    points: list[NotesPoint] = Field(
        default_factory=list, description="What happens or what is claimed, in order."
    )
    entities: list[NotesEntity] = Field(default_factory=list)
    turning_points: list[NotesPoint] = Field(default_factory=list)
    numbers: list[NotesPoint] = Field(
        default_factory=list, description="Figures that matter, each with what it measures."
    )
    quotes: list[NotesQuote] = Field(default_factory=list)


class Point(BaseModel):
    text: str
    passage_ids: list[str] = Field(default_factory=list)


class Entity(BaseModel):
    name: str
    kind: EntityKind = "person"
    line: str = ""
    passage_ids: list[str] = Field(default_factory=list)


class Quote(BaseModel):
    text: str
    passage_id: str


class ChapterNotes(BaseModel):
    """The stored notes of one chapter."""

    chapter_id: str
    chapter_index: int
    chapter_title: str
    points: list[Point] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    turning_points: list[Point] = Field(default_factory=list)
    numbers: list[Point] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    made_by: str = Field("", description="What made them: a model's label or 'offline digest'.")

    @property
    def passage_ids(self) -> list[str]:
        """Every passage the notes rest on, in first-mention order."""
        seen: dict[str, None] = {}
        for point in [*self.points, *self.turning_points, *self.numbers]:
            seen.update(dict.fromkeys(point.passage_ids))
        for entity in self.entities:
            seen.update(dict.fromkeys(entity.passage_ids))
        seen.update(dict.fromkeys(q.passage_id for q in self.quotes))
        return list(seen)

    @property
    def is_empty(self) -> bool:
        return not (self.points or self.entities or self.quotes)
