"""Fuzzing the ingesters on mutated real files (hypothesis, fixed seed and budget): only
FolioError may come out, nothing hangs past the per-file limit, memory stays capped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sources import ALICE, TIME_MACHINE, TRACEMONKEY, TULLY

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("path", "examples"),
    [(TIME_MACHINE, 150), (ALICE, 100), (TULLY, 60), (TRACEMONKEY, 40)],
    ids=["epub3", "epub2", "pdf-tully", "pdf-tracemonkey"],
)
def test_mutated_files_fail_only_with_folio_errors(path: Path, examples: int) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.fuzz_worker", str(path), str(examples), "7"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["examples"] >= examples // 2
    assert report["problems"] == [], json.dumps(report["problems"][:3], indent=1)


def test_text_ingest_survives_arbitrary_bytes() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from pipelines.errors import FolioError
    from pipelines.ingest import parse_bytes

    @settings(max_examples=150, derandomize=True, deadline=None, database=None)
    @given(st.binary(max_size=4000), st.sampled_from(["a.txt", "b.md", "c", "d.rst"]))
    def run(data: bytes, name: str) -> None:
        try:
            source = parse_bytes(data, name)
        except FolioError:
            return
        assert source.chapters and all("\x00" not in c.text for c in source.chapters)

    run()
