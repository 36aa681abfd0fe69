"""Figures read straight from the published files, without bilateral's readers: a cell of
the Russian customs' 94itog.xlsx, FAOSTAT's import shares of an item. The report's tests
compare its figures with these."""

from __future__ import annotations

import csv

from python_calamine import CalamineWorkbook

from tests.conftest import shared


def fcs_cell(sheet: str, block: str, partner_ru: str) -> float:
    """94itog.xlsx: the value (million USD) of ``partner_ru`` under 'Экспорт' or 'Импорт'."""
    book = CalamineWorkbook.from_path(str(shared("ru-fcs", "94itog.xlsx")))
    current = None
    for row in book.get_sheet_by_name(sheet).to_python():
        label = str(row[0]).strip()
        if label in ("Экспорт", "Импорт"):
            current = label
        elif current == block and label == partner_ru:
            return float(row[1])  # type: ignore[arg-type]
    raise AssertionError(f"94itog.xlsx, sheet '{sheet}': no '{partner_ru}' under '{block}'")


def faostat_import_shares(item: str, year: int) -> dict[str, float]:
    """Each partner's share (percent) of Kazakhstan's imports of a FAO item, over the
    partners the extract lists (KAZ_faostattm.csv, Element 'Import value')."""
    values: dict[str, float] = {}
    with open(shared("faostat", "KAZ_faostattm.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if (row["Item"], row["Element"], int(row["Year"])) == (item, "Import value", year):
                values[row["ISOP"]] = values.get(row["ISOP"], 0.0) + float(row["value"])
    whole = sum(values.values())
    return {partner: v / whole * 100 for partner, v in values.items()}
