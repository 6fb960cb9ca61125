"""`folio voices`: the voices of a speech engine, and a preview of one as a WAV file.

folio voices                         # the engine in use (FOLIO_TTS__ENGINE), its voices
folio voices --tts kokoro --preview bm_george --out george.wav
folio podcast SOURCE --voices af_bella,bm_george    # then use two of them
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.cli.common import add_json_flag, cli_settings, print_json
from pipelines.errors import FolioError

PREVIEW_LINE = "Hello, and welcome to Folio. In 1871, 3.5% of 2,000 readers paid £4 a copy."


def register(commands: argparse._SubParsersAction) -> None:
    from pipelines.podcast.tts.registry import known_engines

    p = commands.add_parser("voices", help="list a speech engine's voices; preview one")
    p.add_argument("--tts", choices=known_engines(), help="engine (default: the one in use)")
    p.add_argument("--preview", metavar="VOICE", help="say a short line in this voice")
    p.add_argument("--out", type=Path, default=Path("voice-preview.wav"), help="preview WAV")
    add_json_flag(p)
    p.set_defaults(handler=cmd_voices)


def cmd_voices(args: argparse.Namespace) -> int:
    from pipelines.podcast.tts.base import VoiceSpec
    from pipelines.podcast.tts.registry import get_tts, voices_for_hosts
    from pipelines.text.speech import speech_text

    settings = cli_settings(args).tts
    if args.tts:
        settings = settings.model_copy(update={"engine": args.tts})
    engine = get_tts(settings, fallback=False)
    a, b = voices_for_hosts(engine, settings)
    if args.preview:
        if args.preview not in engine.voices():
            raise FolioError(
                f"{engine.name} has no voice '{args.preview}'; `folio voices --tts "
                f"{engine.name}` lists them."
            )
        spec = next((v for v in (a, b) if v.voice == args.preview), None)
        spec = spec or VoiceSpec(args.preview, a.speed)
        args.out.write_bytes(engine.preview(speech_text(PREVIEW_LINE), spec))
        if args.json:
            print_json({"engine": engine.name, "voice": args.preview, "wav": str(args.out)})
        else:
            print(f"{engine.describe_voice(args.preview)}: {args.out}")
        return 0
    rows = [
        {
            "voice": v,
            "name": engine.describe_voice(v),
            "host": "A" if v == a.voice else "B" if v == b.voice else "",
        }
        for v in engine.voices()
    ]
    if args.json:
        print_json({"engine": engine.name, "available": engine.available() is None, "voices": rows})
        return 0
    missing = engine.available()
    print(f"{engine.name} voices" + (f" (not available here: {missing})" if missing else ""))
    for row in rows:
        host = f"  [host {row['host']}]" if row["host"] else ""
        print(f"  {row['voice']:<14} {row['name']}{host}")
    return 0
