"""Russia FCS workbooks, read as published: each expected value is a cell read here with
openpyxl (the reader uses calamine), at the sheet and cell the table names."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pytest

from bilateral.errors import SourceFormatError
from bilateral.sources import reader_for
from bilateral.sources.base import ReadResult
from bilateral.sources.ru_fcs import RuFcsReader

FCS = Path(__file__).parents[2].parent / "shared" / "data" / "ru-fcs"
pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not FCS.is_dir(), reason="the published FCS workbooks are not present"),
]
MILLION, BILLION = 1e6, 1e9
TSTV, TSTV_SHEET = "fcs_publikaciya_TSTV_2022.xlsx", "Публикация (1)"
STRANY = "fcs_strany_122023.xlsx"


@cache
def read(name: str) -> ReadResult:
    return RuFcsReader().read(FCS / name, "sha")


@cache
def sheet(name: str, title: str) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(FCS / name, data_only=True)[title]


def rows_for(result: ReadResult, **where: object) -> list[dict[str, object]]:
    return [r for r in result.table.to_pylist() if all(r[k] == v for k, v in where.items())]


def flow(exports: bool, partner: str) -> dict[str, str]:
    if exports:
        return {"exporter": "RUS", "importer": partner, "reported_by": "exporter"}
    return {"exporter": partner, "importer": "RUS", "reported_by": "importer"}


@pytest.mark.parametrize(
    ("sheet_name", "label_cell", "label", "exports", "partner"),
    [
        ("2021", "A10", "Казахстан", True, "KAZ"),
        ("2021", "A19", "Казахстан", False, "KAZ"),
        ("2021", "A20", "Киргизия", False, "KGZ"),
        ("2021", "A21", "Таджикистан", False, "TJK"),
        ("1994", "A5", "Экспорт", True, "WLD"),
        ("2006", "A6", "со странами дальнего зарубежья", True, "NON_CIS"),
        ("2010", "A16", "со странами СНГ", False, "CIS"),
    ],
    ids=[
        "2021-exports-to-Kazakhstan",
        "2021-imports-from-Kazakhstan",
        "2021-imports-from-Kyrgyzstan-alias",
        "2021-imports-from-Tajikistan-decimal",
        "1994-exports-total",
        "2006-exports-outside-CIS",
        "2010-imports-from-CIS",
    ],
)
def test_94itog_values_are_the_printed_cells(
    sheet_name: str, label_cell: str, label: str, exports: bool, partner: str
) -> None:
    ws = sheet("94itog.xlsx", sheet_name)
    assert str(ws[label_cell].value).strip() == label
    printed = ws["B" + label_cell[1:]].value  # million USD
    (row,) = rows_for(read("94itog.xlsx"), year=int(sheet_name), **flow(exports, partner))
    assert row["month"] is None
    assert row["value_usd"] == pytest.approx(printed * MILLION, rel=1e-12)
    assert row["value_original"] == printed
    assert (row["valuation"], row["currency"]) == ("FOB" if exports else "CIF", "USD")
    assert (row["classification"], row["product"], row["release"]) == ("TOTAL", "TOTAL", "2021")


def test_2021_exports_to_kazakhstan_are_18_5_billion() -> None:
    """The worked example: 94itog.xlsx, sheet '2021', row 10 'Казахстан' under 'Экспорт'."""
    printed = sheet("94itog.xlsx", "2021")["B10"].value
    (row,) = rows_for(read("94itog.xlsx"), year=2021, **flow(True, "KAZ"))
    assert row["value_usd"] / 1e9 == pytest.approx(printed / 1e3)
    assert row["reported_by"] == "exporter"


@pytest.mark.parametrize(
    ("sheet_name", "cell", "header", "month_name", "partner"),
    [
        ("Экспорт", "B213", "Китaй", "декабрь", "CHN"),
        ("Экспорт", "C7", "Нидерлaнды", "январь", "NLD"),
        ("Экспорт", "I181", "Республикa \nКорея", "июнь", "KOR"),
        ("Импорт", "L126", "Казахстан", "март", "KAZ"),
        ("Импорт", "AC213", "Тaйвaнь", "декабрь", "TWN"),
    ],
    ids=[
        "exports-China-latin-a-2021-12",
        "exports-Netherlands-2006-01",
        "exports-Korea-two-line-header-2019-06",
        "imports-Kazakhstan-2015-03",
        "imports-Taiwan-2021-12",
    ],
)
def test_96stran_values_are_the_printed_cells(
    sheet_name: str, cell: str, header: str, month_name: str, partner: str
) -> None:
    ws = sheet("96stran.xlsx", sheet_name)
    column, row_number = openpyxl.utils.cell.coordinate_from_string(cell)
    assert ws[f"{column}5"].value == header
    assert ws[f"A{row_number}"].value.strip() == month_name
    year_row = row_number
    while not isinstance(ws[f"A{year_row}"].value, int | float):
        year_row -= 1  # the year row above the months
    year = int(ws[f"A{year_row}"].value)
    printed = ws[cell].value
    exports = sheet_name == "Экспорт"
    months = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
    month = months.split().index(month_name) + 1
    (row,) = rows_for(read("96stran.xlsx"), year=year, month=month, **flow(exports, partner))
    assert row["value_usd"] == pytest.approx(printed * MILLION, rel=1e-12)
    assert row["value_original"] == printed
    assert row["valuation"] == ("FOB" if exports else "CIF")


def test_96stran_prints_no_annual_row_and_the_reader_derives_none() -> None:
    for name in ("Экспорт", "Импорт"):
        ws = sheet("96stran.xlsx", name)
        year_rows = [r for r in ws.iter_rows(min_row=6) if isinstance(r[0].value, int | float)]
        assert len(year_rows) == 16  # 2006-2021
        assert all(c.value in (None, "") for r in year_rows for c in r[1:])
    months = read("96stran.xlsx").table.column("month")
    assert months.null_count == 0
    assert any("no annual figure is derived" in note for note in read("96stran.xlsx").notes)


def test_96stran_not_available_cells_give_no_rows() -> None:
    """Kazakhstan, July-December 2010: both sheets print '…' (column L, rows 65-70)."""
    for name, exports in (("Экспорт", True), ("Импорт", False)):
        ws = sheet("96stran.xlsx", name)
        assert ws["L5"].value == "Казахстан"
        assert [ws[f"L{r}"].value for r in range(65, 71)] == ["…"] * 6
        got = rows_for(read("96stran.xlsx"), year=2010, **flow(exports, "KAZ"))
        assert sorted(r["month"] for r in got) == [1, 2, 3, 4, 5, 6]
    assert any("KAZ 2010-07" in note for note in read("96stran.xlsx").notes)


def test_96stran_months_differ_from_94itog_annual_where_fcs_revised() -> None:
    """The docstring's example: Kazakhstan 2012 exports, months against the annual figure."""
    months = sum(
        r["value_original"] for r in rows_for(read("96stran.xlsx"), year=2012, **flow(True, "KAZ"))
    )
    annual = sheet("94itog.xlsx", "2012")["B10"].value
    assert sheet("94itog.xlsx", "2012")["A10"].value == "Казахстан"
    assert round(months) == 15368 and annual == 15722
    same = sum(
        r["value_original"] for r in rows_for(read("96stran.xlsx"), year=2021, **flow(True, "KAZ"))
    )
    assert same == pytest.approx(sheet("94itog.xlsx", "2021")["B10"].value, abs=1)


def test_94itog_and_96stran_share_no_observation() -> None:
    def keys(name: str) -> set[tuple[object, ...]]:
        table = read(name).table
        columns = ["year", "month", "exporter", "importer", "reported_by", "product"]
        return set(zip(*(table.column(c).to_pylist() for c in columns), strict=True))

    assert not keys("94itog.xlsx") & keys("96stran.xlsx")


@pytest.mark.parametrize(
    ("name", "sheet_name", "cell", "year", "exports", "partner", "product", "unit"),
    [
        (TSTV, TSTV_SHEET, "C6", 2021, True, "WLD", "TOTAL", MILLION),
        (TSTV, TSTV_SHEET, "F10", 2022, True, "WLD", "27", MILLION),
        (TSTV, TSTV_SHEET, "D7", 2021, False, "WLD", "01-24", MILLION),
        (STRANY, "1", "C6", 2023, True, "WLD", "TOTAL", BILLION),
        (STRANY, "1", "E12", 2022, False, "OCEANIA", "TOTAL", BILLION),
    ],
    ids=[
        "2021-exports-total",
        "2022-exports-chapter-27",
        "2021-imports-chapters-01-24",
        "2023-exports-world-billion",
        "2022-imports-Oceania-billion",
    ],
)
def test_2022_publications_are_the_printed_cells(
    name: str,
    sheet_name: str,
    cell: str,
    year: int,
    exports: bool,
    partner: str,
    product: str,
    unit: float,
) -> None:
    printed = sheet(name, sheet_name)[cell].value
    (row,) = rows_for(read(name), year=year, product=product, **flow(exports, partner))
    assert row["classification"] == ("TOTAL" if product == "TOTAL" else "HS_CHAPTER")
    assert row["value_usd"] == pytest.approx(printed * unit, rel=1e-12)
    assert row["value_original"] == printed


def test_a_later_publication_revises_the_same_observation() -> None:
    """94itog (2021) < commodity table (2022) < country-group table (2023)."""
    key = {"product": "TOTAL", **flow(True, "WLD")}
    itog = rows_for(read("94itog.xlsx"), year=2021, **key)
    tstv_2021 = rows_for(read(TSTV), year=2021, **key)
    tstv_2022 = rows_for(read(TSTV), year=2022, **key)
    strany = rows_for(read(STRANY), year=2022, **key)
    assert len(itog) == len(tstv_2021) == len(tstv_2022) == len(strany) == 1
    assert itog[0]["release"] < tstv_2021[0]["release"] < strany[0]["release"]
    assert tstv_2022[0]["value_usd"] != strany[0]["value_usd"]  # 591.5 vs 592.5 bn: revised


def test_chapter_gap_is_reported() -> None:
    notes = read(TSTV).notes
    assert any("chapters not printed: 88, 93" in note for note in notes)


@pytest.mark.parametrize(
    "name", ["94itog.xlsx", "96stran.xlsx", "WEB_UTSA_04.xlsx", "WEB_UTSA_05.xlsx", STRANY, TSTV]
)
def test_reader_for_recognises_fcs_files(name: str) -> None:
    assert isinstance(reader_for(FCS / name), RuFcsReader)


def test_rows_never_pair_russia_with_itself() -> None:
    for name in ("94itog.xlsx", "96stran.xlsx"):
        table = read(name).table
        assert pc.sum(pc.equal(table.column("exporter"), table.column("importer"))).as_py() == 0


# --- damaged copies, made in tmp_path ----------------------------------------------------


def edited(tmp_path: Path, name: str, sheet_name: str, cell: str, value: object) -> Path:
    workbook = openpyxl.load_workbook(FCS / name)
    workbook[sheet_name][cell] = value
    target = tmp_path / name
    workbook.save(target)
    return target


@pytest.mark.parametrize(
    ("name", "sheet_name", "cell", "value", "message"),
    [
        (
            "94itog.xlsx",
            "2021",
            "A10",
            "Атлантида",
            r"94itog\.xlsx: partner names that are neither .*'Атлантида' \(sheet '2021', row 10\)",
        ),
        (
            "96stran.xlsx",
            "Экспорт",
            "C5",
            "Атлантида",
            r"'Атлантида' \(sheet 'Экспорт', row 5, column C\).*expected names in country_aliases",
        ),
        (
            "96stran.xlsx",
            "Импорт",
            "D20",
            "н/д",
            r"96stran\.xlsx, sheet 'Импорт', row 20: 'н/д' in column D is not a number",
        ),
        (
            "96stran.xlsx",
            "Импорт",
            "A7",
            "итого",
            r"sheet 'Импорт', row 7: 'итого' in column A is neither a year nor a month",
        ),
        (
            "94itog.xlsx",
            "2021",
            "B3",
            "",
            r"94itog\.xlsx, sheet '2021': the unit line is missing; expected 'млн долларов США'",
        ),
        (
            TSTV,
            TSTV_SHEET,
            "B4",
            "Январь - сентябрь 2021 г.",
            r"row 4: column B covers 'Январь - сентябрь 2021 г\.', not a full year",
        ),
        (
            TSTV,
            TSTV_SHEET,
            "A30",
            "Прочее",
            r"row 30: 'Прочее' is neither 'ВСЕГО' nor an HS chapter",
        ),
    ],
    ids=[
        "unknown-partner-row",
        "unknown-partner-column",
        "text-in-a-value-cell",
        "label-neither-year-nor-month",
        "unit-line-removed",
        "partial-year-column",
        "row-without-a-chapter",
    ],
)
def test_damaged_workbooks_are_named_errors(
    tmp_path: Path, name: str, sheet_name: str, cell: str, value: object, message: str
) -> None:
    path = edited(tmp_path, name, sheet_name, cell, value)
    with pytest.raises(SourceFormatError, match=message):
        RuFcsReader().read(path, "sha")


def test_a_truncated_workbook_cannot_be_read(tmp_path: Path) -> None:
    data = (FCS / "94itog.xlsx").read_bytes()
    path = tmp_path / "94itog.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match=r"94itog\.xlsx: cannot be read as a spreadsheet"):
        RuFcsReader().read(path, "sha")


def test_an_fcs_table_of_another_layout_is_refused(tmp_path: Path) -> None:
    """A one-sheet FCS workbook with none of the known headings (here a table by quarter
    only, without the 'П О   М Е С Я Ц А М' of the monthly totals)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = "1"
    ws["A1"] = "    ВНЕШНЯЯ  ТОРГОВЛЯ  РОССИИ  В  2021  ГОДУ"
    ws["G3"] = "   П О   К В А Р Т А Л А М"
    ws["A5"], ws["B5"] = "I квартал", 136737.5676
    path = tmp_path / "WEB_UTSA_09.xlsx"
    workbook.save(path)
    with pytest.raises(SourceFormatError, match=r"WEB_UTSA_09\.xlsx: not an FCS table this reader"):
        reader_for(path, source="ru_fcs").read(path, "sha")
