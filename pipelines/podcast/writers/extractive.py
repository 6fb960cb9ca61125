"""A two-host conversation about the chosen chapters, written with no model.

The digest (pipelines/text/digest.py) picks the beats: what happens, who does what,
the problem, idea, method, numbers and limits of a paper, each made to stand alone when
heard. This writer orders them and builds the talk around them: host A frames each
part and tells the beats, host B asks what the next line answers, restates a fact,
asks who someone is the first time they come up; a recap of 3–5 beats closes. Every
line that carries the text's content cites its passage; nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from pipelines.podcast.checks import line_problem
from pipelines.podcast.material import Material, Segment, body_words, segment_budgets
from pipelines.podcast.writers.lines import HostLines, lower_first, topic_taken_up
from pipelines.podcast.writers.paper_plan import paper_segments
from pipelines.podcast.writers.recap import closing
from pipelines.podcast.writers.spoken import said_authors, spoken_title, tidy_title, vary_name
from pipelines.text.compress import compress
from pipelines.text.digest import CONNECTIVE, Beat, Digest, digest, told_in_first_person
from pipelines.text.keysentences import word_counts
from pipelines.text.narration import Narrator, find_narrator, find_teller
from pipelines.text.sentences import terms
from pipelines.types import Host, Script, SourceKind, Turn, count_words

if TYPE_CHECKING:
    from pipelines.podcast.request import PodcastRequest

HOST_B_WORDS = 8  # a typical question or reaction, used when planning the budget
_LONG_TURN = 110  # words: host A goes on in a new turn past this
_NAME_GAP = 4  # beats after which a name coming back gets a "back to ..." link


@dataclass
class _Plan:
    """The digest of each segment, made once; composing within a budget is cheap."""

    segments: list[tuple[Segment, Digest]]
    tellers: list[Narrator] = field(default_factory=list)  # who says "I" (named, with a pronoun)


def write(
    material: Material,
    request: PodcastRequest,
    *,
    words_per_minute: int,
    previously: str = "",
    llm: Any = None,  # unused: the offline writer needs no model
) -> Script:
    """Compose, measure, and re-plan the body's budget until the script lands near the
    target (the fixed intro, questions and recap make a first plan over- or undershoot)."""
    target = round(request.minutes * words_per_minute)
    best = _fit(material, request, target, previously, target)
    if best.word_count < 0.85 * target:  # too few beats for a short episode: plan more
        wider = _fit(material, request, target, previously, round(target * 1.5))
        if abs(wider.word_count - target) < abs(best.word_count - target):
            best = wider
    return best


def _fit(
    material: Material, request: PodcastRequest, target: int, previously: str, planned: int
) -> Script:
    """The composition closest to `target` words from a plan made for `planned` words."""
    plan = plan_episode(material, request, planned)
    body = body_words(target)
    best: Script | None = None
    for _ in range(5):
        script = _compose(material, plan, request, body, previously)
        if best is None or abs(script.word_count - target) < abs(best.word_count - target):
            best = script
        if abs(script.word_count - target) <= 0.07 * target or script.word_count == 0:
            break
        body = max(25, body + target - script.word_count)  # words move ~1:1 with the body
    assert best is not None
    return best


def plan_episode(material: Material, request: PodcastRequest, target_words: int) -> _Plan:
    source = material.source
    if source.kind == SourceKind.PAPER:
        return _Plan(paper_segments(material, request, target_words))
    book_text = " ".join(c.text for c in source.chapters if c.kind.is_body)
    chosen = " ".join(p.text for s in material.segments for p in s.passages)
    # An anthology's narrator ("Robin" in one story) is nobody in another story.
    narrator = _present(find_narrator(book_text, source.authors), chosen)
    teller = _present(find_teller(book_text), chosen)
    budgets = segment_budgets(material.segments, body_words(target_words))
    background = word_counts(book_text)  # what sets the chosen part apart from the book
    # Told by an "I"? Judged on all of it: a page of scenery has no "I" but is still his.
    first_person = told_in_first_person([p for s in material.segments for p in s.passages])
    planned = []
    for segment, budget in zip(material.segments, budgets, strict=True):
        limit = max(4, round(budget * 2.0 / 22))  # spare beats for re-planning
        found = digest(
            segment.passages,
            limit=limit,
            narrator=narrator,
            teller=teller,
            focus=request.focus,
            background=background,
            first_person=first_person,
        )
        planned.append((segment, found))
    return _Plan(planned, [n for n in (narrator, teller) if n is not None])


def _present(narrator: Narrator | None, text: str) -> Narrator | None:
    if narrator is None or narrator.author or narrator.label == "the narrator":
        return narrator
    name = narrator.label.removeprefix("the ").lower()
    narration = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)  # dialogue's "I" is a character's
    told_as_i = len(re.findall(r"\b(?:I|my|me)\b", narration)) >= len(text.split()) / 300
    return narrator if name in text.lower() or told_as_i else None


def _pick(beats: list[Beat], budget: int, used: set[str]) -> list[Beat]:
    """Beats that fit the budget, in reading order, none said before: first the best beat
    of each stretch of the text (so the episode follows it from start to end), then the
    best of the rest. At most one quotation, so hosts tell rather than quote."""
    fresh = [b for b in beats if not _said(b, used) and not line_problem(b.text, b.text)]
    fits = max(1, round(budget / (sum(b.words for b in fresh) / max(1, len(fresh)) + HOST_B_WORDS)))
    in_order = sorted(fresh, key=lambda b: b.order)
    stretches = [
        in_order[i * len(in_order) // fits : (i + 1) * len(in_order) // fits] for i in range(fits)
    ]
    firsts = [max(s, key=lambda b: b.score) for s in stretches if s]
    rest = sorted((b for b in fresh if b not in firsts), key=lambda b: -b.score)
    picked: list[Beat] = []
    spent = 0
    # A second quotation, and a third, only when the text gives too few lines to tell
    # (a chapter of dialogue, or a narrator whose "I" can't be retold).
    for most_quotes in (1, 3):
        for beat in firsts + rest:
            if not beat.quoted:  # told by ear: lead-ins and asides of long sentences left out
                beat = replace(beat, text=compress(beat.text, beat.subject))
            cost = beat.words + HOST_B_WORDS
            quotes = sum(p.quoted for p in picked)
            if (
                (spent + cost > budget * 1.1 and picked)
                or (beat.quoted and quotes >= most_quotes)
                or _said(beat, used)
            ):
                continue
            picked.append(beat)
            used.update((beat.text, beat.printed))
            spent += cost
            if spent >= budget * 0.95:
                break
        if spent >= budget * 0.8:
            break
    return sorted(picked, key=lambda b: b.order)


@lru_cache(maxsize=4096)  # every candidate is compared with every line said so far
def _terms_of(text: str) -> frozenset[str]:
    return frozenset(terms(text))


def _said(beat: Beat, used: set[str]) -> bool:
    """Said already, alone or inside a two-sentence beat."""
    if beat.text in used or any(beat.printed in u or u in beat.printed for u in used):
        return True
    # Said in other words: a paper's abstract and its body often say a thing twice.
    mine = _terms_of(beat.printed)
    if len(mine) < 5:
        return False
    for other in used:
        theirs = _terms_of(other)
        if len(theirs) >= 5 and len(mine & theirs) >= 0.6 * min(len(mine), len(theirs)):
            return True
    return False


def _compose(
    material: Material, plan: _Plan, request: PodcastRequest, body: int, previously: str
) -> Script:
    a, b = request.hosts
    kind = request.kind
    one_host, debate = kind.one_host, kind.value == "debate"
    source = material.source
    lines = HostLines(paper=source.kind == SourceKind.PAPER)
    lines.tellers = {t.label.lower() for t in plan.tellers}
    turns: list[Turn] = [Turn(speaker=a, text=_intro(material, request, previously), segment=0)]
    used: set[str] = set()
    seen: dict[str, int] = {}  # name -> the beat number where it was last heard
    titles, spoken_titles, told = ["Introduction"], [], []
    budgets = segment_budgets([s for s, _ in plan.segments], body)
    for (segment, dig), budget in zip(plan.segments, budgets, strict=True):
        beats = _pick(dig.beats, budget, used)
        if not beats:
            continue
        titles.append(segment.title)
        spoken_titles.append(segment.spoken)
        number = len(titles) - 1
        # A later part of a story: host B asks about its first beat and host A says where
        # we are ("That brings us to the middle of chapter seven."), rather than host B
        # announcing "On to the middle of chapter seven."
        asked = None
        if number > 1 and not lines.paper and not one_host:
            asked = lines.question(beats[0], new_name=None, returning=None)
        if not one_host:
            opening = asked or _segment_question(segment, number, beats[0])
            turns.append(Turn(b, opening, [beats[0].passage.id], number))
        for i, beat in enumerate(beats):
            told.append(beat)
            # Host B's opening ("So, the opening of chapter seven. What's going on with the
            # Time Traveller?") said where we are: "Chapter seven opens with the Time
            # Traveller." would say it again. Its first words are still worth quoting.
            framed = i == 0 and (one_host or number > 1 or bool(dig.opening_words))
            lead = (
                lines.framing(beat, spoken_title(segment), number == 1, dig.opening_words)
                if framed
                else ""
            )
            if i == 0 and asked:
                # "As the hush of evening crept over the world…" says where we are better
                # than "That brings us to the middle of chapter seven."
                timed = _TIME_TRANSITION.match(beat.text)
                lead = "" if timed else lines.later_frame(spoken_title(segment))
            name = _new_name(beat, seen, dig.descriptions)
            returning = _returning(beat, seen, len(told))
            for n in beat.names + ([beat.subject] if beat.subject else []):
                seen[n] = len(told)
            if one_host:
                _say(turns, a, " ".join(x for x in (lead, beat.text) if x), beat, number)
                continue
            runs_on = i > 0 and _runs_on(beats[i - 1], beat) and not name
            runs_on = runs_on and turns[-1].speaker == a and count_words(turns[-1].text) < 60
            if runs_on:
                _go_on(turns[-1], beat)  # the text's very next sentence
                continue
            told_as = beat.text
            why = None if debate or name else lines.why(beat)
            if turns[-1].speaker == a and why:
                # "Why does Ishmael go as a sailor?" "Because they pay him." The question
                # is the beat's own main clause; host A answers with its reason.
                turns.append(Turn(b, why.question, [beat.passage.id], number))
                told_as = why.answer
            elif turns[-1].speaker == a:  # never two of host B's lines in a row
                lines.heard = " ".join(t.text for t in turns[1:])
                host_b = _host_b_line(lines, beats[i - 1], beat, name, returning, debate, a, b)
                if not host_b and _near(beats[i - 1], beat) and count_words(turns[-1].text) < 70:
                    _go_on(turns[-1], beat)  # nothing worth asking: host A goes on
                    continue
                host_b = (
                    host_b
                    or lines.about(beat)
                    or (lines.reaction(told[-2]) if len(told) > 1 else None)
                    or ""
                )
                if host_b:
                    turns.append(Turn(b, host_b, [beat.passage.id], number))
                elif _b_can_tell(beat, debate) and i < len(beats) - 1:
                    # Nothing to ask: host B tells this short line himself, a co-host with
                    # his share of the text rather than a prompter ("Mm-hm."); never the
                    # part's last, or he would also open the next part.
                    _say(turns, b, lines.b_tells(beat, told_as), beat, number)
                    continue
                else:
                    # Nothing of the text's to ask or say: no "Mm-hm." from host B; host A
                    # goes on, saying that this is a later passage ("Further on, …").
                    if not _TIME_TRANSITION.match(told_as):
                        told_as = f"{lines.moving_on()} {lower_first(told_as, beat.names)}"
                    long = count_words(turns[-1].text) + count_words(told_as) > _LONG_TURN
                    if not long or turns[-2].speaker == a:  # never three turns of hers in a row
                        _go_on(turns[-1], replace(beat, text=told_as))
                        continue
            if lines.paper and i == 0:
                told_as = lines.paper_lead(beat, told_as)
            intro = lines.description(name, dig.descriptions) if name else ""
            reader = b if debate and beat.role in ("limit",) else a
            _say(turns, reader, " ".join(x for x in (lead, intro, told_as) if x), beat, number)
    points = 3 if request.minutes <= 3 else 5  # a short episode's recap stays short
    turns.extend(closing(told, spoken_titles, a, b, one_host, len(titles), lines.paper, points))
    turns = [t for t in turns if t.text.strip()]
    for turn in turns[1:-2]:  # not the intro, the recap or the outro
        if turn.speaker == a and turn.passage_ids:
            for teller in plan.tellers:
                turn.text = vary_name(turn.text, teller)
    return Script(
        title=f"{source.title}: {material.label.strip('“”')}",
        hosts=[Host(name=a)] + ([] if one_host else [Host(name=b)]),
        turns=turns,
        segments=[*titles, "Recap"],
        source_ids=[source.id],
        chapter_ids=[c.id for c in material.chapters],
    )


def _say(turns: list[Turn], speaker: str, text: str, beat: Beat, number: int) -> None:
    """Add a content line; a speaker who has the floor goes on in the same turn only when
    the text runs on (consecutive beats of one passage), never gluing distant passages."""
    if line_problem(text, turns[-1].text if turns else ""):
        return
    last = turns[-1]
    same_place = last.passage_ids and last.passage_ids[-1] == beat.passage.id
    if (
        last.speaker == speaker
        and last.segment == number
        and same_place
        and count_words(last.text) < 90
    ):
        last.text += " " + text
        return
    text = CONNECTIVE.sub("", text, count=1)  # a new turn never opens on "Then"/"But"
    turns.append(Turn(speaker, text[:1].upper() + text[1:], [beat.passage.id], number))


def _host_b_line(
    lines: HostLines,
    previous: Beat,
    beat: Beat,
    name: str | None,
    returning: str | None,
    debate: bool,
    a: str,
    b: str,
) -> str:
    """A reaction to what was just said and/or a question the next line answers."""
    line = lines.host_b(previous, beat, new_name=name, returning=returning) or ""
    if line.endswith("?") and not topic_taken_up(
        line, beat.text + " " + (name or ""), {a.lower(), b.lower()}
    ):
        line = lines.reaction(previous) or ""
    if debate and beat.role == "limit":
        line = (line + " But the text itself pushes back here.").strip()
    return line


def _b_can_tell(beat: Beat, debate: bool) -> bool:
    """A short plain line (no quotation, no dialogue) host B can say as well as host A."""
    return not debate and not beat.quoted and beat.role != "dialogue" and beat.words <= 32


def _go_on(turn: Turn, beat: Beat) -> None:
    turn.text += " " + beat.text
    turn.passage_ids = list(dict.fromkeys([*turn.passage_ids, beat.passage.id]))


def _near(previous: Beat, beat: Beat) -> bool:
    """Close enough in the text to be told in one breath (not two distant passages)."""
    same_chapter = previous.passage.chapter_id == beat.passage.chapter_id
    return same_chapter and 0 < beat.offset - previous.offset <= 1500


def _runs_on(previous: Beat, beat: Beat) -> bool:
    """Is `beat` the text's very next sentence or two after `previous`?"""
    return (
        previous.passage.chapter_id == beat.passage.chapter_id
        and 0 < beat.offset - previous.offset <= len(previous.printed) + 200
    )


def _new_name(beat: Beat, seen: dict[str, int], described: dict[str, str]) -> str | None:
    """Someone named for the first time: the line's subject, or anyone the text itself
    describes ("Manuel, one of the gardener's helpers"), worth a "who's that?"."""
    subject = beat.subject
    if subject and subject not in seen and subject[:1].isupper() and " " not in subject:
        return subject
    return next((n for n in beat.names if n in described and n not in seen), None)


def _returning(beat: Beat, seen: dict[str, int], now: int) -> str | None:
    subject = beat.subject
    if subject and subject in seen and now - seen[subject] >= _NAME_GAP:
        return subject
    return None


_TIME_TRANSITION = re.compile(
    r"(?:[^\"]{1,40} words: \")?(?:As|When|After|Before|Next|That (?:night|evening|"
    r"morning|day)|In the (?:morning|evening|afternoon|night)|Through|By the time|At (?:last|"
    r"length|dawn|night|nightfall)|The next (?:day|morning|night)|Later|Soon|Presently|Meanwhile|"
    r"Then)\b"
)
_PART_QUESTIONS = {
    "The problem": "So what problem are they taking on?",
    "The idea": "And what's their idea?",
    "How it works": "How does it work?",
    "The findings": "And the findings?",
    "The limits": "Any limits to it?",
}


def _segment_question(segment: Segment, number: int, first: Beat) -> str:
    if segment.title in _PART_QUESTIONS:
        return _PART_QUESTIONS[segment.title]
    if number == 1 and first.subject:
        return f"So, {spoken_title(segment)}. What's going on with {first.subject}?"
    if number == 1:
        spoken = spoken_title(segment)
        return f"{spoken[:1].upper() + spoken[1:]}, then. Take us in."  # no question to answer
    spoken = spoken_title(segment)
    if " to " in spoken and not spoken.startswith("the "):
        start, end = spoken.split(" to ", 1)
        return f"Next, the part from {start} to {end}."
    return f"On to {spoken}."


def _intro(material: Material, request: PodcastRequest, previously: str) -> str:
    a, b = request.hosts
    source = material.source
    intro = f"Welcome to Folio. I'm {a}" + ("." if request.kind.one_host else f", here with {b}.")
    if material.label == f"the whole {source.kind}":
        intro += f" Today: the {source.kind} {source.title}"
    else:
        intro += f" Today: {tidy_title(material.label)} of {source.title}"
    intro += f" by {said_authors(source.authors)}." if source.authors else "."
    if request.focus:
        intro += f" We'll focus on {request.focus.rstrip('.')}."
    if previously:
        intro += f" Last time, we covered {previously}."
    return intro
