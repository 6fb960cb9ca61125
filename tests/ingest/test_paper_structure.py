"""A paper's parts as its authors laid them out: on a two-column page drawn here with the
troubles of real papers (a body line that starts "Figure 1.", a caption set like the body,
a footnote with a raised mark under a rule, figure labels, an arXiv stamp, hyphens), and
on the development papers in ../shared/sources/papers-dev against their truth files."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

from pipelines.evaluation import structure_eval as se
from pipelines.ingest import parse_bytes, parse_file
from pipelines.types import ChapterKind, Source
from pipelines.workspace.store import Workspace
from tests.sources import REPO, SHARED_SOURCES

LEFT, RIGHT, TOP, LEAD = 72, 322, 640, 12.0
LEFT_COLUMN = [
    "Networks for biomedical images need many training samples,",
    "which are hard to come by in this field of research. Our net-",
    "work supplements a usual contracting network by successive",
    "layers that give more precise segmentations; see",
    "Figure 1. The main idea in [9] is to supplement a usual",
    "contracting network by successive layers. We use a 64-",
    "component feature map and elastic defor-",
    "mations of the training images, which lets the network",
    "learn invariance to such deformations without seeing them",
    "in the annotated image corpus. This is important here.",
]
RIGHT_COLUMN = [
    "The network consists of a contracting path and an expan-",
    "sive path, which gives it the u-shaped architecture. The",
    "contracting path is a typical convolutional network that",
    "consists of the repeated application of convolutions.",
]
RIGHT_AFTER_CAPTION = [
    "The contracting path follows the typical architecture of",
    "a convolutional network, with rectified linear units and",
    "pooling operations for downsampling after each step.",
    "Every step in the expansive path consists of an upsam-",
    "pling of the feature map followed by a convolution.",
]


def _paper() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=LETTER)
    c.setFont("Times-Bold", 17)
    c.drawCentredString(306, 720, "U-shaped Networks for Image Segmentation")
    c.setFont("Times-Roman", 11)
    c.drawCentredString(306, 700, "Ada Lovelace and Alan Turing")
    c.setFont("Times-Bold", 11)
    c.drawString(LEFT, 676, "Abstract. There is large consent that training deep networks requires")
    c.setFont("Times-Roman", 10)
    c.drawString(LEFT, 664, "many thousand annotated samples. We present a network that relies on")
    c.drawString(LEFT, 652, "data augmentation to use the available annotated samples well.")
    c.setFont("Times-Bold", 12)
    c.drawString(LEFT, TOP, "1 Introduction")
    c.setFont("Times-Roman", 10)
    y = TOP - 16
    for line in LEFT_COLUMN:
        c.drawString(LEFT, y, line)
        y -= LEAD
    c.setFont("Times-Roman", 7)  # the footnote's mark, raised after "images,"
    c.drawString(LEFT + 218, y + LEAD + 4, "1")
    c.line(LEFT, 120, LEFT + 80, 120)  # the footnote rule
    c.setFont("Times-Roman", 5.5)
    c.drawString(LEFT, 111, "1")
    c.setFont("Times-Roman", 8)
    c.drawString(LEFT + 5, 108, "The authors of this algorithm have submitted 78 entries.")
    c.setFont("Times-Bold", 12)
    c.drawString(RIGHT, TOP, "2 Network Architecture")
    c.setFont("Times-Roman", 10)
    y = TOP - 16
    for line in RIGHT_COLUMN:
        c.drawString(RIGHT, y, line)
        y -= LEAD
    # a figure: boxes and arrows with labels inside, then its caption set like the body
    top = y - 6
    for k in range(12):
        c.rect(RIGHT + 10 + 15 * k, top - 90, 10, 80 - 4 * k)
    c.setFont("Helvetica", 6)
    c.drawString(RIGHT + 20, top - 40, "641 128 256 copy and crop")
    c.drawString(RIGHT + 30, top - 60, "input image tile")
    c.setFont("Times-Roman", 10)
    y = top - 110
    c.drawString(RIGHT, y, "Fig. 1. U-net architecture. Each blue box corresponds to a")
    c.drawString(RIGHT, y - LEAD, "multi-channel feature map.")
    y -= 2 * LEAD + 14
    for line in RIGHT_AFTER_CAPTION:
        c.drawString(RIGHT, y, line)
        y -= LEAD
    c.saveState()  # the arXiv stamp down the left margin
    c.translate(30, 300)
    c.rotate(90)
    c.setFont("Times-Roman", 20)
    c.drawString(0, 0, "arXiv:1505.04597v1 [cs.CV] 18 May 2015")
    c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def paper() -> Source:
    return parse_bytes(_paper(), "u-net-like.pdf")


def test_parts_of_the_drawn_paper(paper: Source) -> None:
    assert paper.title == "U-shaped Networks for Image Segmentation"
    assert paper.authors == ["Ada Lovelace", "Alan Turing"]
    kinds = {c.title: c.kind for c in paper.chapters}
    assert kinds["Abstract"] == ChapterKind.ABSTRACT
    body = [c for c in paper.chapters if c.kind == ChapterKind.CHAPTER]
    assert [(c.title, c.label) for c in body] == [
        ("1. Introduction", "1"),
        ("2. Network Architecture", "2"),
    ]


def test_a_body_line_that_starts_with_figure_stays_in_the_body(paper: Source) -> None:
    prose = _squash(" ".join(c.prose for c in paper.chapters))
    assert "segmentations; see Figure 1. The main idea in [9] is to supplement" in prose
    captions = [a.text for c in paper.chapters for a in c.asides if a.kind == "caption"]
    assert captions == [
        "Fig. 1. U-net architecture. Each blue box corresponds to a multi-channel feature map."
    ]
    assert "The contracting path follows the typical architecture" in prose


def test_footnotes_labels_and_stamps_are_not_prose(paper: Source) -> None:
    prose = _squash(" ".join(c.prose for c in paper.chapters))
    notes = [a for c in paper.chapters for a in c.footnotes]
    assert [(a.text, a.page) for a in notes] == [
        ("1 The authors of this algorithm have submitted 78 entries.", 1)
    ]
    assert "submitted 78" not in prose
    assert "641 128 256" not in prose and "input image tile" not in prose
    assert "arXiv" not in " ".join(c.text for c in paper.chapters)


def test_words_as_written(paper: Source) -> None:
    prose = _squash(" ".join(c.prose for c in paper.chapters))
    assert "a 64-component feature map and elastic deformations of the training" in prose
    assert "Our network supplements" in prose and "an expansive path" in prose


def test_labels_and_asides_are_stored(paper: Source, tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    paper.id = "f" * 64
    ws.add_source(paper, b"%PDF-1.4 drawn")
    again = ws.get_source(paper.id)
    assert [(c.label, c.asides) for c in again.chapters] == [
        (c.label, c.asides) for c in paper.chapters
    ]


# --- the development papers against their truth files ----------------------------------------

TRUTH = REPO / "eval" / "structure"
PAPERS_DEV = SHARED_SOURCES / "papers-dev"


@pytest.mark.slow
@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_structure_targets_on_the_development_papers(split: str) -> None:
    truths = [t for t in se.load_truths(TRUTH) if t.split == split]
    scores = [se.score(parse_file(PAPERS_DEV / t.file)[0], t) for t in truths]
    total = se.summary(scores)
    problems = {s.file: s.problems for s in scores if s.problems}
    assert total["title_authors_abstract"] >= 0.9, problems
    assert total["sections_files_right"] >= 0.9, problems
    for check in ("footnotes_apart", "captions_apart", "references_apart"):
        assert total[check] in (None, 1.0), (check, problems)


def test_truth_files_name_real_papers() -> None:
    truths = se.load_truths(TRUTH)
    assert len([t for t in truths if t.split == "dev"]) >= 10
    for t in truths:
        assert (PAPERS_DEV / t.file).is_file(), t.file
        assert t.title and t.authors and t.abstract and t.sections, t.file
        assert all(re.search(r"\w", s) for s in t.sections)


def test_folio_eval_structure_prints_each_file_and_the_total(tmp_path: Path) -> None:
    import json
    import os
    import shutil
    import subprocess
    import sys

    truth = tmp_path / "truth"
    truth.mkdir()
    shutil.copy(TRUTH / "kopp2019_generalized-madr.json", truth)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.cli",
            "eval",
            "structure",
            "--truth",
            str(truth),
            "--pdfs",
            str(PAPERS_DEV),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "FOLIO_HOME": str(tmp_path / "home")},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [f["file"] for f in report["files"]] == ["kopp2019_generalized-madr.pdf"]
    assert report["files"][0]["sections"] == 1.0 and report["total"]["files"] == 1
    assert report["total"]["title_authors_abstract"] == 1.0
    empty = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "eval", "structure", "--truth", str(tmp_path)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env={**os.environ, "FOLIO_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    assert empty.returncode != 0 and "no truth files" in empty.stderr
