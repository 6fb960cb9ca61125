"""`folio ingest | sources | chapters | show | remove | samples`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipelines.cli.common import add_json_flag, open_session, print_json, progress_bar
from pipelines.errors import FolioError
from pipelines.text.naming import heading
from pipelines.types import CAPTIONS_MARKER, Aside, Chapter
from pipelines.workspace import library


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("ingest", help="add files (PDF, EPUB, text, Markdown) to the library")
    p.add_argument("files", nargs="+", metavar="FILE")
    add_json_flag(p)
    p.set_defaults(handler=cmd_ingest)

    p = commands.add_parser("sources", help="list the sources in the library")
    add_json_flag(p)
    p.set_defaults(handler=cmd_sources)

    p = commands.add_parser("chapters", help="show a source's chapter tree")
    p.add_argument("source", metavar="SOURCE", help="id prefix, list number or title word")
    p.add_argument("--all", action="store_true", help="also list front and back matter")
    add_json_flag(p)
    p.set_defaults(handler=cmd_chapters)

    p = commands.add_parser("show", help="print one chapter's text")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("chapter", metavar="CHAPTER", type=int, help="number from `folio chapters`")
    add_json_flag(p)
    p.set_defaults(handler=cmd_show)

    p = commands.add_parser("remove", help="remove a source and everything derived from it")
    p.add_argument("source", metavar="SOURCE")
    add_json_flag(p)
    p.set_defaults(handler=cmd_remove)

    p = commands.add_parser("samples", help="add the bundled sample sources")
    p.add_argument(
        "--from",
        dest="folder",
        type=Path,
        help="add the documents of this folder instead (default: the bundled samples)",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_samples)


def _ingest_row(result: library.AddResult) -> dict[str, Any]:
    s = result.source
    return {"id": s.id, "title": s.title, "kind": str(s.kind), "chapters": len(s.chapters)}


def cmd_ingest(args: argparse.Namespace) -> int:
    session = open_session(args)
    rows: list[dict[str, Any]] = []
    failures = 0
    for path in args.files:
        try:
            with progress_bar(
                f"indexing {path}", enabled=sys.stderr.isatty() or not args.json
            ) as bar:
                result = library.add_file(session, path, progress=bar)
        except FolioError as exc:
            failures += 1
            print(f"folio: {exc}", file=sys.stderr)
            continue
        rows.append(_ingest_row(result))
        if not args.json:
            note = "added" if result.created else "already in the library"
            s = result.source
            print(f"{s.id[:12]}  {s.title} — {len(s.chapters)} chapters ({note})")
    if args.json:
        print_json(rows[0] if len(args.files) == 1 and rows else rows)
    return 1 if failures else 0


def cmd_sources(args: argparse.Namespace) -> int:
    session = open_session(args)
    ws = session.workspace
    sources = [ws.get_source(s.id) for s in ws.list_sources()]
    if args.json:
        print_json([library.source_summary(s) for s in sources])
        return 0
    if not sources:
        print("The library is empty. Add a file with `folio ingest FILE`.")
    for n, s in enumerate(sources, 1):
        pages = f"{s.page_count} pages, " if s.page_count else ""
        print(
            f"{n:>3}. {s.id[:12]}  [{s.kind}] {s.title} ({pages}{len(s.chapters)} chapters, {s.word_count:,} words)"
        )
    return 0


def _print_tree(
    nodes: list[dict[str, Any]], *, show_all: bool, headings: dict[int, str] | None = None
) -> None:
    """One line a chapter: the number other commands take, then the chapter as the
    document numbers it."""
    headings = headings or {}
    for node in nodes:
        hidden = node["kind"] in ("front_matter", "back_matter", "index")
        if show_all or not hidden:
            pages = f"  pp. {node['pages'][0]}–{node['pages'][1]}" if node["pages"] else ""
            tag = (
                ""
                if node["kind"] in ("chapter", "part")
                else f"  ({node['kind'].replace('_', ' ')})"
            )
            indent = "  " * node["level"]
            print(
                f"{node['index']:>4}  {indent}{headings.get(node['index'], node['title'])}"
                f"{tag}{pages}  · {node['words']:,} words"
            )
        _print_tree(node["children"], show_all=show_all, headings=headings)


def cmd_chapters(args: argparse.Namespace) -> int:
    session = open_session(args)
    ws = session.workspace
    source = ws.resolve_source(args.source)
    tree = library.chapter_tree(source.chapters)
    if args.json:
        print_json({"source": library.source_summary(source), "chapters": tree})
        return 0
    print(f"{source.title} — {', '.join(source.authors) or 'unknown author'}")
    headings = {c.index: heading(c.title, c.label) for c in source.chapters}
    _print_tree(tree, show_all=args.all, headings=headings)
    if not args.all:
        print("(front and back matter hidden; --all shows them)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    session = open_session(args)
    ws = session.workspace
    source = ws.resolve_source(args.source)
    chapter: Chapter = ws.get_chapter(source.id, args.chapter)
    if args.json:
        print_json(
            {
                "source": source.id,
                "index": chapter.index,
                "title": chapter.title,
                "kind": str(chapter.kind),
                "pages": list(chapter.pages) if chapter.pages else None,
                "text": chapter.text,
            }
        )
        return 0
    title = heading(chapter.title, chapter.label)
    print(title)
    print("=" * min(len(title), 80))
    print(chapter.prose.rstrip())
    captions = [a for a in chapter.asides if a.kind == "caption"] or [
        Aside("caption", line)
        for line in chapter.text.partition(CAPTIONS_MARKER)[2].split("\n")
        if line.strip()
    ]  # stored before captions kept their pages
    for label, asides in (("Footnotes", chapter.footnotes), ("Figures and tables", captions)):
        if asides:
            print(f"\n{label}:")
            for aside in asides:
                print(f"  (p. {aside.page}) {aside.text}" if aside.page else f"  {aside.text}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    session = open_session(args)
    ws = session.workspace
    source = ws.resolve_source(args.source)
    library.remove_source(session, source.id)
    if args.json:
        print_json({"removed": source.id, "title": source.title})
    else:
        print(f"Removed '{source.title}'.")
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    session = open_session(args)
    with progress_bar("indexing samples") as bar:
        files = library.sample_files(args.folder) if args.folder else None
        if args.folder and not files:
            raise FolioError(f"{args.folder} has no PDF, EPUB, text or Markdown file to add.")
        results = library.ensure_samples(session, files=files, progress=bar)
    if args.json:
        print_json([_ingest_row(r) for r in results])
    else:
        for r in results:
            print(f"{r.source.title}: {'added' if r.created else 'already there'}")
    return 0
