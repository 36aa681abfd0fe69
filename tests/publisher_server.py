"""A local HTTP server that answers as publishers do, one scripted answer after another:
their files (honouring Range, so downloads resume), error pages, rate limits and
connections dropped half-way. Loopback only; each test starts its own."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from typer.testing import CliRunner


@dataclass
class Answer:
    """One response: status, headers and body (Range is honoured for 200 bodies)."""

    body: bytes
    status: int = 200
    content_type: str = "application/octet-stream"
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # stop half-way and close the connection
    ranges: bool = True  # honour a Range header (False: the whole body again, 200)


@dataclass
class Script:
    """The answers in order; the last one repeats."""

    answers: list[Answer]
    requests: list[tuple[str, str | None]] = field(default_factory=list)  # path, Range
    headers: list[dict[str, str]] = field(default_factory=list)  # every request's headers


class Handler(http.server.BaseHTTPRequestHandler):
    script: Script

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        s = self.script
        asked = self.headers.get("Range")
        s.requests.append((self.path, asked))
        s.headers.append(dict(self.headers.items()))
        answer = s.answers[min(len(s.requests), len(s.answers)) - 1]
        body, status = answer.body, answer.status
        start = 0
        if status == 200 and asked and answer.ranges:
            start = int(asked.removeprefix("bytes=").split("-")[0])
            status = 206
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        payload = body[start:]
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if answer.drop:
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Servers:
    """Loopback servers started by a test, each answering with a handler class bound to
    the test's state (a Script, a Publication...), all shut down when the test ends."""

    def __init__(self) -> None:
        self._running: list[http.server.ThreadingHTTPServer] = []

    def start(
        self, handler: type[http.server.BaseHTTPRequestHandler], path: str, **bound: object
    ) -> str:
        """The address of ``path`` on a new server whose handler sees ``bound``."""
        bound_handler = type("BoundHandler", (handler,), bound)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), bound_handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._running.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{path}"

    def close(self) -> None:
        for server in self._running:
            server.shutdown()
            server.server_close()


@pytest.fixture
def servers() -> Iterator[Servers]:
    running = Servers()
    yield running
    running.close()


@pytest.fixture
def serve(servers: Servers) -> Callable[[Script, str], str]:
    """Start a server that answers with ``script``; the address of ``path`` on it."""

    def start(script: Script, path: str) -> str:
        return servers.start(Handler, path, script=script)

    return start


def download_cli(*args: str) -> tuple[int, str, str]:
    """``bilateral download ARGS``: exit code, stdout and stderr."""
    from bilateral.cli import app

    result = CliRunner().invoke(app, ["download", *args])
    return result.exit_code, result.stdout, result.stderr


def one_line(stderr: str) -> str:
    """The one line a failed download prints, its spaces as one (Rich wraps long lines)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return " ".join(lines[0].split())
