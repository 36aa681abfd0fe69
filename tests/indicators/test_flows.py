"""Flows between two countries: totals per source and statistics, growth, CAGR."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bilateral.indicators.flows import cagr, growth, pair_flows, pair_totals, total_rows
from bilateral.indicators.rows import annual, product_rows
from bilateral.schema import flow_table
from tests.flow_fixtures import all_flows
from tests.frames import assert_same

CASES = Path(__file__).parents[1] / "cases"


def expected_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Annual totals computed by hand: TOTAL rows; BACI as the sum of its HS92 rows (the
    earliest revision of each year); monthly rows only for complete years."""
    annual = frame[frame.month.isna()]
    totals = annual[annual.classification == "TOTAL"]
    baci = annual[(annual.source == "baci") & (annual.classification == "HS92")]
    baci = baci.groupby(["source", "year", "exporter", "importer", "reported_by"], as_index=False)[
        "value_usd"
    ].sum()
    monthly = frame[frame.month.notna()]
    months = monthly.groupby(["source", "year", "exporter", "importer", "reported_by"])
    complete = months.filter(lambda g: g.month.nunique() == 12)
    complete = complete.groupby(
        ["source", "year", "exporter", "importer", "reported_by"], as_index=False
    )["value_usd"].sum()
    return pd.concat([totals, baci, complete], ignore_index=True)


def whose(row: pd.Series) -> str:
    return {"exporter": row.exporter, "importer": row.importer}.get(
        row.reported_by, row.reported_by
    )


def expected_pair_totals(a: str, b: str) -> pd.DataFrame:
    totals = expected_totals(all_flows())
    pair = totals[
        ((totals.exporter == a) & (totals.importer == b))
        | ((totals.exporter == b) & (totals.importer == a))
    ].copy()
    pair["statistics_of"] = pair.apply(whose, axis=1)
    pair["flow"] = np.where(pair.exporter == a, "exports", "imports")
    wide = pair.pivot_table(
        index=["source", "statistics_of", "year"], columns="flow", values="value_usd", aggfunc="sum"
    ).reset_index()
    for flow in ("exports", "imports"):
        if flow not in wide:
            wide[flow] = np.nan
    wide["turnover"] = wide.exports + wide.imports  # NaN when either is missing
    wide["balance"] = wide.exports - wide.imports
    return wide


@pytest.mark.parametrize(
    ("a", "b"), [("KAZ", "RUS"), ("RUS", "KAZ"), ("DEU", "KAZ"), ("CHN", "TUR")]
)
def test_pair_totals_match_a_hand_computation(backend, a, b):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(pair_totals(flows, a, b))
    expected = expected_pair_totals(a, b)
    assert_same(
        actual,
        expected,
        keys=["source", "statistics_of", "year"],
        columns=["source", "statistics_of", "year", "exports", "imports", "turnover", "balance"],
    )


def test_totals_say_where_they_come_from(backend):
    flows = backend.load("fixture", all_flows())
    t = total_rows(flows)
    frame = backend.execute(t.select("source", "basis").distinct())
    assert dict(frame.itertuples(index=False)) == {
        "baci": "HS92 6-digit sum",  # the earliest revision, also in 2022 when HS22 is there
        "kz_bns": "TOTAL",
        "ru_fcs": "TOTAL",
        "eurostat": "TOTAL, sum of 12 months",  # the complete year only
    }  # faostat: agricultural items are no total, so no row at all


# turnover_sides.csv: one pair, four sources; which figures make a turnover.
@pytest.mark.parametrize(
    ("source", "statistics_of", "exports", "imports", "turnover"),
    [
        pytest.param("own", "KAZ", 10.0, 30.0, 40.0, id="both-flows-from-a-own-statistics"),
        pytest.param("mixed", "KAZ", 10.0, None, None, id="exports-from-a-imports-from-b"),
        pytest.param("mixed", "RUS", None, 31.0, None, id="the-other-half-of-mixed"),
        pytest.param("blank", "KAZ", 10.0, None, None, id="imports-value-unknown"),
        pytest.param("reconciled", "reconciled", 11.0, 29.0, 40.0, id="reconciled"),
    ],
)
def test_turnover_only_from_one_source_and_one_side(
    backend, source, statistics_of, exports, imports, turnover
):
    cases = pd.read_csv(CASES / "turnover_sides.csv", comment="#")
    flows = backend.load("turnover_sides", cases)
    frame = backend.execute(pair_totals(flows, "KAZ", "RUS"))
    row = frame[(frame.source == source) & (frame.statistics_of == statistics_of)]
    assert len(row) == 1
    for column, value in (("exports", exports), ("imports", imports), ("turnover", turnover)):
        got = row[column].item()
        assert (pd.isna(got) and value is None) or got == value, column


def test_pair_flows_label_exports_and_imports_from_the_first_country(backend):
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(pair_flows(flows, "KAZ", "RUS"))
    bns = frame[(frame.source == "kz_bns") & (frame.year == 2022)].set_index("flow")
    assert bns.loc["exports", ["exporter", "importer", "reported_by", "valuation"]].tolist() == [
        "KAZ",
        "RUS",
        "exporter",
        "FOB",
    ]
    assert bns.loc["imports", ["exporter", "importer", "reported_by", "valuation"]].tolist() == [
        "RUS",
        "KAZ",
        "importer",
        "CIF",
    ]


def test_a_pair_needs_two_countries():
    with pytest.raises(ValueError, match="two different countries; got KAZ twice"):
        pair_flows(None, "KAZ", "KAZ")  # type: ignore[arg-type]


def test_growth_compares_consecutive_years_of_the_same_statistics(backend):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(growth(pair_totals(flows, "KAZ", "RUS")))
    expected = expected_pair_totals("KAZ", "RUS").sort_values("year")
    parts = []
    for _, group in expected.groupby(["source", "statistics_of"]):
        group = group.copy()
        consecutive = group.year.diff() == 1
        for column in ("exports", "imports", "turnover"):
            previous = group[column].shift().where(consecutive)
            group[f"{column}_growth"] = 100 * (group[column] / previous - 1)
        parts.append(group)
    expected = pd.concat(parts)
    columns = [
        "source",
        "statistics_of",
        "year",
        "exports_growth",
        "imports_growth",
        "turnover_growth",
    ]
    assert_same(actual, expected, ["source", "statistics_of", "year"], columns)
    bns_2022 = actual[(actual.source == "kz_bns") & (actual.year == 2022)]
    assert bns_2022.turnover_growth.item() == pytest.approx(100 * (27_000 / 24_600 - 1))


def test_cagr(backend):
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(cagr(pair_totals(flows, "KAZ", "RUS"), 2021, 2023))
    bns = frame[frame.source == "kz_bns"]
    assert bns.cagr.item() == pytest.approx(100 * ((27_000 / 24_600) ** 0.5 - 1))
    # BACI stops in 2022: no end value, so no rate (unknown, not -100%).
    assert frame[frame.source == "baci"].cagr.isna().all()


def test_cagr_needs_a_range():
    with pytest.raises(ValueError, match="end year after the start year; got 2022-2022"):
        cagr(None, 2022, 2022)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("year", "value"),
    [
        pytest.param(2021, 15.0, id="all-modes-total-printed"),
        pytest.param(2022, 5.0, id="sum-of-modes"),
        pytest.param(2023, None, id="a-mode-unknown"),
    ],
)
def test_modes_of_transport_count_once(backend, year, value):
    cases = pd.read_csv(CASES / "transport_modes.csv", comment="#", dtype={"product": str})
    flows = backend.load("transport_modes", cases)
    rows = product_rows(annual(flows), "cars")
    frame = backend.execute(rows.filter(rows.year == year))
    assert len(frame) == 1
    got = frame.value_usd.item()
    assert (value is None and pd.isna(got)) or got == value


def test_an_annual_row_wins_over_its_months_even_without_a_valuation(duckdb_engine):
    base = dict(
        source="s", release="1", year=2022, exporter="KAZ", importer="RUS",
        reported_by="exporter", classification="TOTAL", product="TOTAL", valuation=None,
    )  # fmt: skip
    rows = [dict(base, value_usd=120.0)]
    rows += [dict(base, month=m, value_usd=10.0) for m in range(1, 13)]
    flows = duckdb_engine.load("annual_and_months", flow_table(rows, file_sha256="x"))
    result = duckdb_engine.execute(annual(flows))
    assert result[["value_usd", "months"]].to_dict("records") == [{"value_usd": 120.0, "months": 0}]
