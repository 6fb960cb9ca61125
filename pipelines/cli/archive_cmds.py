"""`folio export | import`: a whole workspace in one archive."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.cli.common import add_json_flag, open_session, print_json


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("export", help="write the whole workspace to one .tar.gz archive")
    p.add_argument("archive", type=Path)
    add_json_flag(p)
    p.set_defaults(handler=cmd_export)
    p = commands.add_parser("import", help="merge an exported archive into this workspace")
    p.add_argument("archive", type=Path)
    add_json_flag(p)
    p.set_defaults(handler=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.workspace.archive import export_workspace

    manifest = export_workspace(open_session(args).workspace, args.archive)
    if args.json:
        print_json(manifest)
    else:
        counts = manifest["counts"]
        print(
            f"Exported {counts['sources']} sources, {counts['notes']} notes, "
            f"{counts['episodes']} episodes to {args.archive}"
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pipelines.workspace.archive import import_workspace

    added = import_workspace(open_session(args), args.archive)
    if args.json:
        print_json(added)
    else:
        print("Imported " + ", ".join(f"{n} {what}" for what, n in added.items()) + ".")
    return 0
