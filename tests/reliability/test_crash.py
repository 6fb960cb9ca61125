"""Crash tests that really kill the process (SIGKILL) at random points, many times.

Afterwards the workspace opens, every source is complete or absent, notes written before
the crash are intact, and running the command again finishes the work.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.index import search
from pipelines.types import Scope
from pipelines.workspace import notebook
from pipelines.workspace.store import Workspace
from tests.sources import ALICE, TIME_MACHINE

pytestmark = pytest.mark.slow
SEED = 20261123


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "FOLIO_HOME": str(home), "HF_HUB_OFFLINE": "1"}


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *args],
        env=_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_after(proc: subprocess.Popen[str], seconds: float) -> bool:
    """SIGKILL after `seconds` unless it ended first; True when it was killed."""
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        return True


def _check_consistent(home: Path) -> None:
    ws = Workspace(home)
    for source in ws.list_sources():
        full = ws.get_source(source.id)
        assert full.chapters, "a source without chapters survived a crash"
        assert ws.passages_for(source_ids=[source.id]), "a source without passages survived"
        # searching heals an interrupted index and then finds the source's own text
        hits = search(ws, "the", Scope([source.id]), k=3, settings=ws.settings)
        assert hits and all(h.passage.source_id == source.id for h in hits)
        assert source.id not in ws.unindexed_source_ids()


@pytest.mark.xfail(
    reason="known bug: a SIGKILL mid-write can leave Chroma's on-disk HNSW files so that the "
    "next process to open them segfaults; rebuild-on-dead-writer is not finished",
    strict=False,
)
def test_killed_ingests_leave_complete_or_absent_sources(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    home = tmp_path / "home"
    ws = Workspace(home)
    kills = 0
    for round_ in range(6):
        notebook.save_note(ws, "reading", f"note {round_}", "written before the crash")
        book = TIME_MACHINE if round_ % 2 == 0 else ALICE
        proc = _start(home, "ingest", str(book))
        kills += _kill_after(proc, rng.uniform(1.0, 9.0))
        _check_consistent(home)
        assert len(notebook.notes(Workspace(home), "reading")) == round_ + 1
        if (
            round_ % 2 == 1
        ):  # now and then, remove what got in, so later kills land mid-ingest again
            for source in Workspace(home).list_sources():
                from pipelines.workspace.library import remove_source

                ws = Workspace(home)
                remove_source(ws, source.id, settings=ws.settings)
    assert kills >= 3, "the kill points never hit a running ingest"
    for book in (TIME_MACHINE, ALICE):  # a re-run finishes the work
        done = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "ingest", str(book), "--json"],
            env=_env(home),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    titles = sorted(s.title for s in Workspace(home).list_sources())
    assert len(titles) == 2 and "The Time Machine" in titles
    _check_consistent(home)


def test_killed_render_resumes_from_the_turn_cache(tmp_path: Path) -> None:
    home = tmp_path / "home"
    subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "ingest", str(TIME_MACHINE)],
        env=_env(home),
        capture_output=True,
        check=True,
        timeout=600,
    )
    tree = json.loads(
        subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "chapters", "time machine", "--json"],
            env=_env(home),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    chapter = str(next(c["index"] for c in tree["chapters"] if c["title"] == "III"))
    args = ("podcast", "time machine", "--chapters", chapter, "--minutes", "2", "--json")
    proc = _start(home, *args)
    # wait until some turns are in the cache, then kill mid-render
    cache = home / "cache" / "tts"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(cache.rglob("*.wav"))) < 3:
        time.sleep(0.1)
    assert _kill_after(proc, 0.0), "the render finished before it could be killed"
    cached_before = len(list(cache.rglob("*.wav")))
    assert not list((home / "episodes").rglob("*.mp3")), "a half render was presented as done"
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    episode = json.loads(done.stdout)
    assert episode["cached_turns"] >= cached_before >= 3
    assert episode["synthesized_turns"] < episode["cached_turns"] + episode["synthesized_turns"]
    assert episode["duration_s"] > 60
