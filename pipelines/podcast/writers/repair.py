"""Checks that repair: a script with problems goes back to the model with the reasons
(a bounded number of rounds); only what is still wrong after that is mended here, by
removing the failing sentences and joining what that leaves, so no question is left
unanswered and no host speaks twice in a row."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message
from pipelines.podcast.writers.dialogue import Line, parse_lines, reply_tokens
from pipelines.podcast.writers.line_checks import Checker, Problem
from pipelines.types import count_words

log = logging.getLogger(__name__)

REPAIR_ROUNDS = 2
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass
class Repaired:
    lines: list[Line]
    rounds: int = 0  # requests sent back to the model
    sent_back: list[str] = field(default_factory=list)  # the reasons, for the record
    mended: int = 0  # lines changed here after the rounds


def numbered(lines: list[Line]) -> str:
    out: list[str] = []
    beat = None
    for n, line in enumerate(lines, 1):
        if line.beat != beat:
            beat = line.beat
            out.append(f"[[{beat}]]")
        keys = f" [{', '.join(line.keys)}]" if line.keys else ""
        out.append(f"{n}. {line.speaker}: {line.text}{keys}")
    return "\n".join(out)


def describe(problems: list[Problem]) -> str:
    return "\n".join(
        f"- {'the whole script' if p.line < 0 else f'line {p.line + 1}'}: {p.reason}"
        for p in problems
    )


def repair(
    llm: LLM,
    lines: list[Line],
    checker: Checker,
    words: int,
    context: list[Message],
    hosts: tuple[str, str],
) -> Repaired:
    """Send problems back to the model until none are left or the rounds run out, then
    mend what remains. `context` holds the messages the script was written from."""
    result = Repaired(lines)
    for _ in range(REPAIR_ROUNDS):
        problems = checker.problems(result.lines, words)
        if not problems:
            break
        result.rounds += 1
        result.sent_back += [p.reason for p in problems]
        if all(p.kind == "line" for p in problems):
            try:
                result.lines = _fix_lines(llm, result.lines, problems, context, hosts)
            except BackendError as exc:
                log.warning("The model could not repair the lines: %s", exc)
                break
            continue
        ask = (
            "Here is the script you wrote, with its lines numbered:\n\n"
            f"{numbered(result.lines)}\n\nFix these problems:\n{describe(problems)}\n\n"
            "Reply with the whole corrected script in the same format (without the line "
            "numbers), changing only what the problems need; keep the beat marks and the "
            "passage keys."
        )
        try:
            reply = llm.complete(
                [*context, Message("user", ask)],
                max_tokens=reply_tokens(max(words, _words(result.lines))),
                temperature=0.4,
            )
        except BackendError as exc:
            log.warning("The model could not repair the script: %s", exc)
            break
        revised = parse_lines(reply, hosts)
        if _words(revised) < 0.5 * _words(result.lines):
            log.info("A repair came back with too little of the script; keeping the draft")
            break
        result.lines = revised
    result.lines, result.mended = mend(result.lines, checker)
    return result


def _fix_lines(
    llm: LLM,
    lines: list[Line],
    problems: list[Problem],
    context: list[Message],
    hosts: tuple[str, str],
) -> list[Line]:
    """Only some lines are wrong: ask for those lines again, and put them in place."""
    ask = (
        "Here is the script you wrote, with its lines numbered:\n\n"
        f"{numbered(lines)}\n\nThese lines have problems:\n{describe(problems)}\n\n"
        "Reply with only the corrected lines, each as 'N. Name: text [keys]' with its "
        "number, the same speaker, and the same role in the conversation."
    )
    reply = llm.complete(
        [*context, Message("user", ask)], max_tokens=200 + 120 * len(problems), temperature=0.4
    )
    fixed = list(lines)
    for number, text in _numbered_lines(reply):
        if 1 <= number <= len(fixed):
            old = fixed[number - 1]
            new = parse_lines(f"{old.speaker}: {text}", hosts)
            if new:
                fixed[number - 1] = Line(
                    old.speaker, new[0].text, new[0].keys or old.keys, old.beat
                )
    return fixed


def _numbered_lines(reply: str) -> list[tuple[int, str]]:
    """'12. Ben: text' -> (12, 'text') for each numbered line of a reply."""
    found = []
    for raw in reply.splitlines():
        match = re.match(r"^\s*(\d{1,3})[.):]\s*(?:\**\w+\**\s*[:\-–—]\s*)?(.+)$", raw)
        if match:
            found.append((int(match.group(1)), match.group(2).strip()))
    return found


def mend(lines: list[Line], checker: Checker) -> tuple[list[Line], int]:
    """The last resort: drop failing sentences, then join and trim so the structure holds."""
    mended = 0
    kept: list[Line] = []
    for line in lines:
        if checker.line_problem(line.text):
            good = [s for s in _SENTENCE.split(line.text) if not checker.line_problem(s)]
            mended += 1
            if not good:
                continue
            line = Line(line.speaker, " ".join(good), line.keys, line.beat)
        kept.append(line)
    if checker.one_host:
        a = checker.hosts[0]
        kept = [Line(a, x.text, x.keys, x.beat) for x in kept]
        return _joined(kept), mended
    joined = _joined(kept)
    while joined and joined[-1].text.rstrip().endswith("?"):
        last = joined.pop()  # an episode never ends on a question nobody answers
        rest = [s for s in _SENTENCE.split(last.text) if not s.rstrip().endswith("?")]
        mended += 1
        if rest:
            joined.append(Line(last.speaker, " ".join(rest), last.keys, last.beat))
            joined = _joined(joined)
    return joined, mended


def _joined(lines: list[Line]) -> list[Line]:
    """Consecutive lines of one host become one turn (a question then continues in the
    host's own voice instead of hanging)."""
    out: list[Line] = []
    for line in lines:
        if out and out[-1].speaker == line.speaker:
            prev = out[-1]
            keys = prev.keys + [k for k in line.keys if k not in prev.keys]
            out[-1] = Line(prev.speaker, f"{prev.text} {line.text}", keys, prev.beat)
        else:
            out.append(line)
    return out


def _words(lines: list[Line]) -> int:
    return sum(count_words(line.text) for line in lines)
