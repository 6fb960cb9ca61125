"""The sample library that `make run` adds before the app opens: its own first step, run
on an empty workspace, must leave three sources in the library; being asked to add
samples and adding none is an error, never a quiet success."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sources import REPO

pytestmark = pytest.mark.slow


def _make_run_first_step() -> str:
    """The first command `make run` runs, as make itself prints it."""
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "run"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    steps = [line for line in done.stdout.splitlines() if line.strip()]
    # the install lines come first only when the venv is older than pyproject.toml
    first = next(line for line in steps if "folio samples" in line)
    assert steps.index(first) < next(i for i, s in enumerate(steps) if "streamlit run" in s)
    return first


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "FOLIO_HOME": str(home), "HF_HUB_OFFLINE": "1"}


def test_make_runs_first_step_fills_an_empty_library(tmp_path: Path) -> None:
    home = tmp_path / "home"
    step = subprocess.run(
        _make_run_first_step(),
        shell=True,
        cwd=REPO,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert step.returncode == 0, step.stderr
    assert step.stdout.count(": added") == 3, step.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "sources", "--json"],
        env=_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    titles = sorted(s["title"] for s in json.loads(listed.stdout))
    assert titles == [
        "Alice's Adventures in Wonderland",
        "Patient Experiences of Structured Heart Failure Programmes",
        "The Time Machine",
    ]
    again = subprocess.run(
        _make_run_first_step(),
        shell=True,
        cwd=REPO,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0 and again.stdout.count(": already there") == 3


def test_samples_from_a_folder_with_nothing_to_add_fails_loudly(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("not a sample")
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "samples", "--from", str(empty)],
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "no PDF, EPUB, text or Markdown file" in done.stderr
