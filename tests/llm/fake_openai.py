"""A tiny real HTTP server (http.server in a thread) that answers OpenAI-style
requests from a script of canned responses, to test retries, errors and SSE parsing
in ways a real model server cannot be made to fail on demand."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Canned:
    status: int = 200
    body: object = None  # dict -> JSON; str -> raw text
    headers: dict[str, str] = field(default_factory=dict)
    sse: list[str] | None = None  # raw SSE lines, written one by one


def completion(text: str) -> dict:
    return {
        "id": "x",
        "object": "chat.completion",
        "model": "m",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
    }


@dataclass
class FakeServer:
    url: str
    requests: list[dict] = field(default_factory=list)  # {"method","path","headers","json"}


@contextmanager
def fake_openai(routes: dict[str, list[Canned] | Canned]) -> Iterator[FakeServer]:
    """Serve `routes` ("POST /v1/chat/completions" -> responses, consumed in order; the
    last one repeats). Yields the server with base url …/v1 and a request log."""
    queues = {k: list(v) if isinstance(v, list) else [v] for k, v in routes.items()}
    state = FakeServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            state.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "json": json.loads(raw) if raw else None,
                }
            )
            queue = queues.get(f"{self.command} {self.path}")
            if not queue:
                self.send_response(404)
                self.end_headers()
                return
            canned = queue.pop(0) if len(queue) > 1 else queue[0]
            self.send_response(canned.status)
            for k, v in canned.headers.items():
                self.send_header(k, v)
            if canned.sse is not None:
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                for line in canned.sse:
                    self.wfile.write((line + "\n").encode())
                    self.wfile.flush()
                return
            data = canned.body if isinstance(canned.body, str) else json.dumps(canned.body)
            payload = data.encode()
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _serve

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
