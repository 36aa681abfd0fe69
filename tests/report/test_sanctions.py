"""The sanctions lens in the HTML report, the dashboard's view and GET /api/sanctions.

Store: the BNS workbooks (../shared/data/kz-bns) for the pair Kazakhstan-Russia, plus two
Comext downloads (../shared/data/comext-cn8, Eurostat DS-045409): the all-goods file
``eu_total_trade_4630244_spreadsheet.xlsx`` and the first CN8 download ``01_..``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.cli.sanctions import register
from bilateral.formats import format_money
from bilateral.report import contents
from bilateral.report.html import render_html
from bilateral.store import Store
from bilateral.web.app import create_app
from tests.comext_extract import PARTNERS
from tests.conftest import LOCAL, shared
from tests.ecb_rates import monthly_mean
from tests.sheet_rows import sheet_rows

pytestmark = pytest.mark.shared_data

TOTAL_FILE = "eu_total_trade_4630244_spreadsheet.xlsx"
CN8_FILE = "01_4624976_spreadsheet.xlsx"
runner = CliRunner()
register(app)


@pytest.fixture(scope="module")
def store_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lens") / "store"
    folder = shared("comext-cn8")
    Store.open(root).ingest([shared("kz-bns"), folder / TOTAL_FILE, folder / CN8_FILE])
    return root


@pytest.fixture(scope="module")
def report(store_root) -> contents.PairReport:
    return contents.gather(Store.open(store_root, read_only=True), "KAZ", "RUS", 2022)


def published_total_usd(partner: str, year: int, last_month: int, currency: str = "USD") -> float:
    """EU27 exports of all goods to ``partner``, Jan..last_month, read from the TOTAL file
    ('Sheet 4', Total [TOTAL], EXPORT; euro, ':' confidential), in euro or put in USD
    month by month at the ECB's monthly average computed from its daily rates."""
    rows = sheet_rows(shared("comext-cn8", TOTAL_FILE), "Sheet 4")
    assert rows[4][2] == "Total [TOTAL]" and rows[5][2] == "EXPORT"
    total: dict[int, float] = defaultdict(float)
    for row in rows[11:]:
        if len(row) < 3 or PARTNERS.get(str(row[1])) != partner:
            continue
        for period, value in zip(rows[8][2:], row[2:], strict=True):
            y, m = map(int, str(period).split("-"))
            if y == year and m <= last_month and value != ":":
                rate = 1.0 if currency == "EUR" else monthly_mean(y, m)
                total[y] += float(value) * rate  # type: ignore[arg-type]
    return total[year]


def test_report_section_shows_the_lens(report):
    section = report.sections["sanctions"]
    assert section.missing is None and section.chart is not None
    table = section.table.set_index("goods")
    assert list(table.index) == ["listed", "other", "all"]
    assert table.loc["all", "current_period"] == "2022-01..2022-11"
    expected = published_total_usd("RUS", 2022, 11)
    assert table.loc["all", "current_usd"] == pytest.approx(expected, rel=1e-9)
    html = render_html(report)
    assert '<section id="sanctions">' in html
    assert format_money(expected) in html.split('<section id="sanctions">')[1]


def test_report_chart_is_listed_against_other_by_month(report):
    spec = report.sections["sanctions"].chart.to_dict()
    assert spec["mark"]["type"] == "line"
    data = spec["datasets"][next(iter(spec["datasets"]))]
    assert {row["goods"] for row in data} == {"listed", "other"}
    months = sorted({row["month"] for row in data})
    assert (months[0], months[-1], len(months)) == ("2021-01", "2022-11", 23)
    base = [row["index"] for row in data if row["goods"] == "other" and row["month"] < "2022"]
    assert sum(base) / len(base) == pytest.approx(100)


def test_report_without_comext_says_so_in_one_line(bns_store):
    report = contents.gather(Store.open(bns_store, read_only=True), "KAZ", "RUS", 2022)
    section = report.sections["sanctions"]
    assert section.chart is None and section.table is None
    assert "no Comext CN8 rows" in section.missing and "\n" not in section.missing
    html = render_html(report)
    assert f'<p class="missing">{section.missing}</p>' in html.replace("&#x27;", "'")


@pytest.fixture(scope="module")
def client(store_root):
    app = create_app(store_root)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as client:
        yield client


def test_api_matches_the_command(client, store_root):
    args = ["RUS", "--from", "2021-01", "--to", "2022-11", "-f", "json"]
    result = runner.invoke(app, ["--store", str(store_root), "sanctions", *args])
    assert result.exit_code == 0, result.stderr
    command = json.loads(result.stdout)
    response = client.get(
        "/api/sanctions", params={"partner": "Russia", "from": "2021-01", "to": "2022-11"}
    )
    assert response.status_code == 200
    payload = response.json()
    assert payload.keys() == command.keys()
    assert payload["change"] == pytest.approx(command["change"])
    for ours, theirs in zip(payload["monthly_index"], command["monthly_index"], strict=True):
        assert ours.keys() == theirs.keys()
        assert ours == pytest.approx(theirs, nan_ok=True)
    assert payload["currency"] == "EUR"  # the publisher's, by default
    assert payload["change"]["total_current"] == pytest.approx(
        published_total_usd("RUS", 2022, 11, "EUR"), rel=1e-9
    )
    in_usd = client.get(
        "/api/sanctions",
        params={"partner": "RUS", "from": "2021-01", "to": "2022-11", "currency": "USD"},
    ).json()
    assert in_usd["currency"] == "USD"
    assert in_usd["change"]["total_current"] == pytest.approx(
        published_total_usd("RUS", 2022, 11), rel=1e-9
    )


def test_dashboard_view_has_the_lens(client):
    view = client.get("/api/view", params={"reporter": "KAZ", "partner": "RUS", "year": 2022})
    assert view.status_code == 200
    section = next(s for s in view.json()["sections"] if s["kind"] == "sanctions")
    assert section["spec"] is not None and len(section["rows"]) == 3


@pytest.mark.parametrize(
    ("params", "wording"),
    [
        ({"from": "2021-13", "to": "2022-11"}, "expected a month as YYYY-MM"),
        ({"from": "2021-1", "to": "2022-11"}, "from"),
        ({"from": "2021-01"}, "together"),
        ({"from": "2022-01", "to": "2021-11"}, "later year"),
        ({"list": "/etc/passwd"}, "list"),
    ],
    ids=["month-13", "short-month", "from-alone", "backwards", "list-path"],
)
def test_api_bad_input_is_422(client, params, wording):
    response = client.get("/api/sanctions", params={"partner": "RUS", **params})
    assert response.status_code == 422
    assert wording in response.json()["detail"]
    assert "Traceback" not in response.text


def test_api_partner_without_rows_is_404(client):
    response = client.get("/api/sanctions", params={"partner": "CHN"})
    assert response.status_code == 404
    assert "no Comext rows of EU exports to CHN" in response.json()["detail"]


def test_api_on_a_store_without_comext_is_404(bns_store):
    app = create_app(bns_store)
    with TestClient(app, raise_server_exceptions=False, base_url=LOCAL) as client:
        response = client.get("/api/sanctions", params={"partner": "KAZ"})
    assert response.status_code == 404
    assert "no Comext rows of EU exports to KAZ" in response.json()["detail"]
