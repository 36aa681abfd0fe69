"""Read printed figures straight from the BNS workbooks, independently of our reader.

Tests compare what bilateral shows with these cells: the workbook, sheet and row are
named in every call, so a failing test says where the expected figure comes from.
"""

from __future__ import annotations

from python_calamine import CalamineWorkbook

from tests.conftest import shared

COLUMNS = {"turnover": 1, "turnover_share": 2, "exports": 3, "exports_share": 4, "imports": 5}
WORKBOOK_2023 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls"
WORKBOOK_2022 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls"


def bns_rows(workbook: str, sheet: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(shared("kz-bns", workbook)))
    return book.get_sheet_by_name(sheet).to_python()


def bns_cell(workbook: str, sheet: str, partner_ru: str, column: str) -> float:
    """The printed value in the row whose column A reads ``partner_ru`` (thousand USD or %)."""
    for row in bns_rows(workbook, sheet):
        if row and str(row[0]).strip() == partner_ru:
            return float(row[COLUMNS[column]])  # type: ignore[arg-type]
    raise AssertionError(f"{workbook}, sheet '{sheet}': no row '{partner_ru}'")


def bns_usd(workbook: str, sheet: str, partner_ru: str, column: str) -> float:
    """A printed money cell in US dollars (BNS prints thousand USD)."""
    return bns_cell(workbook, sheet, partner_ru, column) * 1000
