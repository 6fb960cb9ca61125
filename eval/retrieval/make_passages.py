"""Rebuild passages.jsonl from the shared books (run from the repo root).

    .venv/bin/python eval/retrieval/make_passages.py

Each story is one book; each passage is one chunk of Folio's chunker at the time the
set was made, frozen here so later chunker changes don't move the gold ids.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.index.chunking import chunk_chapter
from pipelines.ingest import parse_file

HERE = Path(__file__).resolve().parent
BOOKS = HERE.parents[1].parent / "shared" / "sources" / "books"
STORIES = {
    "time-machine": ("wells_the-time-machine_se.epub", None),
    "alice": ("carroll_alice-in-wonderland_pg19033_epub2.epub", None),
    "moby-dick": ("melville_moby-dick_idpf.epub", 30),  # the first 30 chapters of the ToC
}


def main() -> None:
    rows = []
    for story, (file_name, limit) in STORIES.items():
        source, _ = parse_file(BOOKS / file_name)
        body = [c for c in source.chapters if c.kind.is_body and c.text.strip()]
        for chapter in body[:limit]:
            for n, p in enumerate(chunk_chapter(chapter)):
                rows.append(
                    {
                        "passage_id": f"{story}:{chapter.index}:{n}",
                        "story": story,
                        "section": chapter.title,
                        "text": p.text,
                    }
                )
    with (HERE / "passages.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(rows), "passages")


if __name__ == "__main__":
    main()
