"""The spoiler guard: names and terms that the book first uses after chapter N.

Everything the companion shows is built from chapters 1..N, but a model may know the
book already and say more than it was given ("…until he meets Weena"). A line that
names something the reader has not met yet is held back. A name here is a word the
later chapters write with a capital in mid-sentence, that chapters 1..N never use in any
case, and that is not an everyday English word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipelines.notes.names import common_words
from pipelines.types import Source

_WORD = re.compile(r"[A-Za-z][a-z’'-]*[a-z]")
_MID_CAPITAL = re.compile(r"(?<=[a-z,;:] )([A-Z][a-z]+(?:[’'][a-z]+)?)")


@dataclass
class SpoilerGuard:
    later: set[str] = field(default_factory=set)  # lower-case names first met after N

    @classmethod
    def for_reader(cls, source: Source, upto: int | None) -> SpoilerGuard:
        """The guard for someone who has read up to chapter `upto` (None: the whole book,
        nothing to guard)."""
        if upto is None:
            return cls()
        from pipelines.companion.known import chapters_upto

        read = {c.id for c in chapters_upto(source, upto)}
        read |= {c.id for c in source.chapters if c.index <= upto}
        known = {w.lower() for c in source.chapters if c.id in read for w in _WORD.findall(c.text)}
        common = common_words()
        later: set[str] = set()
        for chapter in source.chapters:
            if chapter.id in read or not chapter.kind.is_body:
                continue
            for name in _MID_CAPITAL.findall(chapter.text):
                word = name.lower().replace("’", "'")
                stem = word.split("'")[0]
                if len(stem) < 3 or stem in known or stem in common:
                    continue
                if stem.rstrip("s") in known or f"{stem}s" in known:
                    continue
                later.add(stem)
        return cls(later)

    def leaks(self, text: str) -> list[str]:
        """The later names `text` mentions (empty when it is safe to show)."""
        if not self.later:
            return []
        words = {w.lower().replace("’", "'").split("'")[0] for w in _WORD.findall(text)}
        found = {w for w in words if w in self.later}
        found |= {w + "s" for w in words if w + "s" in self.later}
        return sorted(found)

    def safe(self, text: str) -> bool:
        return not self.leaks(text)
