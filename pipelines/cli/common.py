"""Helpers shared by the CLI command modules: workspace, JSON output, progress bars."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pipelines.errors import FolioError
from pipelines.session import Session
from pipelines.settings import Settings
from pipelines.types import Chapter, Source


def cli_settings(args: argparse.Namespace) -> Settings:
    """The one Settings a command runs with: --home, FOLIO_* variables, then the
    workspace's saved choices (`folio setup`), then the defaults."""
    from pipelines.settings_file import resolve_settings

    return resolve_settings(getattr(args, "home", None))


def open_session(args: argparse.Namespace, overrides: dict[str, Any] | None = None) -> Session:
    """The command's Session: its settings resolved once, its workspace opened."""
    return Session.open(getattr(args, "home", None), overrides=overrides)


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


@contextmanager
def work_progress(*, enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A one-line status on stderr driven by callback(what, done, total): what is being
    done now ("notes on VII", "writing beat 2 of 5"), and how far."""
    from tqdm import tqdm

    bar = None

    def update(what: str, done: int, total: int) -> None:
        nonlocal bar
        if not enabled:
            return
        if bar is None:
            bar = tqdm(total=total, file=sys.stderr, leave=False, bar_format="{desc} {n}/{total}")
        bar.set_description_str(what, refresh=False)
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def parse_chapter_list(value: str) -> list[int]:
    """'3,4' or '1-5' or '2,4-6' -> [3, 4] / [1..5] / [2, 4, 5, 6]; FolioError otherwise."""
    numbers: list[int] = []
    hint = "use chapter numbers from `folio chapters`, like 3,4 or 1-5"
    try:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if "-" in part[1:]:
                first, last = (int(x) for x in part.split("-", 1))
                if first > last:
                    raise FolioError(f"'{part}' is a backwards range; {hint}.")
                if last - first > 10_000:
                    raise FolioError(f"'{part}' is too long a range; {hint}.")
                numbers.extend(range(first, last + 1))
            else:
                numbers.append(int(part))
    except ValueError as exc:
        raise FolioError(f"'{value}' is not a chapter list; {hint}.") from exc
    if not numbers:
        raise FolioError(f"'{value}' names no chapter; {hint}.")
    if bad := [n for n in numbers if n < 1]:
        raise FolioError(f"There is no chapter {bad[0]}; chapter numbers start at 1.")
    return numbers


def select_chapters(source: Source, value: str) -> list[Chapter]:
    """The chapters `--chapters VALUE` means: a parent brings all its descendants."""
    return source.expand(parse_chapter_list(value))
