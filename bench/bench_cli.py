"""Start-up cost of the instant commands: wall time and peak RSS of each, next to
`python -c pass` measured in the same run (medians of several runs).

    .venv/bin/python bench/bench_cli.py [--runs 7]

Each command runs in a fresh process on a workspace holding The Time Machine; peak RSS is
the child's ru_maxrss (wait4). Results: bench/results/cli.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SOURCES, save

COMMANDS = [
    ["--help"],
    ["sources"],
    ["chapters", "1"],
    ["show", "1", "3"],
    ["episodes"],
    ["remove", "1"],
]


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{argv} failed: {proc.stderr.read().decode()[-500:]}")  # type: ignore[union-attr]
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        env = {**os.environ, "FOLIO_HOME": str(home), "HF_HUB_OFFLINE": "1"}
        book = SOURCES / "books" / "wells_the-time-machine_se.epub"
        folio = [sys.executable, "-m", "pipelines.cli"]
        subprocess.run([*folio, "ingest", str(book)], env=env, check=True, capture_output=True)
        out: dict = {"runs": args.runs, "commands": {}}
        rows: dict[str, list[tuple[float, float]]] = {"python -c pass": []}
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            rows["python -c pass"].append(_run([sys.executable, "-c", "pass"], env))
            for cmd in COMMANDS:
                rows.setdefault(" ".join(cmd), []).append(_run([*folio, *cmd], env))
            # put the removed book back (its stored embeddings went with it: re-embedded)
            subprocess.run([*folio, "ingest", str(book)], env=env, check=True, capture_output=True)
        base_s = statistics.median(w for w, _ in rows["python -c pass"])
        base_mb = statistics.median(m for _, m in rows["python -c pass"])
        for name, values in rows.items():
            wall = statistics.median(w for w, _ in values)
            rss = statistics.median(m for _, m in values)
            out["commands"][name] = {
                "median_s": round(wall, 3),
                "peak_rss_mb": round(rss, 1),
                "s_over_python": round(wall - base_s, 3),
                "x_python": round(wall / base_s, 2),
                "mb_over_python": round(rss - base_mb, 1),
            }
    out["cwd"] = str(ROOT)
    save("cli", out)


if __name__ == "__main__":
    main()
