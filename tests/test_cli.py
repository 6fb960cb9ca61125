"""The `folio` command line, run as a user would: a real subprocess, real files, --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sources import ALICE, CHILDRENS_LIT, FREE_CULTURE, TIME_MACHINE

pytestmark = pytest.mark.slow


def folio(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FOLIO_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-home")
    folio(home, "ingest", str(TIME_MACHINE))
    return home


def test_ingest_json_shape_and_idempotence(home: Path) -> None:
    again = json.loads(folio(home, "ingest", str(TIME_MACHINE), "--json").stdout)
    assert set(again) == {"id", "title", "kind", "chapters"}
    assert (
        again["title"] == "The Time Machine" and again["kind"] == "book" and again["chapters"] == 18
    )
    sources = json.loads(folio(home, "sources", "--json").stdout)
    assert [s["title"] for s in sources] == ["The Time Machine"]  # re-adding is a no-op


def test_chapters_json_is_a_tree_with_pages_and_kinds(tmp_path: Path) -> None:
    rows = json.loads(folio(tmp_path, "ingest", str(FREE_CULTURE), str(ALICE), "--json").stdout)
    assert [r["kind"] for r in rows] == ["book", "book"]
    tree = json.loads(folio(tmp_path, "chapters", "free culture", "--json").stdout)
    assert tree["source"]["pages"] == 352
    first = tree["chapters"][0]
    assert set(first) == {"index", "title", "level", "kind", "pages", "words", "children"}
    nested = [c for c in tree["chapters"] if c["children"]]
    assert nested and all(
        child["level"] == node["level"] + 1 for node in nested for child in node["children"]
    )
    assert all(
        len(c["pages"]) == 2 and c["pages"][0] <= c["pages"][1]
        for c in tree["chapters"]
        if c["pages"]
    )
    alice = json.loads(folio(tmp_path, "chapters", "alice", "--json").stdout)
    kinds = {c["kind"] for c in alice["chapters"]}
    assert "front_matter" in kinds


def test_show_prints_the_chapter_and_bad_numbers_explain(home: Path) -> None:
    tree = json.loads(folio(home, "chapters", "time machine", "--json").stdout)
    first = next(c for c in tree["chapters"] if c["title"] == "I")
    text = folio(home, "show", "time machine", str(first["index"])).stdout
    assert text.startswith("I\n") and "Time Traveller" in text
    missing = folio(home, "show", "time machine", "999", check=False)
    assert missing.returncode == 1 and "folio chapters" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_bad_files_get_one_clear_line_and_change_nothing(home: Path, tmp_path: Path) -> None:
    before = folio(home, "sources", "--json").stdout
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    fake = tmp_path / "notes.epub"
    fake.write_bytes(b"PK\x03\x04 this is not a zip")
    done = folio(home, "ingest", str(empty), str(fake), check=False)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("folio:")]
    assert len(lines) == 2 and "empty.pdf" in lines[0] and "notes.epub" in lines[1]
    assert "Traceback" not in done.stderr
    assert folio(home, "sources", "--json").stdout == before


def test_ask_json_has_citations_and_notebook(home: Path) -> None:
    tree = json.loads(folio(home, "chapters", "time machine", "--json").stdout)
    first = next(c for c in tree["chapters"] if c["title"] == "I")
    out = json.loads(
        folio(
            home,
            "ask",
            "time machine",
            "What was the model machine made of?",
            "--chapters",
            str(first["index"]),
            "--json",
        ).stdout
    )
    assert out["supported"] and out["citations"] and "ivory" in out["answer"]
    spoiler = json.loads(
        folio(home, "ask", "time machine", "Who is Weena?", "--upto", "5", "--json").stdout
    )
    assert not spoiler["supported"] and spoiler["closest"]


def test_podcast_script_edit_render_round_trip(home: Path, tmp_path: Path) -> None:
    tree = json.loads(folio(home, "chapters", "time machine", "--json").stdout)
    second = next(c for c in tree["chapters"] if c["title"] == "II")
    paths = json.loads(
        folio(
            home,
            "podcast",
            "time machine",
            "--chapters",
            str(second["index"]),
            "--minutes",
            "0.5",
            "--script-only",
            "--out",
            str(tmp_path),
            "--json",
        ).stdout
    )
    script = json.loads(Path(paths[0]).read_text())
    script["turns"][0]["text"] = "Welcome to a short test episode about the dinner party."
    Path(paths[0]).write_text(json.dumps(script))
    episode = json.loads(
        folio(home, "render", paths[0], "--out", str(tmp_path / "out"), "--json").stdout
    )
    assert episode["duration_s"] > 10 and Path(episode["mp3"]).stat().st_size > 10_000
    listed = json.loads(folio(home, "episodes", "--json").stdout)
    assert episode["id"] in {e["id"] for e in listed}


def test_remove_deletes_the_source(tmp_path: Path) -> None:
    folio(tmp_path, "ingest", str(ALICE))
    folio(tmp_path, "remove", "alice")
    assert json.loads(folio(tmp_path, "sources", "--json").stdout) == []


@pytest.fixture(scope="module")
def collection_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-collection")
    folio(home, "ingest", str(CHILDRENS_LIT))
    return home


def _parent(home: Path, title: str) -> dict:
    tree = json.loads(folio(home, "chapters", "children", "--json").stdout)
    stack = list(tree["chapters"])
    while stack:
        node = stack.pop()
        if node["title"] == title:
            return node
        stack.extend(node["children"])
    raise AssertionError(title)


def test_podcast_on_a_parent_covers_its_children(collection_home: Path, tmp_path: Path) -> None:
    """'Abram S. Isaacs' has no text of its own; choosing it means the four stories under it."""
    parent = _parent(collection_home, "Abram S. Isaacs")
    assert parent["words"] < 10 and parent["children"]
    done = folio(
        collection_home,
        "podcast",
        "children",
        "--chapters",
        str(parent["index"]),
        "--minutes",
        "0.5",
        "--script-only",
        "--out",
        str(tmp_path),
        "--json",
    )
    script = json.loads(Path(json.loads(done.stdout)[0]).read_text())
    assert script["turns"] and "Traceback" not in done.stderr
    out = json.loads(
        folio(
            collection_home,
            "ask",
            "children",
            "Who wore the diadem?",
            "--chapters",
            str(parent["index"]),
            "--json",
        ).stdout
    )
    assert out["citations"] or out["closest"]


@pytest.mark.parametrize("bad", ["999", "5-2", "0", "x", ",", "3-"])
def test_invalid_chapter_selections_explain(collection_home: Path, bad: str) -> None:
    done = folio(collection_home, "ask", "children", "Why?", "--chapters", bad, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "folio:" in done.stderr and "chapter" in done.stderr
    done = folio(
        collection_home, "podcast", "children", "--chapters", bad, "--script-only", check=False
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_upto_a_missing_chapter_explains(collection_home: Path) -> None:
    done = folio(collection_home, "ask", "children", "Why?", "--upto", "999", check=False)
    assert done.returncode == 1 and "no chapter 999" in done.stderr
    assert "Traceback" not in done.stderr
