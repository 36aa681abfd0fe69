"""The "Eurasian roundabout" in the published Comext extract, and the sanctions command on it.

Source files (../shared/data/comext-cn8, Eurostat Comext DS-045409, extracted 2023-01-21):

* listed goods: the 22 CN8 downloads ``01_..`` to ``22_.._spreadsheet.xlsx``; their monthly
  sums by partner and member state are published alongside as ``eu_export_sanctioned.xlsx``
  (Sheet1: partner, reporter, month, sanctioned_export, in euro);
* all goods: ``eu_total_trade_4630244_spreadsheet.xlsx``, 'Sheet 4' (Total [TOTAL], EXPORT).

EU27 exports, Jan-Nov 2021 -> Jan-Nov 2022, in euro (computed below from those two files):

| partner | listed goods | other goods |
|---|---|---|
| Russia | -58.8% | -25.1% |
| Kazakhstan | +122.2% | +59.5% |
| Armenia | +291.2% | +86.6% |
| Kyrgyzstan | +606.5% | +153.6% |

Cars through Armenia (../shared/data/comtrade/comtrade_armenia_hs8703_monthly.csv, UN
Comtrade monthly rows as cleaned by comtradr, Armenia reporting, HS 8703, every mode of
transport), computed below from the file:

| year | imports from the EU27 | exports to Russia |
|---|---|---|
| 2021 | $19.4 m (665 cars) | $3.5 m (215 cars) |
| 2022 | $103.6 m (3,158 cars) | $236.8 m (10,503 cars) |
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import ibis
import pytest
from typer.testing import CliRunner

from bilateral.answers.sanctions import eu_exports, reexport_route
from bilateral.cli import app
from bilateral.cli.sanctions import register
from bilateral.indicators.sanctions import listed_vs_other_change
from bilateral.reference.countries import countries
from bilateral.reference.list_matching import match_list
from bilateral.reference.lists import eu_cn8
from bilateral.store import Store
from tests.comext_extract import PARTNERS
from tests.conftest import shared
from tests.sheet_rows import sheet_rows

pytestmark = pytest.mark.shared_data

STATED = {  # partner: (listed goods %, other goods %), Jan-Nov 2021 -> Jan-Nov 2022, euro
    "RUS": (-58.8, -25.1),
    "KAZ": (122.2, 59.5),
    "ARM": (291.2, 86.6),
    "KGZ": (606.5, 153.6),
}

CARS = "comtrade_armenia_hs8703_monthly.csv"
STATED_CARS = {  # year: (imports from EU27, exports to Russia), million USD
    2021: (19.4, 3.5),
    2022: (103.6, 236.8),
}

runner = CliRunner()
register(app)


@pytest.fixture(scope="module")
def published() -> dict[str, dict[int, tuple[float, float]]]:
    """Per partner and year (Jan-Nov): (listed, total) in euro, read straight from the files."""
    folder = shared("comext-cn8")
    listed: dict[tuple[str, int], float] = defaultdict(float)
    for partner, _reporter, month, value in sheet_rows(
        folder / "eu_export_sanctioned.xlsx", "Sheet1"
    )[1:]:
        if partner in PARTNERS and month.month <= 11:
            listed[(PARTNERS[partner], month.year)] += value
    rows = sheet_rows(folder / "eu_total_trade_4630244_spreadsheet.xlsx", "Sheet 4")
    assert rows[4][2] == "Total [TOTAL]" and rows[5][2] == "EXPORT"
    periods = rows[8]
    total: dict[tuple[str, int], float] = defaultdict(float)
    for row in rows[11:]:
        if len(row) < 3 or row[1] not in PARTNERS:
            continue
        for period, value in zip(periods[2:], row[2:], strict=True):
            year, month = map(int, str(period).split("-"))
            if year in (2021, 2022) and month <= 11 and value != ":":
                total[(PARTNERS[row[1]], year)] += value
    return {
        code: {year: (listed[(code, year)], total[(code, year)]) for year in (2021, 2022)}
        for code in PARTNERS.values()
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """Every Comext download of the extract and Armenia's car rows, ingested once."""
    store = Store.open(tmp_path_factory.mktemp("comext") / "store")
    store.ingest([shared("comext-cn8"), shared("comtrade", CARS)])
    return store


def change(before: float, after: float) -> float:
    return 100 * (after / before - 1)


@pytest.mark.parametrize("partner", list(STATED))
def test_published_figures_are_the_stated_ones(published, partner):
    (listed_21, total_21), (listed_22, total_22) = (
        published[partner][2021],
        published[partner][2022],
    )
    listed = change(listed_21, listed_22)
    other = change(total_21 - listed_21, total_22 - listed_22)
    assert (round(listed, 1), round(other, 1)) == STATED[partner]


@pytest.fixture(scope="module")
def roundabout(store) -> dict[str, dict[str, float]]:
    """The indicator over the store, in euro, for every partner."""
    flows = store.flows("comext_cn8")
    products = store.execute(
        flows.filter(flows.classification == "CN8")
        .select("classification", "product", "year")
        .distinct()
    )
    match = match_list(eu_cn8(), products.itertuples(index=False, name=None))
    results = {}
    for code in PARTNERS.values():
        frame = store.execute(
            listed_vs_other_change(
                eu_exports(store, code),
                ibis.memtable(match.table),
                detail="CN8",
                base_year=2021,
                current_year=2022,
                months=range(1, 12),
                value="value_original",
            )
        )
        results[code] = frame.iloc[0].to_dict()
    return results


@pytest.mark.parametrize("partner", list(PARTNERS.values()))
def test_indicator_equals_the_published_sums(roundabout, published, partner):
    got = roundabout[partner]
    (listed_21, total_21), (listed_22, total_22) = (
        published[partner][2021],
        published[partner][2022],
    )
    assert got["listed_base"] == pytest.approx(listed_21)
    assert got["listed_current"] == pytest.approx(listed_22)
    assert got["other_base"] == pytest.approx(total_21 - listed_21)
    assert got["other_current"] == pytest.approx(total_22 - listed_22)


def test_listed_goods_to_russia_fell_more_than_other_goods(roundabout):
    russia = roundabout["RUS"]
    assert russia["listed_change_pct"] < russia["other_change_pct"] < 0


@pytest.mark.parametrize("partner", ["KAZ", "ARM", "KGZ"])
def test_listed_goods_to_the_roundabout_rose_more_than_other_goods(roundabout, partner):
    hub = roundabout[partner]
    assert hub["listed_change_pct"] > hub["other_change_pct"] > 0
    assert hub["gap_pp"] > 0


def test_store_cn8_sums_equal_every_published_monthly_sum(store):
    """eu_export_sanctioned.xlsx: 6,804 partner x member state x month sums; ours agree."""
    rows = sheet_rows(shared("comext-cn8", "eu_export_sanctioned.xlsx"), "Sheet1")[1:]
    flows = store.flows("comext_cn8")
    cn8 = flows.filter((flows.classification == "CN8") & (flows.reported_by == "exporter"))
    sums = store.execute(
        cn8.group_by(["exporter", "importer", "year", "month"]).agg(value=cn8.value_original.sum())
    )
    ours = {
        (r.exporter, r.importer, r.year, r.month): r.value for r in sums.itertuples(index=False)
    }
    index = countries()
    names: dict[str, str] = {}
    for partner, reporter, month, value in rows:
        for name in (partner, reporter):
            if name not in names:
                found = index.find(name) or index.find(name.split(" (")[0])
                names[name] = found.code
        key = (names[reporter], names[partner], month.year, month.month)
        assert ours.get(key, 0.0) == pytest.approx(value), key
    assert len(rows) == 6804


def run(store: Store, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--store", str(store.root), "sanctions", *args])
    return result.exit_code, result.stdout, result.stderr


def test_command_json_in_euro_as_published(store, published):
    code, stdout, _ = run(store, "Kazakhstan", "--from", "2021-01", "--to", "2022-11", "-f", "json")
    assert code == 0
    payload = json.loads(stdout)
    assert payload["partner"] == "KAZ" and payload["list"]["name"] == "eu-cn8"
    assert (payload["base_period"], payload["current_period"]) == (
        "2021-01..2021-11",
        "2022-01..2022-11",
    )
    (listed_21, _), (listed_22, _) = published["KAZ"][2021], published["KAZ"][2022]
    assert payload["currency"] == "EUR"  # Comext's own, by default
    assert payload["change"]["listed_change_pct"] == pytest.approx(change(listed_21, listed_22))
    assert len(payload["monthly_index"]) == 23  # 2021-01 .. 2022-11
    assert payload["source"]["releases"] == ["2023-01-13"]


def test_command_chpl_reports_unmatched_codes(store):
    code, stdout, _ = run(
        store, "ARM", "--list", "chpl", "--from", "2021-01", "--to", "2022-11", "-f", "json"
    )
    assert code == 0
    payload = json.loads(stdout)
    tiers = {r["tier"] for r in payload["exposure"]}
    assert {"1", "2", "all"} <= tiers
    unmatched = {u["code"]: u["reason"] for u in payload["unmatched"]}
    assert "845710" in unmatched and "854231" not in unmatched
    assert payload["list"]["matched_codes"] + len(unmatched) == 50


def test_command_csv_is_tidy(store):
    code, stdout, _ = run(store, "RUS", "--from", "2021-01", "--to", "2022-11", "--format", "csv")
    assert code == 0
    header, *lines = stdout.strip().splitlines()
    assert header == "partner,list,section,period,tier,measure,value"
    sections = {line.split(",")[2] for line in lines}
    assert {"change", "exposure", "index"} <= sections


def test_command_table(store):
    code, stdout, _ = run(store, "KGZ", "--from", "2021-01", "--to", "2022-11")
    assert code == 0
    assert "EU exports to Kyrgyzstan (KGZ)" in stdout and "Monthly index (2021" in stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["KAZ", "--from", "2021-13", "--to", "2022-11"],
                     "--from '2021-13': expected a month as YYYY-MM", id="bad-month"),
        pytest.param(["KAZ", "--from", "2022-01", "--to", "2021-11"],
                     "compares the same months of two years", id="reversed"),
        pytest.param(["Atlantis"], "Unknown country or aggregate 'Atlantis'", id="unknown-partner"),
        pytest.param(["TJK"], "no Comext rows of EU exports to TJK", id="partner-not-in-extract"),
        pytest.param(["KAZ", "--list", "ofac"], "Unknown list 'ofac'", id="unknown-list"),
    ],
)  # fmt: skip
def test_command_errors_are_one_line(store, args, message):
    code, stdout, stderr = run(store, *args)
    assert code == 1
    assert message in " ".join(stderr.split()) and "Traceback" not in stderr


def test_command_reads_a_user_list(store):
    cars = Path(__file__).parents[1] / "cases" / "user_list.csv"
    code, stdout, _ = run(
        store, "ARM", "--list", str(cars), "--from", "2021-01", "--to", "2022-11", "-f", "json"
    )
    assert code == 0
    payload = json.loads(stdout)
    assert payload["list"]["name"] == "user_list"
    assert {r["tier"] for r in payload["exposure"]} == {"cars", "small cars", "all"}
    assert payload["change"]["listed_change_pct"] > 0  # EU cars to Armenia rose in 2022


@pytest.fixture(scope="module")
def car_legs() -> dict[tuple[str, int], tuple[float, float]]:
    """(leg, year) -> (USD, units), summed from the CSV's heading-level (8703) rows."""
    members = set(countries().members("EU27"))
    legs: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0])
    with open(shared("comtrade", CARS), encoding="latin-1", newline="") as f:
        for row in csv.DictReader(f):
            if row["aggregate_level"] != "4" or row["commodity_code"] != "8703":
                continue
            if row["trade_flow"] == "Import" and row["partner_iso"] in members:
                leg = "in"
            elif row["trade_flow"] == "Export" and row["partner_iso"] == "RUS":
                leg = "out"
            else:
                continue
            legs[(leg, int(row["year"]))][0] += float(row["trade_value_us"])
            legs[(leg, int(row["year"]))][1] += float(row["Qty"] or 0)
    return {key: (value, units) for key, (value, units) in legs.items()}


@pytest.mark.parametrize("year", list(STATED_CARS))
def test_car_figures_are_the_stated_ones(car_legs, year):
    stated_in, stated_out = STATED_CARS[year]
    assert round(car_legs[("in", year)][0] / 1e6, 1) == stated_in
    assert round(car_legs[("out", year)][0] / 1e6, 1) == stated_out


def test_armenia_car_reexports_to_russia(store, car_legs):
    route = {r["year"]: r for r in reexport_route(store, "Armenia", "8703", "Russia")}
    for year in (2021, 2022):
        assert route[year]["inbound"] == pytest.approx(car_legs[("in", year)][0])
        assert route[year]["outbound"] == pytest.approx(car_legs[("out", year)][0])
        assert route[year]["outbound_qty"] == pytest.approx(car_legs[("out", year)][1])
    # Both legs rose in 2022; exports to Russia rose far faster and passed imports from the EU.
    inbound_growth = route[2022]["inbound"] / route[2021]["inbound"]
    outbound_growth = route[2022]["outbound"] / route[2021]["outbound"]
    assert inbound_growth > 1 and outbound_growth > 10 * inbound_growth
    assert route[2021]["outbound_to_inbound"] < 1 < route[2022]["outbound_to_inbound"]


def test_command_shows_the_route(store):
    code, stdout, _ = run(
        store, "ARM", "--from", "2021-01", "--to", "2022-11", "--reexport", "8703", "-f", "json"
    )
    assert code == 0
    years = {r["year"]: r for r in json.loads(stdout)["reexport"]["years"]}
    assert years[2022]["outbound"] > years[2021]["outbound"] > 0
