"""The episode's dialogue from its plan: in one request when the whole text fits the
model's window, else beat by beat with the plan and the transcript so far, so the hosts
remember what was said. Lines come back as "Name: text [P3]"; a line "[[2]]" marks
where beat 2 starts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipelines.llm.base import LLM, Message
from pipelines.llm.parsing import strip_think
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers.episode_plan import EpisodePlan
from pipelines.podcast.writers.material_text import EpisodeText
from pipelines.podcast.writers.styles import format_brief, voice_rules
from pipelines.text.passage_keys import take_keys

_MARK = re.compile(r"^\s*\[\[\s*(\d{1,2})\s*\]\]\s*$")
TOKENS_PER_WORD = 2.0  # room for a reply: spoken words plus keys, names and beat marks


@dataclass
class Line:
    speaker: str
    text: str  # without keys
    keys: list[str] = field(default_factory=list)
    beat: int = 1


def plan_text(plan: EpisodePlan, text: EpisodeText) -> str:
    lines = [f"Episode: {plan.title}" if plan.title else "Episode plan:"]
    for n, beat in enumerate(plan.beats, 1):
        keys = f" [{', '.join(beat.passages)}]" if beat.passages else ""
        lines.append(f"{n}. {beat.title} (about {beat.words} words){keys}")
        lines += [f"   - {p}" for p in beat.points]
    return "\n".join(lines)


def _system(request: PodcastRequest, text: EpisodeText, words: int, previously: str) -> str:
    a, b = request.hosts
    intro = f"You write the script of a podcast episode about {text.about}. {format_brief(request)}"
    rules = voice_rules(request)
    opening = (
        f"Open with a hook, say what the episode covers ({text.about}), "
        "and close with what it all adds up to."
    )
    if previously:
        opening += f" This episode continues a series: early on, recall briefly what came before: {previously}"
    speakers = f"'{a}: …'" if request.kind.one_host else f"'{a}: …' or '{b}: …'"
    output = (
        f"Format: one line per turn, {speakers}, each ending with the keys of the passages it "
        "draws on in brackets, like [P3] or [P3, P7]. Before the first line of each beat of "
        "the plan, a line with only the beat's number in double brackets, like [[2]]. "
        "Nothing else: no title, no notes."
    )
    return "\n".join([intro, *[f"- {r}" for r in rules], opening, output])


def whole_messages(
    request: PodcastRequest, text: EpisodeText, plan: EpisodePlan, words: int, previously: str
) -> list[Message]:
    user = (
        f"{plan_text(plan, text)}\n\nWrite the whole episode following this plan, beat by "
        f"beat: about {words} spoken words in all (between {round(words * 0.9)} and "
        f"{round(words * 1.1)}).\n\n{text.planning_context(whole_text=True)}"
    )
    return [Message("system", _system(request, text, words, previously)), Message("user", user)]


def beat_messages(
    request: PodcastRequest,
    text: EpisodeText,
    plan: EpisodePlan,
    number: int,
    so_far: list[Line],
    words: int,
    previously: str,
) -> list[Message]:
    beat = plan.beats[number - 1]
    last = so_far[-1].speaker if so_far else None
    a, b = request.hosts
    start_with = a if request.kind.one_host or last is None else (b if last == a else a)
    transcript = "\n".join(f"{line.speaker}: {line.text}" for line in so_far)
    if len(transcript.split()) > 900:  # the plan carries the rest; keep the recent talk
        transcript = "…\n" + "\n".join(transcript.splitlines()[-14:])
    where = (
        "This is the first beat: open the episode."
        if number == 1
        else "This is the last beat: close the episode."
        if number == len(plan.beats)
        else "Continue straight on from the transcript; no greeting, no goodbye."
    )
    keys = beat.passages or []
    user = "\n\n".join(
        [
            plan_text(plan, text),
            f"Transcript so far:\n{transcript}" if transcript else "Nothing has been said yet.",
            f"Write only beat {number} of {len(plan.beats)}, “{beat.title}”: about "
            f"{beat.words} spoken words. {where} The first line is {start_with}'s.",
            f"Notes:\n\n{text.notes_text()}",
            f"Passages for this beat:\n\n{text.passages_text(keys) if keys else text.passages_text()}",
        ]
    )
    return [Message("system", _system(request, text, words, previously)), Message("user", user)]


def reply_tokens(words: int) -> int:
    return int(words * TOKENS_PER_WORD) + 300


def parse_lines(reply: str, hosts: tuple[str, str], beat: int = 1) -> list[Line]:
    """'Name: text [P1]' lines (a line running on is joined to its turn); beat marks
    '[[n]]' set the beat of the lines after them; other speakers and chatter are dropped."""
    names = "|".join(re.escape(h) for h in hosts)
    turn = re.compile(rf"^\W*({names})\W*\s*[:\-–—]\s*(.+)$", re.I)
    by_lower = {h.lower(): h for h in hosts}
    lines: list[Line] = []
    current_beat = beat
    for raw in strip_think(reply).splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("```"):
            continue
        mark = _MARK.match(stripped)
        if mark:
            current_beat = int(mark.group(1))
            continue
        match = turn.match(stripped)
        if match:
            said, keys = take_keys(match.group(2).strip(" *_"))
            speaker = by_lower[match.group(1).lower()]
            lines.append(Line(speaker, _unwrapped(said), keys, current_beat))
        elif lines and not re.match(r"^[#\[(]|^[A-Z][\w .]{0,20}:", stripped):
            said, keys = take_keys(stripped)
            lines[-1].text = f"{lines[-1].text} {said}".strip()
            lines[-1].keys += [k for k in keys if k not in lines[-1].keys]
    return [line for line in lines if line.text]


def _streamed(
    llm: LLM,
    messages: list[Message],
    words: int,
    plan: EpisodePlan,
    progress: Callable[[str, int, int], None] | None,
) -> str:
    """The whole episode in one reply, streamed when the backend streams, so progress can
    follow the beat marks as they arrive."""
    total = len(plan.beats)
    if progress is None or not llm.streams:
        if progress:
            progress("writing the dialogue", 0, total)
        return llm.complete(messages, max_tokens=reply_tokens(words), temperature=0.7)
    parts: list[str] = []
    beat = 0
    progress("writing the dialogue", 0, total)
    for chunk in llm.stream(messages, max_tokens=reply_tokens(words), temperature=0.7):
        parts.append(chunk)
        marks = [int(m) for m in re.findall(r"\[\[\s*(\d{1,2})\s*\]\]", "".join(parts[-40:]))]
        if marks and max(marks) > beat:
            beat = min(max(marks), total)
            progress(
                f"writing beat {beat} of {total}: {plan.beats[beat - 1].title}", beat - 1, total
            )
    return "".join(parts)


def _unwrapped(said: str) -> str:
    """A whole line in quotation marks loses them; a quotation inside a line keeps both."""
    said = said.strip()
    if len(said) > 1 and said[0] in '"“' and said[-1] in '"”' and said.count('"') <= 2:
        inner = said[1:-1].strip()
        if not any(q in inner for q in '"“”'):
            return inner
    return said


def write_dialogue(
    llm: LLM,
    request: PodcastRequest,
    text: EpisodeText,
    plan: EpisodePlan,
    words: int,
    previously: str,
    *,
    whole: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Line]:
    """The episode's lines: in one request (`whole`), else beat by beat."""
    hosts = request.hosts
    if whole:
        messages = whole_messages(request, text, plan, words, previously)
        return parse_lines(_streamed(llm, messages, words, plan, progress), hosts)
    lines: list[Line] = []
    for number, beat in enumerate(plan.beats, 1):
        if progress:
            progress(
                f"writing beat {number} of {len(plan.beats)}: {beat.title}",
                number - 1,
                len(plan.beats),
            )
        messages = beat_messages(request, text, plan, number, lines, words, previously)
        reply = llm.complete(messages, max_tokens=reply_tokens(beat.words), temperature=0.7)
        lines += parse_lines(reply, hosts, beat=number)
    return lines
