"""A two-host script written by a language model: an outline first (segments tied to
passage keys), then the dialogue segment by segment with a running recap, so long
episodes neither repeat nor drift. Every turn keeps the passage ids it draws on."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pipelines.errors import BackendError
from pipelines.llm.base import Message
from pipelines.llm.parsing import complete_json
from pipelines.podcast.material import Material, body_words, segment_budgets
from pipelines.podcast.writers.llm_turns import checked, parse_dialogue
from pipelines.types import Host, Passage, Script, Turn, count_words

if TYPE_CHECKING:
    from pipelines.podcast.request import PodcastRequest

log = logging.getLogger(__name__)

MAX_PASSAGES_PER_SEGMENT = 6
_STYLE = {
    "deep-dive": "a warm, curious two-host deep dive: {a} explains, {b} asks sharp questions and reacts",
    "debate": "a friendly debate: {a} defends the text's claims, {b} challenges them; both cite the text",
    "brief": "a one-host brief: {a} alone, crisp and clear",
}


def _keyed(passages: list[Passage]) -> tuple[str, dict[str, Passage]]:
    keys = {f"P{i}": p for i, p in enumerate(passages, 1)}
    context = "\n\n".join(f"[{k}] {' '.join(p.text.split())}" for k, p in keys.items())
    return context, keys


def _dialogue_messages(
    material: Material,
    request: PodcastRequest,
    title: str,
    context: str,
    words: int,
    recap: str,
    opening: bool,
    closing: bool,
) -> list[Message]:
    a, b = request.hosts
    style = _STYLE[request.format].format(a=a, b=b)
    speakers = f'"{a}"' if request.format == "brief" else f'"{a}" or "{b}"'
    instructions = [
        f"You write podcast dialogue in {request.language}: {style}.",
        f"Episode about {material.label} of {material.source.title}.",
        f"This segment: {title}. Write about {words} words in total.",
        "Use ONLY facts from the passages; every turn lists the passage keys it draws on.",
        "Do not repeat what was already said." + (f" Already covered: {recap}" if recap else ""),
    ]
    if request.focus:
        instructions.append(f"Listener's wish: {request.focus}.")
    if opening:
        instructions.append("Open the episode: greet the listener and name the book and chapters.")
    if closing:
        instructions.append("End the episode with a short recap and a goodbye.")
    instructions.append(
        f"Reply with the dialogue only, one turn per line, each line 'Name: what they say', "
        f"the speaker being {speakers}, ending with the keys of the passages it uses, "
        "like [P1]. Say nothing the passages don't say; never read references or tables."
    )
    return [
        Message(role="system", content="\n".join(instructions)),
        Message(role="user", content=f"Passages:\n{context}"),
    ]


def _outline(material: Material, request: PodcastRequest, llm) -> list[dict]:
    """One call: a title and two or three points per segment, from its opening passages.
    Falls back to the chapter titles (no points) when the model's JSON is unusable."""
    lines = []
    for n, segment in enumerate(material.segments, 1):
        opening = " ".join(" ".join(p.text.split()) for p in segment.passages[:2])[:900]
        lines.append(f"Segment {n} ({segment.spoken}): {opening}")
    messages = [
        Message(
            role="system",
            content=(
                f"You plan a podcast episode about {material.label} of {material.source.title}. "
                "For each segment give a short title and 2-3 talking points taken from its text. "
                'Reply with JSON only: {"segments": [{"title": "...", "points": ["..."]}]}'
                + (f" Listener's wish: {request.focus}." if request.focus else "")
            ),
        ),
        Message(role="user", content="\n\n".join(lines)),
    ]
    try:
        data = complete_json(llm, messages, {"segments": list}, max_tokens=800)
    except BackendError as exc:
        log.info("outline failed, using chapter titles: %s", exc)
        return [{"title": s.title, "points": []} for s in material.segments]
    planned = [item for item in data["segments"] if isinstance(item, dict)]
    outline = []
    for n, segment in enumerate(material.segments):
        item = planned[n] if n < len(planned) else {}
        title = " ".join(str(item.get("title") or "").split())[:80] or segment.title
        points = [" ".join(str(p).split()) for p in item.get("points", []) if str(p).strip()][:3]
        outline.append({"title": title, "points": points})
    return outline


def write(
    material: Material,
    request: PodcastRequest,
    *,
    words_per_minute: int,
    previously: str = "",
    llm: Any = None,
) -> Script:
    """Raises BackendError (incl. structured-output failures) so the caller can fall back."""
    hosts = request.hosts if request.format != "brief" else (request.hosts[0], request.hosts[0])
    budgets = segment_budgets(
        material.segments, body_words(round(request.minutes * words_per_minute))
    )
    turns: list[Turn] = []
    rejected: list[tuple[str, str]] = []
    source = material.source
    allowed = " ".join([*request.hosts, source.title, *source.authors, material.label])
    recap = previously and f"(previous episode: {previously})"
    titles = []
    outline = _outline(material, request, llm)
    for number, (segment, words) in enumerate(zip(material.segments, budgets, strict=True), 1):
        plan = outline[number - 1]
        passages = segment.passages[:: max(1, len(segment.passages) // MAX_PASSAGES_PER_SEGMENT)]
        context, keys = _keyed(passages[:MAX_PASSAGES_PER_SEGMENT])
        messages = _dialogue_messages(
            material,
            request,
            plan["title"] + (f" (points: {'; '.join(plan['points'])})" if plan["points"] else ""),
            context,
            words,
            recap,
            opening=number == 1,
            closing=number == len(material.segments),
        )
        new = _checked_dialogue(llm, messages, keys, hosts, number, words, allowed, rejected)
        if new is None:  # fail fast: one segment the model can't write ends the attempt
            raise BackendError(f"the model wrote too little usable dialogue for '{segment.title}'")
        if any(not t.passage_ids for t in new[1:-1]):
            for t in new:  # uncited middle turns draw on the segment as a whole
                t.passage_ids = t.passage_ids or [p.id for p in passages[:1]]
        turns.extend(new)
        titles.append(plan["title"])
        covered = [
            f"{t}" + (f": {', '.join(o['points'])}" if o["points"] else "")
            for t, o in zip(titles, outline, strict=False)
        ]
        recap = "; ".join(covered)  # the running recap the next segment must not repeat
    script = Script(
        title=f"{material.source.title}: {material.label.strip('“”')}",
        hosts=[Host(name=h) for h in dict.fromkeys(hosts)],
        turns=turns,
        segments=["Introduction", *titles],
        source_ids=[material.source.id],
        chapter_ids=[c.id for c in material.chapters],
    )
    if rejected:
        reasons = sorted({reason.split(" (")[0] for reason, _ in rejected})
        script.settings["writer_notes"] = [
            f"{len(rejected)} line(s) the model wrote failed the checks "
            f"({', '.join(reasons)}) and were left out."
        ]
    return script


def _checked_dialogue(
    llm: Any,
    messages: list[Message],
    keys: dict[str, Passage],
    hosts: tuple[str, str],
    number: int,
    words: int,
    allowed: str,
    rejected: list[tuple[str, str]],
) -> list[Turn] | None:
    """The segment's turns that pass the checks, asking twice at most; None if too few."""
    passages = list(keys.values())
    for _attempt in range(2):
        reply = llm.complete(messages, max_tokens=min(2048, words * 3), temperature=0.4)
        result = checked(parse_dialogue(reply, keys, hosts, number), passages, allowed)
        if result.turns and sum(count_words(t.text) for t in result.turns) >= words * 0.3:
            rejected.extend(result.rejected)
            return result.turns
    return None
