"""Write small workbooks in the Comext DS-045409 spreadsheet layout, for edge cases."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

MONTHS = ("2021-01", "2021-02", "2022-01", "2022-02")


def product_sheet(
    product: str, rows: Sequence[Sequence[object]], flow: str = "EXPORT"
) -> list[list[object]]:
    """One data sheet: the lines Comext prints above and below a product's table."""
    return [
        ["Data extracted on 21/01/2023 20:35:13 from [ESTAT]"],
        ["Dataset: ", "EU trade since 1988 by HS2-4-6 and CN8 [DS-045409__custom_1]"],
        ["Last updated: ", "13/01/2023 11:00"],
        [],
        ["PRODUCT [PRODUCT]", "", product],
        ["FLOW", "", flow],
        ["INDICATORS", "", "VALUE_IN_EUROS"],
        [],
        ["TIME", "TIME", *MONTHS],
        ["FREQ (Labels)", "FREQ (Labels)", *["Monthly"] * len(MONTHS)],
        ["REPORTER (Labels)", "PARTNER (Labels)"],
        *[list(r) for r in rows],
        [],
        ["Special value"],
        [":", "not available"],
    ]


def write_comext_xlsx(path: Path, sheets: Sequence[list[list[object]]]) -> Path:
    """A download with Summary, Structure and the given data sheets ('Sheet 1', ...)."""
    book = Workbook()
    book.active.title = "Summary"
    book["Summary"].append(["EU trade since 1988 by HS2-4-6 and CN8 [DS-045409__custom_1]"])
    book.create_sheet("Structure").append(["Structure"])
    for number, rows in enumerate(sheets, start=1):
        sheet = book.create_sheet(f"Sheet {number}")
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
