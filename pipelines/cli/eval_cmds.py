"""`folio eval retrieval | qa | podcast | structure`: measure the product on question sets
nobody here wrote, podcast scripts against hand-written key points, and the parts read out
of papers against hand-written truth files."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.cli.common import cli_settings, print_json
from pipelines.errors import FolioError

if TYPE_CHECKING:
    from pipelines.evaluation.podcast_eval import KeyPoints
    from pipelines.types import Script, Source


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("eval", help="evaluate retrieval or answers on a JSONL set")
    kinds = p.add_subparsers(dest="eval_kind", required=True, metavar="KIND")

    r = kinds.add_parser("retrieval", help="recall@k and MRR of dense, lexical and hybrid search")
    r.add_argument("--passages", required=True, type=Path, help="JSONL of passages")
    r.add_argument("--queries", required=True, type=Path, help="JSONL of queries")
    r.set_defaults(handler=cmd_eval_retrieval)

    q = kinds.add_parser("qa", help="answer containment, abstention and latency")
    q.add_argument(
        "--questions",
        required=True,
        type=Path,
        action="append",
        help="JSONL of questions (repeat for several files, e.g. the dev and test splits)",
    )
    q.add_argument(
        "--details", type=Path, help="write every question's answer, verdict and citations"
    )
    q.add_argument(
        "--no-retrieval", action="store_true", help="skip recall@5/MRR per retrieval leg"
    )
    q.set_defaults(handler=cmd_eval_qa)

    pc = kinds.add_parser(
        "podcast", help="junk, coherence, dangling lines, variety and key-point coverage"
    )
    pc.add_argument("--points", required=True, type=Path, help="folder of key-point JSON files")
    pc.add_argument("--split", choices=("dev", "test"), help="only the files of this split")
    pc.add_argument(
        "--scripts", type=Path, help="score the scripts here (NAME.json) instead of writing them"
    )
    pc.add_argument("--details", type=Path, help="write every script with its flagged turns")
    pc.add_argument("--minutes", type=float, help="episode length (default: each file's)")
    pc.add_argument(
        "--sources", type=Path, help="folder the docs are relative to (default ../shared/sources)"
    )
    pc.add_argument(
        "--baseline",
        action="store_true",
        help="write the plain one-request baseline with the configured model instead",
    )
    pc.add_argument(
        "--workspace",
        type=Path,
        help="write in this workspace and keep it (its chapter notes are reused next time)",
    )
    pc.add_argument("--save", type=Path, help="also save each script here as NAME.json")
    pc.set_defaults(handler=cmd_eval_podcast)

    st = kinds.add_parser(
        "structure", help="title, authors, abstract, sections, notes and captions of papers"
    )
    st.add_argument(
        "--pdfs", type=Path, help="folder of the PDFs (default ../shared/sources/papers-dev)"
    )
    st.add_argument(
        "--truth", type=Path, default=Path("eval/structure"), help="folder of truth JSON files"
    )
    st.add_argument("--split", choices=("dev", "heldout"), help="only the files of this split")
    st.set_defaults(handler=cmd_eval_structure)


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from pipelines.evaluation.retrieval_eval import evaluate_retrieval

    print_json(evaluate_retrieval(args.passages, args.queries, settings=cli_settings(args)))
    return 0


def cmd_eval_qa(args: argparse.Namespace) -> int:
    from pipelines.evaluation.qa_eval import evaluate_qa
    from pipelines.session import Session

    with tempfile.TemporaryDirectory(prefix="folio-eval-qa-") as tmp:
        session = Session.open(tmp)  # a throwaway workspace; FOLIO_LLM__* still apply
        result = evaluate_qa(
            args.questions, session, details=args.details, retrieval=not args.no_retrieval
        )
    print_json(result)
    return 0


def cmd_eval_podcast(args: argparse.Namespace) -> int:
    """Score each key-point file's script: written now with the current writer into a
    temporary workspace, or read from --scripts DIR/NAME.json."""
    from pipelines.evaluation import podcast_eval as pe
    from pipelines.podcast.script_doc import load_script

    files = pe.key_point_files(args.points, args.split)
    if args.scripts is not None:
        paths = {k.name: args.scripts / f"{k.name}.json" for k in files}
        for name in (n for n, path in paths.items() if not path.is_file()):
            print(f"folio: no script {name}.json in {args.scripts}; skipped", file=sys.stderr)
        files = [k for k in files if paths[k.name].is_file()]
        if not files:
            raise FolioError(f"{args.scripts} has no script named after a key-point file.")
        scripts = {k.name: load_script(paths[k.name]) for k in files}
    else:
        scripts = _write_scripts(
            files,
            args.sources or default_sources(),
            args.minutes,
            baseline=args.baseline,
            workspace=args.workspace,
        )
    if args.save is not None:
        from pipelines.podcast.script_doc import save_script

        args.save.mkdir(parents=True, exist_ok=True)
        for name, script in scripts.items():
            save_script(script, args.save / f"{name}.json")
    rows = [{"name": k.name, **pe.score_script(scripts[k.name], k.points)} for k in files]
    if args.details is not None:
        text = "".join(pe.script_details(k.name, scripts[k.name], k.points) for k in files)
        args.details.write_text(f"# Podcast evaluation\n\n{text}", "utf-8")
    print_json({"scripts": rows, "mean": pe.mean_scores(rows)})
    return 0


def cmd_eval_structure(args: argparse.Namespace) -> int:
    """Ingest each truth file's PDF (nothing is stored) and score its parts."""
    from pipelines.evaluation import structure_eval as se
    from pipelines.ingest import parse_file

    pdfs = args.pdfs or default_sources() / "papers-dev"
    truths = [t for t in se.load_truths(args.truth) if args.split in (None, t.split)]
    if not truths:
        raise FolioError(
            f"{args.truth} has no truth files" + (f" for {args.split}" if args.split else "") + "."
        )
    rows = []
    for truth in truths:
        path = pdfs / truth.file
        if not path.is_file():
            print(f"folio: no {truth.file} in {pdfs}; skipped", file=sys.stderr)
            continue
        source, _ = parse_file(path, cli_settings(args))
        rows.append(se.score(source, truth))
    print_json({"files": [se.as_dict(r) for r in rows], "total": se.summary(rows)})
    return 0


def default_sources() -> Path:
    """../shared/sources next to the repository root (as tests/sources.py finds it)."""
    return (Path(__file__).resolve().parents[2].parent / "shared" / "sources").resolve()


def _chapter_indexes(source: Source, title: str) -> list[int] | None:
    """The chapter whose normalised title is `title` (else contains it); None for "whole"."""
    from pipelines.evaluation.qa_eval import normalise

    wanted = normalise(title)
    if wanted in ("", "whole"):
        return None
    exact = [c.index for c in source.chapters if normalise(c.title) == wanted]
    loose = [c.index for c in source.chapters if wanted in normalise(c.title)]
    if not exact and not loose:
        raise FolioError(f"'{source.title}' has no chapter titled '{title}'.")
    return (exact or loose)[:1]


def _write_scripts(
    files: list[KeyPoints],
    sources: Path,
    minutes: float | None,
    *,
    baseline: bool = False,
    workspace: Path | None = None,
) -> dict[str, Script]:
    """Ingest each doc into a workspace (a temporary one unless given) and write its
    script with the current writer and the settings FOLIO_* gives (offline unless
    FOLIO_LLM__* says otherwise), or the plain one-request baseline."""
    from pipelines.evaluation.podcast_baseline import baseline_script
    from pipelines.podcast.material import gather
    from pipelines.podcast.request import PodcastRequest
    from pipelines.podcast.script import write_script
    from pipelines.session import Session
    from pipelines.workspace import library

    scripts: dict[str, Script] = {}
    with tempfile.TemporaryDirectory(prefix="folio-eval-podcast-") as tmp:
        session = Session.open(workspace or tmp)
        wpm = session.settings.podcast.words_per_minute
        for kp in files:
            source = library.add_file(session, sources / kp.doc).source
            chapters = _chapter_indexes(source, kp.chapter)
            request = PodcastRequest(source.id, chapters, minutes=minutes or kp.minutes)
            if baseline:
                chosen = gather(session.workspace, source, chapters).chapters
                words = round(request.minutes * wpm)
                scripts[kp.name] = baseline_script(session.llm, source, chosen, request, words)
            else:
                scripts[kp.name] = write_script(session, request)
            print(f"folio: wrote the script for {kp.name}", file=sys.stderr)
    return scripts
