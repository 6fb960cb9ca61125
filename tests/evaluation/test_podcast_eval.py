"""`folio eval podcast`: the script metrics on hand-made scripts whose answers are known,
the key-point files, and one real run of the command on a Time Machine chapter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.evaluation.podcast_eval import (
    covered,
    dangling_turns,
    distinct2,
    incoherent_questions,
    junk_reasons,
    key_point_files,
    missed_points,
    question_turns,
    score_script,
)
from pipelines.podcast.script_doc import save_script
from pipelines.types import Host, Script, Turn
from tests.sources import REPO, SHARED_SOURCES

POINTS = REPO / "eval" / "podcast"
METRICS = {"junk", "coherent", "dangling", "distinct2", "coverage", "words", "minutes"}


def make_script(*lines: str, segments: tuple[str, ...] = ()) -> Script:
    """Ada and Ben take turns, Ada first."""
    turns = [Turn(speaker=("Ada", "Ben")[i % 2], text=line) for i, line in enumerate(lines)]
    return Script(
        "The Time Machine: chapter III", [Host("Ada"), Host("Ben")], turns, list(segments)
    )


# -- junk ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "rule"),
    [
        (
            "Shazeer, N., et al. Outrageously large neural networks. arXiv preprint arXiv:1701.06538, 2017.",
            "reference",
        ),
        (
            "In Proceedings of the ACM SIGPLAN Conference on Programming Language Design, 2009.",
            "reference",
        ),
        ("A. Gal, M. Franz. Incremental dynamic code generation with trace trees.", "reference"),
        ("The text says: [12] M. Chang, E. Smith, R. Reitmaier. Tracing for web 3.0.", "reference"),
        ("Cardiac rehabilitation outcomes, Heart, vol. 12, pp. 45-67, 2008.", "reference"),
        ("Rehabil Res Pract. doi:10.1155/2010/157939", "link"),
        ("See http://free-culture.org/get-it for the book.", "link"),
        ("Figure 3: LIR snippet for sample program.", "caption"),
        ("Here's the line: Table 2. Speedups of the SunSpider benchmarks.", "caption"),
        ("3d-cube 25 27 29 3 0 1.1 1.1 1.2 2.20x 3d-morph 5 8 8", "table"),
        (
            "Loops Trees Traces Aborts Flushes Speedup Interpreting Native Symbol Key Overhead",
            "table",
        ),
        ("v0 := ld state[748] // load primes; v2 := i2f(v1) + k * 4", "equation"),
        ("an indefinite extent, upwards. INTRODUCTION 7 For many years, scholars", "furniture"),
        (
            "lowed to enter 4TH PASS PAGES 14773_01_1-174_r9jm.qxd 2/10/04 3:51 PM Page 1",
            "furniture",
        ),
        (
            "This eBook is for the use of anyone anywhere at no cost (Project Gutenberg).",
            "furniture",
        ),
        ("42", "furniture"),
    ],
)
def test_a_non_prose_line_is_junk(line: str, rule: str) -> None:
    assert rule in junk_reasons(line)


@pytest.mark.parametrize(
    "line",
    [
        "I saw huge buildings rise up faint and fair, and pass like dreams.",
        "On December 17, 1903, on a windy North Carolina beach, the Wright brothers flew.",
        "Corvera-Tindel et al. [15] examined the predictors of exercise nonadherence.",
        "Figure 10 shows the relative speedups achieved by tracing, SFX, and V8.",
        "TraceMonkey is the fastest VM on 9 of the 26 benchmarks.",
        "“Young man,” said Bildad sternly, “thou art skylarking with me—explain thyself.”",
        "Welcome to Folio. I'm Ada, here with Ben. Today: chapter III of The Time Machine.",
    ],
)
def test_a_prose_line_is_not_junk(line: str) -> None:
    assert junk_reasons(line) == []


def test_junk_is_the_share_of_turns() -> None:
    script = make_script(
        "Welcome.",
        "What happens?",
        "Gal, A., and Franz, M. Trace trees. In Proc. PLDI, 2006.",
        "Bye.",
    )
    assert score_script(script, [])["junk"] == 0.25


# -- coherence -------------------------------------------------------------------------------
def test_a_stock_question_is_not_coherent_and_a_taken_up_one_is() -> None:
    script = make_script(
        "Welcome to Folio.",
        "What comes next?",  # no topic word: never coherent
        "Weena falls into the river and he pulls her out.",
        "So who is Weena?",  # topic "weena", taken up by the next turn
        "Weena is one of the Eloi, small and frail.",
        "Why does that matter?",
        "It matters because the Eloi are afraid of the dark.",
        "Before we go, can you sum it up?",  # the outro (last two turns) is not counted
        "Bye.",
    )
    assert question_turns(script) == [1, 3, 5]
    assert incoherent_questions(script) == [1, 5]
    assert score_script(script, [])["coherent"] == 0.333


def test_a_question_whose_topic_the_answer_ignores_is_not_coherent() -> None:
    script = make_script(
        "Hello.", "And what about the Morlocks?", "The sun was setting.", "Sum up?", "Bye."
    )
    assert incoherent_questions(script) == [1]
    plural = make_script("Hi.", "What about the Morlock?", "The Morlocks came.", "Sum up?", "Bye.")
    assert incoherent_questions(plural) == []  # the crude lemma strips the plural -s


# -- dangling --------------------------------------------------------------------------------
def test_a_connective_or_an_unanchored_pronoun_dangles() -> None:
    script = make_script(
        "Welcome to Folio.",
        "Where does it start?",
        "But he left.",  # 2: connective: always dangling
        "What happened then?",
        "He walked into the garden.",  # 4: pronoun, the question names nobody
        "And what about the Time Traveller?",
        "He stopped the machine.",  # 6: pronoun, "Time Traveller" is named just before
        "Go on.",
        "The text says: They were small.",  # 8: the framing lead-in is skipped
        "And then?",
        "A little child says: “But he has nothing on!”",  # 10: not framing, starts with "A"
        "Right.",
        "“It was a beautiful machine,” Weena said.",  # 12: quotes stripped, then "It"
        "Bye.",
    )
    assert dangling_turns(script) == [2, 4, 8, 12]
    assert score_script(script, [])["dangling"] == 0.5  # 4 of the 8 read lines


# -- variety and coverage --------------------------------------------------------------------
def test_distinct2_counts_repeated_bigrams_once() -> None:
    assert distinct2(make_script("the cat the cat")) == pytest.approx(2 / 3)
    assert distinct2(make_script("one two three", "four five")) == 1.0


def test_a_key_point_is_covered_only_when_a_whole_group_occurs() -> None:
    point = {"point": "The sphinx", "any": [["sphinx"], ["white", "marble figure"]]}
    assert covered(point, "A colossal Sphinx loomed.")
    assert covered(point, "a white, marble-figure stood there")  # a space matches a hyphen
    assert not covered(point, "a white figure of marble")  # "marble figure" not together
    assert covered(point, "The sphinxes")  # a stem matches the start of a word
    assert not covered(point, "asphinx") and not covered(point, "a white shape")


def test_titles_the_host_announces_do_not_cover_a_point() -> None:
    point = {"point": "GPs", "any": [["gp"]]}
    script = make_script("Next: “7. GP Services”. What happens?", "Patients like the nurses.")
    script.segments = ["Introduction", "7. GP Services"]
    assert missed_points(script, [point]) == ["GPs"]
    script.turns[1].text = "Patients doubt their GP."
    assert missed_points(script, [point]) == []


def test_ligatures_are_folded_before_matching() -> None:
    assert covered({"point": "n", "any": [["fifteen"]]}, "with ﬁfteen participants")


def test_score_has_every_metric_in_range() -> None:
    script = make_script("Welcome.", "Who is Weena?", "Weena is an Eloi.", "Sum up?", "Bye now.")
    points = [{"point": "Weena", "any": [["weena"]]}, {"point": "Morlocks", "any": [["morlock"]]}]
    scores = score_script(script, points)
    assert set(scores) == METRICS
    assert scores["coverage"] == 0.5 and scores["words"] == 12
    assert scores["minutes"] == round(12 / 150, 2)


# -- the key-point files ---------------------------------------------------------------------
def test_key_point_files_are_well_formed_and_split() -> None:
    files = key_point_files(POINTS)
    assert all(6 <= len(k.points) <= 10 for k in files)
    assert all((SHARED_SOURCES / k.doc).is_file() for k in files)
    for split, least in (("dev", 2), ("test", 3)):
        chosen = key_point_files(POINTS, split)
        assert len(chosen) >= least and any(k.doc.startswith("papers/") for k in chosen)
    assert {k.name for k in files} == {p.stem for p in POINTS.glob("*.json")}


def test_cli_scores_scripts_already_written(tmp_path: Path, capsys) -> None:
    (tmp_path / "points").mkdir()
    (tmp_path / "scripts").mkdir()
    shutil.copy(POINTS / "time-machine-iii.json", tmp_path / "points")
    script = make_script(
        "Welcome to Folio.", "Where are we?", "A white sphinx stood in the hail.", "Sum up?", "Bye."
    )
    save_script(script, tmp_path / "scripts" / "time-machine-iii.json")
    args = ["eval", "podcast", "--points", str(tmp_path / "points")]
    args += ["--scripts", str(tmp_path / "scripts"), "--details", str(tmp_path / "d.md")]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert [s["name"] for s in out["scripts"]] == ["time-machine-iii"]
    assert out["scripts"][0]["coverage"] == 0.2  # the sphinx and the hailstorm
    details = (tmp_path / "d.md").read_text()
    assert "Missed key points:" in details and "[INCOHERENT]" in details


# -- end to end ------------------------------------------------------------------------------
@pytest.mark.slow
def test_cli_writes_and_scores_a_real_chapter(tmp_path: Path) -> None:
    (tmp_path / "points").mkdir()
    shutil.copy(POINTS / "time-machine-iii.json", tmp_path / "points")
    env = {**os.environ, "FOLIO_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "eval", "podcast"]
        + ["--points", str(tmp_path / "points"), "--details", str(tmp_path / "d.md")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"scripts", "mean"}
    (row,) = out["scripts"]
    assert row["name"] == "time-machine-iii" and set(row) == METRICS | {"name"}
    assert set(out["mean"]) == METRICS
    for key in METRICS - {"words", "minutes"}:
        assert 0.0 <= row[key] <= 1.0, (key, row[key])
    assert 500 <= row["words"] <= 1000 and row["minutes"] == round(row["words"] / 150, 2)
    assert "## time-machine-iii" in (tmp_path / "d.md").read_text()
