"""Turn a file into a Source made of its real chapters.

`parse_bytes` sniffs the format from the bytes (not the extension), runs the
matching parser, and checks the result. Each parser module exposes
`parse(data: bytes, file_name: str) -> Source` and raises IngestError with a
reason a user understands; anything else a parser raises on hostile input is
converted here, so callers only ever see IngestError.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pipelines.errors import FolioError, IngestError, LimitError
from pipelines.settings import IngestSettings, Settings
from pipelines.types import Source, count_words

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".rst"}


def sniff_format(data: bytes, file_name: str) -> str:
    """'pdf' | 'epub' | 'markdown' | 'text', from magic bytes first."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "epub"  # the EPUB parser says clearly when a zip is not an EPUB
    suffix = Path(file_name).suffix.lower()
    if suffix in (".pdf", ".epub"):
        raise IngestError(
            file_name, f"the file is not a valid {suffix[1:].upper()} (wrong header)."
        )
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def parse_bytes(
    data: bytes, file_name: str, settings: Settings | IngestSettings | None = None
) -> Source:
    """Parse one file into a Source. Limits are the caller's resolved ingest settings;
    without them, the documented defaults (the environment is read at the edge only)."""
    limits = ingest_limits(settings)
    safe_name = clean_file_name(file_name)
    if len(data) > limits.max_file_mb * 1024 * 1024:
        raise LimitError(
            f"'{safe_name}' is {len(data) / 1e6:.0f} MB; the limit is "
            f"{limits.max_file_mb} MB (FOLIO_INGEST__MAX_FILE_MB)."
        )
    if not data.strip():
        raise IngestError(safe_name, "the file is empty.")
    fmt = sniff_format(data, safe_name)
    try:
        if fmt == "pdf":
            from pipelines.ingest import pdf

            source = pdf.parse(data, safe_name, limits=limits)
        elif fmt == "epub":
            from pipelines.ingest import epub

            source = epub.parse(data, safe_name, limits=limits)
        else:
            from pipelines.ingest import text

            source = text.parse(data, safe_name, markdown=(fmt == "markdown"))
    except FolioError:
        raise
    except RecursionError as exc:
        raise IngestError(safe_name, "its structure is nested too deeply to read.") from exc
    except MemoryError as exc:
        raise IngestError(safe_name, "it is too large to read in memory.") from exc
    except Exception as exc:  # hostile/corrupt input: never let a parser crash through
        log.info("parser failed on %s: %r", safe_name, exc)
        raise IngestError(
            safe_name,
            f"the file is damaged or not a supported {fmt.upper()} ({type(exc).__name__}).",
        ) from exc
    source.id = hashlib.sha256(data).hexdigest()
    source.file_name = safe_name
    source.format = source.format or fmt
    _finish(source)
    return source


def ingest_limits(settings: Settings | IngestSettings | None) -> IngestSettings:
    if isinstance(settings, Settings):
        return settings.ingest
    return settings if settings is not None else IngestSettings()


def parse_file(
    path: Path | str, settings: Settings | IngestSettings | None = None
) -> tuple[Source, bytes]:
    path = Path(path)
    if not path.is_file():
        raise IngestError(path.name, "no such file.")
    data = path.read_bytes()
    return parse_bytes(data, path.name, settings), data


def clean_file_name(name: str) -> str:
    """The last path component, without control characters; never empty."""
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "untitled"
    return name[:200]


def _finish(source: Source) -> None:
    """Give every chapter its source id and refuse sources with no readable text."""
    for chapter in source.chapters:
        chapter.source_id = source.id
    if not source.chapters or sum(count_words(c.text) for c in source.chapters) == 0:
        reason = (
            "it has no text layer (a scanned PDF?); run OCR on it first (e.g. ocrmypdf)."
            if source.format == "pdf"
            else "it contains no readable text."
        )
        raise IngestError(source.file_name, reason)
