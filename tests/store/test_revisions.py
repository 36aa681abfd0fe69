"""Revisions you can reason about (issue 16): within one release the file ingested later
wins, and `bilateral remove` takes a file out, all or nothing, summaries recomputed. A
revised year's rows are resolved once, at ingest, and read as such (issue 14)."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import ibis.expr.operations as ops
import pandas as pd
import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.errors import BilateralError
from bilateral.schema import COLUMNS
from bilateral.store import Store
from tests.bns_workbook import write_bns_xls
from tests.conftest import snapshot

runner = CliRunner()


def workbook(folder: Path, name: str, russia_exports: float) -> Path:
    """A BNS workbook of 2022 (release 2022) with Kazakhstan's exports to Russia."""
    folder.mkdir(exist_ok=True)
    return write_bns_xls(
        folder / name,
        [
            ["Всего", 20.0 + russia_exports, 100, russia_exports, 100, 20.0, 100],
            ["Россия", 20.0 + russia_exports, 100, russia_exports, 100, 20.0, 100],
        ],
    )


def exports_to_russia(store: Store) -> float:
    flows = store.execute(store.flows("kz_bns"))
    row = flows[(flows.exporter == "KAZ") & (flows.importer == "RUS")]
    return float(row.value_usd.iloc[0])


def total_exports_to_russia(store: Store) -> float:
    totals = store.totals("kz_bns")
    assert totals is not None
    frame = store.execute(totals)
    row = frame[(frame.exporter == "KAZ") & (frame.importer == "RUS")]
    return float(row.value_usd.sum())


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param(("bns_a.xls", 5.0), ("bns_b.xls", 7.0), 7000.0, id="corrected-second"),
        pytest.param(("bns_b.xls", 7.0), ("bns_a.xls", 5.0), 5000.0, id="corrected-first"),
    ],
)
def test_within_a_release_the_file_ingested_later_wins(
    tmp_path: Path, first: tuple[str, float], second: tuple[str, float], expected: float
) -> None:
    store = Store.open(tmp_path / "store")
    store.ingest([workbook(tmp_path / "one", *first)])
    store.ingest([workbook(tmp_path / "two", *second)])
    assert exports_to_russia(store) == expected
    assert total_exports_to_russia(store) == expected


def test_rows_as_stored_hold_every_revision_and_the_same_observations(tmp_path: Path) -> None:
    """``flows(resolved=False)`` keeps both files' rows; which observations exist (the
    questions the claim checker asks of it: months, items, headings) is the same."""
    store = Store.open(tmp_path / "store")
    store.ingest([workbook(tmp_path / "one", "bns_a.xls", 5.0)])
    store.ingest([workbook(tmp_path / "two", "bns_b.xls", 7.0)])
    stored = store.execute(store.flows("kz_bns", resolved=False))
    resolved = store.execute(store.flows("kz_bns"))
    to_russia = stored[(stored.exporter == "KAZ") & (stored.importer == "RUS")]
    assert sorted(to_russia.value_usd) == [5000.0, 7000.0]  # both workbooks (thousands of USD)
    assert len(stored) == 2 * len(resolved)
    keys = ["source", "year", "month", "exporter", "importer", "reported_by", "product"]
    assert set(map(tuple, stored[keys].astype(str).values)) == set(
        map(tuple, resolved[keys].astype(str).values)
    )


def test_in_one_ingest_the_file_listed_later_wins(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    store.ingest(
        [workbook(tmp_path / "one", "bns_b.xls", 7.0), workbook(tmp_path / "two", "bns_a.xls", 5.0)]
    )
    assert exports_to_russia(store) == 5000.0


def test_remove_takes_a_file_out_and_recomputes_summaries(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    old = workbook(tmp_path / "one", "bns_a.xls", 5.0)
    wrong = workbook(tmp_path / "two", "bns_b.xls", 7.0)
    store.ingest([old])
    store.ingest([wrong])
    entry = store.remove(str(wrong))
    assert entry.file_name == "bns_b.xls"
    assert [e.file_name for e in store.catalogue()] == ["bns_a.xls"]
    assert exports_to_russia(store) == 5000.0
    assert total_exports_to_russia(store) == 5000.0
    gone = [p.relative_to(store.root) for p in store.root.rglob(f"{entry.sha256}*.parquet")]
    assert gone  # kept for readers of the version before (see bilateral.store.versions)
    assert not [p for p in store._parts() if p[0] == entry.sha256]
    assert {str(p) for p in gone} <= {path for path, _ in store.version().retired}
    store.retain = timedelta(0)
    store.remove("bns_a.xls")  # a later change deletes what was retired long enough ago
    assert not list(store.root.rglob(f"{entry.sha256}*.parquet"))


@pytest.mark.parametrize("how", ["sha256", "prefix", "name"])
def test_remove_by_sha_or_name_through_the_cli(tmp_path: Path, how: str) -> None:
    path = tmp_path / "store"
    store = Store.open(path)
    (report,) = store.ingest([workbook(tmp_path / "one", "bns_a.xls", 5.0)])
    given = {"sha256": report.sha256, "prefix": report.sha256[:12], "name": "bns_a.xls"}[how]
    result = runner.invoke(app, ["--store", str(path), "remove", given, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert "bns_a.xls" in result.stdout
    assert store.catalogue() == []
    assert store.execute(store.flows()).empty
    left = {str(p.relative_to(path)) for p in path.rglob("*.parquet")}
    assert left == {retired for retired, _ in store.version().retired}  # for older readers


def test_removing_an_unknown_file_is_a_one_line_error_and_changes_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    store.ingest([workbook(tmp_path / "one", "bns_a.xls", 5.0)])
    before = snapshot(store.root)
    with pytest.raises(BilateralError, match=r"nothing\.xls is not in the store; give a file"):
        store.remove("nothing.xls")
    result = runner.invoke(app, ["--store", str(store.root), "remove", "deadbeefdeadbeef"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert snapshot(store.root) == before


# ------------------------------------------------------------------ resolved at ingest


def latest_rows(store: Store) -> list[tuple[str, int]]:
    """The (source, year) of every year the store holds resolved at ingest."""
    return sorted((s, y) for kind, s, y, _ in store._summary_rows() if kind == "latest")


def without_latest_rows(root: Path, copy: Path) -> Store:
    """A copy of the store at ``root`` whose catalogue lists no resolved rows, as a store
    written before they existed: its revised years are ranked in every query."""
    shutil.copytree(root, copy)
    con = duckdb.connect(str(copy / "catalogue.duckdb"))
    try:
        con.execute("DELETE FROM summaries WHERE kind = 'latest'")
    finally:
        con.close()
    return Store.open(copy)


def read_files(store: Store) -> list[str]:
    """The Parquet files the resolved flows read."""
    table = store.flows().op()
    if not hasattr(table, "name"):  # the view under the ranking of an unresolved store
        (table,) = {op for op in table.find(ops.DatabaseTable) if op.name.startswith("flows_")}
    (row,) = store.backend.con.execute(
        "SELECT sql FROM duckdb_views() WHERE view_name = ?", [table.name]
    ).fetchall()
    return re.findall(r"'([^']+\.parquet)'", row[0])


def every_row(store: Store) -> pd.DataFrame:
    """The resolved flows, in one order whatever order the files give them in."""
    frame = store.execute(store.flows())[list(COLUMNS)]
    return frame.sort_values(list(COLUMNS)).reset_index(drop=True)


def test_a_revised_year_is_resolved_at_ingest_and_read_from_there(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    store.ingest([workbook(tmp_path / "one", "bns_a.xls", 5.0)])
    assert latest_rows(store) == []  # one file: its rows are the year's
    store.ingest([workbook(tmp_path / "two", "bns_b.xls", 7.0)])
    assert latest_rows(store) == [("kz_bns", 2022)]
    (path,) = [path for kind, *_, path in store._summary_rows() if kind == "latest"]
    assert read_files(store) == [str(store.root / path)]  # neither workbook's rows
    assert exports_to_russia(store) == 7000.0
    ranked = without_latest_rows(store.root, tmp_path / "ranked")
    assert len(read_files(ranked)) == 2
    assert "row_number" in ranked.backend.compile(ranked.flows()).lower()
    pd.testing.assert_frame_equal(every_row(store), every_row(ranked))
    assert ranked.summarise() == 1  # the resolved rows a store lacks are added
    assert latest_rows(ranked) == [("kz_bns", 2022)]
    pd.testing.assert_frame_equal(every_row(ranked), every_row(store))


def test_removing_a_revision_drops_the_year_s_resolved_rows(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "store")
    store.ingest([workbook(tmp_path / "one", "bns_a.xls", 5.0)])
    store.ingest([workbook(tmp_path / "two", "bns_b.xls", 7.0)])
    store.remove("bns_b.xls")
    assert latest_rows(store) == []
    assert exports_to_russia(store) == 5000.0
    store.ingest([workbook(tmp_path / "two", "bns_b.xls", 7.0)])  # back again: resolved again
    assert latest_rows(store) == [("kz_bns", 2022)]
    assert exports_to_russia(store) == 7000.0


def test_the_starter_s_revised_years_read_from_resolved_rows_equal_them_ranked(
    starter_store: Path, tmp_path: Path
) -> None:
    """Over the publishers' own files (Eurostat's and FAOSTAT's two releases of a year):
    every row resolved at ingest is the row ranking the files' rows keeps."""
    store = Store.open(starter_store, read_only=True)
    assert latest_rows(store)
    ranked = without_latest_rows(starter_store, tmp_path / "ranked")
    pd.testing.assert_frame_equal(every_row(store), every_row(ranked))
