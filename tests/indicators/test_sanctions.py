"""Sanctions indicators on small canonical tables, on DuckDB and on Spark, against pandas."""

from __future__ import annotations

import ibis
import pandas as pd
import pytest

from bilateral.backends import engines
from bilateral.indicators import sanctions
from bilateral.reference.list_matching import match_list
from bilateral.reference.lists import ListEntry, ProductList
from bilateral.schema import flow_table

LISTED = ProductList(
    "test",
    "test list",
    (ListEntry("87032210", "CN8", "A"), ListEntry("8471", "HS4", "B")),
)


def comext_rows() -> pd.DataFrame:
    """EU exports to KAZ and RUS: two listed CN8 codes, one unlisted, and the totals."""
    rows = []
    jan21, feb21, jan22, feb22 = (2021, 1), (2021, 2), (2022, 1), (2022, 2)
    values = {  # (exporter, importer, product): value per (year, month)
        ("DEU", "KAZ", "87032210"): {jan21: 10, feb21: 30, jan22: 50, feb22: 70},
        ("FRA", "KAZ", "84713000"): {jan21: 5, feb22: 15},
        ("DEU", "KAZ", "39173200"): {jan21: 100, jan22: 90},
        ("DEU", "KAZ", "TOTAL"): {jan21: 1e3, feb21: 1.1e3, jan22: 1.5e3, feb22: 1.6e3},
        ("FRA", "KAZ", "TOTAL"): {jan21: 200, feb21: 100, jan22: 300, feb22: 400},
        ("DEU", "RUS", "87032210"): {jan21: 400, feb21: 600, jan22: 100, feb22: 0},
        ("DEU", "RUS", "TOTAL"): {jan21: 4e3, feb21: 4.2e3, jan22: 3e3, feb22: 2.5e3},
    }  # fmt: skip
    for (exporter, importer, product), series in values.items():
        for (year, month), value in series.items():
            rows.append(
                {
                    "source": "comext_cn8",
                    "release": "2023-01-13",
                    "year": year,
                    "month": month,
                    "exporter": exporter,
                    "importer": importer,
                    "reported_by": "exporter",
                    "classification": "TOTAL" if product == "TOTAL" else "CN8",
                    "product": product,
                    "value_usd": float(value),
                    "valuation": "FOB",
                }
            )
    # An HS4 row overlapping the CN8 row: never summed with it.
    rows.append({**rows[0], "classification": "HS4", "product": "8703", "value_usd": 999.0})
    return pd.DataFrame(rows)


@pytest.fixture(
    scope="module",
    params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)],
)
def backend(request):
    return engines.connect(request.param)


@pytest.fixture(scope="module")
def comext(backend):
    frame = comext_rows()
    products = frame[frame.classification == "CN8"][["classification", "product", "year"]]
    match = match_list(LISTED, products.itertuples(index=False, name=None))
    return frame, ibis.memtable(flow_table(frame.to_dict("records"))), ibis.memtable(match.table)


def listed_mask(frame: pd.DataFrame) -> pd.Series:
    return (frame.classification == "CN8") & (
        (frame["product"] == "87032210") | frame["product"].str.startswith("8471")
    )


def test_exposure_by_tier(backend, comext):
    frame, flows, matches = comext
    result = backend.execute(sanctions.exposure(flows, matches, detail="CN8"))
    kaz = result[result.importer == "KAZ"].set_index("tier")
    total = frame[(frame.importer == "KAZ") & (frame.classification == "TOTAL")].value_usd.sum()
    listed = frame[(frame.importer == "KAZ") & listed_mask(frame)]
    tier_a = listed[listed["product"] == "87032210"].value_usd.sum()
    assert kaz.loc["A", "share_pct"] == pytest.approx(100 * tier_a / total)
    assert kaz.loc["all", "listed"] == pytest.approx(listed.value_usd.sum())
    assert kaz.loc["all", "total"] == pytest.approx(total)
    assert set(result[result.importer == "RUS"].tier) == {"A", "all"}  # no tier B rows: none


def test_change_of_listed_and_other_goods(backend, comext):
    frame, flows, matches = comext
    result = backend.execute(
        sanctions.listed_vs_other_change(
            flows, matches, detail="CN8", base_year=2021, current_year=2022, months=[1, 2]
        )
    ).set_index("importer")
    for importer in ("KAZ", "RUS"):
        rows = frame[frame.importer == importer]
        sums = {}
        for year in (2021, 2022):
            listed = rows[listed_mask(rows) & (rows.year == year)].value_usd.sum()
            total = rows[(rows.classification == "TOTAL") & (rows.year == year)].value_usd.sum()
            sums[year] = (listed, total - listed)
        listed_change = 100 * (sums[2022][0] / sums[2021][0] - 1)
        other_change = 100 * (sums[2022][1] / sums[2021][1] - 1)
        got = result.loc[importer]
        assert got.listed_change_pct == pytest.approx(listed_change)
        assert got.other_change_pct == pytest.approx(other_change)
        assert got.gap_pp == pytest.approx(listed_change - other_change)
    assert result.loc["RUS"].gap_pp < 0 < result.loc["KAZ"].gap_pp


def test_change_uses_only_the_months_asked(backend, comext):
    _, flows, matches = comext
    january = backend.execute(
        sanctions.listed_vs_other_change(
            flows, matches, detail="CN8", base_year=2021, current_year=2022, months=[1]
        )
    ).set_index("importer")
    assert january.loc["RUS"].listed_base == pytest.approx(400.0)
    assert january.loc["RUS"].listed_current == pytest.approx(100.0)


def test_monthly_index(backend, comext):
    frame, flows, matches = comext
    result = backend.execute(sanctions.monthly_index(flows, matches, detail="CN8", base_year=2021))
    rus = result[result.importer == "RUS"].set_index(["year", "month"])
    base_listed = (400 + 600) / 2
    base_other = ((4000 - 400) + (4200 - 600)) / 2
    assert rus.loc[(2022, 1), "listed_index"] == pytest.approx(100 * 100 / base_listed)
    assert rus.loc[(2022, 2), "listed_index"] == pytest.approx(0.0)
    assert rus.loc[(2022, 2), "other_index"] == pytest.approx(100 * 2500 / base_other)
    assert rus.loc[[(2021, 1), (2021, 2)], "listed_index"].mean() == pytest.approx(100.0)


def hub_rows() -> list[dict[str, object]]:
    """Armenia as it reports cars (HS 8703): imports from the EU, exports to Russia."""
    base = {"source": "comtrade", "release": "2024", "classification": "H5", "product": "8703"}
    rows = []
    for year, month, mode, partner, flow, value, units in [
        (2021, 1, "Road", "DEU", "import", 1_000_000, 50),
        (2021, 1, "Sea", "DEU", "import", 500_000, 20),
        (2021, 3, "Road", "FRA", "import", 200_000, 10),
        (2021, 2, "Road", "RUS", "export", 100_000, 5),
        (2022, 5, "Road", "DEU", "import", 4_000_000, 150),
        (2022, 5, "Self propelled goods", "RUS", "export", 3_000_000, 120),
        (2022, 6, "Road", "RUS", "export", 500_000, 20),
        (2022, 6, "Road", "USA", "import", 9_000_000, 300),  # not from the EU
    ]:
        exporter, importer = (partner, "ARM") if flow == "import" else ("ARM", partner)
        rows.append(
            {**base, "year": year, "month": month, "transport_mode": mode, "exporter": exporter,
             "importer": importer, "reported_by": "importer" if flow == "import" else "exporter",
             "value_usd": float(value), "quantity": float(units), "quantity_unit": "u"}
        )  # fmt: skip
    # Rows that must not count: an HS6 row inside the heading, Russia's mirror figure.
    rows.append({**rows[4], "product": "870323", "value_usd": 7.0})
    rows.append({**rows[5], "reported_by": "importer", "value_usd": 11.0})
    return rows


def test_reexport_signal_sums_modes_and_keeps_legs_apart(backend):
    flows = ibis.memtable(flow_table(hub_rows()))
    result = backend.execute(
        sanctions.reexport_signal(
            flows, hub="ARM", origins=["DEU", "FRA"], destination="RUS", product="8703"
        )
    ).set_index("year")
    assert result.loc[2021, "inbound"] == pytest.approx(1_700_000)
    assert result.loc[2021, "outbound"] == pytest.approx(100_000)
    assert result.loc[2022, "inbound"] == pytest.approx(4_000_000)
    assert result.loc[2022, "outbound"] == pytest.approx(3_500_000)
    assert result.loc[2022, "outbound_qty"] == pytest.approx(140)
    assert result.loc[2022, "outbound_to_inbound"] == pytest.approx(3_500_000 / 4_000_000)


def test_reexport_signal_leaves_a_missing_leg_unknown(backend):
    rows = [r for r in hub_rows() if not (r["year"] == 2021 and r["exporter"] == "ARM")]
    result = backend.execute(
        sanctions.reexport_signal(
            ibis.memtable(flow_table(rows)),
            hub="ARM",
            origins=["DEU", "FRA"],
            destination="RUS",
            product="8703",
        )
    ).set_index("year")
    assert pd.isna(result.loc[2021, "outbound"]) and pd.isna(
        result.loc[2021, "outbound_to_inbound"]
    )
