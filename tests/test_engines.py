"""Both engines read a store of many Parquet files and agree with the files' own figures."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bilateral import engines
from bilateral.store import Store
from tests import fixtures_baci as fx


def expected_totals() -> dict[tuple[str, int, str], float]:
    """USD by (classification, year, exporter ISO3), straight from the fixture rows."""
    totals: dict[tuple[str, int, str], float] = defaultdict(float)
    for hs, flows in fx.FLOWS.items():
        for f in flows:
            totals[(hs, f.year, fx.ISO3[f.exporter])] += f.value * 1000
    return dict(totals)


@pytest.mark.parametrize(
    "engine", ["duckdb", pytest.param("spark", marks=pytest.mark.spark)], ids=str
)
def test_engine_reads_every_file_of_the_store(tmp_path, engine, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything an engine leaves behind stays in the temp dir
    zips = [fx.write_release(tmp_path, hs) for hs in fx.FLOWS]
    Store.open(tmp_path / "store").ingest(zips)
    store = Store.open(tmp_path / "store", engine=engine, read_only=True)
    files = list((tmp_path / "store" / "flows").rglob("*.parquet"))
    assert len(files) == 4  # two releases, two years each: one file per year and release
    flows = store.flows("baci")
    grouped = flows.group_by("classification", "year", "exporter").aggregate(
        value=flows.value_usd.sum()
    )
    got = {
        (r.classification, int(r.year), r.exporter): r.value
        for r in store.execute(grouped).itertuples()
    }
    want = expected_totals()
    assert got.keys() == want.keys()
    assert [got[k] for k in sorted(want)] == pytest.approx([want[k] for k in sorted(want)])


def test_duckdb_keeps_parquet_footers_between_queries():
    backend = engines.duckdb_backend()
    [(setting,)] = backend.raw_sql("SELECT current_setting('parquet_metadata_cache')").fetchall()
    assert setting is True
