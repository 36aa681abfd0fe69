"""``bilateral serve`` as a user starts it: a process answering on the chosen port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.live_server import free_port

SRC = Path(__file__).resolve().parents[2] / "src"


def test_serve_answers_on_its_port_and_stops_cleanly(bns_store):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-c", "from bilateral.cli import app; app()"]
    args = ["--store", str(bns_store), "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [*command, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/sources", timeout=5)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stdout.read() if process.stdout else "") from None
                time.sleep(0.2)
        assert response.status_code == 200
        assert [s["source"] for s in response.json()] == ["kz_bns"]
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert page.status_code == 200 and "vega-embed.min.js" in page.text
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"Serving {bns_store.resolve()} on http://127.0.0.1:{port}/" in " ".join(output.split())
    assert "Traceback" not in output
