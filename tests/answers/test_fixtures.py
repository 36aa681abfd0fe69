"""``series`` and ``partners`` on the small fixture tables (tests/flow_fixtures.py): a
reconciled source (BACI) beside Kazakhstan's and Russia's statistics, expected figures
computed from the fixture rows with plain Python."""

from __future__ import annotations

import ibis
import pytest

from bilateral.answers import partners, series
from tests.flow_fixtures import KZ_BNS, RU_FCS, all_flows, baci_rows


class FixtureStore:
    """The part of a Store the answers use, over the fixture rows in memory."""

    def __init__(self) -> None:
        self.table = ibis.memtable(all_flows())

    def flows(self, source=None, *, years=None):
        table = self.table
        if years is not None:
            table = table.filter(table.year.isin(list(years)))
        return table.filter(table.source == source) if source else table

    def totals(self, source=None):
        return None  # no summaries: totals are computed from the rows

    def execute(self, expr):
        return expr.to_pandas()

    def sources(self):
        return sorted(set(all_flows()["source"]))

    def catalogue(self):
        return []


@pytest.fixture(scope="module")
def store():
    return FixtureStore()


def baci_exports(exporter: str, importer: str, year: int) -> float:
    """BACI's total: the sum of the year's HS92 6-digit rows (its earliest revision)."""
    return sum(
        r["value_usd"]
        for r in baci_rows()
        if (r["exporter"], r["importer"], r["year"], r["classification"])
        == (exporter, importer, year, "HS92")
    )


def test_series_puts_own_mirror_and_reconciled_side_by_side(store):
    result = series(store, "KAZ", "RUS", flow="exports")
    assert [(v.key, v.side) for v in result.views] == [
        ("kz_bns:KAZ", "own"),
        ("ru_fcs:RUS", "mirror"),
        ("baci:reconciled", "reconciled"),
    ]
    own = {year: table["RUS"][0] * 1e6 for year, table in KZ_BNS.items()}
    assert result.values("kz_bns:KAZ") == pytest.approx(own)
    assert result.values("ru_fcs:RUS") == pytest.approx({2021: RU_FCS[2021]["KAZ"][1] * 1e6})
    baci = {year: baci_exports("KAZ", "RUS", year) for year in (2020, 2021, 2022)}
    assert result.values("baci:reconciled") == pytest.approx(baci)


def test_series_gaps_from_kazakhstan_s_own_statistics(store):
    rows = {(r["view"], r["year"]): r for r in series(store, "KAZ", "RUS", flow="exports").rows()}
    mirror = rows["ru_fcs:RUS", 2021]
    assert mirror["gap_usd"] == pytest.approx((7_400.0 - 7_000.0) * 1e6)
    assert mirror["gap_pct"] == pytest.approx(400.0 / 7_000.0 * 100)
    assert mirror["gap_reason"] == "mirror statistics; CIF/FOB: RUS values these goods CIF, KAZ FOB"
    reconciled = rows["baci:reconciled", 2022]
    assert reconciled["gap_usd"] == pytest.approx(baci_exports("KAZ", "RUS", 2022) - 9_100e6)
    assert reconciled["gap_reason"] == (
        "BACI reconciles both countries' reports (imports brought to FOB); "
        "coverage: baci 'HS92 6-digit sum', kz_bns 'TOTAL'"
    )
    assert rows["baci:reconciled", 2020]["gap_usd"] is None  # no KAZ figure that year
    assert rows["kz_bns:KAZ", 2022]["growth_pct"] == pytest.approx((9_100 / 7_000 - 1) * 100)


def test_partners_rank_change_shares_and_aggregates_apart(store):
    result = partners(store, "KAZ", 2022, flow="exports")
    own = {r["partner"]: r for r in result.rows() if r["source"] == "kz_bns"}
    # exports 2022: CHN 13,200, RUS 9,100, TUR 4,000, UZB 2,900 ... of a WLD row of 84,600
    assert [p for p in own if own[p]["kind"] == "country"][:4] == ["CHN", "RUS", "TUR", "UZB"]
    assert own["RUS"]["share"] == pytest.approx(9_100 / 84_600 * 100)
    # 2021: CHN 11,300, RUS 7,000, UZB 2,300, TUR 2,200: Türkiye moves from 4th to 3rd
    assert (own["TUR"]["previous_rank"], own["TUR"]["rank"], own["TUR"]["rank_change"]) == (
        4, 3, 1
    )  # fmt: skip
    for code, value in (("WLD", 84_600), ("CIS", 15_000), ("EU27", 33_000)):
        assert own[code]["kind"] != "country" and own[code]["rank"] is None
        assert own[code]["share"] == pytest.approx(value / 84_600 * 100)
    assert own["CIS"]["growth_pct"] == pytest.approx((15_000 / 11_900 - 1) * 100)
    assert {t.source for t in result.tables} == {"kz_bns", "baci"}
