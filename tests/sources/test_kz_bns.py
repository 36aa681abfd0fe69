"""The Kazakhstan BNS reader, on the five published workbooks and on damaged copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import countries
from bilateral.sources.kz_bns import KzBnsReader, parse_workbook
from tests.bns_workbook import write_bns_xls
from tests.conftest import shared

WORKBOOK_2022 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls"
WORKBOOK_2023 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls"


def printed_cell(path: Path, sheet: str, name: str, column: int) -> float:
    """Read one printed cell straight from the workbook, independently of the reader."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return next(float(r[column]) for r in rows if str(r[0]).strip() == name)


@pytest.mark.parametrize(
    ("workbook", "sheet", "exporter", "importer", "column"),
    [
        pytest.param(WORKBOOK_2022, "2022", "KAZ", "RUS", 3, id="2022-exports-to-russia"),
        pytest.param(WORKBOOK_2022, "2022", "RUS", "KAZ", 5, id="2022-imports-from-russia"),
        pytest.param(WORKBOOK_2023, "2023", "CHN", "KAZ", 5, id="2023-imports-from-china"),
    ],
)
def test_values_are_printed_thousands_as_usd(workbook, sheet, exporter, importer, column):
    path = shared("kz-bns", workbook)
    table = KzBnsReader().read(path, "sha").table.to_pandas()
    row = table[
        (table.year == int(sheet)) & (table.exporter == exporter) & (table.importer == importer)
    ]
    partner = "Россия" if "RUS" in (exporter, importer) else "Китай"
    assert row.value_usd.item() == pytest.approx(printed_cell(path, sheet, partner, column) * 1000)
    assert row.reported_by.item() == ("exporter" if exporter == "KAZ" else "importer")
    assert row.valuation.item() == ("FOB" if exporter == "KAZ" else "CIF")


def test_every_workbook_parses_with_every_partner_placed():
    for path in sorted(shared("kz-bns").glob("*.xls")):
        sheets = parse_workbook(path)
        assert len(sheets) == 2, path.name
        assert sheets[0].year != sheets[1].year
        assert all(row.code for sheet in sheets for row in sheet.rows)


def test_cover_sheets_of_the_2023_workbook_are_skipped():
    sheets = parse_workbook(shared("kz-bns", WORKBOOK_2023))
    assert [s.sheet for s in sheets] == ["2022", "2023"]


def test_aggregates_stay_aggregates():
    sheets = parse_workbook(shared("kz-bns", WORKBOOK_2022))
    codes = {row.code: row.is_aggregate for row in sheets[0].rows}
    assert codes["WLD"] and codes["CIS"] and codes["EAEU"] and codes["EU27"]
    assert not codes["RUS"] and not codes["CHN"]


@pytest.mark.parametrize(
    ("workbook", "sheet", "holds_the_uk"),
    [
        pytest.param(WORKBOOK_2023, "2022", True, id="2022-sheet-counts-the-uk"),
        pytest.param(WORKBOOK_2023, "2023", False, id="2023-sheet-does-not"),
    ],
)
def test_the_eu_holds_its_27_members_only(workbook, sheet, holds_the_uk):
    """Up to the 2022 sheets the United Kingdom is printed in the block of 'Страны ЕС'
    and counted in it (sheet '2022': row 22 less row 34 is the 27 members' sum)."""
    path = shared("kz-bns", workbook)
    result = KzBnsReader().read(path, "sha")
    table = result.table.to_pandas()
    of_the_year = table[table.year == int(sheet)]
    stored = of_the_year[(of_the_year.exporter == "KAZ") & (of_the_year.importer == "EU27")]
    printed = printed_cell(path, sheet, "Страны ЕС", 3)
    uk = printed_cell(path, sheet, "Соединенное Королевство", 3)
    expected = printed - uk if holds_the_uk else printed
    assert stored.value_usd.item() == pytest.approx(expected * 1000)
    members = table[
        (table.year == int(sheet))
        & (table.exporter == "KAZ")
        & table.importer.isin(countries().by_code["EU27"].members)
    ]
    assert stored.value_usd.item() == pytest.approx(members.value_usd.sum(), rel=1e-6)
    said = [n for n in result.notes if f"sheet '{sheet}'" in n and "not EU27 members" in n]
    assert bool(said) == holds_the_uk


def test_sum_check_reports_each_flow_and_year():
    result = KzBnsReader().read(shared("kz-bns", WORKBOOK_2023), "sha")
    checks = [n for n in result.notes if n.startswith("sum check")]
    assert len(checks) == 4  # exports and imports, for 2022 and 2023
    assert all("'Всего'" in n and "gap" in n for n in checks)


def test_unknown_partner_name_is_an_error_that_lists_it(tmp_path):
    path = write_bns_xls(
        tmp_path / "bns_unknown.xls",
        [
            ["Всего", 30.0, 100, 10.0, 100, 20.0, 100],
            ["Россия", 20.0, 66.7, 5.0, 50, 15.0, 75],
            ["Атлантида", 10.0, 33.3, 5.0, 50, 5.0, 25],
        ],
    )
    with pytest.raises(
        SourceFormatError, match=r"bns_unknown\.xls: .*'Атлантида' \(sheet '2022', row 8\)"
    ):
        parse_workbook(path)


def test_non_numeric_value_names_sheet_row_and_column(tmp_path):
    path = write_bns_xls(tmp_path / "bns_text.xls", [["Всего", 30.0, 100, "n/a", 100, 20.0, 100]])
    with pytest.raises(
        SourceFormatError, match=r"sheet '2022', row 6: 'n/a' in column D is not a number"
    ):
        parse_workbook(path)


def test_truncated_workbook_is_an_error_naming_the_file(tmp_path):
    original = shared("kz-bns", WORKBOOK_2022).read_bytes()
    damaged = tmp_path / "bns_truncated_2022.xls"
    damaged.write_bytes(original[: len(original) // 2])
    with pytest.raises(SourceFormatError, match=r"bns_truncated_2022\.xls: cannot be read"):
        parse_workbook(damaged)
