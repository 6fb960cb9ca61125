"""Helpers shared by the CLI command modules: workspace, JSON output, progress bars."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pipelines.errors import FolioError
from pipelines.settings import Settings
from pipelines.workspace.store import Workspace


def open_workspace(args: argparse.Namespace) -> Workspace:
    settings = Settings()
    if getattr(args, "home", None):
        settings.home = args.home
    return Workspace(settings.home, settings=settings)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A tqdm bar on stderr driven by callback(done, total); silent when disabled."""
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if not enabled:
            return
        if bar is None:
            bar = tqdm(total=total, desc=label, unit="passage", file=sys.stderr, leave=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def parse_chapter_list(value: str) -> list[int]:
    """'3,4' or '1-5' or '2,4-6' -> [3, 4] / [1..5] / [2, 4, 5, 6]."""
    numbers: list[int] = []
    try:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if "-" in part:
                first, last = (int(x) for x in part.split("-", 1))
                numbers.extend(range(first, last + 1))
            else:
                numbers.append(int(part))
    except ValueError as exc:
        raise FolioError(f"'{value}' is not a chapter list; use numbers like 3,4 or 1-5.") from exc
    return numbers
