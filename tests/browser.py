"""Headless Chromium for end-to-end tests: Debian's browser, driven by Playwright.

Playwright's own browser download is never used: tests launch ``/usr/bin/chromium`` (the
``chromium`` package, installed by ``.ci/web-deps.sh``) through ``executable_path``, and
skip when it is absent. Screenshots go to ``test-output/`` at the repository root.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("BILATERAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output"


def chromium_path() -> str:
    """The browser to drive, or a skip when neither it nor Playwright is installed."""
    pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    found = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        pytest.skip(f"no Chromium at {CHROMIUM} (run .ci/web-deps.sh)")
    return found


def launch() -> Iterator[object]:
    """A running headless Chromium (a generator, for module-scoped fixtures)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / name
