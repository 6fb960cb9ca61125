"""Shared bits of the benchmarks: paths, peak RSS, percentiles, saving JSON results."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "sources"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def save(name: str, result: dict) -> None:
    result = {**result, "cpus": os.cpu_count()}
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def session_of(ws, llm=None, **overrides):  # type: ignore[no-untyped-def]
    """The session the edge would resolve for this workspace (optionally another model)."""
    from pipelines.session import Session
    from pipelines.settings_file import resolve_settings

    return Session(resolve_settings(ws.home, overrides or None), ws, _llm=llm)
