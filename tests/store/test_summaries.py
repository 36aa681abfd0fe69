"""The store's summaries: computed at ingest, rebuilt with a revision, equal to what the
indicators compute from the rows; every indicator that reads them gives the same answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import ibis
import pandas as pd
import pytest
from typer.testing import CliRunner

import bilateral
from bilateral.cli import app
from bilateral.engine import build_profile
from bilateral.indicators.flows import pair_totals, total_rows
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.partners import partner_ranking
from bilateral.indicators.specialisation import (
    country_product_sums,
    matrix_sums,
    rca,
    world_product_sums,
)
from bilateral.indicators.structure import group_values
from bilateral.store import Store
from bilateral.store.summaries import Summaries
from tests.conftest import shared, snapshot
from tests.fixtures_baci import write_release
from tests.flow_fixtures import all_flows
from tests.frames import normalised

WORKBOOK_2022 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls"
WORKBOOK_2023 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls"

#: Indicators that take the annual totals, as (rows only, with the totals).
WITH_TOTALS: dict[str, Callable[[ibis.Table, ibis.Table | None], ibis.Table]] = {
    "pair_totals": lambda t, s: pair_totals(t, "KAZ", "RUS", totals=s),
    "partner_ranking": lambda t, s: partner_ranking(t, "KAZ", totals=s),
    "partner_ranking_everyone": lambda t, s: partner_ranking(t, None, 2022, totals=s),
    "mirror_table": lambda t, s: mirror_table(t, "KAZ", "RUS", totals=s),
    "group_values": lambda t, s: group_values(t, "RUS", "KAZ", totals=s),
}


def _same(left: pd.DataFrame, right: pd.DataFrame, name: str = "") -> None:
    columns = sorted(left.columns)
    assert sorted(right.columns) == columns, name
    pd.testing.assert_frame_equal(
        normalised(left[columns], columns, columns),
        normalised(right[columns], columns, columns),
        check_dtype=False,
        rtol=1e-9,
        obj=name,
    )


def _records(profile) -> pd.DataFrame:
    return profile.to_pandas().assign(detail=lambda f: f.detail.astype(str))


@pytest.mark.parametrize("name", list(WITH_TOTALS))
def test_every_indicator_gives_the_same_rows_from_the_totals(duckdb_engine, name):
    flows = duckdb_engine.load("fixture", all_flows())
    indicator = WITH_TOTALS[name]
    from_rows = duckdb_engine.execute(indicator(flows, None))
    from_totals = duckdb_engine.execute(indicator(flows, total_rows(flows)))
    assert not from_rows.empty
    _same(from_rows, from_totals, name)


@pytest.mark.parametrize("level", ["subheading", "chapter"])
def test_matrix_sums_from_country_products_equal_a_pass_over_the_matrix(duckdb_engine, level):
    flows = duckdb_engine.load("fixture", all_flows())
    countries = ["KAZ", "RUS", "CHN"]
    from_rows = duckdb_engine.execute(matrix_sums(flows, countries, 2022, level=level))
    summary = country_product_sums(flows)
    from_summary = duckdb_engine.execute(
        matrix_sums(flows, countries, 2022, level=level, country_products=summary)
    )
    assert len(from_rows) > 10 and from_rows["KAZ_to_RUS"].notna().any()
    _same(from_rows, from_summary, level)
    # with the world's sums beside them, only the countries' rows are read
    from_both = duckdb_engine.execute(
        matrix_sums(
            flows,
            countries,
            2022,
            level=level,
            country_products=summary,
            world_products=world_product_sums(flows),
        )
    )
    _same(from_rows, from_both, f"{level}, with world product sums")


@pytest.mark.parametrize("level", ["subheading", "heading"])
def test_rca_from_country_products_equals_rca_from_the_matrix(duckdb_engine, level):
    flows = duckdb_engine.load("fixture", all_flows())
    summary = country_product_sums(flows)
    from_rows = duckdb_engine.execute(rca(flows, level=level))
    from_summary = duckdb_engine.execute(rca(flows, level=level, country_products=summary))
    assert len(from_rows) > 50
    _same(from_rows, from_summary, level)
    for_two = rca(flows, 2022, level=level, exporters=["KAZ", "RUS"], country_products=summary)
    expected = from_rows[(from_rows.year == 2022) & from_rows.exporter.isin(["KAZ", "RUS"])]
    _same(expected.reset_index(drop=True), duckdb_engine.execute(for_two), "two exporters")


def test_world_exports_are_the_sum_of_every_country_s_exports(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    summary = duckdb_engine.execute(country_product_sums(flows, 2021))
    matrix = all_flows()
    matrix = matrix[(matrix.source == "baci") & (matrix.year == 2021)]
    assert summary.exports_usd.sum() == pytest.approx(matrix.value_usd.sum(), rel=1e-12)
    assert summary.imports_usd.sum() == pytest.approx(matrix.value_usd.sum(), rel=1e-12)
    world = duckdb_engine.execute(world_product_sums(flows, 2021))
    assert world.exports_usd.sum() == pytest.approx(matrix.value_usd.sum(), rel=1e-12)
    per_product = summary.groupby("product").exports_usd.sum()
    assert world.set_index("product").exports_usd.to_dict() == pytest.approx(
        per_product.to_dict(), rel=1e-12
    )
    kaz = summary[summary.country == "KAZ"]
    assert kaz.imports_usd.sum() == pytest.approx(
        matrix[matrix.importer == "KAZ"].value_usd.sum(), rel=1e-12
    )


def test_a_profile_from_the_summaries_equals_one_from_the_rows(duckdb_engine):
    """(test_engines_agree runs the profile from the summaries on Spark.)"""
    backend = duckdb_engine
    flows = backend.load("fixture", all_flows())
    summaries = Summaries(total_rows(flows), country_product_sums(flows), world_product_sums(flows))
    from_rows = build_profile(flows, backend.execute, "KAZ", "RUS", 2022)
    from_summaries = build_profile(flows, backend.execute, "KAZ", "RUS", 2022, summaries=summaries)
    assert len(from_rows.records) > 100
    _same(_records(from_rows), _records(from_summaries))
    one_source = build_profile(flows, backend.execute, "KAZ", "RUS", 2022, "baci")
    one_from_summaries = build_profile(
        flows, backend.execute, "KAZ", "RUS", 2022, "baci", summaries=summaries
    )
    _same(_records(one_source), _records(one_from_summaries))


# ---------------------------------------------------------------- in the store


@pytest.fixture
def baci_zip(tmp_path: Path) -> Path:
    folder = tmp_path / "baci"
    folder.mkdir()
    return write_release(folder, "HS92")


def _summary_files(root: Path) -> list[str]:
    """The summary files of the store's catalogue (not those retired: see
    :mod:`bilateral.store.versions`), each of which is on disk."""
    on_disk = {str(p.relative_to(root)) for p in (root / "summaries").rglob("*.parquet")}
    catalogued = sorted(path for *_, path in Store.open(root)._summary_rows())
    assert set(catalogued) <= on_disk
    return catalogued


def _table(store: Store, table: ibis.Table) -> pd.DataFrame:
    return store.execute(table)


def test_ingest_writes_the_summaries_of_every_year(store_dir, baci_zip):
    store = Store.open(store_dir)
    store.ingest([baci_zip, shared("kz-bns", WORKBOOK_2022)])
    summaries = store.summaries()
    flows = store.flows()
    for kind, compute in (
        ("totals", total_rows),
        ("country_products", country_product_sums),
        ("world_products", world_product_sums),
    ):
        kept = getattr(summaries, kind)
        assert kept is not None, kind
        _same(_table(store, compute(flows)), _table(store, kept), kind)
    # a file per kind, source and year; world-matrix sums for BACI only
    files = _summary_files(store_dir)
    years = {(s, y) for s, y in store.holdings()[["source", "year"]].itertuples(index=False)}
    assert len([f for f in files if f.startswith("summaries/totals/")]) == len(years)
    matrix = [f for f in files if f.startswith("summaries/country_products/")]
    assert matrix and all(f.startswith("summaries/country_products/baci/") for f in matrix)


def test_a_revision_rebuilds_the_summary_of_the_year_it_repeats(store_dir):
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022)])
    before = _summary_files(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2023)])
    after = _summary_files(store_dir)
    totals = _table(store, store.summaries().totals)
    kaz_2022 = totals[(totals.year == 2022) & (totals.exporter == "RUS")]
    assert set(kaz_2022.release) == {"2023"}  # the revised figures, not the first ones
    _same(_table(store, total_rows(store.flows())), totals, "totals after the revision")
    # 2022's summary was rebuilt and its old file retired; 2021 (not in the 2023
    # workbook) kept its own; 2023 is new: one file per year
    folders = {f.rsplit("/", 1)[0]: f for f in after}
    assert len(after) == len(folders)
    old = {f.rsplit("/", 1)[0]: f for f in before}
    assert folders["summaries/totals/kz_bns/year=2021"] == old["summaries/totals/kz_bns/year=2021"]
    assert folders["summaries/totals/kz_bns/year=2022"] != old["summaries/totals/kz_bns/year=2022"]
    assert "summaries/totals/kz_bns/year=2023" in folders
    retired = {path for path, _ in Store.open(store_dir).version().retired}
    assert old["summaries/totals/kz_bns/year=2022"] in retired


def test_ingesting_the_same_file_again_leaves_the_summaries_alone(store_dir, baci_zip):
    store = Store.open(store_dir)
    store.ingest([baci_zip])
    before = snapshot(store_dir)
    assert [r.status for r in store.ingest([baci_zip])] == ["unchanged"]
    assert snapshot(store_dir) == before


def test_a_failed_summary_leaves_the_store_as_it_was(store_dir, baci_zip, monkeypatch):
    store = Store.open(store_dir)
    store.ingest([shared("kz-bns", WORKBOOK_2022)])
    before = snapshot(store_dir)

    def fail(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("bilateral.store.summaries.compute", fail)
    with pytest.raises(RuntimeError, match="out of memory"):
        store.ingest([baci_zip])
    assert snapshot(store_dir) == before
    assert [e.source for e in store.catalogue()] == ["kz_bns"]


def _as_before_summaries(store_dir: Path) -> None:
    """Make the store look written before summaries existed: no table, no files."""
    con = duckdb.connect(str(store_dir / "catalogue.duckdb"))
    con.execute("DROP TABLE summaries")
    con.close()
    for path in _summary_files(store_dir):
        (store_dir / path).unlink()


def test_a_store_without_summaries_answers_from_the_rows_until_summarised(store_dir, baci_zip):
    store = Store.open(store_dir)
    store.ingest([baci_zip])
    expected = _records(bilateral.profile(store, "KAZ", "RUS", 2022))
    _as_before_summaries(store_dir)
    old = Store.open(store_dir)
    assert old.summaries() == Summaries()
    _same(expected, _records(bilateral.profile(old, "KAZ", "RUS", 2022)), "from the rows")
    assert old.summarise() == 3 * len(old.years("baci"))  # totals, country and world products
    assert old.summarise() == 0
    assert old.summaries().totals is not None
    _same(expected, _records(bilateral.profile(old, "KAZ", "RUS", 2022)), "summarised again")


def test_the_summarise_command(store_dir, baci_zip):
    runner = CliRunner()
    store = ["--store", str(store_dir)]
    assert runner.invoke(app, [*store, "ingest", str(baci_zip)]).exit_code == 0
    _as_before_summaries(store_dir)
    result = runner.invoke(app, [*store, "summarise", "--format", "json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["summary_files_written"] == len(_summary_files(store_dir)) > 0
    again = runner.invoke(app, [*store, "summarise", "--format", "json"])
    assert json.loads(again.stdout)[0]["summary_files_written"] == 0


def test_a_table_of_some_years_opens_only_their_files(store_dir, baci_zip):
    store = Store.open(store_dir)
    store.ingest([baci_zip, shared("kz-bns", WORKBOOK_2022)])
    everything = store.execute(store.flows())
    one = store.execute(store.flows(years=[2022]))
    assert set(one.year) == {2022} and set(everything.year) > {2022}
    expected = everything[everything.year == 2022]
    assert len(one) == len(expected)
    assert one.value_usd.sum() == pytest.approx(expected.value_usd.sum(), rel=1e-12)
    assert store.execute(store.flows(years=[1990])).empty
    totals = store.summaries(years=[2022]).totals
    assert totals is not None and set(store.execute(totals).year) == {2022}
    # the profile reads the year and the one before only, with the same figures
    from_all = build_profile(store.flows(), store.execute, "KAZ", "RUS", 2022)
    _same(_records(from_all), _records(bilateral.profile(store, "KAZ", "RUS", 2022)), "two years")


def test_a_kind_of_summary_a_store_lacks_is_added_by_summarise(store_dir, baci_zip):
    """A store written when there were fewer kinds of summary gets the new kind alone."""
    store = Store.open(store_dir)
    store.ingest([baci_zip])
    expected = _records(bilateral.profile(store, "KAZ", "RUS", 2022))
    con = duckdb.connect(str(store_dir / "catalogue.duckdb"))
    con.execute("DELETE FROM summaries WHERE kind = 'world_products'")
    con.close()
    for path in _summary_files(store_dir):
        if path.startswith("summaries/world_products/"):
            (store_dir / path).unlink()
    old = Store.open(store_dir)
    assert old.summaries().world_products is None and old.summaries().totals is not None
    _same(expected, _records(bilateral.profile(old, "KAZ", "RUS", 2022)), "without world products")
    others = {p for p in _summary_files(store_dir)}
    assert old.summarise() == len(old.years("baci"))
    assert {p for p in _summary_files(store_dir)} - others == {
        p for p in _summary_files(store_dir) if p.startswith("summaries/world_products/")
    }
    assert others <= set(_summary_files(store_dir))  # the other kinds were left alone
    _same(
        expected,
        _records(bilateral.profile(Store.open(store_dir), "KAZ", "RUS", 2022)),
        "summarised",
    )
