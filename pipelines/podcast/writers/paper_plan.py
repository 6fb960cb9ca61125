"""A paper's episode is told as its argument, not section by section: which part of the
argument (problem, idea, method, findings, limits) each beat of the paper plays, from its
section, a structured abstract's labels and its own wording."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.podcast.material import Material, Segment, body_words
from pipelines.text.digest import Digest, digest
from pipelines.types import Chapter

if TYPE_CHECKING:
    from pipelines.podcast.request import PodcastRequest

# A paper is told as its argument, not section by section: the problem, the idea, how
# they went about it, what they found, the limits.
PAPER_PARTS = [
    ("problem", "The problem"),
    ("idea", "The idea"),
    ("method", "How it works"),
    ("result", "The findings"),
    ("limit", "The limits"),
]
_SECTION_ROLES = [
    (
        re.compile(
            r"method|design|approach|implement|system|algorithm|architecture|model|trace tree|trace record",
            re.I,
        ),
        "method",
    ),
    (
        re.compile(r"result|evaluat|experiment|finding|performance|benchmark|experience", re.I),
        "result",
    ),
    (re.compile(r"limitation|future|threat|caveat", re.I), "limit"),
]


def paper_segments(
    material: Material, request: PodcastRequest, target_words: int
) -> list[tuple[Segment, Digest]]:
    """The paper's beats grouped by their part in the argument, in the argument's order."""
    passages = [p for segment in material.segments for p in segment.passages]
    budget = body_words(target_words)
    found = digest(
        passages, limit=max(10, round(budget * 2.5 / 22)), is_paper=True, focus=request.focus
    )
    sections = _section_roles(material.chapters)
    texts = {c.id: c.text for c in material.chapters}
    for beat in found.beats:
        labelled = _abstract_label(texts.get(beat.passage.chapter_id, ""), beat.offset)
        beat.role = labelled or _role_in_paper(beat.role, sections.get(beat.passage.chapter_id))
        if labelled == "result":
            beat.score += ABSTRACT_RESULT_BONUS  # the authors' own summary of what they found
        elif beat.cites and beat.role == "result":
            beat.role = "claim"  # another study's finding is not told as this paper's
    planned = []
    for role, title in PAPER_PARTS:
        beats = [b for b in found.beats if b.role == role]
        if beats:
            part = Segment(title, [b.passage for b in beats], material.chapters, title.lower())
            planned.append((part, Digest(beats, found.descriptions, None, True)))
    return planned


_ABSTRACT_LABEL = re.compile(
    r"\b(Objectives?|Background|Aims?|Purpose|Methods?|Design|Results?|Findings|"
    r"Conclusions?|Interpretation)\s*[.:](?=\s+[A-Z])"
)
ABSTRACT_RESULT_BONUS = 0.3
_LABEL_ROLES = {
    "objective": "problem", "background": "problem", "aim": "idea", "purpose": "idea",
    "method": "method", "design": "method", "result": "result", "finding": "result",
    "conclusion": "result", "interpretation": "result",
}  # fmt: skip


def _abstract_label(chapter_text: str, offset: int) -> str | None:
    """In a structured abstract ("Results. Supervised exercise sessions…") the label
    before a sentence says its part in the argument better than its wording does."""
    before = chapter_text[max(0, offset - 1500) : offset + 1]
    labels = list(_ABSTRACT_LABEL.finditer(before))
    if len(labels) < 2 and not re.search(r"\b(Results?|Methods?)\s*[.:]", before):
        return None  # one capitalised word and a full stop is no structured abstract
    if not labels:
        return None
    word = labels[-1].group(1).lower().rstrip("s")
    return _LABEL_ROLES.get(word)


def _section_roles(chapters: list[Chapter]) -> dict[str, str | None]:
    """What each section is for, by its title, else by its place: after the methods and
    before the discussion come results ("5. Maintenance", "7. GP Services")."""
    roles: dict[str, str | None] = {}
    seen_method = False
    for chapter in chapters:
        role = next((r for pattern, r in _SECTION_ROLES if pattern.search(chapter.title)), None)
        if re.search(r"discussion|conclusion", chapter.title, re.I):
            role = "discussion"
        elif role is None and seen_method:
            role = "result"
        seen_method = seen_method or role in ("method", "result")
        roles[chapter.id] = role
    return roles


def _role_in_paper(role: str, section: str | None) -> str:
    """The section a sentence sits in says more about its part in the argument than its
    wording: a 'results' sentence in the introduction is the problem's background."""
    if section == "discussion":
        return role if role in ("limit", "result", "idea") else "result"
    if section in ("method", "result"):
        return "limit" if role == "limit" and section == "result" else section
    if section == "limit":
        return "limit"
    return role if role in ("idea", "method", "result") else "problem"  # abstract, introduction
