"""The podcast script as an editable document: JSON round-trip, edits, validation.

A person edits the script between writing and rendering (turn text, speaker, insert,
delete); these functions are what the app and `folio render SCRIPT.json` call.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipelines.errors import FolioError
from pipelines.types import Host, Script, Turn


class ScriptError(FolioError):
    """A script that cannot be rendered; the message says which turn and why."""


def script_to_dict(script: Script) -> dict[str, Any]:
    return asdict(script)


def script_from_dict(data: dict[str, Any]) -> Script:
    try:
        hosts = [Host(**h) for h in data["hosts"]]
        turns = [
            Turn(
                speaker=str(t["speaker"]),
                text=str(t["text"]),
                passage_ids=[str(p) for p in t.get("passage_ids", [])],
                segment=int(t.get("segment", 0)),
            )
            for t in data["turns"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise ScriptError(f"This is not a Folio script ({exc}).") from exc
    return Script(
        title=str(data.get("title", "Folio episode")),
        hosts=hosts,
        turns=turns,
        segments=[str(s) for s in data.get("segments", [])],
        source_ids=list(data.get("source_ids", [])),
        chapter_ids=list(data.get("chapter_ids", [])),
        settings=dict(data.get("settings", {})),
    )


def save_script(script: Script, path: Path) -> Path:
    path.write_text(json.dumps(script_to_dict(script), indent=2, ensure_ascii=False), "utf-8")
    return path


def load_script(path: Path) -> Script:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ScriptError(f"Could not read the script '{path}': {exc}") from exc
    script = script_from_dict(data)
    validate_script(script)
    return script


def validate_script(script: Script) -> None:
    """Raise ScriptError when a turn is empty or spoken by someone who is not a host."""
    names = {h.name for h in script.hosts}
    if not script.turns:
        raise ScriptError("The script has no turns; write at least one line.")
    for n, turn in enumerate(script.turns, 1):
        if not turn.text.strip():
            raise ScriptError(f"Turn {n} is empty; write something or delete it.")
        if turn.speaker not in names:
            raise ScriptError(
                f"Turn {n} is spoken by '{turn.speaker}', who is not a host "
                f"({', '.join(sorted(names))})."
            )


def longest_monologue(script: Script) -> int:
    """Most consecutive turns by one speaker (a check that hosts alternate sensibly)."""
    best = run = 0
    previous = None
    for turn in script.turns:
        run = run + 1 if turn.speaker == previous else 1
        previous = turn.speaker
        best = max(best, run)
    return best


# -- edits (each returns a new Script; the original is left untouched) ---------------
def _copy(script: Script, turns: list[Turn]) -> Script:
    data = script_to_dict(script)
    data["turns"] = [asdict(t) for t in turns]
    return script_from_dict(data)


def edit_turn(
    script: Script, index: int, *, text: str | None = None, speaker: str | None = None
) -> Script:
    turns = [Turn(**asdict(t)) for t in script.turns]
    if not 0 <= index < len(turns):
        raise ScriptError(f"There is no turn {index + 1}.")
    if text is not None:
        turns[index].text = text
    if speaker is not None:
        turns[index].speaker = speaker
    return _copy(script, turns)


def insert_turn(script: Script, index: int, turn: Turn) -> Script:
    turns = [Turn(**asdict(t)) for t in script.turns]
    turns.insert(max(0, min(index, len(turns))), turn)
    return _copy(script, turns)


def delete_turn(script: Script, index: int) -> Script:
    turns = [Turn(**asdict(t)) for t in script.turns]
    if not 0 <= index < len(turns):
        raise ScriptError(f"There is no turn {index + 1}.")
    del turns[index]
    return _copy(script, turns)
