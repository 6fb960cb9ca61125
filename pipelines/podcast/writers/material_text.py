"""What a model writing an episode is shown: the chosen chapters' passages under one set
of keys ("[P1]"… across all chosen chapters), their notes written with the same keys,
and whether the whole text fits the model's window."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.llm.tokens import estimate_tokens
from pipelines.notes.render import notes_text
from pipelines.notes.schema import ChapterNotes
from pipelines.podcast.material import Material
from pipelines.text.passage_keys import key_of
from pipelines.types import Chapter, Passage, SourceKind


@dataclass
class EpisodeText:
    title: str
    by: str  # " by Wells" or ""
    kind: str  # book | paper | document
    label: str  # "chapter VII", "the whole paper"
    chapters: list[Chapter]
    passages: list[Passage]
    notes: list[ChapterNotes]
    keys: dict[str, Passage] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.keys = {key_of(n): p for n, p in enumerate(self.passages, 1)}
        self._key_of_id = {p.id: k for k, p in self.keys.items()}

    @classmethod
    def of(cls, material: Material, notes: list[ChapterNotes]) -> EpisodeText:
        source = material.source
        passages = [p for segment in material.segments for p in segment.passages]
        authors = source.authors
        by = ""
        if authors:
            by = f" by {authors[0]}" + (" and colleagues" if len(authors) > 2 else "")
            by = by if len(authors) != 2 else f" by {authors[0]} and {authors[1]}"
        return cls(
            title=source.title,
            by=by,
            kind=str(source.kind),
            label=material.label.strip("“”"),
            chapters=[c for c in material.chapters if c.word_count],
            passages=passages,
            notes=notes,
        )

    @property
    def is_paper(self) -> bool:
        return self.kind == SourceKind.PAPER

    @property
    def about(self) -> str:
        """'chapter VII of the book “The Time Machine” by H. G. Wells', or for a whole
        source 'the paper “…” by …'."""
        if self.label.startswith("the whole"):
            return f"the {self.kind} “{self.title}”{self.by}"
        return f"{self.label} of the {self.kind} “{self.title}”{self.by}"

    def norm_key(self, key: str) -> str:
        digits = re.sub(r"\D", "", key)
        return f"P{digits}" if digits else key

    def key_for(self, passage_id: str) -> str | None:
        return self._key_of_id.get(passage_id)

    def passages_text(self, keys: list[str] | None = None) -> str:
        """'[P1] text' blocks, each chapter under its title (only `keys` when given)."""
        wanted = set(keys) if keys is not None else None
        blocks: list[str] = []
        current = None
        titles = {c.index: c.title for c in self.chapters}
        for key, passage in self.keys.items():
            if wanted is not None and key not in wanted:
                continue
            if passage.chapter_index != current:
                current = passage.chapter_index
                blocks.append(f"## {titles.get(current, current)}")
            blocks.append(f"[{key}] {' '.join(passage.text.split())}")
        return "\n\n".join(blocks)

    def notes_text(self) -> str:
        """Each chapter's notes, with passage keys in place of ids."""
        return notes_text(self.notes, self.key_for)

    def tokens(self) -> int:
        return sum(estimate_tokens(p.text) + 6 for p in self.passages)

    def fits(self, window: int, reserve: int) -> bool:
        """Whether the whole text, the notes and a reply of `reserve` tokens fit."""
        return self.tokens() + estimate_tokens(self.notes_text()) + reserve + 1500 <= window

    def planning_context(self, *, whole_text: bool | None = None) -> str:
        """Notes, and the whole text too when it was judged to fit."""
        body = f"Notes:\n\n{self.notes_text()}"
        if whole_text if whole_text is not None else self.show_whole:
            body += f"\n\nThe text itself:\n\n{self.passages_text()}"
        return body

    show_whole: bool = False  # set by the writer once it knows the model's window

    def keys_in(self, chapter_title: re.Pattern[str]) -> set[str]:
        """Keys of the passages of chapters whose title matches (a paper's results)."""
        chosen = {c.index for c in self.chapters if chapter_title.search(c.title)}
        return {k for k, p in self.keys.items() if p.chapter_index in chosen}

    def source_words(self) -> str:
        """Everything a line may draw names and numbers from."""
        notes = " ".join(
            [e.name for n in self.notes for e in n.entities] + [c.title for c in self.chapters]
        )
        return " ".join([self.title, self.by, notes, *(p.text for p in self.passages)])
