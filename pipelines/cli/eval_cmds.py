"""`folio eval retrieval | qa`: measure the product on question sets nobody here wrote."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.cli.common import print_json


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("eval", help="evaluate retrieval or answers on a JSONL set")
    kinds = p.add_subparsers(dest="eval_kind", required=True, metavar="KIND")

    r = kinds.add_parser("retrieval", help="recall@k and MRR of dense, lexical and hybrid search")
    r.add_argument("--passages", required=True, type=Path, help="JSONL of passages")
    r.add_argument("--queries", required=True, type=Path, help="JSONL of queries")
    r.set_defaults(handler=cmd_eval_retrieval)

    q = kinds.add_parser("qa", help="answer containment, abstention and latency")
    q.add_argument("--questions", required=True, type=Path, help="JSONL of questions")
    q.set_defaults(handler=cmd_eval_qa)


def cmd_eval_retrieval(args: argparse.Namespace) -> int:
    from pipelines.evaluation.retrieval_eval import evaluate_retrieval

    print_json(evaluate_retrieval(args.passages, args.queries))
    return 0


def cmd_eval_qa(args: argparse.Namespace) -> int:
    from pipelines.evaluation.qa_eval import evaluate_qa

    print_json(evaluate_qa(args.questions))
    return 0
