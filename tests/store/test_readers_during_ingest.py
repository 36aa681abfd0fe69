"""Readers and ingests together (issue 16, requirement 3): while another process ingests
and removes a file over and over, readers keep answering, each answer equal to the
store's answer before a commit or after it, never an error such as a summary file gone.

Two kinds of reader loop: a fresh read-only store per question (as each ``bilateral
profile`` is), and the server (uvicorn on a free port), which holds one store and moves
to each newer version between questions.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx

import bilateral
from bilateral.store import Store
from bilateral.web.app import create_app
from tests.bns_workbook import write_bns_xls
from tests.live_server import live_server

#: Ingest and remove the file argv[2] from the store argv[1], argv[3] times.
WRITER = """
import sys
from bilateral.store import Store
store = Store.open(sys.argv[1])
for _ in range(int(sys.argv[3])):
    store.ingest([sys.argv[2]])
    store.remove(sys.argv[2])
"""


def workbook(folder: Path, name: str, russia_exports: float, year: str = "2022") -> Path:
    """A BNS workbook with Kazakhstan's exports to Russia in ``year`` and the year before."""
    folder.mkdir(exist_ok=True)
    rows = [
        ["Всего", 20.0 + russia_exports, 100, russia_exports, 100, 20.0, 100],
        ["Россия", 20.0 + russia_exports, 100, russia_exports, 100, 20.0, 100],
    ]
    write_bns_xls(folder / name, rows, sheet=year)
    return folder / name


def profile_json(store: Store) -> str:
    return json.dumps(bilateral.profile(store, "KAZ", "RUS", 2022).to_dict(), sort_keys=True)


def server_json(base: str) -> str:
    """The server's /api/profile answer; any status but 200 is an error."""
    answer = httpx.get(
        f"{base}/api/profile",
        params={"reporter": "KAZ", "partner": "RUS", "year": 2022},
        timeout=120,  # two cores shared with an ingest and another reader
    )
    answer.raise_for_status()
    return json.dumps(answer.json(), sort_keys=True)


def loop(
    ask: Callable[[], str],
    running: Callable[[], bool],
    answers: list[str],
    errors: list[BaseException],
) -> None:
    while running():
        try:
            answers.append(ask())
        except BaseException as exc:  # noqa: BLE001 - every failure is what the test looks for
            errors.append(exc)


def test_readers_see_the_store_before_or_after_each_commit(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = Store.open(root)
    store.ingest([workbook(tmp_path / "a", "bns_a.xls", 5.0)])
    revision = workbook(tmp_path / "b", "bns_b.xls", 7.0)
    with live_server(create_app(root)) as base:
        served = lambda: server_json(base)  # noqa: E731
        before, server_before = profile_json(Store.open(root, read_only=True)), served()
        store.ingest([revision])
        after, server_after = profile_json(Store.open(root, read_only=True)), served()
        store.remove(str(revision))
        assert profile_json(Store.open(root, read_only=True)) == before != after
        assert served() == server_before != server_after  # the server follows each commit

        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root), str(revision), "4"],
            stderr=subprocess.PIPE,
        )
        running = lambda: writer.poll() is None  # noqa: E731
        fresh: list[str] = []
        answered: list[str] = []
        errors: list[BaseException] = []
        threads = [
            threading.Thread(
                target=loop,
                args=(
                    lambda: profile_json(Store.open(root, read_only=True)),
                    running,
                    fresh,
                    errors,
                ),
            ),
            threading.Thread(target=loop, args=(served, running, answered, errors)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert writer.wait() == 0, writer.stderr.read() if writer.stderr else ""
    assert not errors, errors[:3]
    assert fresh and answered
    assert set(fresh) <= {before, after}
    assert set(answered) <= {server_before, server_after}


def test_files_a_commit_supersedes_stay_until_retired_long_enough(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = Store.open(root)
    store.ingest([workbook(tmp_path / "a", "bns_a.xls", 5.0)])
    reader = Store.open(root, read_only=True)
    pinned = reader.summaries(years=[2022]).totals  # a reader holds the first version
    revision = workbook(tmp_path / "b", "bns_b.xls", 7.0)
    store.ingest([revision])
    assert reader.execute(pinned).shape[0] > 0  # its files are still there
    assert reader.refresh()  # and it can move to the new version
    assert reader.execute(reader.summaries(years=[2022]).totals).shape[0] > 0
    superseded = {path for path, _ in Store.open(root).version().retired}
    assert superseded and all((root / path).exists() for path in superseded)

    store.retain = timedelta(0)  # the next change deletes what was retired before it
    store.remove(str(revision))
    assert not any((root / path).exists() for path in superseded)
    left = {str(p.relative_to(root)) for p in root.rglob("*.parquet")}
    current = Store.open(root)
    catalogued = {p for *_, p in current._parts()} | {p for *_, p in current._summary_rows()}
    assert left == catalogued | {path for path, _ in current.version().retired}
