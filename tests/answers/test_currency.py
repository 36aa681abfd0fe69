"""``--currency EUR`` on series and partners (issue 17): each year's dollars at the ECB's
annual average of that year, growth recomputed from the euro amounts, shares and ranks
unchanged. Checked against the BNS workbooks' printed rows and the ECB's published
annual averages (tests/cases/eur_usd_annual.csv)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bilateral.answers import partners, profile, series
from bilateral.cli import app
from bilateral.errors import BilateralError
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_usd
from tests.conftest import LOCAL
from tests.ecb_rates import published_annual_rates

runner = CliRunner()
LATEST = {2021: WORKBOOK_2022, 2022: WORKBOOK_2023, 2023: WORKBOOK_2023}
RATES = published_annual_rates()


@pytest.fixture(scope="module")
def store(bns_fcs_store):
    return Store.open(bns_fcs_store, read_only=True)


@pytest.mark.parametrize(
    ("flow", "year"),
    [("exports", 2022), ("imports", 2022), ("turnover", 2023)],
    ids=["exports-2022", "imports-2022", "turnover-2023"],
)
def test_series_in_euro_is_each_years_printed_row_at_its_rate(store, flow, year):
    # BNS workbook LATEST[year], sheet named by the year, row 'Россия', the flow's column
    now = bns_usd(LATEST[year], str(year), "Россия", flow) / RATES[year]
    before = bns_usd(LATEST[year - 1], str(year - 1), "Россия", flow) / RATES[year - 1]
    result = series(store, "KAZ", "RUS", flow=flow, currency="EUR")
    assert result.currency == "EUR"
    row = next(r for r in result.rows() if r["view"] == "kz_bns:KAZ" and r["year"] == year)
    assert row["value_usd"] == pytest.approx(now, rel=1e-6)
    assert row["growth_pct"] == pytest.approx(100 * (now / before - 1), abs=1e-3)
    in_usd = series(store, "KAZ", "RUS", flow=flow)
    usd = next(r for r in in_usd.rows() if r["view"] == "kz_bns:KAZ" and r["year"] == year)
    assert usd["gap_pct"] == row["gap_pct"] or usd["gap_pct"] == pytest.approx(row["gap_pct"])


def test_partners_in_euro_keep_shares_and_ranks(store):
    usd = partners(store, "KAZ", 2022, flow="exports", top=5, source="kz_bns")
    eur = partners(store, "KAZ", 2022, flow="exports", top=5, source="kz_bns", currency="EUR")
    assert eur.currency == "EUR"
    for a, b in zip(usd.rows(), eur.rows(), strict=True):
        assert (a["partner"], a["rank"], a["share"]) == (b["partner"], b["rank"], b["share"])
        assert b["value_usd"] == pytest.approx(a["value_usd"] / RATES[2022])
        if a["previous_value_usd"]:
            euro_growth = (1 + a["growth_pct"] / 100) * RATES[2021] / RATES[2022] - 1
            assert b["growth_pct"] == pytest.approx(100 * euro_growth)


@pytest.mark.parametrize(
    "command", [["series", "KAZ", "RUS"], ["partners", "KAZ", "--year", "2022"]]
)
def test_the_currency_is_in_the_header(bns_fcs_store, command):
    result = runner.invoke(
        app, ["--store", str(bns_fcs_store), *command, "--currency", "EUR", "--source", "kz_bns"]
    )
    assert result.exit_code == 0, result.output
    assert "EUR" in result.output.splitlines()[0]
    assert "EUR " in result.output  # amounts written as EUR 1.23 bn


def test_an_unknown_currency_is_one_line(bns_fcs_store):
    result = runner.invoke(
        app, ["--store", str(bns_fcs_store), "series", "KAZ", "RUS", "--currency", "GBP"]
    )
    assert result.exit_code == 1
    assert "Unknown currency 'GBP'; choose one of USD, EUR." in result.output


def test_unknown_currency_in_the_library(store):
    with pytest.raises(BilateralError, match="Unknown currency 'JPY'"):
        series(store, "KAZ", "RUS", currency="JPY")


@pytest.mark.parametrize("flow", ["exports", "imports", "turnover"])
def test_profile_in_euro_is_the_printed_row_at_the_years_rate(store, flow):
    # BNS workbook of 2023, sheet '2022', row 'Россия'; 2021 from the 2022 workbook
    now = bns_usd(LATEST[2022], "2022", "Россия", flow) / RATES[2022]
    before = bns_usd(LATEST[2021], "2021", "Россия", flow) / RATES[2021]
    result = profile(store, "KAZ", "RUS", 2022, source="kz_bns", currency="EUR")
    assert result.currency == "EUR"
    (money,) = result.profile.find(flow)
    assert (money.value, money.unit) == (pytest.approx(now, rel=1e-6), "EUR")
    (growth,) = result.profile.find(f"{flow}_growth")
    assert growth.value == pytest.approx(100 * (now / before - 1), abs=1e-3)
    (share,) = result.profile.find(f"partner_share_{flow}")
    in_usd = profile(store, "KAZ", "RUS", 2022, source="kz_bns")
    assert share.value == in_usd.profile.find(f"partner_share_{flow}")[0].value


@pytest.fixture(scope="module")
def client(bns_fcs_store):
    from fastapi.testclient import TestClient

    from bilateral.web.app import create_app

    with TestClient(create_app(bns_fcs_store), base_url=LOCAL, raise_server_exceptions=False) as c:
        yield c


def test_api_series_and_partners_in_euro(client):
    # BNS workbook of 2023, sheet '2022', row 'Россия', exports
    expected = bns_usd(LATEST[2022], "2022", "Россия", "exports") / RATES[2022]
    rows = client.get(
        "/api/series",
        params={"reporter": "KAZ", "partner": "RUS", "flow": "exports", "currency": "EUR"},
    ).json()
    (row,) = [r for r in rows if r["source"] == "kz_bns" and r["year"] == 2022]
    assert (row["value_usd"], row["currency"]) == (pytest.approx(expected, rel=1e-6), "EUR")
    ranked = client.get(
        "/api/partners",
        params={"reporter": "KAZ", "year": 2022, "flow": "exports", "currency": "EUR"},
    ).json()
    russia = next(r for r in ranked if r["source"] == "kz_bns" and r["partner"] == "RUS")
    assert (russia["value_usd"], russia["currency"]) == (pytest.approx(expected, rel=1e-6), "EUR")
