"""``series``: every year of a pair's flow per source and side, checked against the
publishers' own cells (BNS workbooks, FCS 94itog) and against small tables."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bilateral.answers import series
from bilateral.answers.gaps import Side, gap_reason
from bilateral.cli import app
from bilateral.errors import BilateralError
from bilateral.formats import format_money
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_usd
from tests.conftest import shared

runner = CliRunner()
#: The publication the store answers with for each year: the later one (revised).
LATEST = {2021: WORKBOOK_2022, 2022: WORKBOOK_2023, 2023: WORKBOOK_2023}


def fcs_usd(sheet: str, cell: str) -> float:
    """A cell of FCS's 94itog.xlsx (million USD) in US dollars."""
    book = load_workbook(shared("ru-fcs", "94itog.xlsx"), read_only=True)
    value = book[sheet][cell].value
    assert isinstance(value, int | float), (sheet, cell, value)
    return float(value) * 1e6


@pytest.fixture(scope="module")
def store(bns_fcs_store):
    return Store.open(bns_fcs_store, read_only=True)


@pytest.mark.parametrize("year", [2021, 2022, 2023])
@pytest.mark.parametrize("flow", ["turnover", "exports", "imports"])
def test_kazakhstan_s_own_figures_are_the_printed_row(store, year, flow):
    # BNS workbook LATEST[year], sheet named by the year, row 'Россия', the flow's column
    result = series(store, "KAZ", "RUS", flow=flow)
    assert result.values("kz_bns:KAZ")[year] == pytest.approx(
        bns_usd(LATEST[year], str(year), "Россия", flow), abs=1
    )


@pytest.mark.parametrize(
    ("flow", "year"),
    [
        pytest.param("turnover", 2022, id="turnover-2022"),
        pytest.param("exports", 2023, id="exports-2023"),
        pytest.param("imports", 2022, id="imports-2022"),
    ],
)
def test_growth_is_the_change_between_the_printed_rows(store, flow, year):
    # the year and the year before, each from its latest publication, row 'Россия'
    now = bns_usd(LATEST[year], str(year), "Россия", flow)
    before = bns_usd(LATEST[year - 1], str(year - 1), "Россия", flow)
    rows = series(store, "KAZ", "RUS", flow=flow).to_pandas()
    row = rows[(rows.view == "kz_bns:KAZ") & (rows.year == year)].iloc[0]
    assert row.growth_pct == pytest.approx((now / before - 1) * 100, abs=1e-6)
    assert row.change_usd == pytest.approx(now - before, abs=1)


def test_russia_s_mirror_figures_and_the_gap_with_its_reason(store):
    # KAZ's imports from RUS in 2021: BNS 2022 workbook, sheet '2021', row 'Россия',
    # column F; RUS's exports to KAZ: FCS 94itog.xlsx, sheet '2021', row 10 'Казахстан'
    # under 'Экспорт' (B10, million USD)
    kaz = bns_usd(WORKBOOK_2022, "2021", "Россия", "imports")
    rus = fcs_usd("2021", "B10")
    result = series(store, "KAZ", "RUS", flow="imports")
    assert [v.key for v in result.views] == ["kz_bns:KAZ", "ru_fcs:RUS"]
    assert [v.side for v in result.views] == ["own", "mirror"]
    assert result.values("ru_fcs:RUS")[2021] == pytest.approx(rus)
    rows = result.to_pandas()
    row = rows[(rows.view == "ru_fcs:RUS") & (rows.year == 2021)].iloc[0]
    assert row.gap_usd == pytest.approx(rus - kaz, abs=1)
    assert row.gap_pct == pytest.approx((rus - kaz) / kaz * 100, abs=1e-6)
    # KAZ imports CIF and RUS exports FOB, yet RUS's figure is the larger one
    assert row.gap_reason == (
        "mirror statistics; CIF/FOB: KAZ values these goods CIF, RUS FOB; "
        "but KAZ's figure is the smaller, which CIF/FOB does not explain"
    )


def test_exports_gap_has_the_sign_cif_fob_explains(store):
    # RUS's imports from KAZ: 94itog.xlsx, sheet '2021', row 19 'Казахстан' under 'Импорт'
    rus = fcs_usd("2021", "B19")
    kaz = bns_usd(WORKBOOK_2022, "2021", "Россия", "exports")
    rows = series(store, "KAZ", "RUS", flow="exports").to_pandas()
    row = rows[(rows.view == "ru_fcs:RUS") & (rows.year == 2021)].iloc[0]
    assert rus > kaz
    assert row.gap_reason == "mirror statistics; CIF/FOB: RUS values these goods CIF, KAZ FOB"


def test_years_from_to_keep_the_growth_on_the_year_before(store):
    result = series(store, "KAZ", "RUS", flow="exports", start=2019, end=2021)
    assert result.years() == [2019, 2020, 2021]
    rows = result.to_pandas()
    rus_2019 = rows[(rows.view == "ru_fcs:RUS") & (rows.year == 2019)].iloc[0]
    # 94itog.xlsx sheets '2019' and '2018', row 19 'Казахстан' under 'Импорт'
    assert rus_2019.growth_pct == pytest.approx(
        (fcs_usd("2019", "B19") / fcs_usd("2018", "B19") - 1) * 100, abs=1e-6
    )


def test_balance_has_a_change_in_money_and_no_percent_growth(store):
    result = series(store, "KAZ", "RUS", flow="balance", start=2022, end=2022)
    (row,) = result.rows()
    exports = bns_usd(WORKBOOK_2023, "2022", "Россия", "exports")
    imports = bns_usd(WORKBOOK_2023, "2022", "Россия", "imports")
    assert row["value_usd"] == pytest.approx(exports - imports, abs=1)
    assert row["growth_pct"] is None
    assert row["change_usd"] is not None


def test_the_json_says_the_currency_and_every_view(store):
    payload = json.loads(series(store, "KAZ", "RUS").to_json())
    assert payload["currency"] == "USD"
    assert payload["reference"] == "kz_bns:KAZ"
    assert {v["key"] for v in payload["views"]} == {"kz_bns:KAZ", "ru_fcs:RUS"}
    assert payload["rows"][0].keys() >= {"year", "view", "value_usd", "gap_reason"}


def run(store_root, *args):
    return runner.invoke(app, ["--store", str(store_root), "series", *args])


def test_terminal_table_has_currency_sparkline_and_numbered_reasons(bns_fcs_store):
    result = run(bns_fcs_store, "Kazakhstan", "Россия", "--flow", "imports", "--from", "2019")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "KAZ and RUS: imports, USD, 2019-2023" in text
    assert "$17.61 bn" in text  # 2021, BNS 2022 workbook, sheet '2021', row 'Россия'
    assert "trend" in text and any(mark in text for mark in "▁▂▃▄▅▆▇█")
    assert "[1] mirror statistics; CIF/FOB" in text


def test_csv_has_a_row_per_year_and_a_column_per_view(bns_fcs_store):
    result = run(bns_fcs_store, "KAZ", "RUS", "--from", "2021", "--to", "2022", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["year"] for r in rows] == ["2021", "2022"]
    assert float(rows[1]["kz_bns:KAZ"]) == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"), abs=1
    )
    assert rows[0]["ru_fcs:RUS gap reason"].startswith("mirror statistics")
    assert rows[1]["ru_fcs:RUS"] == ""  # FCS prints no partners after 2021: unknown, not 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--flow", "re-exports"], "Unknown flow 're-exports'", id="flow"),
        pytest.param(["--from", "2022", "--to", "2020"], "ends (2020) before", id="years"),
        pytest.param(["--source", "baci"], "Source 'baci' is not in the store", id="source"),
    ],
)
def test_errors_are_one_line(bns_fcs_store, args, message):
    result = run(bns_fcs_store, "KAZ", "RUS", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


KAZ_CIF = Side("kz_bns", "KAZ", valuation="CIF")
KAZ_FOB = Side("kz_bns", "KAZ", valuation="FOB")
RUS_CIF = Side("ru_fcs", "RUS", valuation="CIF")
RUS_FOB = Side("ru_fcs", "RUS", valuation="FOB")


@pytest.mark.parametrize(
    ("flow", "ref", "other", "gap", "expected"),
    [
        pytest.param(
            "imports", KAZ_CIF, RUS_FOB, -5.0,
            "mirror statistics; CIF/FOB: KAZ values these goods CIF, RUS FOB",
            id="imports-expected-sign",
        ),
        pytest.param(
            "exports", KAZ_FOB, RUS_CIF, -5.0,
            "mirror statistics; CIF/FOB: RUS values these goods CIF, KAZ FOB; "
            "but RUS's figure is the smaller, which CIF/FOB does not explain",
            id="exports-unexpected-sign",
        ),
        pytest.param(
            "exports", KAZ_FOB, Side("ru_fcs", "RUS"), 5.0,
            "mirror statistics; CIF/FOB: importers usually value goods CIF, exporters FOB "
            "(RUS imports)",
            id="valuation-unknown",
        ),
        pytest.param(
            "turnover", KAZ_FOB, RUS_CIF, 5.0,
            "mirror statistics; CIF/FOB: each country values its imports CIF and its exports "
            "FOB, so KAZ's and RUS's totals mix the two valuations",
            id="turnover",
        ),
        pytest.param(
            "exports", KAZ_FOB, Side("baci", "reconciled", valuation="reconciled"), 5.0,
            "BACI reconciles both countries' reports (imports brought to FOB)",
            id="reconciled",
        ),
        pytest.param(
            "exports", Side("kz_bns", "KAZ", basis="TOTAL"),
            Side("comtrade", "KAZ", basis="TOTAL, sum of 12 months"), 5.0,
            "the same statistics (KAZ's) as two publishers give them: a revision or a "
            "different coverage; coverage: comtrade 'TOTAL, sum of 12 months', kz_bns 'TOTAL'",
            id="same-statistics-other-coverage",
        ),
        pytest.param(
            "imports", KAZ_CIF, Side("ru_fcs", "RUS", "FOB", release="2023", revised=True),
            -5.0,
            "mirror statistics; CIF/FOB: KAZ values these goods CIF, RUS FOB; "
            "ru_fcs: release 2023, revised since first published",
            id="partner-revised",
        ),
    ],
)  # fmt: skip
def test_gap_reasons(flow, ref, other, gap, expected):
    assert gap_reason(flow, "KAZ", "RUS", ref, other, gap) == expected


def test_a_pair_is_two_countries(store):
    with pytest.raises(BilateralError, match="two different countries; got KAZ twice"):
        series(store, "KAZ", "Kazakhstan")


def test_markdown_writes_money_and_percentages_for_people(bns_fcs_store):
    # 2021: BNS 2022 workbook, sheet '2021', row 'Россия', column B (thousand USD)
    kaz = bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover")
    result = run(bns_fcs_store, "KAZ", "RUS", "--from", "2021", "--to", "2021", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("### KAZ and RUS: turnover, USD, 2021-2021")
    assert f"| 2021 | {format_money(kaz)} |" in result.stdout
