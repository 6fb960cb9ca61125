"""`folio ask | summarize | questions`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from pipelines.cli.common import add_json_flag, open_session, parse_chapter_list, print_json
from pipelines.errors import FolioError
from pipelines.types import Answer, Citation, Scope, Source
from pipelines.workspace import notebook
from pipelines.workspace.store import Workspace


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("ask", help="ask a question, answered from the chosen chapters")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("question")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--chapters", help="only these chapters, e.g. 3,4 or 2-5")
    group.add_argument("--upto", type=int, metavar="N", help="chapters 1..N only (no spoilers)")
    p.add_argument(
        "--notebook", default=notebook.DEFAULT_NOTEBOOK, help="conversation to keep it in"
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_ask)

    p = commands.add_parser("summarize", help="summarise a source or one chapter")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--chapter", type=int, metavar="N")
    p.add_argument(
        "--brief", action="store_true", help="a paper brief (problem, method, results ...)"
    )
    p.add_argument("--refresh", action="store_true", help="ignore the cached summary")
    add_json_flag(p)
    p.set_defaults(handler=cmd_summarize)

    p = commands.add_parser("questions", help="suggest questions for a source or chapter")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--chapter", type=int, metavar="N")
    add_json_flag(p)
    p.set_defaults(handler=cmd_questions)


def scope_for(ws: Workspace, source: Source, chapters: str | None, upto: int | None) -> Scope:
    """--upto N / --chapters LIST as a scope; a parent chapter means it and its descendants."""
    if upto is not None:
        if upto < 1:
            raise FolioError(f"There is no chapter {upto}; chapter numbers start at 1.")
        return Scope.upto(source, upto)
    if chapters:
        return Scope.chapters(source, parse_chapter_list(chapters))
    return Scope(source_ids=[source.id])


def _citation_line(c: Citation) -> str:
    where = c.chapter_title or f"chapter {c.chapter_index}"
    page = f", p. {c.page}" if c.page else ""
    return f"[{c.number}] {where}{page}: “{c.quote}”"


def answer_json(answer: Answer) -> dict:
    return {
        "question": answer.question,
        "answer": answer.text,
        "supported": answer.supported,
        "scope": answer.scope_label,
        "citations": [asdict(c) for c in answer.citations],
        "closest": [
            {
                "passage_id": h.passage.id,
                "chapter_index": h.passage.chapter_index,
                "pages": h.passage.pages,
                "text": h.passage.text[:300],
            }
            for h in (answer.closest if not answer.supported else [])
        ],
        "unsupported_sentences": answer.unsupported_sentences,
        "notes": answer.notes,
        "backend": answer.backend,
        "written_by": answer.written_by,
    }


def cmd_ask(args: argparse.Namespace) -> int:
    from pipelines.answers.qa import answer as answer_question

    session = open_session(args)
    ws = session.workspace
    source = ws.resolve_source(args.source)
    scope = scope_for(ws, source, args.chapters, args.upto)
    result = answer_question(session, args.question, scope)
    notebook.record_exchange(ws, args.notebook, result)
    if args.json:
        print_json(answer_json(result))
        return 0
    print(f"({result.scope_label})")
    print(result.text)
    for c in result.citations:
        print("  " + _citation_line(c))
    if not result.supported:
        for h in result.closest:
            page = f", {h.passage.page_label}" if h.passage.page_label else ""
            print(f"  closest: chapter {h.passage.chapter_index}{page}: {h.passage.text[:160]}…")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from pipelines.answers.summaries import summarize

    session = open_session(args)
    ws = session.workspace
    source = ws.resolve_source(args.source)
    summary = summarize(
        session, source.id, chapter=args.chapter, brief=args.brief, refresh=args.refresh
    )
    if args.json:
        print_json(asdict(summary))
        return 0
    print(summary.title)
    print(summary.text)
    for c in summary.citations:
        print("  " + _citation_line(c))
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from pipelines.answers.suggestions import suggest_questions

    session = open_session(args)
    ws = session.workspace
    source = ws.resolve_source(args.source)
    chapter = source.chapter(args.chapter) if args.chapter else None
    questions = suggest_questions(session, source, chapter)
    if args.json:
        print_json(questions)
    else:
        print("\n".join(f"- {q}" for q in questions))
    return 0
