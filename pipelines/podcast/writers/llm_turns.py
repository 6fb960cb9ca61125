"""Turns from a language model's reply, and the checks they must pass before a voice
says them.

Small local models keep a plain "Name: line [P2]" dialogue far better than JSON, so that
is what we ask for; a JSON reply ({"turns": [...]}) is still accepted. Every turn then
goes through the same checks as the offline writer's lines (pipelines/podcast/checks.py)
plus a faithfulness check: numbers and names it says must be in the passages it was
given. Turns that fail are left out, and counted, never voiced as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pipelines.llm.parsing import strip_think
from pipelines.podcast.checks import line_problem
from pipelines.types import Passage, Turn

_KEY = re.compile(r"\[\s*(P\d+)\s*\]")
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)(?<![\"“])\b([A-Z][a-z]{2,})\b")


@dataclass
class ParsedTurns:
    turns: list[Turn]
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (reason, text)


def parse_dialogue(
    reply: str, keys: dict[str, Passage], hosts: tuple[str, str], segment: int
) -> list[Turn]:
    """'Ada: Hello there [P1]' lines (or JSON turns) -> Turns with passage ids."""
    reply = strip_think(reply)
    from_json = _json_turns(reply)
    pairs = from_json if from_json is not None else _line_turns(reply, hosts)
    by_lower = {h.lower(): h for h in hosts}
    turns = []
    for speaker, text, extra_keys in pairs:
        host = by_lower.get(speaker.strip(" *_").lower())
        wanted = _KEY.findall(text) + extra_keys
        text = " ".join(_KEY.sub("", text).split()).strip(' "')
        if host and text:
            ids = list(dict.fromkeys(keys[k].id for k in wanted if k in keys))
            turns.append(Turn(speaker=host, text=text, passage_ids=ids, segment=segment))
    return turns


def _json_turns(reply: str) -> list[tuple[str, str, list[str]]] | None:
    start, end = reply.find("{"), reply.rfind("}")
    if start < 0 or end <= start:
        return None
    try:
        data = json.loads(reply[start : end + 1])
    except json.JSONDecodeError:
        return None
    items = data.get("turns") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return [
        (
            str(i.get("speaker", "")),
            str(i.get("text", "")),
            [str(k).strip("[] ") for k in i.get("keys") or []],
        )
        for i in items
        if isinstance(i, dict)
    ]


def _line_turns(reply: str, hosts: tuple[str, str]) -> list[tuple[str, str, list[str]]]:
    names = "|".join(re.escape(h) for h in hosts)
    line = re.compile(rf"^\W*({names})\W*\s*[:\-–—]\s*(.+)$", re.I)
    out: list[tuple[str, str, list[str]]] = []
    for raw in reply.splitlines():
        match = line.match(raw.strip())
        if match:
            out.append((match.group(1), match.group(2).lstrip("*_ "), []))
        elif out and raw.strip() and not raw.strip().startswith(("#", "```")):
            speaker, text, extra = out[-1]  # a turn that runs over two lines
            out[-1] = (speaker, f"{text} {raw.strip()}", extra)
    return out


def checked(turns: list[Turn], passages: list[Passage], allowed: str) -> ParsedTurns:
    """Keep the turns that pass every check; `allowed` holds words any turn may use
    (host names, the book's title and authors)."""
    source_text = " ".join(p.text for p in passages) + " " + allowed
    kept: list[Turn] = []
    rejected: list[tuple[str, str]] = []
    for turn in turns:
        previous = kept[-1].text if kept else ""
        reason = line_problem(turn.text, previous) or _unfaithful(turn.text, source_text)
        if reason:
            rejected.append((reason, turn.text))
        else:
            kept.append(turn)
    return ParsedTurns(kept, rejected)


def _unfaithful(text: str, source_text: str) -> str | None:
    """A number or a name the passages never mention is a fact the model made up."""
    for number in _NUMBER.findall(text):
        if number.strip(".,") not in source_text:
            return f"number not in the text ({number})"
    for name in _NAME.findall(text):
        if name not in source_text:
            return f"name not in the text ({name})"
    return None
