"""The November 2023 article checked against the published data (issue 4, acceptance).

The store holds the five BNS workbooks (../shared/data/kz-bns) and the FAOSTAT trade
matrix (../shared/data/faostat). For every trade claim the test states the figure an
analyst would use and where it is printed, reads that cell or line itself (python-calamine
for the workbooks, the csv module for FAOSTAT), and checks both the verdict and the
evidence the checker reports against it.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from bilateral.claims import check_text
from bilateral.reference.countries import countries
from bilateral.store import Store
from tests.conftest import shared

pytestmark = pytest.mark.shared_data

BNS_2022 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls"
BNS_2023 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls"
COLUMNS = {"turnover": 1, "exports": 3, "imports": 5}  # B, D, F: thousand USD


@cache
def sheet(workbook: str, name: str) -> list[list[object]]:
    return (
        CalamineWorkbook.from_path(str(shared("kz-bns", workbook)))
        .get_sheet_by_name(name)
        .to_python()
    )


def cell(workbook: str, name: str, row: int, flow: str) -> float:
    """A value as printed, in USD (the workbooks print thousand USD); ``row`` is 1-based."""
    return float(sheet(workbook, name)[row - 1][COLUMNS[flow]]) * 1000  # type: ignore[arg-type]


def rank_of(workbook: str, name: str, partner_name: str, flow: str) -> int:
    """Russia's rank among the partner countries printed on the sheet (aggregates skipped)."""
    values = {}
    for row in sheet(workbook, name):
        country = countries().find(str(row[0]).strip()) if row and row[0] else None
        if (
            country is not None
            and not country.is_aggregate
            and isinstance(row[COLUMNS[flow]], float)
        ):
            values[str(row[0]).strip()] = row[COLUMNS[flow]]
    ranked = sorted(values, key=lambda n: -values[n])  # type: ignore[arg-type, operator]
    return ranked.index(partner_name) + 1


@cache
def faostat_rows() -> list[dict[str, str]]:
    with open(shared("faostat", "KAZ_faostattm.csv"), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def faostat(
    element: str, year: int, item: str | None = None, partner: str | None = None
) -> list[dict[str, str]]:
    return [
        r
        for r in faostat_rows()
        if r["Element"] == element
        and int(r["Year"]) == year
        and (item is None or r["Item"] == item)
        and (partner is None or r["ISOP"] == partner)
    ]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("store"))
    store.ingest([shared("kz-bns"), shared("faostat", "KAZ_faostattm.csv")])
    article = shared().parent / "articles" / "kz-ru-2023-11-visit.txt"
    if not article.exists():
        pytest.skip(f"article not available: {article}")
    _, results = check_text(article.read_text(encoding="utf-8"), store)
    return results


def find(results, indicator: str, product: str | None = None):
    matches = [
        r
        for r in results
        if r.claim.indicator == indicator
        and (product is None or (r.claim.product and r.claim.product.codes[0] == product))
    ]
    assert matches, f"no claim {indicator} {product or ''}"
    return matches[0]


def evidence(result, year: int) -> float:
    values = [e.value for e in result.evidence if e.year == year]
    assert len(values) == 1, result.evidence
    return values[0]


def test_turnover_reached_27_billion_is_supported(checked):
    result = find(checked, "turnover")
    # BNS 2022 workbook, sheet '2022', row 13 'Россия', column B: 26,972,021.4 thousand USD
    printed = cell(BNS_2022, "2022", 13, "turnover")
    assert printed == pytest.approx(26_972_021_445.17)
    assert (result.verdict, result.year) == ("supported", 2022)
    assert evidence(result, 2022) == pytest.approx(printed)


def test_turnover_increased_by_more_than_10_percent_is_close(checked):
    result = find(checked, "turnover_growth")
    # sheet '2022' row 13 over sheet '2021' (revised, same workbook) row 13, column B:
    # 26,972,021.4 / 24,624,279.97 - 1 = +9.5%: short of "more than 10%" by 0.47 points,
    # within the 1-point close band documented in docs/claims.md
    growth = 100 * (
        cell(BNS_2022, "2022", 13, "turnover") / cell(BNS_2022, "2021", 13, "turnover") - 1
    )
    assert growth == pytest.approx(9.53, abs=0.01)
    assert result.verdict == "close"
    assert evidence(result, 2022) == pytest.approx(growth, abs=1e-3)


def test_almost_20_percent_of_foreign_trade_is_supported_for_2022_and_2023(checked):
    result = find(checked, "partner_share_turnover")
    # 2022: row 13 / row 7 'Всего' = 19.90% (printed in column C: 19.90152)
    # 2023: 2023 workbook, sheet '2023', row 12 / row 6 = 19.39% (printed: 19.38678)
    share_2022 = (
        100 * cell(BNS_2022, "2022", 13, "turnover") / cell(BNS_2022, "2022", 7, "turnover")
    )
    share_2023 = (
        100 * cell(BNS_2023, "2023", 12, "turnover") / cell(BNS_2023, "2023", 6, "turnover")
    )
    assert round(share_2022, 2) == round(float(sheet(BNS_2022, "2022")[12][2]), 2)  # type: ignore[arg-type]
    assert result.verdict == "supported"
    assert result.claim.source_hint == "kz_bns"
    assert evidence(result, 2022) == pytest.approx(share_2022, abs=1e-3)
    assert evidence(result, 2023) == pytest.approx(share_2023, abs=1e-3)
    assert result.explanation.startswith("Supported for 2022 and 2023.")


@pytest.mark.parametrize(
    ("indicator", "flow", "stated"),
    [
        pytest.param("partner_rank_imports", "imports", 1, id="largest-in-imports"),
        pytest.param("partner_rank_exports", "exports", 3, id="third-in-exports"),
    ],
)
def test_ranks_in_imports_and_exports_are_supported(checked, indicator, flow, stated):
    result = find(checked, indicator)
    # ranks among the partner countries of sheet '2022' (2022 workbook) and sheet '2023'
    # (2023 workbook), columns F (imports) and D (exports): Russia 1st in imports (17.88 bn)
    # and 3rd in exports (9.09 bn, after Italy and China) in both years
    assert rank_of(BNS_2022, "2022", "Россия", flow) == stated
    assert rank_of(BNS_2023, "2023", "Россия", flow) == stated
    assert result.verdict == "supported"
    assert (evidence(result, 2022), evidence(result, 2023)) == (stated, stated)


def test_only_slightly_inferior_to_china_holds_for_2023_not_for_2022(checked):
    result = find(checked, "partner_comparison_turnover")
    # 2022: Russia 26,972,021.4 (row 13) ahead of China 24,203,945.2 (row 78): +11.4%
    # 2023: Russia 27,054,449.6 (row 12) behind China 30,055,389.6 (row 76): -10.0%,
    # within the 15% that "slightly" allows
    gap_2022 = 100 * (
        cell(BNS_2022, "2022", 13, "turnover") / cell(BNS_2022, "2022", 78, "turnover") - 1
    )
    gap_2023 = 100 * (
        cell(BNS_2023, "2023", 12, "turnover") / cell(BNS_2023, "2023", 76, "turnover") - 1
    )
    assert (round(gap_2022, 1), round(gap_2023, 1)) == (11.4, -10.0)
    assert (result.verdict, result.year) == ("supported", 2023)
    assert result.explanation.startswith("Supported for 2023; contradicted for 2022.")
    assert evidence(result, 2022) == pytest.approx(gap_2022, abs=1e-3)
    assert evidence(result, 2023) == pytest.approx(gap_2023, abs=1e-3)
    assert "Russia $26.97 bn (1st), China $24.20 bn (2nd)" in result.explanation


@pytest.mark.parametrize(
    ("code", "item", "line"),
    [
        pytest.param("1001", "Wheat", 6214, id="wheat"),
        pytest.param("1003", "Barley", 5909, id="barley"),
    ],
)
def test_98_percent_of_wheat_and_barley_is_supported_with_the_extract_caveat(
    checked, code, item, line
):
    result = find(checked, "partner_share_imports", code)
    # KAZ_faostattm.csv, line 6214 (Wheat) / 5909 (Barley): Import value 2022 from RUS;
    # it is the item's only 2022 import row, so Russia holds 100% of the suppliers the
    # extract lists; suppliers under 5% are left out, so the share lies in [95%, 100%]
    rows = faostat("Import value", 2022, item)
    assert [r["ISOP"] for r in rows] == ["RUS"]
    lines = (
        Path(shared("faostat", "KAZ_faostattm.csv")).read_text(encoding="utf-8-sig").splitlines()
    )
    assert lines[line - 1].split(",")[-1] == rows[0]["value"]
    assert result.verdict == "supported"
    assert evidence(result, 2022) == pytest.approx(100.0)
    assert "the extract omits partners under 5%" in result.explanation


@pytest.mark.parametrize(
    ("code", "group"),
    [
        pytest.param("0207", "Meat, fish, fruits, vegetables, oils and fats", id="poultry-meat"),
        pytest.param(
            "1701",
            "Grain mill products, starches and starch products; other food products",
            id="sugar",
        ),
        pytest.param("0403", "Dairy products and egg products", id="fermented-dairy"),
    ],
)
def test_poultry_sugar_and_fermented_dairy_are_not_checkable(checked, code, group):
    result = find(checked, "partner_share_imports", code)
    # the extract has no item for HS 0207, 1701 or 0403: only CPC groups that hold them
    # among other goods; Russia's share of the group's listed suppliers is shown as
    # indicative evidence
    rows = faostat("Import value", 2022, group)
    share = (
        100
        * sum(float(r["value"]) for r in rows if r["ISOP"] == "RUS")
        / sum(float(r["value"]) for r in rows)
    )
    assert result.verdict == "not checkable"
    assert evidence(result, 2022) == pytest.approx(share, abs=1e-3)
    assert f"groups the goods as '{group}'" in result.explanation


def test_food_imports_of_about_two_billion_say_what_can_and_cannot_be_checked(checked):
    value = find(checked, "imports", "01")
    rank = find(checked, "product_rank_imports", "01")
    # no HS-level imports of Kazakhstan from Russia are loaded: the rank needs them;
    # FAOSTAT's agricultural items imported from RUS in 2022 sum to 2,112,136 thousand USD,
    # in line with "about two billion" but a different scope than HS 01-24
    fao_sum = 1000 * sum(float(r["value"]) for r in faostat("Import value", 2022, partner="RUS"))
    assert fao_sum == pytest.approx(2_112_136_000)
    assert (value.verdict, value.year) == ("not checkable", 2022)
    assert evidence(value, 2022) == pytest.approx(fao_sum)
    assert "indicative only" in value.explanation
    assert "Kazakhstan's imports of food (HS 01-24) by partner country" in value.explanation
    assert rank.verdict == "not checkable"
    assert "imports from Russia by HS section or chapter" in rank.explanation


def test_agricultural_exports_of_6_billion_are_not_checkable(checked):
    result = find(checked, "exports", "01")
    # the extract's 2022 export rows sum to a lower bound (partners under 5% left out)
    lower = 1000 * sum(float(r["value"]) for r in faostat("Export value", 2022))
    assert result.verdict == "not checkable"
    assert evidence(result, 2022) == pytest.approx(lower)
    assert "at least" in result.explanation


@pytest.mark.parametrize(
    "indicator",
    [
        "agreements_signed_years",
        "direct_investment_value",
        "foreign_companies_share",
        "joint_projects_count",
        "joint_projects_value",
        "oil_export_routes_share",
        "local_seed_supply_share",
        "forum_participation_count",
        "agreements_signed_value",
    ],
)
def test_figures_trade_statistics_cannot_check(checked, indicator):
    result = find(checked, indicator)
    assert result.verdict == "not checkable"
    assert result.explanation.startswith("Not checkable with the loaded data: a figure on ")
    assert result.evidence == ()


@pytest.fixture(scope="module")
def phrasings(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("bns"))
    store.ingest([shared("kz-bns")])
    text = (Path(__file__).parents[1] / "cases" / "claims" / "phrasings.txt").read_text(
        encoding="utf-8"
    )
    _, results = check_text(text, store)
    return results


def _growth(workbook, sheet_now, row_now, workbook_before, sheet_before, row_before, flow):
    now = cell(workbook, sheet_now, row_now, flow)
    return 100 * (now / cell(workbook_before, sheet_before, row_before, flow) - 1)


@pytest.mark.parametrize(
    ("number", "verdict", "year", "figure"),
    [
        # turnover 2022: sheet '2022' row 13, column B = 26,972,021.4 thousand USD
        pytest.param(
            0, "supported", 2022, lambda: cell(BNS_2022, "2022", 13, "turnover"), id="26.97bn"
        ),
        # +9.5%: rows 13 of sheets '2022' and '2021' (2022 workbook), column B
        pytest.param(
            1,
            "supported",
            2022,
            lambda: _growth(BNS_2022, "2022", 13, BNS_2022, "2021", 13, "turnover"),
            id="up-9.5pct",
        ),
        # undated: the year stated before it in the text, 2022, is taken; on sheet '2022'
        # (2022 workbook) China is 2nd after Russia (in 2023 it would be 1st: sheet '2023')
        pytest.param(2, "supported", 2022, lambda: 2.0, id="china-second-largest"),
        # exports to Russia, column D, rows 13: 9,091,390.9 / 7,018,745.8 - 1 = +29.5%
        pytest.param(
            3,
            "supported",
            2022,
            lambda: _growth(BNS_2022, "2022", 13, BNS_2022, "2021", 13, "exports"),
            id="exports-up-29.5pct",
        ),
        pytest.param(
            4, "supported", 2022, lambda: cell(BNS_2022, "2022", 13, "exports"), id="exports-9.1bn"
        ),
        # imports from Russia, column F row 13: 17,880,630.5 thousand USD
        pytest.param(
            5, "supported", 2022, lambda: cell(BNS_2022, "2022", 13, "imports"), id="imports-17.9bn"
        ),
        # Russia's share of imports: sheet '2023' F12/F6 = 27.89%; sheet '2022' F13/F7 = 35.11%
        pytest.param(
            6,
            "supported",
            2023,
            lambda: (
                100 * cell(BNS_2023, "2023", 12, "imports") / cell(BNS_2023, "2023", 6, "imports")
            ),
            id="share-27.9pct",
        ),
        pytest.param(
            7,
            "supported",
            2022,
            lambda: (
                100 * cell(BNS_2022, "2022", 13, "imports") / cell(BNS_2022, "2022", 7, "imports")
            ),
            id="share-35.1pct",
        ),
        # China 2023 (2023 workbook row 76) over 2019 (2019 workbook, sheet '12_2019'): x2.03,
        # not "1.7 times"
        pytest.param(
            8,
            "contradicted",
            2023,
            lambda: _growth(
                BNS_2023,
                "2023",
                76,
                "bns_osnovnye_pokazateli_vneshney_torgovli_2019.xls",
                "12_2019",
                _row("bns_osnovnye_pokazateli_vneshney_torgovli_2019.xls", "12_2019", "Китай"),
                "turnover",
            ),
            id="china-1.7-times-since-2019",
        ),
        # exports to the world: 'Всего' row 7, column D = 84,593,070.1; over 2021: +40.2%
        pytest.param(
            9, "supported", 2022, lambda: cell(BNS_2022, "2022", 7, "exports"), id="exports-84.6bn"
        ),
        pytest.param(
            10,
            "supported",
            2022,
            lambda: _growth(BNS_2022, "2022", 7, BNS_2022, "2021", 7, "exports"),
            id="exports-up-40pct",
        ),
    ],
)
def test_other_phrasings_against_the_bns(phrasings, number, verdict, year, figure):
    result = phrasings[number]
    assert (result.verdict, result.year) == (verdict, year)
    assert evidence(result, year) == pytest.approx(figure(), abs=1e-3)


def _row(workbook: str, name: str, partner: str) -> int:
    return next(
        i + 1 for i, r in enumerate(sheet(workbook, name)) if r and str(r[0]).strip() == partner
    )
