"""Ingestion: seconds and peak RSS to parse Moby-Dick and Free Culture (each in its own
process, so peak RSS is that file's), and pages per second for the PDF path.

.venv/bin/python bench/bench_ingest.py
"""

from __future__ import annotations

import json
import subprocess
import sys

from common import ROOT, SOURCES, save

FILES = {
    "moby_dick_epub": SOURCES / "books" / "melville_moby-dick_idpf.epub",
    "free_culture_pdf": SOURCES / "books" / "lessig_free-culture.pdf",
    "tracemonkey_pdf": SOURCES / "papers" / "tracemonkey-pldi-09.pdf",
}

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from pipelines.ingest import parse_file
t = time.perf_counter()
source, _ = parse_file({path!r})
seconds = time.perf_counter() - t
print(json.dumps({{"seconds": round(seconds, 2), "chapters": len(source.chapters),
    "words": source.word_count, "pages": source.page_count,
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def main() -> None:
    results = {}
    for name, path in FILES.items():
        code = CHILD.format(root=str(ROOT), path=str(path))
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        if row["pages"]:
            row["pages_per_s"] = round(row["pages"] / row["seconds"], 1)
        results[name] = row
    save("ingest", results)


if __name__ == "__main__":
    main()
