"""Progress of a long ingest (issue 17): rows read, share of the file and time left on
stderr, only when stderr is a terminal or ``--progress`` asks for it.

The BACI files are built in the test (tests/fixtures_baci.py) with some 17,000 rows, and
the reader's part and block sizes are made small, so the file is read in many parts as an
11-million-row year is with the real sizes.
"""

from __future__ import annotations

import json
import re
from itertools import permutations
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.cli.progress import ReadProgress
from bilateral.sources import baci
from tests.fixtures_baci import COUNTRIES, Flow, write_release, write_year, year_csv

runner = CliRunner()
LINE = re.compile(
    r"^(?P<file>\S+): (?P<rows>[\d,]+) rows read, (?P<pct>\d+)%(?P<left>, about .+ left)?$"
)
#: Every ordered pair of the fixture's countries (not 'Other Asia, nes') in 300 products.
CODES = [code for code, _, _, iso3 in COUNTRIES if iso3 != "S19"]
PRODUCTS = [f"{100000 + n:06d}" for n in range(300)]


def flows(year: int) -> list[Flow]:
    return [
        Flow(year, exporter, importer, product, 1.5, None)
        for exporter, importer in permutations(CODES, 2)
        for product in PRODUCTS
    ]


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts of 2,000 rows parsed 16 KB at a time: many parts from a small file."""
    monkeypatch.setattr(baci, "PART_ROWS", 2_000)
    monkeypatch.setattr(baci, "BLOCK_BYTES", 16 << 10)


def year_file(folder: Path) -> tuple[Path, int]:
    rows = flows(2022)
    return write_year(folder, "HS92", 2022, text=year_csv(rows)), len(rows)


def release_zip(folder: Path) -> tuple[Path, int]:
    rows = flows(2021) + flows(2022)
    return write_release(folder, "HS92", flows=rows), len(rows)


@pytest.mark.parametrize("make", [year_file, release_zip], ids=["year-csv", "release-zip"])
def test_asked_for_progress_is_rows_share_and_time_left(tmp_path, small_parts, make):
    path, written = make(tmp_path)
    result = runner.invoke(
        app, ["--store", str(tmp_path / "store"), "ingest", str(path), "--progress", "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    lines = [LINE.match(line) for line in result.stderr.splitlines() if "rows read" in line]
    assert len(lines) >= 5 and all(lines), result.stderr
    rows = [int(m["rows"].replace(",", "")) for m in lines]
    shares = [int(m["pct"]) for m in lines]
    assert {m["file"] for m in lines} == {path.name}
    assert rows == sorted(set(rows)) and rows[-1] == written
    assert shares == sorted(shares) and shares[-1] == 100 and shares[0] < 100
    assert all(m["left"] for m, share in zip(lines, shares, strict=True) if share < 100)
    assert json.loads(result.stdout)[0]["rows"] == written  # stdout stays the answer alone


def test_no_progress_in_a_pipe_unless_asked(tmp_path, small_parts):
    path, _ = year_file(tmp_path)
    result = runner.invoke(app, ["--store", str(tmp_path / "store"), "ingest", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "rows read" not in result.stderr and "rows read" not in result.stdout


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("elapsed", "rows", "share", "line"),
    [
        pytest.param(
            30.0,
            2_500_000,
            0.25,
            "f.csv: 2,500,000 rows read, 25%, about 1 min 30 s left",
            id="quarter",
        ),
        pytest.param(600.0, 11_000_000, 1.0, "f.csv: 11,000,000 rows read, 100%", id="done"),
        pytest.param(5.0, 1_204, None, "f.csv: 1,204 rows read", id="share-unknown"),
        pytest.param(
            2.0, 10, 0.0005, "f.csv: 10 rows read, 0%, about 1 h 06 min left", id="first-rows"
        ),
    ],
)
def test_time_left_is_the_pace_so_far_carried_to_the_end(elapsed, rows, share, line):
    clock, shown = Clock(), []
    tracker = ReadProgress(shown.append, clock=clock)
    tracker.start(Path("f.csv"))
    clock.now += elapsed
    tracker.update(Path("f.csv"), rows, share)
    assert shown == [line]
