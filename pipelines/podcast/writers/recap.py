"""How an offline episode ends: a recap of 3-5 things that happened or were claimed, each
traceable to its passage, then the outro."""

from __future__ import annotations

import re

from pipelines.podcast.checks import line_problem
from pipelines.podcast.writers.lines import lower_first
from pipelines.text.compress import compress
from pipelines.text.digest import CONNECTIVE, Beat
from pipelines.text.nlp import get_nlp
from pipelines.types import Turn


def closing(
    told: list[Beat],
    titles: list[str],
    a: str,
    b: str,
    one_host: bool,
    segment: int,
    paper: bool = False,
    most: int = 5,
) -> list[Turn]:
    """A recap of 3-5 things that happened or were claimed, each with its passage."""
    plain = [x for x in told if not x.quoted]  # what happened, not who said what
    by_segment: dict[str, list[Beat]] = {}
    for x in sorted(plain, key=lambda x: -_weight(x)):  # the best of each part, then the rest
        part = x.role if paper else x.passage.chapter_id + str(x.offset // 4000)
        by_segment.setdefault(part, []).append(x)
    ranked = [
        x
        for rank in range(len(plain))
        for group in by_segment.values()
        for x in group[rank : rank + 1]
    ]
    if paper:  # what was found and claimed, not the background (a blind reader's point)
        ranked = _claims_first(by_segment) + ranked
    # The best beats that make a point on their own, down the ranking until there are
    # `most` (a recap of two, one of them trivia, let a blind reader down).
    chosen: list[tuple[Beat, str]] = []
    for x in ranked:
        point = None if any(x is c for c, _ in chosen) else _point(x)
        if point:
            chosen.append((x, point))
        if len(chosen) == most:
            break
    # A story's recap follows the text; a paper's follows its argument (problem first).
    chosen.sort(key=lambda c: told.index(c[0]) if paper else c[0].order)
    best = [x for x, _ in chosen]
    points = [p for _, p in chosen]
    if len(points) >= 2:
        openers = (
            ["First", "Second", "Third", "Fourth", "And last"]
            if paper
            else ["First", "Then", "After that", "And then", "Finally"]
        )
        said = [
            f"{openers[i] if i < len(points) - 1 else openers[-1]}, {p}."
            for i, p in enumerate(points)
        ]
        recap = ("To recap: " if one_host else "What to remember: ") + " ".join(said)
    else:
        covered = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + f" and {titles[-1]}"
        recap = f"To recap, we went through {covered}."
    ids = [x.passage.id for x in best]
    closing: list[Turn] = []
    if not one_host:
        closing.append(Turn(b, "Before we go, what should we remember?", [], segment))
    closing.append(Turn(a, recap, ids, segment))
    outro = (
        "Thanks for listening to Folio."
        if one_host
        else f"That's it from {a} and {b}. Thanks for listening to Folio."
    )
    sign_off = "" if paper else " Happy reading."  # a paper isn't read for pleasure
    closing.append(Turn(a if one_host else b, outro + sign_off, [], segment))
    return closing


def _weight(beat: Beat) -> float:
    """A story's recap is what people did: a decision, a discovery, a move weighs more
    than scenery ("deep into distant woodlands winds a mazy way" was a recap point)."""
    return (
        beat.score
        + (0.3 if beat.act in ("decide", "realise", "go") else 0.0)
        + (0.15 if beat.subject else 0.0)
    )


# A paper's recap: mostly what it found, with its idea, a limit and the problem.
_PAPER_RECAP = ["result", "idea", "result", "result", "limit", "problem", "result"]


def _claims_first(by_role: dict[str, list[Beat]]) -> list[Beat]:
    taken: dict[str, int] = {}
    out = []
    for role in _PAPER_RECAP:
        group = by_role.get(role, [])
        n = taken.get(role, 0)
        while n < len(group) and _point(group[n]) is None:  # too long to say in a breath
            n += 1
        if n < len(group):
            out.append(group[n])
        taken[role] = n + 1
    return out


POINT_WORDS = 22  # a recap point is said in one breath; longer ones crowd out the body


def _point(beat: Beat) -> str | None:
    """The beat as a recap point, or None when no short form of it stands alone."""
    short = _short_form(beat)
    if not short or _SUBORDINATE.match(short):
        return None
    short = CONNECTIVE.sub("", short)
    if not short or len(short.split()) > POINT_WORDS or line_problem(short, ""):
        return None
    return lower_first(short.rstrip("."), [*beat.names, *([beat.subject] if beat.subject else [])])


_SUBORDINATE = re.compile(r"(When|If|As|Though|Although|Because|While|Since|Once|Unless)\b", re.I)


def _short_form(beat: Beat) -> str | None:
    """A recap line: the beat's who-did-what clause, else the beat if short, else its
    first clause when that says enough on its own."""
    if beat.gist:
        return beat.gist
    told = beat.text if beat.quoted else compress(beat.text, beat.subject)  # as by ear
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z])", told, maxsplit=1)[0]
    if len(first.split()) <= 28:
        return first
    head = re.split(r";|, (?:which|while|although|and|but) ", beat.text)[0]
    if not 6 <= len(head.split()) <= 28:
        return None
    doc = get_nlp()(head)  # "Some years ago, having little money": no clause, no point
    return (
        head
        if any(t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" for t in doc)
        else None
    )
