"""PDF page reading: the 352-page Free Culture book parsed by this tree and, in the same run,
by a baseline checkout (e.g. the commit before pypdfium2 read the pages), alternating, three
times each, each parse in its own process; medians and their ratio. Without --baseline it
times pypdf's positioned-text visitor (what read the pages before) against pypdfium2's
character reading on the same pages instead.

.venv/bin/python bench/bench_pdf_layout.py [--baseline ../main] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import ROOT, SOURCES, save

BOOK = SOURCES / "books" / "lessig_free-culture.pdf"

CHILD = """
import json, sys, time, logging
sys.path.insert(0, {root!r})
logging.disable(logging.CRITICAL)
from pipelines.ingest import parse_file
t = time.perf_counter()
source, _ = parse_file({path!r})
print(json.dumps({{"seconds": time.perf_counter() - t, "chapters": len(source.chapters)}}))
"""


def _parse_seconds(root: Path) -> float:
    code = CHILD.format(root=str(root), path=str(BOOK))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def _readers() -> dict[str, float]:
    """pypdf's visitor over every page vs pypdfium2's characters over every page."""
    import logging

    import pypdfium2 as pdfium
    from pypdf import PdfReader

    from pipelines.ingest.pdf_chars import read_page

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    t = time.perf_counter()
    reader = PdfReader(str(BOOK))
    for page in reader.pages:
        page.extract_text(visitor_text=lambda *args: None)
    pypdf_s = time.perf_counter() - t
    t = time.perf_counter()
    doc = pdfium.PdfDocument(str(BOOK))
    for i in range(len(doc)):
        read_page(doc[i])
    return {
        "pypdf_visitor_s": round(pypdf_s, 2),
        "pdfium_chars_s": round(time.perf_counter() - t, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", type=Path, help="a checkout to compare with (its repo root)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result: dict = {"file": BOOK.name}
    if args.baseline is not None:
        ours, theirs = [], []
        for _ in range(args.runs):
            theirs.append(_parse_seconds(args.baseline.resolve()))
            ours.append(_parse_seconds(ROOT))
        result |= {
            "baseline_parse_s": round(statistics.median(theirs), 2),
            "parse_s": round(statistics.median(ours), 2),
            "ratio": round(statistics.median(ours) / statistics.median(theirs), 2),
        }
    else:
        result |= _readers()
        result["ratio"] = round(result["pdfium_chars_s"] / result["pypdf_visitor_s"], 2)
    save("pdf_layout", result)


if __name__ == "__main__":
    main()
