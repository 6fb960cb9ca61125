"""The script is a document a person edits before rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.podcast.script_doc import (
    ScriptError,
    delete_turn,
    edit_turn,
    insert_turn,
    load_script,
    longest_monologue,
    save_script,
    validate_script,
)
from pipelines.types import Host, Script, Turn


def _script() -> Script:
    return Script(
        title="Episode",
        hosts=[Host("Ada"), Host("Ben")],
        turns=[
            Turn("Ada", "Welcome.", [], 0),
            Turn("Ben", "What is it about?", ["p1"], 1),
            Turn("Ada", "A machine made of ivory.", ["p1"], 1),
        ],
        segments=["Introduction", "Chapter I"],
    )


def test_edits_return_new_scripts_and_leave_the_original(tmp_path: Path) -> None:
    script = _script()
    edited = edit_turn(script, 2, text="A machine of brass and ivory.", speaker="Ben")
    assert script.turns[2].text == "A machine made of ivory."
    assert (
        edited.turns[2].text == "A machine of brass and ivory." and edited.turns[2].speaker == "Ben"
    )
    inserted = insert_turn(edited, 1, Turn("Ben", "Hello!", [], 0))
    assert [t.text for t in inserted.turns][:2] == ["Welcome.", "Hello!"]
    removed = delete_turn(inserted, 0)
    assert len(removed.turns) == 3 and removed.turns[0].text == "Hello!"
    path = save_script(removed, tmp_path / "script.json")
    again = load_script(path)
    assert again == removed


def test_invalid_scripts_name_the_turn() -> None:
    script = _script()
    with pytest.raises(ScriptError, match="Turn 2 is empty"):
        validate_script(edit_turn(script, 1, text="   "))
    with pytest.raises(ScriptError, match="Turn 1 is spoken by 'Cleo'"):
        validate_script(edit_turn(script, 0, speaker="Cleo"))
    with pytest.raises(ScriptError, match="no turn 9"):
        delete_turn(script, 8)
    assert longest_monologue(script) == 1


def test_a_file_that_is_not_a_script_gets_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"title": 3}')
    with pytest.raises(ScriptError, match="not a Folio script"):
        load_script(bad)
    bad.write_text("not json")
    with pytest.raises(ScriptError, match="Could not read"):
        load_script(bad)
