"""Runs in its own process (memory capped, each parse under an alarm): mutate a real file
with hypothesis, fixed seed and budget, and parse every mutant. Prints one JSON line:
the mutants that crashed with anything but FolioError, or hung."""

from __future__ import annotations

import json
import resource
import signal
import sys
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.errors import FolioError
from pipelines.ingest import parse_bytes

PER_FILE_SECONDS = 10
MEMORY_BYTES = 3 * 1024**3


class Hang(Exception):
    pass


def _alarm(signum, frame):  # noqa: ANN001
    raise Hang()


def mutate(data: bytes, edits: list[tuple[int, int, bytes]], cut: int | None) -> bytes:
    out = bytearray(data)
    for kind, position, junk in edits:
        at = position % max(1, len(out))
        if kind == 0:  # flip a byte
            out[at] ^= 0xFF
        elif kind == 1:  # insert junk
            out[at:at] = junk
        else:  # delete a run
            del out[at : at + len(junk) * 8]
    if cut is not None:
        out = out[: cut % max(1, len(out))]
    return bytes(out)


def mutate_member(
    data: bytes, member: int, edits: list[tuple[int, int, bytes]], cut: int | None
) -> bytes:
    """Mutate one file inside the EPUB's zip (OPF, nav, NCX, XHTML), keeping the zip valid,
    so the XML and table-of-contents code is what gets fuzzed."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = [
            n for n in src.namelist() if n.endswith((".opf", ".xhtml", ".html", ".ncx", ".xml"))
        ]
        target = names[member % len(names)]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == target:
                    body = mutate(body, edits, cut)
                dst.writestr(info, body)
    return out.getvalue()


def main(path: str, examples: int, seed: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    signal.signal(signal.SIGALRM, _alarm)
    original = Path(path).read_bytes()
    problems: list[dict] = []
    ran = 0

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        edits=st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 2**31), st.binary(min_size=1, max_size=16)),
            min_size=1,
            max_size=8,
        ),
        cut=st.one_of(st.none(), st.integers(0, 2**31)),
        member=st.one_of(st.none(), st.integers(0, 50)),
    )
    def run(edits, cut, member):  # noqa: ANN001
        nonlocal ran
        ran += 1
        if member is not None and path.endswith(".epub"):
            mutant = mutate_member(original, member, edits, cut)
        else:
            mutant = mutate(original, edits, cut)
        signal.alarm(PER_FILE_SECONDS)
        try:
            parse_bytes(mutant, Path(path).name)
        except FolioError:
            pass
        except Hang:
            problems.append({"kind": "hang", "edits": repr(edits)[:300], "cut": cut})
        except BaseException as exc:  # anything else is a bug to fix
            problems.append(
                {
                    "kind": type(exc).__name__,
                    "error": str(exc)[:200],
                    "where": traceback.format_exc()[-600:],
                    "edits": repr(edits)[:300],
                }
            )
        finally:
            signal.alarm(0)

    _ = seed
    run()
    print(json.dumps({"file": Path(path).name, "examples": ran, "problems": problems}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
