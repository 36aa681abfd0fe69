"""``bilateral products A B``: a pair's trade by product per product-level source (issue 17).

Figures are checked against the publishers' own rows: BACI's sample of South Africa's
exports (every partner, so Russia's share of South Africa's world exports of a product is
known), Comext's CN8 sheets (euro, the twelve printed months of 2021 summed) and
FAOSTAT's detailed trade matrix (partners with at least 5% only: no world share).
"""

from __future__ import annotations

import csv
import warnings
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bilateral.answers.products import products
from bilateral.cli import app
from bilateral.errors import BilateralError
from bilateral.reference.source_basis import basis_of
from bilateral.store import Store
from tests.comext_extract import CARS, TOTALS
from tests.conftest import LOCAL, shared
from tests.ecb_rates import published_annual_rates

BACI_SAMPLE = "BACI_HS92_Y2021_V202301_sample_exporters_4_710.csv"
ZAF, RUS = 710, 643
PHONES = "comtrade_armenia_hs851713_monthly.csv"  # Armenia's trade in HS 8517.13, by month
runner = CliRunner()


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BACI's sample, FAOSTAT's two files and two Comext CN8 workbooks, ingested once."""
    root = tmp_path_factory.mktemp("products") / "store"
    Store.open(root).ingest(
        [
            shared("baci-sample"),
            shared("faostat"),
            shared("comext-cn8", CARS),
            shared("comext-cn8", TOTALS),
            shared("comtrade", PHONES),
        ]
    )
    return root


@pytest.fixture(scope="module")
def store(store_root: Path) -> Store:
    return Store.open(store_root, read_only=True)


def baci_chapters() -> tuple[dict[str, float], dict[str, float]]:
    """South Africa's 2021 exports by HS chapter, to Russia and to the world (every
    partner but itself), in USD: the sample's rows (thousand USD) summed with csv."""
    to_rus: dict[str, float] = defaultdict(float)
    to_world: dict[str, float] = defaultdict(float)
    with open(shared("baci-sample", BACI_SAMPLE), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if int(row["i"]) != ZAF or int(row["j"]) == ZAF:
                continue
            chapter = row["k"].strip().zfill(6)[:2]
            to_world[chapter] += 1000 * float(row["v"])
            if int(row["j"]) == RUS:
                to_rus[chapter] += 1000 * float(row["v"])
    return dict(to_rus), dict(to_world)


def test_baci_ranks_chapters_with_shares_of_the_flow_and_of_the_world(store):
    to_rus, to_world = baci_chapters()
    result = products(store, "ZAF", "RUS", 2021, level="chapter", flow="exports", source="baci")
    rows = result.of("baci", "reconciled", "exports")
    ranked = sorted(to_rus, key=lambda c: -to_rus[c])
    assert [r["code"] for r in rows] == ranked
    total = sum(to_rus.values())
    for row in rows:
        chapter = row["code"]
        assert row["value"] == pytest.approx(to_rus[chapter], rel=1e-9)
        assert row["share"] == pytest.approx(100 * to_rus[chapter] / total, rel=1e-9)
        assert row["partner_share"] == pytest.approx(
            100 * to_rus[chapter] / to_world[chapter], rel=1e-9
        )
        assert row["world"] == pytest.approx(to_world[chapter], rel=1e-9)
        assert row["partner_share_note"] is None
    assert result.currency == "USD"
    assert any("baci holds every HS 6-digit product" in n for n in result.notes)


@pytest.mark.parametrize("level", ["section", "chapter", "heading", "hs6"])
def test_every_level_adds_up_to_the_same_flow(store, level):
    to_rus, _ = baci_chapters()
    result = products(store, "ZAF", "RUS", 2021, level=level, flow="exports", source="baci")
    assert sum(r["value"] for r in result.rows()) == pytest.approx(sum(to_rus.values()))
    assert sum(r["share"] for r in result.rows()) == pytest.approx(100.0)


def test_top_keeps_the_first_n_and_euro_is_at_the_ecb_annual_average(store):
    to_rus, _ = baci_chapters()
    result = products(
        store, "ZAF", "RUS", 2021, flow="exports", source="baci", top=3, currency="EUR"
    )
    rate = published_annual_rates()[2021]
    top3 = sorted(to_rus.values(), reverse=True)[:3]
    assert [r["value"] for r in result.rows()] == pytest.approx([v / rate for v in top3])
    assert result.currency == "EUR"


def comext_printed(path: Path, hs6: str, reporter: str, partner: str, year: int) -> float:
    """The euros a Comext workbook prints for reporter -> partner exports of the CN8 codes
    under ``hs6``, summed over ``year``'s twelve months; a code with a ":" month is left
    out (unknown: its year is not summed), as the product answer does."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Comext workbooks carry no default style
        book = load_workbook(path, read_only=True)
    total = 0.0
    for sheet in book.sheetnames[2:]:
        worksheet = book[sheet]
        worksheet.reset_dimensions()
        rows = list(worksheet.iter_rows(values_only=True))
        code = str(rows[4][2]).rsplit("[", 1)[1].rstrip("]")
        if not code.startswith(hs6) or len(code) != 8 or rows[5][2] != "EXPORT":
            continue
        months = [rows[8].index(f"{year}-{m:02d}") for m in range(1, 13)]
        for r in rows[11:]:
            if len(r) < 2 or not str(r[0] or "").startswith(reporter) or r[1] != partner:
                continue
            if all(r[c] not in (":", None) for c in months):
                total += sum(float(r[c]) for c in months)
    book.close()
    return total


def test_comext_cn8_is_the_printed_euros_summed_over_2021(store):
    # 20_4624110_spreadsheet.xlsx: every sheet of a CN8 code under 8708.40, flow EXPORT,
    # row 'Germany' / 'Russian Federation (Russia)', columns 2021-01 ... 2021-12
    euros = comext_printed(
        shared("comext-cn8", CARS), "870840", "Germany", "Russian Federation (Russia)", 2021
    )
    assert euros > 0
    result = products(store, "DEU", "RUS", 2021, level="hs6", source="comext_cn8", currency="EUR")
    found = [r for r in result.rows() if r["code"] == "870840"]
    assert len(found) == 1 and found[0]["value"] == pytest.approx(euros, rel=1e-9)
    in_usd = products(store, "DEU", "RUS", 2021, level="hs6", source="comext_cn8")
    dollars = next(r["value"] for r in in_usd.rows() if r["code"] == "870840")
    assert dollars == pytest.approx(euros * published_annual_rates()[2021], rel=1e-9)
    assert all(r["partner_share"] is None for r in in_usd.rows())
    assert all("seven partners" in r["partner_share_note"] for r in in_usd.rows())
    assert any("only the CN8 codes on the EU's list" in n for n in in_usd.notes)


def comtrade_exports(year: int) -> dict[str, float]:
    """Armenia's exports of 8517.13 in ``year`` per partner (ISO3), USD: the file's
    all-modes rows ('TOTAL MOT') summed over the months with csv. The file mixes
    encodings, so it is read as Latin-1: codes and numbers are ASCII either way."""
    with open(shared("comtrade", PHONES), encoding="latin-1", newline="") as f:
        header = next(csv.reader(f))
        header[0] = "year"  # after the byte order mark
        by_partner: dict[str, float] = defaultdict(float)
        for row in csv.DictReader(f, fieldnames=header):
            if (row["year"], row["trade_flow"], row["mot_desc"]) == (
                str(year),
                "Export",
                "TOTAL MOT",
            ):
                by_partner[row["partner_iso"]] += float(row["trade_value_us"])
    return dict(by_partner)


def test_comtrade_subheading_with_russias_share_of_armenias_world_exports(store):
    # comtrade_armenia_hs851713_monthly.csv: reporter Armenia, trade_flow Export, 2022
    printed = comtrade_exports(2022)
    world = sum(v for partner, v in printed.items() if partner not in ("ARM", "W00"))
    result = products(store, "ARM", "RUS", 2022, level="hs6", flow="exports", source="comtrade")
    (row,) = [r for r in result.of("comtrade", "ARM", "exports") if r["code"] == "851713"]
    assert row["value"] == pytest.approx(printed["RUS"], rel=1e-9)
    assert row["world"] == pytest.approx(world, rel=1e-9)
    assert row["partner_share"] == pytest.approx(100 * printed["RUS"] / world, rel=1e-9)
    assert row["share_of"] == "the sum of the products comtrade lists"


def faostat_rows(reporter: str, partner: str, element: str, year: int) -> dict[str, float]:
    with open(shared("faostat", f"{reporter}_faostattm.csv"), encoding="utf-8-sig") as f:
        return {
            r["Item"]: 1000 * float(r["value"])
            for r in csv.DictReader(f)
            if (r["ISOP"], r["Element"], r["Year"]) == (partner, element, str(year))
        }


def test_faostat_items_ranked_and_no_world_share_with_the_reason(store):
    # KAZ_faostattm.csv: ISO3 KAZ, ISOP RUS, Element 'Import value', Year 2021
    printed = faostat_rows("KAZ", "RUS", "Import value", 2021)
    result = products(store, "KAZ", "RUS", 2021, flow="imports", source="faostat")
    mine = result.of("faostat", "KAZ", "imports")
    assert {r["code"]: r["value"] for r in mine} == pytest.approx(printed)
    assert mine[0]["code"] == max(printed, key=printed.__getitem__)
    assert {r["level"] for r in mine} == {"item"}
    assert mine[0]["share"] == pytest.approx(100 * max(printed.values()) / sum(printed.values()))
    assert all(r["partner_share"] is None for r in mine)
    assert "at least a 5% share" in mine[0]["partner_share_note"]
    # RUS_faostattm.csv: the same trade in Russia's statistics (its exports to KAZ)
    mirror = result.of("faostat", "RUS", "imports")
    assert {r["code"]: r["value"] for r in mirror} == pytest.approx(
        faostat_rows("RUS", "KAZ", "Export value", 2021)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"level": "cn8"}, r"Unknown level 'cn8'; choose one of section, chapter, heading, hs6"),
        ({"flow": "turnover"}, r"Unknown flow 'turnover'; choose one of exports, imports"),
        ({"source": "kz_bns"}, r"Source 'kz_bns' holds no products; choose one of baci"),
        ({"currency": "GBP"}, r"Unknown currency 'GBP'; choose one of USD, EUR"),
        ({"top": 0}, r"--top must be at least 1, not 0"),
    ],
    ids=["level", "flow", "source", "currency", "top"],
)
def test_errors_say_what_to_choose(store, kwargs, message):
    with pytest.raises(BilateralError, match=message):
        products(store, "ZAF", "RUS", 2021, **kwargs)


def test_a_year_without_rows_names_the_sources_asked(store):
    with pytest.raises(BilateralError, match=r"No product rows of ZAF's trade with RUS in 1995"):
        products(store, "ZAF", "RUS", 1995)


def run(store_root: Path, *args: str):
    return runner.invoke(app, ["--store", str(store_root), "products", *args])


def test_terminal_table_says_the_source_whose_statistics_and_currency(store_root):
    result = run(store_root, "ZAF", "RUS", "--year", "2021", "--top", "3", "--currency", "EUR")
    assert result.exit_code == 0, result.output
    title = "ZAF's exports to RUS in 2021 by chapter, EUR: baci (reconciled figures)"
    assert title in result.output
    assert "RUS's share" in result.output
    assert "baci holds every HS 6-digit product" in result.output


def test_csv_and_json(store_root):
    as_csv = run(store_root, "ZAF", "RUS", "--year", "2021", "--source", "baci", "-f", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    header = as_csv.output.splitlines()[0]
    assert header.startswith("source,statistics_of,year,flow,level,rank,code")
    as_json = run(store_root, "ZAF", "RUS", "--year", "2021", "--source", "baci", "-f", "json")
    assert '"currency": "USD"' in as_json.output


def test_an_error_is_one_line(store_root):
    result = run(store_root, "ZAF", "RUS", "--year", "2021", "--level", "cn8")
    assert result.exit_code == 1
    assert "Unknown level 'cn8'" in result.output and "Traceback" not in result.output


@pytest.fixture(scope="module")
def client(store_root: Path):
    from fastapi.testclient import TestClient

    from bilateral.web.app import create_app

    with TestClient(create_app(store_root), base_url=LOCAL, raise_server_exceptions=False) as c:
        yield c


def test_api_products_are_the_answers_rows_with_the_currency(client):
    to_rus, to_world = baci_chapters()
    params = {"reporter": "South Africa", "partner": "643", "year": 2021, "source": "baci"}
    response = client.get("/api/products", params={**params, "top": 2, "currency": "EUR"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["reporter"], body["partner"], body["currency"]) == ("ZAF", "RUS", "EUR")
    rate = published_annual_rates()[2021]
    first = max(to_rus, key=to_rus.__getitem__)
    assert body["rows"][0]["code"] == first
    assert body["rows"][0]["value"] == pytest.approx(to_rus[first] / rate)
    assert body["rows"][0]["partner_share"] == pytest.approx(100 * to_rus[first] / to_world[first])
    assert len(body["rows"]) == 2 and body["views"][0]["holds"].startswith("every HS 6-digit")
    # each breakdown states its source's basis (reference/data/source_basis.tsv)
    assert body["views"][0]["basis"] == basis_of("baci").statement("EUR")
    assert body["views"][0]["basis"].startswith("published in USD, converted to EUR at the ECB")
    assert "FOB for both flows" in body["views"][0]["basis"]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"level": "cn8"}, 422, "query parameter 'level': Input should be 'section'"),
        ({"currency": "GBP"}, 422, "query parameter 'currency': Input should be 'USD' or 'EUR'"),
        ({"year": 1995}, 404, "No product rows of ZAF's trade with RUS in 1995"),
    ],
    ids=["level", "currency", "no-rows"],
)
def test_api_products_errors(client, params, status, message):
    query = {"reporter": "ZAF", "partner": "RUS", "year": 2021, **params}
    response = client.get("/api/products", params=query)
    assert response.status_code == status
    assert message in response.text


def test_api_products_in_the_openapi_document(client):
    spec = client.get("/openapi.json").json()
    assert "/api/products" in spec["paths"]
    assert "ProductRow" in spec["components"]["schemas"]
