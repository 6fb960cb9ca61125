"""The retrieval evaluation harness on a tiny JSONL set."""

from __future__ import annotations

import json

import pytest

from pipelines.evaluation.retrieval_eval import evaluate_retrieval
from pipelines.settings import Settings

pytestmark = pytest.mark.slow

PASSAGES = [
    (
        "a1",
        "apples",
        "Orchard",
        "The orchard keeper grafts apple trees every spring in the valley.",
    ),
    ("a2", "apples", "Orchard", "Cider is pressed from windfall apples in late autumn."),
    ("a3", "apples", "Market", "On market day the stalls sell honey, bread and cheese."),
    ("s1", "sea", "Harbour", "The lighthouse keeper climbs the tower to trim the lamp at dusk."),
    ("s2", "sea", "Harbour", "Fishing boats return with herring when the tide turns."),
    ("s3", "sea", "Storm", "A gale tore the sails and the crew bailed water all night."),
]
QUERIES = [
    ("q1", "apples", "how is cider made", ["a2"]),
    ("q2", "sea", "who looks after the light in the tower", ["s1"]),
    ("q3", "sea", "bad weather ripped the canvas", ["s3"]),
]


def test_eval_harness_output(tmp_path, workspace_home):
    p, q = tmp_path / "p.jsonl", tmp_path / "q.jsonl"
    p.write_text(
        "\n".join(
            json.dumps(dict(zip(("passage_id", "story", "section", "text"), r, strict=True)))
            for r in PASSAGES
        )
    )
    q.write_text(
        "\n".join(
            json.dumps(
                dict(zip(("query_id", "story", "question", "gold_passage_ids"), r, strict=True))
            )
            for r in QUERIES
        )
    )
    result = evaluate_retrieval(p, q, settings=Settings())
    for mode in ("dense", "lexical", "hybrid"):
        assert set(result[mode]) == {"recall@1", "recall@3", "recall@5", "mrr"}
        assert all(0.0 <= v <= 1.0 for v in result[mode].values())
        assert result[mode]["recall@1"] <= result[mode]["recall@3"] <= result[mode]["recall@5"]
    assert result["dense"]["recall@3"] == 1.0 and result["hybrid"]["recall@3"] == 1.0
    assert result["queries_per_second"] > 0
    assert not workspace_home.exists()  # the user's workspace is never touched
