"""The offline writer's script, retold by a small local model: the rules choose and order
the content and build the conversation; the model rewrites short, bounded pieces.

- Host A's content lines are retold in plain spoken English (the text's own sentences
  are often long, old-fashioned or dense).
- Host B's line before each of them becomes a question that line really answers.

Every rewrite is checked against the line it came from (pipelines/podcast/faithful.py:
names, numbers, negation, new nouns, length, register); a rewrite that fails is tried
once more, then the extractive line stays. Nothing the model adds is voiced unchecked,
and every line keeps the passages it cites.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message
from pipelines.podcast.faithful import (
    proper_names,
    question_problem,
    reaction_problem,
    retelling_problem,
)
from pipelines.podcast.writers import extractive
from pipelines.podcast.writers.lines import lower_first
from pipelines.text.sentences import sentence_texts
from pipelines.types import Script, SourceKind, Turn, count_words

if TYPE_CHECKING:
    from pipelines.podcast.material import Material
    from pipelines.podcast.request import PodcastRequest

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (lines done, lines to do)

# A story's retold lines come out shorter than the text's (a paper's keep their length):
# its skeleton is planned this much longer so the episode lands near the request.
SKELETON_STRETCH = 1.1

_STORY_SYSTEM = (
    "You retell a book's sentences for a podcast listener in simple, modern, spoken "
    "English: short sentences, everyday words. Keep the names, numbers and who did what "
    "to whom exactly; keep 'not' and 'never'. Add nothing new. Reply with the retelling only."
)
_PAPER_SYSTEM = (
    "You retell a research paper's sentences for a podcast listener in plain spoken "
    "English: short sentences, everyday words, the authors called 'they'. Keep the names, "
    "numbers and claims exactly; keep 'not' and 'never'. Add nothing new. Reply with the "
    "retelling only."
)
# One worked example each (invented, from no source Folio is tested on) shows the model
# how far to go: plainer and shorter, same facts.
_STORY_EXAMPLE = (
    "It was a long time before the Captain, having at length overcome his reluctance to "
    "quit the ship, consented to be lowered into the boat, whereupon the remainder of the "
    "crew followed him without a word.",
    "The Captain didn't want to leave the ship. In the end he agreed to be lowered into the "
    "boat, and the rest of the crew followed him without a word.",
)
_PAPER_EXAMPLE = (
    "In this paper we present a novel caching scheme which, by exploiting the temporal "
    "locality inherent in request streams, reduces the median latency observed by clients "
    "by 41% relative to the baseline.",
    "They present a new way of caching. It makes use of the fact that requests tend to "
    "repeat close together in time, and it cuts the median wait for clients by 41% "
    "compared with the baseline.",
)
_REACTION_PROMPT = (
    "A podcast host just said: {before}\n"
    "Write the co-host's short reaction (at most 10 words): restate one surprising fact "
    "from it as an astonished question. Use only facts the host said. Reply with the "
    "reaction only."
)
LONG_SENTENCE = 18  # words; shorter sentences are plain enough as they are

# Asked about the one sentence host A says first, a small model writes a question that
# sentence really answers; asked about two whole lines, it drifts to the earlier one.
_QUESTION_PROMPT = (
    "Write the one short question a curious podcast co-host would ask just before hearing "
    "this sentence from {about}, so that the sentence answers it. Use only names in the "
    "sentence. Under 12 words. Reply with the question only.\nSentence: {sentence}"
)


@dataclass
class Polish:
    """What the model changed, for the script's notes and the eval."""

    retold: int = 0
    asked: int = 0
    kept: list[str] = field(default_factory=list)  # why a rewrite was refused

    def note(self, model: str) -> str:
        refused = (
            f"; {len(self.kept)} of its lines failed a check and the rules' line was kept"
            if self.kept
            else ""
        )
        return (
            f"Written offline from the text's key passages, with the local model {model} "
            f"({self.asked} host questions, {self.retold} sentences retold){refused}."
        )


def write(
    material: Material,
    request: PodcastRequest,
    *,
    words_per_minute: int,
    previously: str = "",
    llm: LLM,
    progress: Progress | None = None,
    retell: bool = True,
) -> Script:
    """The extractive script with host B's questions written by the model and, when
    `retell`, host A's long sentences retold in plain words."""
    paper = material.source.kind == SourceKind.PAPER
    skeleton = extractive.write(
        material,
        request,
        words_per_minute=round(
            words_per_minute * (SKELETON_STRETCH if retell and not paper else 1.0)
        ),
        previously=previously,
    )
    about = "a research paper" if paper else "a book"
    polish = Polish()
    a = request.hosts[0]
    b = request.hosts[1] if len(request.hosts) > 1 else ""
    turns = skeleton.turns
    content = {i for i, t in enumerate(turns) if _retellable(t, a, i, len(turns))}
    to_retell = set(content) if retell else set()
    to_ask = {
        i
        for i in range(2, len(turns) - 3)  # not the opening question, not the recap's
        if turns[i].speaker == b and i + 1 in content and turns[i - 1].speaker == a
    }
    total, done = len(to_retell) + len(to_ask), 0
    asked: set[str] = set()
    # In script order, so a caller can show the first lines while the rest are written.
    for i in range(len(turns)):
        for j in sorted({i, i + 1} & to_retell):  # host B's line needs the answer first
            turns[j].text = _retell(llm, turns[j].text, turns[j - 1].text, paper, polish)
            to_retell.discard(j)
            done += 1
        if i in to_ask:
            line = _host_b(llm, turns[i - 1].text, turns[i + 1].text, about, polish, asked)
            turns[i].text = line or turns[i].text
            done += 1
        if progress and total:
            progress(done, total)
    script = skeleton
    model = getattr(llm, "describe", lambda: "local model")()
    script.settings["writer_notes"] = [*script.settings.get("writer_notes", []), polish.note(model)]
    script.settings["writer"] = "assisted"
    return script


def _retellable(turn: Turn, a: str, index: int, count: int) -> bool:
    """Host A's content lines; not the intro, the recap, the outro or a marked quote."""
    if turn.speaker != a or not turn.passage_ids or index == 0 or index >= count - 1:
        return False
    return count_words(turn.text) >= 12


def _retell(llm: LLM, text: str, previous: str, paper: bool, polish: Polish) -> str:
    """`text` with each long sentence retold plainly (quotations stay as printed)."""
    out = []
    for sentence in sentence_texts(text):
        lead = _RECAP_LEAD.match(sentence)
        said = lead.group(0) if lead else ""
        rest = sentence[len(said) :]
        if len(rest.split()) < LONG_SENTENCE or re.search(r"[“”\"]", rest):
            out.append(sentence)
            continue
        retold = _retell_sentence(llm, rest, " ".join(out) or previous, paper, polish)
        if said and len(sentence_texts(retold)) > 1:
            retold = rest  # a recap point stays one sentence
        if said and retold != rest:
            retold = lower_first(retold, proper_names(retold))
        out.append(said + retold)
    return " ".join(out)


# The recap's own words ("What to remember: First, ...") stay; what follows is retold.
_RECAP_LEAD = re.compile(
    r"^(?:(?:What to remember|To recap): )?(?:First|Then|After that|And then|Finally), "
)


def _retell_sentence(llm: LLM, sentence: str, previous: str, paper: bool, polish: Polish) -> str:
    system, (example, retold) = (
        (_PAPER_SYSTEM, _PAPER_EXAMPLE) if paper else (_STORY_SYSTEM, _STORY_EXAMPLE)
    )
    messages = [
        Message("system", system),
        Message("user", example),
        Message("assistant", retold),
        Message("user", sentence),
    ]

    # One try: a second, warmer one rarely passed the checks when measured.
    def check(candidate: str) -> str | None:
        return retelling_problem(candidate, sentence, previous)

    limit = round(len(sentence.split()) * 1.5) + 10
    fix = _authors_for_they if paper else None
    plain = _checked_reply(llm, messages, limit, 0.1, check, "retelling", polish, fix=fix)
    if plain is None:
        return sentence
    polish.retold += 1
    return plain


def _authors_for_they(candidate: str) -> str:
    """A paper's retold "They ..." is the authors, who may not have been named just before."""
    return re.sub(r"^They\b", "The authors", candidate)


def _checked_reply(
    llm: LLM,
    messages: list[Message],
    max_tokens: int,
    temperature: float,
    check: Callable[[str], str | None],
    kind: str,
    polish: Polish,
    *,
    fix: Callable[[str], str] | None = None,
    first_line: bool = False,
) -> str | None:
    """The model's cleaned reply when `check` finds no problem with it, else None (the
    refusal is logged and counted in the script's notes)."""
    try:
        reply = llm.complete(messages, max_tokens=max_tokens, temperature=temperature)
    except BackendError as exc:
        polish.kept.append(f"model error: {exc}")
        return None
    candidate = _clean(reply)
    if first_line:
        candidate = candidate.split("\n")[0].strip()
    if fix:
        candidate = fix(candidate)
    problem = check(candidate)
    if problem:
        log.debug("%s refused (%s): %r", kind, problem, candidate)
        polish.kept.append(f"{kind}: {problem}")
        return None
    return candidate


def _host_b(
    llm: LLM, before: str, after: str, about: str, polish: Polish, asked: set[str]
) -> str | None:
    """A question the next line answers, else a reaction to the last one; never a line
    host B has said already."""
    for line in (_ask(llm, before, after, about, polish), _react(llm, before, polish)):
        if line and line.lower() not in asked:
            asked.add(line.lower())
            return line
    return None


def _react(llm: LLM, before: str, polish: Polish) -> str | None:
    """'He sold him to pay a debt?': one fact of the last line, restated in surprise."""
    messages = [Message("user", _REACTION_PROMPT.format(before=before))]
    line = _checked_reply(
        llm,
        messages,
        24,
        0.3,
        lambda candidate: reaction_problem(candidate, before),
        "reaction",
        polish,
        first_line=True,
    )
    polish.asked += line is not None
    return line


def _ask(llm: LLM, before: str, after: str, about: str, polish: Polish) -> str | None:
    """A question about the sentence host A says next, answered by that line."""
    first = next(iter(sentence_texts(after)), after)
    messages = [Message("user", _QUESTION_PROMPT.format(about=about, sentence=first))]
    line = _checked_reply(
        llm,
        messages,
        32,
        0.3,
        lambda candidate: question_problem(candidate, before, after),
        "question",
        polish,
        first_line=True,
    )
    polish.asked += line is not None
    return line


def _clean(reply: str) -> str:
    """The reply without a speaker label, wrapping quotes or markdown."""
    text = reply.strip().strip("`").strip()
    text = re.sub(r"^(?:\w+\s*:\s*)(?=[A-Z])", "", text) if re.match(r"^\w+\s*:", text) else text
    if len(text) > 2 and text[0] in '"“' and text[-1] in '"”':
        text = text[1:-1]
    return re.sub(r"\s+", " ", text).strip()
