"""A workbook sheet's cells read with openpyxl, independently of bilateral's readers (which
use calamine): what the tests of the published Comext workbooks compare against."""

from __future__ import annotations

import warnings
from pathlib import Path

from openpyxl import load_workbook


def sheet_rows(path: Path, sheet: str) -> list[tuple[object, ...]]:
    """Every row of ``sheet`` as a tuple of cell values."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Comext workbooks carry no default style
        book = load_workbook(path, read_only=True)
    worksheet = book[sheet]
    worksheet.reset_dimensions()  # the downloads declare a 1x1 dimension
    rows = list(worksheet.iter_rows(values_only=True))
    book.close()
    return rows
