"""Indicators on the published files in ../shared/data: Kazakhstan's BNS workbooks, Russia's
FCS 94itog.xlsx and the FAOSTAT trade matrix for Kazakhstan.

Expected values are read from the same files in the test (printed cells, the CSV), never
typed in; where the issue states a rounded figure (+9.5%, 26.97 bn, 19.90%) the test also
checks our number rounds to it.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from bilateral.engine import CORE_NAMES, build_profile
from bilateral.indicators.dependence import supplier_shares
from bilateral.indicators.flows import growth, pair_totals
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.partners import partner_rank, partner_ranking
from bilateral.sources.kz_bns import BnsSheet, KzBnsReader, parse_workbook
from bilateral.sources.ru_fcs import RuFcsReader
from bilateral.store import Store
from tests.conftest import shared

pytestmark = pytest.mark.shared_data

WORKBOOK = {
    2019: "bns_osnovnye_pokazateli_vneshney_torgovli_2019.xls",
    2020: "bns_osnovnye_pokazateli_vneshney_torgovli_2020.xls",
    2021: "bns_osnovnye_pokazateli_vneshney_torgovli_2021.xls",
    2022: "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls",
    2023: "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("published") / "store")
    store.ingest(
        [shared("kz-bns"), shared("ru-fcs", "94itog.xlsx"), shared("faostat", "KAZ_faostattm.csv")]
    )
    return store


def printed_sheet(year: int, publication: int | None = None) -> BnsSheet:
    """The year's table as printed in a publication (default: the latest that holds it)."""
    publication = publication or (year + 1 if year + 1 in WORKBOOK else year)
    sheets = parse_workbook(shared("kz-bns", WORKBOOK[publication]))
    return next(s for s in sheets if s.year == year)


def printed_row(year: int, code: str, publication: int | None = None):
    return next(r for r in printed_sheet(year, publication).rows if r.code == code)


def test_turnover_growth_2022_over_the_revised_2021(store):
    """2022 turnover (2023 workbook, sheet '2022', row 'Россия', column B) over 2021 turnover
    as revised in the 2022 workbook (sheet '2021', row 'Россия')."""
    frame = store.execute(growth(pair_totals(store.flows("kz_bns"), "KAZ", "RUS")))
    row = frame[frame.year == 2022].iloc[0]
    later = printed_row(2022, "RUS", publication=2023).turnover
    revised = printed_row(2021, "RUS", publication=2022).turnover
    assert row.turnover_growth == pytest.approx(100 * (later / revised - 1), rel=1e-12)
    assert round(row.turnover_growth, 1) == 9.5
    assert frame[frame.year == 2021].release.item() == "2022"  # the revised figure


def test_kazakhstan_russia_turnover_2022(store):
    frame = store.execute(pair_totals(store.flows("kz_bns"), "KAZ", "RUS"))
    row = frame[frame.year == 2022].iloc[0]
    printed = printed_row(2022, "RUS")
    assert row.turnover == pytest.approx(printed.turnover * 1000, rel=1e-12)
    assert row.exports == pytest.approx(printed.exports * 1000, rel=1e-12)
    assert row.imports == pytest.approx(printed.imports * 1000, rel=1e-12)
    assert f"{row.turnover / 1e9:.2f}" == "26.97"
    assert (row.reported_by_exports, row.reported_by_imports) == ("exporter", "importer")


@pytest.mark.parametrize(
    ("year", "flow", "rank", "above"),
    [
        pytest.param(2022, "turnover", 1, None, id="2022-turnover-first"),
        pytest.param(2022, "imports", 1, None, id="2022-imports-first"),
        pytest.param(2022, "exports", 3, None, id="2022-exports-third"),
        pytest.param(2023, "turnover", 2, "CHN", id="2023-turnover-second-behind-china"),
    ],
)
def test_russia_among_kazakhstan_partners(store, year, flow, rank, above):
    frame = store.execute(partner_rank(store.flows("kz_bns"), "KAZ", "RUS", year))
    row = frame[frame.flow == flow].iloc[0]
    assert row["rank"] == rank
    if above:
        assert row.partner_above == above
        # "only slightly inferior to China": the gap, in percent of China's turnover
        china = printed_row(year, "CHN").turnover
        russia = printed_row(year, "RUS").turnover
        assert row.gap_above_pct == pytest.approx(100 * (china - russia) / china, rel=1e-9)


def test_russia_share_of_kazakhstan_trade_2022(store):
    frame = store.execute(partner_rank(store.flows("kz_bns"), "KAZ", "RUS", 2022))
    share = frame[frame.flow == "turnover"].share.item()
    assert share == pytest.approx(printed_row(2022, "RUS").turnover_share, abs=5e-6)
    assert f"{share:.2f}" == "19.90"


@pytest.mark.parametrize("year", [2022, 2023])
@pytest.mark.parametrize("flow", ["turnover", "exports", "imports"])
def test_ranking_follows_the_printed_values(store, year, flow):
    """Every partner's rank equals its place among the printed values of that column."""
    frame = store.execute(partner_ranking(store.flows("kz_bns"), "KAZ", year))
    ours = frame[frame.flow == flow].set_index("partner")["rank"].to_dict()
    rows = [r for r in printed_sheet(year).rows if not r.is_aggregate and getattr(r, flow)]
    values = sorted((getattr(r, flow) for r in rows), reverse=True)
    expected = {r.code: values.index(getattr(r, flow)) + 1 for r in rows}
    assert ours == expected


def _decimals(share: float) -> int:
    return max(0, -Decimal(repr(share)).normalize().as_tuple().exponent)


def _sheet_decimals(sheet: BnsSheet) -> int:
    """The precision a sheet prints its shares at: the commonest number of decimals
    (2018: one; 2019-2023: five). A few 2018 cells carry more (Pakistan 0.00375)."""
    counts = Counter(
        _decimals(s)
        for r in sheet.rows
        for s in (r.turnover_share, r.exports_share, r.imports_share)
        if s is not None and s != int(s)
    )
    return counts.most_common(1)[0][0]


@pytest.mark.parametrize("path", sorted(shared("kz-bns").glob("*.xls")), ids=lambda p: p.stem[-4:])
def test_shares_equal_the_printed_shares(duckdb_engine, path: Path):
    """Every partner, both years of every publication, read from that publication alone.

    Shares are compared at 3 decimals where BNS prints 5 (2019-2023), and at the printed
    precision of 1 decimal in the 2018 sheet (3 decimals for its few cells printed with
    more). A blank share (BNS leaves tiny ones out) must round to zero at the sheet's
    printed precision.
    """
    table = KzBnsReader().read(path, "sha").table
    flows = duckdb_engine.backend.create_table(f"bns_{path.stem[-4:]}", table, overwrite=True)
    ranking = duckdb_engine.execute(partner_ranking(flows, "KAZ"))
    ours = {(r.year, r.flow, r.partner): r.share for r in ranking.itertuples()}
    compared = 0
    for sheet in parse_workbook(path):
        decimals = _sheet_decimals(sheet)
        for row in sheet.rows:
            if row.is_aggregate or row.code == "KAZ":
                continue
            for flow in ("turnover", "exports", "imports"):
                printed = getattr(row, f"{flow}_share")
                share = ours.get((sheet.year, flow, row.code))
                if printed is None:
                    assert share is None or share < 0.5 * 10**-decimals, (sheet.year, row.name)
                    continue
                precision = min(3, max(decimals, _decimals(printed)))
                tolerance = 0.5 * 10**-precision
                assert share == pytest.approx(printed, abs=tolerance), (sheet.year, flow, row.name)
                compared += 1
    assert compared > 500


def test_mirror_kazakhstan_russia_2019_2021(store):
    """Each flow as BNS and as FCS report it (FCS: 94itog.xlsx), and the gaps."""
    frame = store.execute(mirror_table(store.flows(), "KAZ", "RUS"))
    fcs = RuFcsReader().read(shared("ru-fcs", "94itog.xlsx"), "sha").table.to_pandas()
    fcs = fcs[fcs.month.isna()]
    for year in (2019, 2020, 2021):
        bns = printed_row(year, "RUS")
        for flow, exporter, importer, bns_value in (
            ("exports", "KAZ", "RUS", bns.exports),
            ("imports", "RUS", "KAZ", bns.imports),
        ):
            row = frame[(frame.year == year) & (frame.flow == flow)]
            assert len(row) == 1, (year, flow)
            row = row.iloc[0]
            fcs_value = fcs[
                (fcs.year == year) & (fcs.exporter == exporter) & (fcs.importer == importer)
            ]
            fcs_value = fcs_value.value_usd.item()
            if flow == "exports":  # Kazakhstan's exports: BNS as exporter, FCS as importer
                assert (row.by_exporter_source, row.by_importer_source) == ("kz_bns", "ru_fcs")
                by_exporter, by_importer = bns_value * 1000, fcs_value
            else:
                assert (row.by_exporter_source, row.by_importer_source) == ("ru_fcs", "kz_bns")
                by_exporter, by_importer = fcs_value, bns_value * 1000
            assert row.by_exporter_value_usd == pytest.approx(by_exporter, rel=1e-12)
            assert row.by_importer_value_usd == pytest.approx(by_importer, rel=1e-12)
            assert row.gap_usd == pytest.approx(by_importer - by_exporter, rel=1e-9)
            assert row.gap_pct == pytest.approx(100 * (by_importer / by_exporter - 1), rel=1e-9)
            assert row.cif_fob_expected == (by_importer >= by_exporter)


def faostat_imports(*items: str) -> dict[int, dict[str, float]]:
    """Kazakhstan's imports of items by year and supplier, thousand USD, from the CSV."""
    found: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    with open(shared("faostat", "KAZ_faostattm.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["Item"] in items and row["Element"] == "Import value":
                found[int(row["Year"])][row["ISOP"]] += float(row["value"])
    return found


def test_russia_share_of_kazakhstan_wheat_imports(store):
    frame = store.execute(supplier_shares(store.flows("faostat"), "KAZ", "wheat"))
    russia = frame[frame.partner == "RUS"].set_index("year")
    expected = {
        year: 100 * suppliers["RUS"] / sum(suppliers.values())
        # HS 1001 is wheat and meslin: FAO's Wheat and Mixed grain (issue 19)
        for year, suppliers in faostat_imports("Wheat", "Mixed grain").items()
        if "RUS" in suppliers
    }
    assert russia.share.to_dict() == pytest.approx(expected)
    assert russia.loc[2022, "share"] == 100.0  # the only supplier the extract lists
    assert russia.caveat.str.contains("at least a 5% share").all()
    assert set(frame.classification) == {"FAO"}


def test_profile_from_the_published_files(store):
    profile = build_profile(store.flows(), store.execute, "Kazakhstan", "Россия", 2022)
    assert (profile.reporter, profile.partner) == ("KAZ", "RUS")
    for name in CORE_NAMES:
        assert profile.find(name, source="kz_bns"), name
    printed = printed_row(2022, "RUS")
    assert profile.value("turnover", source="kz_bns") == pytest.approx(printed.turnover * 1000)
    assert profile.value("partner_share_turnover", source="kz_bns") == pytest.approx(
        printed.turnover_share, abs=5e-6
    )
    assert profile.value("partner_rank_exports", source="kz_bns") == 3
    # Russia published no partner detail for 2022: said so, no number from elsewhere
    fcs = profile.find("turnover", source="ru_fcs")
    assert [r.value for r in fcs] == [None]
    assert fcs[0].note == "not available in ru_fcs: it holds 1994-2021, not 2022"
    wheat = profile.find("supplier_share", source="faostat", group="wheat")
    assert [r.value for r in wheat] == [100.0]
    assert "at least a 5% share" in wheat[0].detail["caveat"]
    assert profile.find("turnover", source="faostat")[0].note.startswith("not available in faostat")


def test_every_indicator_runs_on_an_empty_year(store):
    """1990: nothing in the store; the profile says so for every source instead of failing."""
    profile = build_profile(store.flows(), store.execute, "KAZ", "RUS", 1990)
    assert all(r.value is None for r in profile.records if r.name in CORE_NAMES)
    notes = {r.note for r in profile.find("turnover")}
    assert "not available in kz_bns: it holds 2018-2023, not 1990" in notes
