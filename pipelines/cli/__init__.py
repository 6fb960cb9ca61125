"""`folio` — the command-line face of the same pipelines the app uses.

Each command group lives in its own module and registers its subcommands here.
A FolioError becomes one line on stderr and exit code 1; never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from pipelines.errors import FolioError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def build_parser() -> argparse.ArgumentParser:
    from pipelines.cli import (
        archive_cmds,
        companion_cmds,
        eval_cmds,
        library_cmds,
        podcast_cmds,
        qa_cmds,
        setup_cmds,
        voice_cmds,
    )

    parser = argparse.ArgumentParser(
        prog="folio", description="Folio: read, ask, summarise and listen to your documents."
    )
    parser.add_argument("--home", help="workspace folder (default: FOLIO_HOME or ~/.folio)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (
        setup_cmds,
        library_cmds,
        qa_cmds,
        companion_cmds,
        podcast_cmds,
        voice_cmds,
        eval_cmds,
        archive_cmds,
    ):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.handler(args) or 0)
    except FolioError as exc:
        print(f"folio: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("folio: interrupted; run the command again to finish the work.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
