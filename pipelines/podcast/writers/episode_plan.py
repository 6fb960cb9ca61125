"""An episode plan from the chosen chapters' notes: beats in order, each with its words,
its talking points and the passages it draws on.

The planner sees every chosen chapter's notes (and the whole text when it fits the
model's window). A paper's plan starts from its abstract and must reach its results:
a plan that never draws on the results is sent back once with that reason.
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel, Field

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message
from pipelines.llm.structured import complete_model
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers.material_text import EpisodeText
from pipelines.podcast.writers.styles import format_brief

log = logging.getLogger(__name__)

PLAN_REPLY_TOKENS = 1500
_RESULTS = re.compile(r"result|finding|evaluation|experiment|outcome|discussion|conclusion", re.I)


class PlanBeat(BaseModel):
    title: str = Field(description="A few words.")
    words: int = Field(description="Spoken words this beat gets.")
    points: list[str] = Field(default_factory=list, description="What the hosts will say.")
    passages: list[str] = Field(default_factory=list, description='Passage keys, e.g. ["P3"].')


class EpisodePlan(BaseModel):
    title: str = Field("", description="The episode's title.")
    beats: list[PlanBeat] = Field(default_factory=list)


def plan_messages(text: EpisodeText, request: PodcastRequest, words: int) -> list[Message]:
    beats = max(3, min(8, words // 120))
    lines = [
        f"You plan one episode of a podcast about {text.about}. {format_brief(request)}",
        f"The episode is about {request.minutes:g} minutes long: {words} spoken words in all.",
        f"Plan it as about {beats} beats in the order the episode takes them. Each beat has a "
        "short title, the words it gets (together they add up to the total), two to four "
        "talking points (facts, moments, claims and why they matter, specific enough to "
        "write from) and the keys of the passages it draws on.",
        "The first beat opens the episode with a hook and what the listener will get; the "
        "last one closes it with what it all adds up to.",
    ]
    if text.is_paper:
        lines.append(
            "This is a paper: start from its abstract (the problem and the claim), explain "
            "the approach briefly, and make sure the episode reaches the results, with their "
            "main numbers, then the limits and why it matters. Leave out acknowledgements, "
            "author contributions and references."
        )
    else:
        lines.append(
            "Follow the arc of the chosen text, with its turning points and where it ends; "
            "say plainly what happens, including what the text makes clear without saying."
        )
    if request.focus:
        lines.append(f"The listener asked for this focus: {request.focus}.")
    lines.append(
        'Reply with JSON only: {"title": "...", "beats": [{"title": "...", "words": 120, '
        '"points": ["..."], "passages": ["P3", "P9"]}]}'
    )
    return [
        Message("system", "\n".join(lines)),
        Message("user", text.planning_context()),
    ]


def make_plan(llm: LLM, text: EpisodeText, request: PodcastRequest, words: int) -> EpisodePlan:
    """The plan, its words scaled to the total; raises BackendError when the model cannot
    plan at all (the caller falls back)."""
    messages = plan_messages(text, request, words)
    plan = complete_model(llm, messages, EpisodePlan, max_tokens=PLAN_REPLY_TOKENS)
    problem = plan_problem(plan, text)
    if problem:
        log.info("Plan sent back: %s", problem)
        again = [
            *messages,
            Message("assistant", plan.model_dump_json()),
            Message("user", f"Revise the plan: {problem} Reply with the whole plan as JSON."),
        ]
        try:
            revised = complete_model(llm, again, EpisodePlan, max_tokens=PLAN_REPLY_TOKENS)
            if revised.beats:
                plan = revised
        except BackendError as exc:
            log.info("Plan revision failed, keeping the first plan: %s", exc)
    if not plan.beats:
        raise BackendError("the model's plan has no beats")
    return _scaled(plan, text, words)


def plan_problem(plan: EpisodePlan, text: EpisodeText) -> str | None:
    """What a plan must be sent back for, in words for the model."""
    if not plan.beats:
        return "It has no beats."
    if text.is_paper:
        results = text.keys_in(_RESULTS)
        used = {k for beat in plan.beats for k in beat.passages}
        if results and not used & results:
            shown = ", ".join(sorted(results, key=lambda k: int(k[1:]))[:12])
            return (
                "It never reaches the paper's results: add a beat on the main findings and "
                f"their numbers, drawing on the results passages ({shown})."
            )
    return None


def _scaled(plan: EpisodePlan, text: EpisodeText, words: int) -> EpisodePlan:
    """Beats' words add up to the episode's words; unknown passage keys are dropped."""
    beats = [b for b in plan.beats if b.title.strip() or b.points]
    asked = sum(max(1, b.words) for b in beats)
    for beat in beats:
        beat.words = max(40, round(max(1, beat.words) * words / asked))
        beat.passages = [k for k in (text.norm_key(k) for k in beat.passages) if k in text.keys]
    return EpisodePlan(title=plan.title.strip(), beats=beats)
