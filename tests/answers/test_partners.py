"""``partners``: a country's partners ranked per source, aggregates apart, checked against
the publishers' own rows (BNS workbooks, FCS 94itog)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bilateral.answers import partners
from bilateral.cli import app
from bilateral.reference.countries import countries
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_cell, bns_rows, bns_usd
from tests.conftest import shared

runner = CliRunner()


@pytest.fixture(scope="module")
def store(bns_fcs_store):
    return Store.open(bns_fcs_store, read_only=True)


def printed_rank(workbook: str, sheet: str, partner_ru: str) -> int:
    """The partner's rank among the countries of the printed table, by turnover (column
    B): 1 + the number of country rows with a larger turnover. Rows naming aggregates
    ('Страны СНГ', 'Европа', ...) are left out, as the reference tables classify them."""
    index = countries()
    turnover: dict[str, float] = {}
    for row in bns_rows(workbook, sheet):
        country = index.find(str(row[0]).strip()) if row and row[0] else None
        if country is not None and not country.is_aggregate and isinstance(row[1], float):
            turnover[str(row[0]).strip()] = row[1]
    mine = turnover[partner_ru]
    return 1 + sum(value > mine for value in turnover.values())


def country(result, code):
    (row,) = [r for r in result.rows() if r["partner"] == code and r["source"] == "kz_bns"]
    return row


def test_russia_first_with_the_printed_share(store):
    # BNS 2023 workbook, sheet '2022', row 12 'Россия': B (thousand USD), C (share, %)
    result = partners(store, "KAZ", 2022)
    russia = country(result, "RUS")
    assert russia["rank"] == 1
    assert russia["kind"] == "country"
    assert russia["value_usd"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"), abs=1
    )
    assert russia["share"] == pytest.approx(
        bns_cell(WORKBOOK_2023, "2022", "Россия", "turnover_share"), abs=5e-4
    )


@pytest.mark.parametrize(
    ("code", "partner_ru"),
    [
        pytest.param("KOR", "Республика Корея", id="korea-up"),
        pytest.param("NLD", "Нидерланды", id="netherlands-down"),
        pytest.param("CHN", "Китай", id="china-same"),
    ],
)
def test_rank_change_on_the_year_before(store, code, partner_ru):
    # ranks among the printed country rows: 2023 workbook sheet '2022', 2022 workbook
    # sheet '2021' (each year from its latest publication)
    now = printed_rank(WORKBOOK_2023, "2022", partner_ru)
    before = printed_rank(WORKBOOK_2022, "2021", partner_ru)
    row = country(partners(store, "KAZ", 2022), code)
    assert (row["rank"], row["previous_rank"], row["rank_change"]) == (now, before, before - now)
    assert row["growth_pct"] == pytest.approx(
        (
            bns_usd(WORKBOOK_2023, "2022", partner_ru, "turnover")
            / bns_usd(WORKBOOK_2022, "2021", partner_ru, "turnover")
            - 1
        )
        * 100,
        abs=1e-6,
    )


@pytest.mark.parametrize(
    ("code", "partner_ru", "not_members"),
    [
        pytest.param("WLD", "Всего", (), id="world"),
        pytest.param("CIS", "Страны СНГ", (), id="cis"),
        pytest.param("EAEU", "Страны ЕАЭС", (), id="eaeu"),
        # the 2022 sheet still counts the United Kingdom (row 34) in 'Страны ЕС' (row 22)
        pytest.param("EU27", "Страны ЕС", ("Соединенное Королевство",), id="eu27"),
    ],
)
def test_aggregates_are_listed_apart_with_their_printed_share(
    store, code, partner_ru, not_members
):
    # BNS 2023 workbook, sheet '2022', the aggregate's row: B (thousand USD), C (share, %)
    result = partners(store, "KAZ", 2022, flow="turnover")
    row = country(result, code)
    assert row["kind"] != "country"
    assert row["rank"] is None and row["rank_change"] is None
    less = sum(bns_usd(WORKBOOK_2023, "2022", name, "turnover") for name in not_members)
    less_share = sum(
        bns_cell(WORKBOOK_2023, "2022", name, "turnover_share") for name in not_members
    )
    assert row["value_usd"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", partner_ru, "turnover") - less, abs=1
    )
    assert row["share"] == pytest.approx(
        bns_cell(WORKBOOK_2023, "2022", partner_ru, "turnover_share") - less_share, abs=2e-3
    )


def test_no_aggregate_is_ranked_among_countries(store):
    result = partners(store, "KAZ", 2022, flow="exports")
    index = countries().by_code
    ranked = [r for r in result.rows() if r["rank"] is not None]
    assert ranked and all(r["kind"] == "country" for r in ranked)
    assert not any(index[r["partner"]].is_aggregate for r in ranked if r["partner"] in index)
    # countries first, then the aggregates of the same source
    kinds = [r["kind"] == "country" for r in result.of("kz_bns", "KAZ", kind="aggregate")]
    assert kinds and not any(kinds)


def test_top_keeps_n_countries_and_every_aggregate(store):
    result = partners(store, "KAZ", 2022, flow="imports", top=3)
    mine = result.of("kz_bns", "KAZ")
    assert [r["rank"] for r in mine] == [1, 2, 3]
    assert {"WLD", "CIS", "EAEU"} <= {r["partner"] for r in result.of("kz_bns", "KAZ", "aggregate")}


def test_a_partial_table_has_no_rank_and_says_why(store):
    # FCS lists Russia's main partners, not all: no rank. Its printed world total makes
    # the CIS's share: 94itog.xlsx, sheet '2021', B7 ('со странами СНГ') / B5 ('Экспорт')
    result = partners(store, "RUS", 2021, flow="exports")
    (table,) = [t for t in result.tables if t.source == "ru_fcs"]
    assert not table.ranked
    assert "not every partner" in (table.why or "")
    assert all(r["rank"] is None for r in result.rows())
    sheet = load_workbook(shared("ru-fcs", "94itog.xlsx"), read_only=True)["2021"]
    cis = next(r for r in result.rows() if r["partner"] == "CIS")
    assert cis["value_usd"] == pytest.approx(sheet["B7"].value * 1e6)
    assert cis["share"] == pytest.approx(sheet["B7"].value / sheet["B5"].value * 100)


def run(store_root, *args):
    return runner.invoke(app, ["--store", str(store_root), "partners", *args])


def test_terminal_tables_per_source_with_aggregates_apart(bns_fcs_store):
    result = run(bns_fcs_store, "Казахстан", "--year", "2022", "--top", "5")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "KAZ's partners in 2022 by turnover, USD: kz_bns (KAZ's statistics)" in text
    assert "Russia (RUS)" in text and "19.90%" in text
    assert "aggregate (not ranked)" in text and "CIS countries (CIS)" in text
    assert "▲3" in text  # South Korea: 8th in 2021, 5th in 2022


def test_csv_rows_carry_kind_and_rank_change(bns_fcs_store):
    result = run(bns_fcs_store, "KAZ", "--year", "2022", "--top", "2", "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["partner"] for r in rows if r["kind"] == "country"] == ["RUS", "CHN"]
    assert {r["rank"] for r in rows if r["kind"] != "country"} == {""}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--year", "2022", "--flow", "balance"], "Unknown flow", id="flow"),
        pytest.param(["--year", "1990"], "No partner table of KAZ for 1990", id="year"),
        pytest.param(["--year", "2022", "--top", "0"], "at least 1", id="top"),
    ],
)
def test_errors_are_one_line(bns_fcs_store, args, message):
    result = run(bns_fcs_store, "KAZ", *args)
    assert result.exit_code == 1
    assert message in result.stderr


def test_markdown_keeps_a_rank_change_of_zero(bns_fcs_store):
    # Russia: first in 2021 (2022 workbook, sheet '2021') and in 2022 (2023 workbook)
    result = run(bns_fcs_store, "KAZ", "--year", "2022", "--top", "1", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "| kz_bns | KAZ | 2022 | turnover | country | 1 | 0 | RUS | Russia |" in result.stdout
