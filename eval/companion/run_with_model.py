"""Answer the whole-book set with the configured model (FOLIO_LLM__*), recording every
request and reply for a replay test, in a workspace kept between runs (notes are made
once).

.venv/bin/python eval/companion/run_with_model.py --workspace ws-companion \
    --record replay --split test > scores.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))


def main() -> None:
    from pipelines.evaluation.qa_eval import evaluate_qa
    from pipelines.session import Session
    from pipelines.testing.recording_llm import RecordingLLM

    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--record", type=Path, required=True)
    parser.add_argument("--split", choices=("dev", "test"), default="test")
    parser.add_argument("--details", type=Path)
    args = parser.parse_args()
    session = Session.open(args.workspace)
    session = session.using(llm=RecordingLLM(session.llm, args.record))
    paths = [HERE / f"wholebook_{args.split}.jsonl"]
    scores = evaluate_qa(paths, session, details=args.details, retrieval=False)
    print(json.dumps(scores, indent=2))


if __name__ == "__main__":
    main()
