"""`folio people | recap | quiz | explain | hosts`: the reading companion, chapter 1..N only."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from pipelines.cli.common import add_json_flag, open_session, print_json, work_progress
from pipelines.errors import FolioError
from pipelines.types import Source


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("people", help="who's who so far: people, places and terms")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--upto", type=int, metavar="N", help="only chapters 1..N (no spoilers)")
    p.add_argument("--kind", choices=("person", "place", "term"), help="only this kind")
    add_json_flag(p)
    p.set_defaults(handler=cmd_people)

    p = commands.add_parser("recap", help="'previously on': chapters 1..N-1 before chapter N")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("chapter", type=int, metavar="N", help="the chapter about to be read")
    add_json_flag(p)
    p.set_defaults(handler=cmd_recap)

    p = commands.add_parser("quiz", help="a chapter quiz; export flashcards (Anki, CSV)")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--chapters", required=True, help="chapter numbers, e.g. 5 or 3-6")
    p.add_argument("--anki", type=Path, metavar="FILE.apkg", help="write an Anki deck")
    p.add_argument("--csv", type=Path, metavar="FILE.csv", help="write the cards as CSV")
    add_json_flag(p)
    p.set_defaults(handler=cmd_quiz)

    p = commands.add_parser("explain", help="explain a passage in plain words")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("chapter", type=int, metavar="N")
    p.add_argument("passage", help="the passage's text ('-' reads it from standard input)")
    add_json_flag(p)
    p.set_defaults(handler=cmd_explain)

    p = commands.add_parser("hosts", help="ask an episode's hosts a question (voiced)")
    p.add_argument("episode", metavar="EPISODE", help="episode id (see `folio episodes`)")
    p.add_argument("question")
    p.add_argument("--at", type=float, metavar="SECONDS", help="where the episode was paused")
    p.add_argument("--no-voice", action="store_true", help="write the exchange, do not voice it")
    add_json_flag(p)
    p.set_defaults(handler=cmd_hosts)


def _progress(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return work_progress(enabled=not args.json and sys.stderr.isatty())


def _checked_upto(source: Source, upto: int | None) -> int | None:
    if upto is not None and upto < 1:
        raise FolioError(f"There is no chapter {upto}; chapter numbers start at 1.")
    if upto is not None:
        source.chapter(upto)  # NotFoundError names the numbers that exist
    return upto


def cmd_people(args: argparse.Namespace) -> int:
    from pipelines.companion.people import people_so_far

    session = open_session(args)
    source = session.workspace.resolve_source(args.source)
    upto = _checked_upto(source, args.upto)
    with _progress(args) as progress:
        entries = people_so_far(session, source, upto, progress=progress)
    if args.kind:
        entries = [e for e in entries if e.kind == args.kind]
    if args.json:
        print_json([asdict(e) for e in entries])
        return 0
    where = f"up to chapter {upto}" if upto else "the whole book"
    print(f"Who's who in {source.title} ({where})")
    for e in entries:
        print(f"\n{e.name} ({e.kind}) — first in “{e.first_title}”")
        if e.line:
            print(f"  {e.line}")
        for deed in e.deeds:
            print(f"  · {deed.chapter_title}: {deed.text}")
    if not entries:
        print("Nobody named yet.")
    return 0


def cmd_recap(args: argparse.Namespace) -> int:
    from pipelines.companion.recap import previously_on

    session = open_session(args)
    source = session.workspace.resolve_source(args.source)
    _checked_upto(source, args.chapter)
    with _progress(args) as progress:
        recap = previously_on(session, source, args.chapter, progress=progress)
    if args.json:
        print_json(asdict(recap))
        return 0
    if not recap.lines:
        print("Nothing before this chapter: it is where the book starts.")
        return 0
    print("Previously…\n")
    print(recap.text)
    for c in recap.citations:
        print(f"  [{c.number}] {c.chapter_title}: “{c.quote}”")
    return 0


def cmd_quiz(args: argparse.Namespace) -> int:
    from pipelines.cli.common import select_chapters
    from pipelines.companion.export import quiz_csv, write_anki
    from pipelines.companion.quiz import chapter_quiz

    session = open_session(args)
    source = session.workspace.resolve_source(args.source)
    chapters = [c for c in select_chapters(source, args.chapters) if c.word_count]
    if not chapters:
        raise FolioError("The chosen chapters have no text to make a quiz from.")
    quizzes = [chapter_quiz(session, source, c.index) for c in chapters]
    if args.anki:
        print(f"Anki deck: {write_anki(quizzes, args.anki)}", file=sys.stderr)
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        args.csv.write_text(quiz_csv(quizzes), encoding="utf-8")
        print(f"CSV: {args.csv}", file=sys.stderr)
    if args.json:
        print_json([q.to_dict() for q in quizzes])
        return 0
    for quiz in quizzes:
        print(f"{quiz.chapter_title} — {len(quiz.items)} questions ({quiz.made_by})")
        for n, item in enumerate(quiz.items, 1):
            page = f", p. {item.page}" if item.page else ""
            print(f"{n}. {item.question}\n   answer: {item.answer}  (“{item.quote}”{page})")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from pipelines.companion.explain import explain_passage

    session = open_session(args)
    source = session.workspace.resolve_source(args.source)
    passage = sys.stdin.read() if args.passage == "-" else args.passage
    result = explain_passage(session, source, args.chapter, passage)
    if args.json:
        print_json(asdict(result))
        return 0
    if result.text:
        print(result.text)
    if result.context:
        print(f"In this chapter: {result.context}")
    for gloss in result.glosses:
        print(f"  {gloss.word}: {gloss.meaning}")
    if not result.text and not result.glosses:
        print("No hard words here.")
    print(f"({result.made_by})", file=sys.stderr)
    return 0


def cmd_hosts(args: argparse.Namespace) -> int:
    from pipelines.companion.hosts import ask_hosts, save_exchange, voice_exchange
    from pipelines.podcast.episodes import get_episode, list_episodes

    session = open_session(args)
    ws = session.workspace
    matches = [e for e in list_episodes(ws) if e.id.startswith(args.episode)]
    if len(matches) != 1:
        raise FolioError(
            f"No single episode starts with '{args.episode}'; `folio episodes` lists them."
        )
    episode = get_episode(ws, matches[0].id)
    exchange = ask_hosts(session, episode, args.question, at_s=args.at)
    if not args.no_voice:
        voice_exchange(session, episode, exchange)
    save_exchange(ws, episode, exchange)
    if args.json:
        print_json(exchange.to_dict())
        return 0
    for turn in exchange.turns:
        print(f"{turn.speaker}: {turn.text}")
    for c in exchange.citations:
        print(f"  [{c.number}] {c.chapter_title}: “{c.quote}”")
    if exchange.audio_path:
        print(f"audio: {exchange.audio_path}", file=sys.stderr)
    return 0
