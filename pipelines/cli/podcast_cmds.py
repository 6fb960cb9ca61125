"""`folio podcast | render | episodes`."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.cli.common import (
    add_json_flag,
    open_session,
    print_json,
    select_chapters,
    work_progress,
)
from pipelines.errors import FolioError
from pipelines.podcast.request import FORMATS, PodcastRequest
from pipelines.session import Session
from pipelines.types import Episode, Script, Source


def register(commands: argparse._SubParsersAction) -> None:
    from pipelines.podcast.tts.registry import known_engines

    p = commands.add_parser("podcast", help="write and voice a two-host episode about chapters")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--chapters", help="chapters to cover, e.g. 3,4 or 1-5 (default: all)")
    p.add_argument("--minutes", type=float, default=5.0)
    p.add_argument("--format", choices=FORMATS, default="deep-dive")
    p.add_argument("--hosts", default="Ada,Ben", help='two names, e.g. "Ada,Ben"')
    p.add_argument("--focus", default="", help='e.g. "explain it to a 12-year-old"')
    p.add_argument("--tts", choices=known_engines(), help="voice engine")
    p.add_argument(
        "--voices", help='host A and B voices, e.g. "af_heart,am_michael" (folio voices)'
    )
    p.add_argument("--series", action="store_true", help="one episode per chapter")
    p.add_argument("--script-only", action="store_true", help="write the script JSON, no audio")
    p.add_argument("--out", type=Path, help="also copy the MP3 and transcripts here")
    add_json_flag(p)
    p.set_defaults(handler=cmd_podcast)

    p = commands.add_parser("render", help="voice an edited script (JSON from --script-only)")
    p.add_argument("script", type=Path, metavar="SCRIPT.json")
    p.add_argument("--tts", choices=known_engines())
    p.add_argument("--voices", help='host A and B voices, e.g. "af_heart,am_michael"')
    p.add_argument("--out", type=Path)
    add_json_flag(p)
    p.set_defaults(handler=cmd_render)

    p = commands.add_parser("episodes", help="list rendered episodes")
    add_json_flag(p)
    p.set_defaults(handler=cmd_episodes)


@contextmanager
def stage_bars(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """One tqdm bar per stage ("voices", "mixing") on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not enabled:
            return
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=False)
        bar.total, bar.n = total, done
        bar.refresh()

    try:
        yield update
    finally:
        for bar in bars.values():
            bar.close()


def _session(args: argparse.Namespace) -> Session:
    """The command's session; `--tts ENGINE` and `--voices A,B` override the chosen
    speech engine and host voices."""
    tts: dict[str, str] = {}
    if getattr(args, "tts", None):
        tts["engine"] = args.tts
    if getattr(args, "voices", None):
        names = [v.strip() for v in args.voices.split(",")]
        if len(names) != 2 or not all(names):
            raise FolioError('Give two voices, e.g. --voices "af_heart,am_michael".')
        tts["voice_a"], tts["voice_b"] = names
    return open_session(args, {"tts": tts} if tts else None)


def _hosts(value: str) -> tuple[str, str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    if len(names) != 2:
        raise FolioError('Give two host names, e.g. --hosts "Ada,Ben".')
    return names[0], names[1]


def _episode_row(episode: Episode, out: Path | None) -> dict:
    paths = {"mp3": episode.audio_path, "transcript": episode.transcript_path}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        folder = Path(episode.audio_path or "").parent
        for item in folder.iterdir():
            shutil.copy2(item, out / f"{episode.id}-{item.name}")
        paths = {
            "mp3": str(out / f"{episode.id}-episode.mp3"),
            "transcript": str(out / f"{episode.id}-episode.vtt"),
        }
    return {
        "id": episode.id,
        "title": episode.script.title,
        "duration_s": round(episode.duration_s or 0, 1),
        "words": episode.script.word_count,
        **paths,
        "synthesized_turns": episode.settings.get("synthesized_turns"),
        "cached_turns": episode.settings.get("cached_turns"),
        "notes": [
            *episode.script.settings.get("notes", []),
            *episode.settings.get("render_notes", []),
        ],
    }


def _render(session: Session, scripts: list[Script], args: argparse.Namespace) -> list[dict]:
    from pipelines.podcast.episodes import render_episode

    rows = []
    for n, script in enumerate(scripts, 1):
        if len(scripts) > 1 and not args.json:
            print(f"Episode {n}/{len(scripts)}: {script.title}", file=sys.stderr)
        with stage_bars(sys.stderr.isatty()) as bars:
            episode = render_episode(session, script, progress=bars)
        rows.append(_episode_row(episode, args.out))
    return rows


def _report(rows: list[dict], as_json: bool) -> None:
    if as_json:
        print_json(rows[0] if len(rows) == 1 else rows)
        return
    for row in rows:
        minutes, seconds = divmod(int(row["duration_s"]), 60)
        print(f"{row['title']} — {minutes}:{seconds:02d}, {row['words']} words")
        print(f"  MP3: {row['mp3']}\n  transcript: {row['transcript']}")
        for note in row["notes"]:
            print(f"  note: {note}")


def _chosen(source: Source, value: str, *, series: bool) -> list[int]:
    """`--chapters` as chapter numbers, parents expanded to their descendants; a series
    leaves out parents that are only a heading over their children (no episode of 4 words)."""
    chapters = select_chapters(source, value)
    if series:
        parents = {c.parent for c in source.chapters if c.parent is not None}
        chapters = [
            c for c in chapters if c.index not in parents or c.word_count >= 150
        ] or chapters
    return [c.index for c in chapters]


def cmd_podcast(args: argparse.Namespace) -> int:
    from pipelines.podcast.script import write_script, write_series
    from pipelines.podcast.script_doc import save_script

    session = _session(args)
    source = session.workspace.resolve_source(args.source)
    request = PodcastRequest(
        source_id=source.id,
        chapters=_chosen(source, args.chapters, series=args.series) if args.chapters else None,
        minutes=args.minutes,
        format=args.format,
        hosts=_hosts(args.hosts),
        focus=args.focus,
    )
    write = write_series if args.series else write_script
    with work_progress(enabled=not args.json and sys.stderr.isatty()) as status:
        scripts = write(session, request, progress=status)
    scripts = scripts if isinstance(scripts, list) else [scripts]
    if args.script_only:
        out = args.out or Path.cwd()
        out.mkdir(parents=True, exist_ok=True)
        paths = [str(save_script(s, out / f"script-{n}.json")) for n, s in enumerate(scripts, 1)]
        if args.json:
            print_json(paths)
        else:
            print(
                "\n".join(
                    f"Script written to {p}; edit it, then `folio render {p}`." for p in paths
                )
            )
        return 0
    _report(_render(session, scripts, args), args.json)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from pipelines.podcast.script_doc import load_script

    script = load_script(args.script)
    _report(_render(_session(args), [script], args), args.json)
    return 0


def cmd_episodes(args: argparse.Namespace) -> int:
    from pipelines.podcast.episodes import list_episodes

    rows = [_episode_row(e, None) for e in list_episodes(open_session(args).workspace)]
    if args.json:
        print_json(rows)
    elif not rows:
        print("No episodes yet. Make one with `folio podcast SOURCE --chapters N`.")
    else:
        for row in rows:
            print(f"{row['id']}  {row['title']} ({int(row['duration_s'])} s)  {row['mp3']}")
    return 0
