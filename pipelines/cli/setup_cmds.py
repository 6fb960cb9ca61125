"""`folio setup`: connect a model in one step (a server on this computer, an API, or a
model file), check that it answers, and save the choice in the workspace.

With no option and a terminal, it asks; with options it does what they say, so scripts
and tests can run it. A choice that fails its check is not saved.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from pipelines.cli.common import add_json_flag, print_json
from pipelines.errors import ConfigError, FolioError
from pipelines.llm import connect, discovery, model_files, providers
from pipelines.llm.label import written_by_settings
from pipelines.settings_file import default_home, resolve_settings


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "setup",
        help="connect a language model: a server on this computer, an API, or a model file",
        description="Connect the language model that writes answers, summaries and scripts. "
        "Without options it asks (in a terminal); the choice is checked, then saved in the "
        "workspace. FOLIO_LLM__* environment variables still win over it.",
    )
    way = p.add_mutually_exclusive_group()
    way.add_argument("--local", action="store_true", help="find model servers on this computer")
    way.add_argument("--server", metavar="URL", help="an OpenAI-compatible server (…/v1)")
    way.add_argument(
        "--provider",
        choices=[x.key for x in providers.PROVIDERS],
        help="an API provider (needs its key)",
    )
    way.add_argument("--file", type=Path, metavar="GGUF", help="a .gguf model file to run here")
    way.add_argument(
        "--download",
        choices=[m.key for m in model_files.CATALOG],
        help="download a model file from the list (see --list-downloads), then use it",
    )
    way.add_argument("--offline", action="store_true", help="no model: the text's own sentences")
    way.add_argument("--test", action="store_true", help="check the current choice answers")
    way.add_argument("--list-downloads", action="store_true", help="the model files on offer")
    p.add_argument("--model", help="the model to use on the server (default: ask, or its only one)")
    p.add_argument(
        "--port",
        type=int,
        action="append",
        default=[],
        metavar="N",
        help="with --local: also look on this port (repeatable)",
    )
    p.add_argument(
        "--key-stdin",
        action="store_true",
        help="read the API key from standard input (never from the command line)",
    )
    add_json_flag(p)
    p.set_defaults(handler=cmd_setup)


def _home(args: argparse.Namespace) -> Path:
    return Path(args.home).expanduser() if getattr(args, "home", None) else default_home()


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(prompt: str, options: list[str]) -> int:
    """The index of the option the person picks (by number)."""
    for i, option in enumerate(options, start=1):
        print(f"  {i}. {option}")
    while True:
        answer = input(f"{prompt} [1-{len(options)}]: ").strip()
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return int(answer) - 1
        print(f"Type a number from 1 to {len(options)}.")


def _key(args: argparse.Namespace, needed: bool) -> str | None:
    """The API key: from stdin with --key-stdin, asked for in a terminal, else None
    (keep the saved one)."""
    if args.key_stdin:
        return sys.stdin.readline().strip()
    if needed and _interactive():
        return getpass.getpass("API key (not shown): ").strip()
    return None


def _pick_model(models: list[str], wanted: str | None, where: str) -> str:
    if wanted:
        return wanted
    if len(models) == 1:
        return models[0]
    if not models:
        raise ConfigError(f"{where} lists no models; name one with --model.")
    if _interactive():
        return models[_ask("Which model?", models)]
    raise ConfigError(
        f"{where} offers several models; pick one with --model: {', '.join(models[:20])}."
    )


def _report(args: argparse.Namespace, done: connect.Connected) -> int:
    if args.json:
        print_json({"check": done.check, "written_by": done.writer, "environment": done.overridden})
        return 0
    print(done.check)
    print(f"Saved. Answers, summaries and scripts are now written by: {done.writer}")
    _warn_env(done.overridden)
    return 0


def _warn_env(overridden: dict[str, str]) -> None:
    if overridden:
        names = ", ".join(f"{var} ({field})" for field, var in overridden.items())
        print(
            f"Note: the environment sets {names}; it wins over the saved choice.", file=sys.stderr
        )


def _local(args: argparse.Namespace, home: Path) -> int:
    extra = [*args.port, *discovery.parse_ports(resolve_settings(home).llm.scan_ports)]
    ports = discovery.ports_to_scan(extra)
    print(f"Looking for model servers on ports {', '.join(map(str, ports))}…", file=sys.stderr)
    found = discovery.find_local_servers(extra)
    if not found:
        raise ConfigError(
            "No model server answers on this computer (ports "
            f"{', '.join(map(str, ports))}). Start Ollama, LM Studio, llama.cpp or vLLM, "
            "or give its port with --port."
        )
    for server in found:
        print(f"Found {server.label}", file=sys.stderr)
    named = [s for s in found if s.port in args.port]  # the port the person named comes first
    server = (named or found)[0]
    if len(found) > 1 and _interactive():
        server = found[_ask("Which server?", [s.label for s in found])]
    model = _pick_model(list(server.models), args.model, f"{server.name} at {server.base_url}")
    return _report(
        args, connect.connect_server(home, server.base_url, model, api_key=_key(args, False))
    )


def _server(args: argparse.Namespace, home: Path, url: str, key_needed: bool) -> int:
    from pipelines.llm.diagnose import probe_client

    key = _key(args, key_needed)
    model = args.model
    if not model:
        settings = resolve_settings(home).llm.model_copy(update={"base_url": url})
        if key is not None:
            from pydantic import SecretStr

            settings = settings.model_copy(update={"api_key": SecretStr(key) if key else None})
        client = probe_client(settings, timeout_s=15)
        model = _pick_model(client.list_models(), None, f"The server at {url}")
    return _report(args, connect.connect_server(home, url, model, api_key=key))


def _download(args: argparse.Namespace, home: Path) -> int:
    entry = model_files.catalog_entry(args.download)
    print(f"Downloading {entry.label}…", file=sys.stderr)
    shown = -1

    def progress(done: int, total: int) -> None:
        nonlocal shown
        percent = done * 100 // max(total, 1)
        if percent != shown and not args.json:
            shown = percent
            print(
                f"\r  {done / 1e9:.2f} of {total / 1e9:.2f} GB ({percent}%)",
                end="",
                file=sys.stderr,
            )

    path = model_files.download(entry, progress=progress)
    print(file=sys.stderr)
    return _report(args, connect.connect_file(home, path))


def _show(args: argparse.Namespace, home: Path) -> int:
    settings = resolve_settings(home).llm
    overridden = connect.env_overrides()
    if args.json:
        print_json({"written_by": written_by_settings(settings), "environment": overridden})
        return 0
    print(f"Answers, summaries and scripts are written by: {written_by_settings(settings)}")
    _warn_env(overridden)
    if not _interactive():
        print(
            "Connect a model with: folio setup --local | --server URL | --provider NAME | "
            "--file MODEL.gguf | --download small|medium (see folio setup --help)."
        )
        return 0
    ways = [
        "A server on this computer (Ollama, LM Studio, llama.cpp, vLLM)",
        "An API with a key (OpenAI, OpenRouter, Groq, Together AI, Mistral, DeepSeek, or another)",
        "A model file on this computer (.gguf)",
        "Download a model file",
        "No model: the text's own sentences",
    ]
    choice = _ask("How should Folio write?", ways)
    if choice == 0:
        return _local(args, home)
    if choice == 1:
        names = [f"{x.name} ({x.base_url})" for x in providers.PROVIDERS] + [
            "Another (type its URL)"
        ]
        pick = _ask("Which API?", names)
        if pick < len(providers.PROVIDERS):
            url = providers.PROVIDERS[pick].base_url
        else:
            url = input("Its base URL (ends in /v1): ").strip()
        return _server(args, home, url, key_needed=True)
    if choice == 2:
        known = model_files.local_models()
        options = [str(p) for p in known] + ["Another file (type its path)"]
        pick = _ask("Which file?", options)
        path = known[pick] if pick < len(known) else Path(input("Path of the .gguf file: ").strip())
        return _report(args, connect.connect_file(home, path))
    if choice == 3:
        pick = _ask("Which model?", [f"{m.label}: {m.about}" for m in model_files.CATALOG])
        args.download = model_files.CATALOG[pick].key
        return _download(args, home)
    return _report(args, connect.use_offline(home))


def cmd_setup(args: argparse.Namespace) -> int:
    home = _home(args)
    if args.local:
        return _local(args, home)
    if args.server:
        return _server(args, home, args.server.strip(), key_needed=False)
    if args.provider:
        return _server(args, home, providers.provider(args.provider).base_url, key_needed=True)
    if args.file:
        return _report(args, connect.connect_file(home, args.file))
    if args.download:
        return _download(args, home)
    if args.offline:
        return _report(args, connect.use_offline(home))
    if args.list_downloads:
        for entry in model_files.CATALOG:
            print(f"{entry.key}: {entry.label} — {entry.about} ({entry.repo_id})")
        return 0
    if args.test:
        from pipelines.llm.diagnose import check_connection

        settings = resolve_settings(home).llm
        try:
            print(check_connection(settings))
        except FolioError as exc:
            print(f"folio: {exc}", file=sys.stderr)
            return 1
        return 0
    return _show(args, home)
