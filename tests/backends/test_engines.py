"""Both engines read a store of many Parquet files and agree with the files' own figures."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bilateral.backends import compiled, engines
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


def _kaz_exports(table):
    kaz = table.filter(table.exporter == "KAZ")
    return kaz.group_by("year").aggregate(value=kaz.value_usd.sum()).order_by("year")


def test_duckdb_compiles_an_equal_expression_once(tmp_path):
    Store.open(tmp_path / "store").ingest([fx.write_release(tmp_path, "HS92")])
    store = Store.open(tmp_path / "store")
    queries = store.backend.compiled_queries
    first = store.execute(_kaz_exports(store.flows()))
    again = store.execute(_kaz_exports(store.flows()))  # built anew, equal
    assert (queries.misses, queries.hits) == (1, 1)
    assert again.equals(first) and not first.empty
    other = store.flows().filter(store.flows().year == 2021)
    store.execute(_kaz_exports(other))
    assert (queries.misses, queries.hits) == (2, 1)
    # a row limit is compiled every time, and not remembered
    store.backend.execute(_kaz_exports(store.flows()), limit=1)
    assert (queries.misses, queries.hits, len(queries)) == (2, 1, 2)


def test_remembered_sql_never_outlives_an_ingest(tmp_path):
    """A store's tables are new after an ingest: the same question reads the new files."""
    store = Store.open(tmp_path / "store")
    store.ingest([fx.write_release(tmp_path, "HS92")])
    before = store.execute(store.flows().count())
    store.ingest([fx.write_release(tmp_path, "HS22")])  # the other revision's release
    after = store.execute(store.flows().count())
    assert after == before + sum(len(f) for hs, f in fx.FLOWS.items() if hs == "HS22")
    assert store.backend.compiled_queries.misses == 2


def test_compiled_queries_keep_the_latest_only():
    backend = engines.duckdb_backend()
    queries = compiled.remember_compiled_sql(backend, size=2)
    import ibis

    t = ibis.memtable({"x": [1, 2, 3]})
    for n in (1, 2, 3, 1):
        backend.execute(t.filter(t.x >= n).count())
    assert len(queries) == 2 and queries.hits == 0 and queries.misses == 4
    assert backend.execute(t.filter(t.x >= 1).count()) == 3
    assert queries.hits == 1
