"""FCS monthly totals (WEB_UTSA_04.xlsx: Russia and the world; WEB_UTSA_05.xlsx: Russia and
the countries outside the CIS): the by-month figures become monthly rows, checked against
the periods from January printed beside them. Expected values are cells read here with
openpyxl (the reader uses calamine), at the sheet, row and column the test names; the
fixture workbooks repeat WEB_UTSA_05's rows and columns (tests/fcs_totals_workbook.py)."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.errors import SourceFormatError
from bilateral.indicators.rows import annual
from bilateral.sources.base import ReadResult
from bilateral.sources.ru_fcs import RuFcsReader
from bilateral.store import Store
from tests.conftest import shared, snapshot
from tests.fcs_totals_workbook import (
    CUMULATIVE_ROW,
    MONTH_ROW,
    QUARTER_ROW,
    edit,
    write_totals_xlsx,
)

MILLION = 1e6
WORLD_FILE, NON_CIS_FILE = "WEB_UTSA_04.xlsx", "WEB_UTSA_05.xlsx"
#: The flows row above each file's 'П О   М Е С Я Ц А М' table.
FLOWS_ROW = {WORLD_FILE: 44, NON_CIS_FILE: 34}
runner = CliRunner()


@cache
def read(name: str) -> ReadResult:
    return RuFcsReader().read(shared("ru-fcs", name), "sha")


@cache
def sheet(name: str) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(shared("ru-fcs", name), data_only=True)["1"]


def rows_for(result: ReadResult, **where: object) -> list[dict[str, object]]:
    return [r for r in result.table.to_pylist() if all(r[k] == v for k, v in where.items())]


def side(flow: str, partner: str) -> dict[str, str]:
    if flow == "exports":
        return {"exporter": "RUS", "importer": partner, "reported_by": "exporter"}
    return {"exporter": partner, "importer": "RUS", "reported_by": "importer"}


# --- the publisher's files -------------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("name", "cell", "label", "year", "flow", "partner"),
    [
        (WORLD_FILE, "F47", "Январь", 2021, "exports", "WLD"),
        (WORLD_FILE, "G54", "Август", 2021, "imports", "WLD"),
        (WORLD_FILE, "C58", "Декабрь", 2020, "exports", "WLD"),
        (NON_CIS_FILE, "D48", "Декабрь", 2021, "imports", "NON_CIS"),
        (NON_CIS_FILE, "F37", "Январь", 2022, "exports", "NON_CIS"),
    ],
    ids=[
        "world-exports-2021-01",
        "world-imports-2021-08",
        "world-exports-2020-12",
        "non-cis-imports-2021-12",
        "non-cis-exports-2022-01-the-one-month-published",
    ],
)
def test_by_month_values_are_the_printed_cells(
    name: str, cell: str, label: str, year: int, flow: str, partner: str
) -> None:
    """Sheet '1', the 'П О   М Е С Я Ц А М' table: column A the month, the flows row above
    names the column's flow (B-D the first year, E-G the second)."""
    ws = sheet(name)
    column, row_number = openpyxl.utils.cell.coordinate_from_string(cell)
    assert ws[f"A{row_number}"].value == label
    assert (
        ws[f"{column}{FLOWS_ROW[name]}"].value == {"exports": "Экспорт", "imports": "Импорт"}[flow]
    )
    month = ("Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
             "Сентябрь", "Октябрь", "Ноябрь", "Декабрь").index(label) + 1  # fmt: skip
    (row,) = rows_for(read(name), year=year, month=month, **side(flow, partner))
    printed = ws[cell].value  # million USD
    assert row["value_original"] == printed
    assert row["value_usd"] == pytest.approx(printed * MILLION, rel=1e-12)
    assert (row["source"], row["classification"], row["product"]) == ("ru_fcs", "TOTAL", "TOTAL")
    assert (row["valuation"], row["currency"]) == ("FOB" if flow == "exports" else "CIF", "USD")


@pytest.mark.shared_data
def test_january_to_august_2021_world_turnover_is_row_34() -> None:
    """WEB_UTSA_04.xlsx, sheet '1', row 34 'Январь-август', column E (2021 turnover):
    482,561.18 million USD, the sum of the monthly rows of months 1-8 (both flows)."""
    ws = sheet(WORLD_FILE)
    assert ws["A34"].value == "Январь-август" and ws["E24"].value == "Оборот"
    months = [r for r in rows_for(read(WORLD_FILE), year=2021) if r["month"] <= 8]
    assert len(months) == 16
    total = sum(r["value_usd"] for r in months)
    assert total == pytest.approx(ws["E34"].value * MILLION, rel=1e-12)
    assert round(total / MILLION, 2) == 482_561.18


@pytest.mark.shared_data
def test_the_non_cis_months_not_yet_published_give_no_rows() -> None:
    """WEB_UTSA_05.xlsx, sheet '1': 2022 (columns E-G) prints February-December by month
    (rows 38-48) as 0, and the periods from January (rows 18-28) repeat January (row 17)."""
    ws = sheet(NON_CIS_FILE)
    labels = (ws["A38"].value, ws["A48"].value, ws["A17"].value, ws["A28"].value)
    assert labels == ("Февраль", "Декабрь", "Январь", "Январь-декабрь")
    assert [ws[f"{c}{r}"].value for r in range(38, 49) for c in "EFG"] == [0] * 33
    january = [ws[f"{c}17"].value for c in "EFG"]
    assert all([ws[f"{c}{r}"].value for c in "EFG"] == january for r in range(18, 29))
    result = read(NON_CIS_FILE)
    assert sorted({r["month"] for r in rows_for(result, year=2022)}) == [1]
    assert len(rows_for(result, year=2021)) == 24
    assert result.release == "2022-01"
    assert any("2022-02 to 2022-12" in n and "no rows" in n for n in result.notes)


@pytest.mark.shared_data
def test_the_annual_totals_above_the_tables_are_a_note_not_rows() -> None:
    """WEB_UTSA_04.xlsx, sheet '1', row 6 'ЭКСПОРТ*', column I (2021): 493,344.33 with the
    footnote's additions; the months sum to row 38 'Январь-декабрь', column F: 491,580.33."""
    ws = sheet(WORLD_FILE)
    assert ws["A6"].value == "ЭКСПОРТ*" and ws["A38"].value == "Январь-декабрь"
    result = read(WORLD_FILE)
    assert all(r["month"] is not None for r in result.table.to_pylist())
    assert result.release == "2021-12"
    (note,) = [n for n in result.notes if n.startswith("WLD 2021")]
    assert f"exports {ws['I6'].value:,.1f}" in note
    assert f"{ws['F38'].value:,.1f}" in note


@pytest.mark.shared_data
def test_the_annual_world_figure_stays_the_annual_rows(tmp_path: Path) -> None:
    """With 94itog held, the year's world figure is its annual row (2021 exports 94itog
    sheet '2021', row 5, column B), never the twelve months summed (which leave out what
    the annual figure adds); the months stay there to be summed over part of a year."""
    store = Store.open(tmp_path / "store")
    store.ingest([shared("ru-fcs", "94itog.xlsx"), shared("ru-fcs", WORLD_FILE)])
    world = annual(store.flows("ru_fcs"))
    world = world.filter((world.exporter == "RUS") & (world.importer == "WLD"))
    frame = store.execute(world.filter(world.year.isin([2020, 2021])))
    itog = openpyxl.load_workbook(shared("ru-fcs", "94itog.xlsx"), data_only=True)
    assert itog["2021"]["A5"].value.strip() == "Экспорт"
    by_year = dict(zip(frame["year"], frame["value_usd"], strict=True))
    assert by_year[2021] == pytest.approx(itog["2021"]["B5"].value * MILLION)
    assert by_year[2020] == pytest.approx(itog["2020"]["B5"].value * MILLION)
    assert len(frame) == 2  # one figure a year: the months did not add a second


@pytest.mark.shared_data
def test_ingesting_the_publisher_s_files_twice_changes_nothing(tmp_path: Path) -> None:
    files = [shared("ru-fcs", WORLD_FILE), shared("ru-fcs", NON_CIS_FILE)]
    store = Store.open(tmp_path / "store")
    assert [r.status for r in store.ingest(files)] == ["ingested", "ingested"]
    before = snapshot(store.root)
    assert [r.status for r in Store.open(store.root).ingest(files)] == ["unchanged"] * 2
    assert snapshot(store.root) == before


@pytest.mark.shared_data
@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        (
            "F50",
            36914.5348 + 100,  # April 2021 exports, 100 million more than printed
            r"^Error: WEB_UTSA_04\.xlsx, sheet '1', row 50: exports 2021 in column F: the "
            r"months from January to 'Апрель' sum to 130,718\.45, but row 30 "
            r"'Январь-апрель' prints 130,618\.45; expected by-month figures that add up",
        ),
        (
            "G52",
            "н/д",
            r"^Error: WEB_UTSA_04\.xlsx, sheet '1', row 52: 'н/д' in column G is not a number",
        ),
    ],
    ids=["a-month-that-breaks-the-cumulative-sum", "text-in-a-value-cell"],
)
def test_a_damaged_publisher_s_file_is_refused_in_one_line(
    store_holding_a_file: Store, tmp_path: Path, cell: str, value: object, message: str
) -> None:
    """WEB_UTSA_04.xlsx, sheet '1', edited in one cell of the by-month table."""
    path = edit(shutil.copy(shared("ru-fcs", WORLD_FILE), tmp_path / WORLD_FILE), cell, value)
    store = store_holding_a_file
    before = snapshot(store.root)
    result = runner.invoke(app, ["--store", str(store.root), "ingest", str(path)])
    output = (result.stdout + result.stderr).strip()
    assert result.exit_code == 1
    assert len(output.splitlines()) == 1, output
    assert re.search(message, output), output
    assert snapshot(store.root) == before


# --- fixtures in the publisher's layout ------------------------------------------------

#: WEB_UTSA_05.xlsx, sheet '1', cell E8; WEB_UTSA_04.xlsx prints '    В С Е Г О' in G18.
NON_CIS_HEADING = "                 СТРАНЫ  ДАЛЬНЕГО  ЗАРУБЕЖЬЯ"
#: (exports, imports) by month, million USD: a year in full, as the fixtures' first year.
YEAR = [(20_000.0 + 1_000 * m + 0.25, 15_000.0 + 500 * m + 0.5) for m in range(12)]


def fixture(tmp_path: Path, second: int, name: str = NON_CIS_FILE, **kwargs: str) -> Path:
    """WEB_UTSA_05's layout for 2021 (twelve months) and 2022 (``second`` months)."""
    return write_totals_xlsx(tmp_path / name, (2021, 2022), YEAR, YEAR[:second], **kwargs)


@pytest.mark.parametrize(
    ("second", "heading", "partner", "months", "release"),
    [
        (12, NON_CIS_HEADING, "NON_CIS", list(range(1, 13)), "2022-12"),
        (3, NON_CIS_HEADING, "NON_CIS", [1, 2, 3], "2022-03"),
        (1, NON_CIS_HEADING, "NON_CIS", [1], "2022-01"),
        (0, "    В С Е Г О", "WLD", [], "2021-12"),
    ],
    ids=["a-full-year", "three-months-then-zeros", "january-only-as-web-utsa-05",
         "nothing-yet-letter-spaced-world"],
)  # fmt: skip
def test_only_the_months_published_become_rows(
    tmp_path: Path, second: int, heading: str, partner: str, months: list[int], release: str
) -> None:
    """The rule: a month whose by-month cells are 0 while the period from January does not
    grow is not published; published months give one exports and one imports row each."""
    result = RuFcsReader().read(fixture(tmp_path, second, heading=heading), "sha")
    assert sorted({r["month"] for r in rows_for(result, year=2022)}) == months
    assert len(rows_for(result, year=2021)) == 24
    assert result.release == result.table.column("release")[0].as_py() == release
    april = rows_for(result, year=2021, month=4, **side("imports", partner))
    assert [r["value_original"] for r in april] == [YEAR[3][1]]
    assert result.places is not None
    places = result.places.to_pylist()
    assert places[0] == {"sheet": "1", "row": MONTH_ROW}  # January 2021, exports


def damaged(tmp_path: Path, second: int, *cells: tuple[str, object]) -> Path:
    path = fixture(tmp_path, second)
    for cell, value in cells:
        edit(path, cell, value)
    return path


@pytest.mark.parametrize(
    ("second", "cells", "message"),
    [
        (
            12,
            [("F40", YEAR[3][0] + 100)],  # April 2022 exports
            r"WEB_UTSA_05\.xlsx, sheet '1', row 40: exports 2022 in column F: the months "
            r"from January to 'Апрель' sum to 86,101\.00, but row 20 'Январь-апрель' "
            r"prints 86,001\.00; expected by-month figures that add up to the cumulative "
            r"rows, within rounding$",
        ),
        (
            12,
            [("G39", "н/д")],
            r"WEB_UTSA_05\.xlsx, sheet '1', row 39: 'н/д' in column G is not a number",
        ),
        (
            3,  # April printed 0 by month, but its period from January grows
            [("F20", sum(e for e, _ in YEAR[:3]) + 50)],
            r"row 40: exports 2022 in column F: the months from January to 'Апрель' sum to "
            r"63,000\.75, but row 20 'Январь-апрель' prints 63,050\.75",
        ),
        (
            3,  # May printed after an April that is not
            [("F41", 5.0)],
            r"row 41: 'Май' holds 2022 figures after the unpublished апрель; expected the "
            r"months published so far",
        ),
        (
            12,  # December's turnover 100 more
            [("E48", sum(YEAR[11]) + 100)],
            r"row 48: turnover 2022 in column E: the months from January to 'Декабрь' sum to "
            r"519,109\.00, but row 28 'Январь-декабрь' prints 519,009\.00",
        ),
        (
            12,
            [("E48", sum(YEAR[11]) + 100), ("E28", sum(map(sum, YEAR)) + 100)],
            r"row 48: turnover 2022 in column E \(51,600\.75\) is not exports \(F\) plus "
            r"imports \(G\), 51,500\.75",
        ),
        (
            12,
            [("A42", "Итого")],
            r"row 42: 'Итого' in column A is not a month; expected a month name",
        ),
        (
            12,
            [("E8", "СТРАНЫ ЗАГРАНИЦЕЙ")],
            r"sheet '1': headings name no partner; expected one heading naming the partner",
        ),
    ],
    ids=[
        "a-month-that-breaks-the-cumulative-sum",
        "text-in-a-value-cell",
        "zero-by-month-while-the-cumulative-grows",
        "a-month-after-an-unpublished-one",
        "a-turnover-that-breaks-the-cumulative-sum",
        "turnover-is-not-exports-plus-imports",
        "a-label-that-is-not-a-month",
        "no-partner-heading",
    ],
)
def test_a_damaged_fixture_is_refused_in_one_line(
    tmp_path: Path, second: int, cells: list[tuple[str, object]], message: str
) -> None:
    path = damaged(tmp_path, second, *cells)
    with pytest.raises(SourceFormatError, match=message) as raised:
        RuFcsReader().read(path, "sha")
    assert "\n" not in str(raised.value)


def test_a_refused_fixture_leaves_the_store_unchanged(
    store_holding_a_file: Store, tmp_path: Path
) -> None:
    path = damaged(tmp_path, 12, ("F40", YEAR[3][0] + 100))
    before = snapshot(store_holding_a_file.root)
    with pytest.raises(SourceFormatError, match=r"row 40: exports 2022 in column F"):
        store_holding_a_file.ingest([path])
    assert snapshot(store_holding_a_file.root) == before


def test_ingesting_a_fixture_twice_changes_nothing(tmp_path: Path) -> None:
    path = fixture(tmp_path, 3)
    store = Store.open(tmp_path / "store")
    (first,) = store.ingest([path])
    assert (first.status, first.rows, first.release) == ("ingested", 30, "2022-03")
    before = snapshot(store.root)
    (again,) = Store.open(store.root).ingest([path])
    assert again.status == "unchanged"
    assert snapshot(store.root) == before


@pytest.mark.shared_data
def test_the_fixture_repeats_the_publisher_s_layout(tmp_path: Path) -> None:
    """Headings, units and column heads in the same cells as WEB_UTSA_05.xlsx, sheet '1';
    the periods from January from row 17, the months from row 37, labelled alike."""
    ws = openpyxl.load_workbook(fixture(tmp_path, 1))["1"]
    published = sheet(NON_CIS_FILE)
    head_rows = (1, 2, 3, 4, 8, 10, 13, 14, 31, 33, 34, 51, 53, 54)
    heads = [f"{c}{r}" for r in head_rows for c in "ABCDEFGHIJKLMNO"]
    periods = [*range(CUMULATIVE_ROW, 29), *range(MONTH_ROW, 49), *range(QUARTER_ROW, 61)]
    labels = [f"A{r}" for r in periods]
    for cell in heads + labels:
        assert ws[cell].value == (published[cell].value or None), cell
