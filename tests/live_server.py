"""Real uvicorn servers on 127.0.0.1 and a free port: in a background thread, or in a
process of their own with worker processes, as ``bilateral serve`` runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(app: FastAPI, timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields the base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"uvicorn did not start on {base}")
        time.sleep(0.05)
    try:
        httpx.get(base + "/api/countries?limit=1", timeout=timeout).raise_for_status()
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout)


#: A server process as ``bilateral serve`` runs one, with a checker a test can steer.
LAUNCH = """
import sys
from bilateral.web.app import create_app, run_server
from tests.web_checkers import scripted
store, port, workers, queue, limit, shutdown = sys.argv[1:7]
app = create_app(store, checker=scripted, workers=int(workers), queue=int(queue),
                 time_limit=float(limit))
run_server(app, "127.0.0.1", int(port), shutdown_timeout=int(shutdown))
"""
ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def server_process(
    store: Path,
    *,
    workers: int = 1,
    queue: int = 16,
    time_limit: float = 120,
    shutdown_timeout: int = 10,
    timeout: float = 90.0,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A server in its own process (stopped with SIGTERM at the end if still running), with
    :func:`tests.web_checkers.scripted` as its claim checker; yields its URL and process."""
    port = free_port()
    args = [str(store), str(port), str(workers), str(queue), str(time_limit), str(shutdown_timeout)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                httpx.get(base + "/api/countries?limit=1", timeout=5).raise_for_status()
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"no server on {base}: {output_of(process)}") from None
                time.sleep(0.2)
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def output_of(process: subprocess.Popen[str]) -> str:
    """What an ended process printed."""
    if process.poll() is None:
        process.kill()
    return process.stdout.read() if process.stdout else ""


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def wait_until(condition: Callable[[], bool], bound: float = 60.0, what: str = "") -> None:
    """Poll ``condition`` until it holds; fail after ``bound`` seconds (a bound, not a timing
    requirement: it only keeps a broken server from hanging the test run)."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {bound:g} s: {what}")
        time.sleep(0.1)
