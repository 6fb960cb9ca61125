"""Run every benchmark in its own process; each prints and saves JSON in bench/results/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "bench_ingest.py",
    "bench_embed.py",
    "bench_index.py",
    "bench_query.py",
    "bench_answer.py",
    "bench_llm.py",
    "bench_llm_client.py",
    "bench_podcast.py",
    "bench_tts.py",
    "bench_load.py",
]

if __name__ == "__main__":
    failed = []
    for name in ORDER:
        if (HERE / name).exists():
            print(f"== {name}", flush=True)
            if subprocess.run([sys.executable, str(HERE / name)], cwd=HERE).returncode:
                failed.append(name)
    sys.exit(1 if failed else 0)
