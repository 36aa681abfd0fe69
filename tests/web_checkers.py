"""Stand-ins for the claim checker that a test steers through the text it sends.

They live at the top of a module so that a server's worker processes can import them:

- ``spin PIDFILE SECONDS``: writes the worker's process id to PIDFILE, then keeps the CPU
  busy (pure Python, which nothing but a kill can stop) until SECONDS pass or a file
  PIDFILE.stop appears;
- ``count FILE``: appends one line to FILE per call, so a test can count the calls;
- anything else: no claims.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def scripted(store: Any, text: str) -> dict[str, Any]:
    words = text.split()
    if words[:1] == ["spin"]:
        pidfile, seconds = Path(words[1]), float(words[2])
        pidfile.write_text(str(os.getpid()))
        stop = pidfile.with_name(pidfile.name + ".stop")
        deadline = time.monotonic() + seconds
        spins = 0
        while time.monotonic() < deadline and not stop.exists():
            for _ in range(20_000):
                spins += 1
        return {"claims": [{"text": text, "verdict": "not checkable", "pid": os.getpid()}]}
    if words[:1] == ["count"]:
        with open(words[1], "a", encoding="utf-8") as calls:
            calls.write(text + "\n")
    return {"claims": [{"text": text, "verdict": "not checkable", "pid": os.getpid()}]}
