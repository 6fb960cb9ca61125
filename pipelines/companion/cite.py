"""Citations for lines the companion builds from notes: each line keeps the passages its
note rests on; they are numbered [1], [2] … in order of first use, with the words of
the passage that best match the line."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.answers.citations import best_quote
from pipelines.types import Citation, Passage, Source


@dataclass
class CitedText:
    """Text with [n] markers and the citations they point to."""

    text: str
    citations: list[Citation] = field(default_factory=list)


class Citer:
    """Numbers passages as lines cite them (one number per passage)."""

    def __init__(self, source: Source, passages: dict[str, Passage]) -> None:
        self.source = source
        self.passages = passages
        self.titles = {c.id: c.title for c in source.chapters}
        self.citations: list[Citation] = []
        self._numbers: dict[str, int] = {}

    def cite(self, line: str, passage_ids: list[str], *, most: int = 2) -> str:
        """`line` with the markers of (at most `most` of) its passages."""
        marks = []
        for pid in [p for p in passage_ids if p in self.passages][:most]:
            if pid not in self._numbers:
                passage = self.passages[pid]
                self._numbers[pid] = len(self._numbers) + 1
                self.citations.append(
                    Citation(
                        number=self._numbers[pid],
                        passage_id=pid,
                        quote=best_quote(passage.text, line),
                        chapter_title=self.titles.get(passage.chapter_id, ""),
                        chapter_index=passage.chapter_index,
                        source_id=passage.source_id,
                        source_title=self.source.title,
                        page=passage.pages[0] if passage.pages else None,
                    )
                )
            marks.append(f"[{self._numbers[pid]}]")
        return f"{line.rstrip()} {''.join(marks)}".rstrip() if marks else line
