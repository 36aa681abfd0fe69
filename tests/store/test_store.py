"""The store: idempotent ingest, all-or-nothing writes, revisions, catalogue."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bilateral.errors import BilateralError, SourceFormatError, StoreAccessError
from bilateral.sources.kz_bns import KzBnsReader
from bilateral.store import Store
from bilateral.store import layout as parquet_layout
from tests.bns_workbook import write_bns_xls
from tests.conftest import shared, snapshot

WORKBOOK_2022 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls"
WORKBOOK_2023 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls"


def rus_to_kaz(store: Store, year: int) -> list[tuple[str, float]]:
    flows = store.flows("kz_bns")
    expr = flows.filter(
        (flows.exporter == "RUS") & (flows.importer == "KAZ") & (flows.year == year)
    )
    frame = store.execute(expr.select("release", "value_usd"))
    return list(frame.itertuples(index=False, name=None))


def test_ingesting_the_same_file_twice_changes_nothing(store_dir):
    store = Store.open(store_dir)
    first = store.ingest([shared("kz-bns", WORKBOOK_2022)])
    before = snapshot(store_dir)
    second = store.ingest([shared("kz-bns", WORKBOOK_2022)])
    assert [r.status for r in first] == ["ingested"]
    assert [r.status for r in second] == ["unchanged"]
    assert snapshot(store_dir) == before


def test_a_later_publication_revises_the_year_it_repeats(store_dir):
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022), shared("kz-bns", WORKBOOK_2023)])
    # 2022 appears in both publications; the 2023 one wins, and only one row survives.
    rows = rus_to_kaz(store, 2022)
    assert [release for release, _ in rows] == ["2023"]


def test_catalogue_records_source_release_hash_rows_and_years(store_dir):
    store = Store.open(store_dir)
    reports = store.ingest([shared("kz-bns")])
    entries = store.catalogue()
    assert len(entries) == 5 == len([r for r in reports if r.status == "ingested"])
    by_release = {e.release: e for e in entries}
    assert (by_release["2023"].year_min, by_release["2023"].year_max) == (2022, 2023)
    assert all(len(e.sha256) == 64 and e.rows > 0 for e in entries)
    assert sum(e.rows for e in entries) == sum(r.rows for r in reports)


def test_reader_failure_half_way_leaves_the_store_as_it_was(store_dir, tmp_path):
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022)])
    before = snapshot(store_dir)
    bad = write_bns_xls(tmp_path / "bns_bad.xls", [["Всего", 1.0, 100, 1.0, 100, "??", 100]])
    # The good 2023 workbook is read and staged first; the bad one fails afterwards.
    with pytest.raises(SourceFormatError, match="bns_bad.xls"):
        store.ingest([shared("kz-bns", WORKBOOK_2023), bad])
    assert snapshot(store_dir) == before
    assert [e.release for e in store.catalogue()] == ["2022"]


def test_failure_while_swapping_in_leaves_the_store_as_it_was(store_dir, monkeypatch):
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022)])
    before = snapshot(store_dir)
    real_replace = os.replace

    def replace_then_fail_on_catalogue(src, dst):
        if str(dst).endswith("catalogue.duckdb"):
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_then_fail_on_catalogue)
    with pytest.raises(StoreAccessError, match=r"Cannot write to the store at .*\(disk full\)"):
        store.ingest([shared("kz-bns", WORKBOOK_2023)])
    monkeypatch.undo()
    assert snapshot(store_dir) == before
    assert not list(store_dir.glob(".staging-*"))


def test_folder_ingest_skips_files_no_reader_knows(store_dir, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    write_bns_xls(
        folder / "bns_small.xls",
        [["Всего", 3.0, 100, 1.0, 100, 2.0, 100], ["Россия", 3.0, 100, 1.0, 100, 2.0, 100]],
    )
    reports = Store.open(store_dir).ingest([folder])
    assert {r.path.name: r.status for r in reports} == {
        "bns_small.xls": "ingested",
        "notes.csv": "skipped",
    }


def test_a_named_file_no_reader_knows_is_an_error(store_dir, tmp_path):
    stray = tmp_path / "notes.csv"
    stray.write_text("a,b\n")
    with pytest.raises(BilateralError, match=r"notes\.csv: no reader recognises this file name"):
        Store.open(store_dir).ingest([stray])
    assert not (store_dir / "catalogue.duckdb").exists()


def test_read_only_store_refuses_to_ingest(store_dir):
    with pytest.raises(BilateralError, match="read-only"):
        Store.open(store_dir, read_only=True).ingest([shared("kz-bns", WORKBOOK_2022)])


def test_empty_store_has_an_empty_flow_table(store_dir):
    store = Store.open(store_dir)
    assert store.execute(store.flows().count()) == 0
    assert store.catalogue() == []


def test_parquet_rows_match_the_reader(store_dir):
    path = shared("kz-bns", WORKBOOK_2022)
    store = Store.open(store_dir)
    store.ingest([path])
    expected = KzBnsReader().read(path, "sha").table.num_rows
    assert store.execute(store.flows().count()) == expected
    assert all(Path(p).suffix == ".parquet" for p in (store_dir / "flows").rglob("*.*"))


def test_holdings_from_file_statistics_equal_a_scan_of_the_rows(store_dir):
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022), shared("comtrade")])
    flows = store.flows()
    scanned = store.execute(flows.select("source", "year", "classification").distinct())
    columns = ["source", "year", "classification"]
    expected = scanned.sort_values(columns).reset_index(drop=True)
    held = store.holdings()
    assert held.to_dict("records") == expected.to_dict("records")
    assert {"TOTAL"} < set(held.classification)  # product codes too: mixed row groups

    def bns_years(frame):
        return set(frame.loc[frame.source == "kz_bns", "year"])

    assert 2023 not in bns_years(held)
    store.ingest([shared("kz-bns", WORKBOOK_2023)])
    assert 2023 in bns_years(store.holdings())  # read again after an ingest


def test_failure_while_writing_a_part_leaves_the_store_as_it_was(store_dir, monkeypatch):
    """Parts are written on a worker thread (bilateral.store.staging): its error still reaches
    the caller, and nothing it wrote stays behind."""
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022)])
    before = snapshot(store_dir)
    real_write = parquet_layout.write

    def fail_on_2023(table, target, **options):
        if "flows" in target.parts and "year=2023" in target.parts:
            raise OSError("disk full")
        return real_write(table, target, **options)

    monkeypatch.setattr(parquet_layout, "write", fail_on_2023)
    with pytest.raises(StoreAccessError, match=r"Cannot write to the store at .*\(disk full\)"):
        store.ingest([shared("kz-bns", WORKBOOK_2023)])
    monkeypatch.undo()
    assert snapshot(store_dir) == before
    assert not list(store_dir.glob(".staging-*"))
