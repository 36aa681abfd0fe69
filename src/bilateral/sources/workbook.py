"""Opening publishers' spreadsheets (.xls, .xlsx) as lists of rows, with errors that name the file.

Kazakhstan's BNS still ships old BIFF .xls; Russia's FCS and Eurostat ship .xlsx. Calamine
reads both, quickly and without macros.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from bilateral.errors import SourceFormatError
from bilateral.sources import archives

Cell = Any
Rows = list[list[Cell]]


def open_workbook(path: Path) -> CalamineWorkbook:
    """Open a workbook or raise a :class:`SourceFormatError` that says why it cannot be read.

    An .xlsx workbook is a zip: its declared sizes are bounded first (see
    :func:`bilateral.sources.archives.check_sizes`), so a zip bomb is never inflated."""
    if zipfile.is_zipfile(path):
        archives.check_zip(path)
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several types for damaged files
        raise SourceFormatError(
            path,
            f"cannot be read as a spreadsheet ({type(exc).__name__}: {exc})",
            expected="an intact .xls or .xlsx file as published; download it again",
        ) from exc


def sheet_rows(
    path: Path, workbook: CalamineWorkbook, sheet: str, *, from_a1: bool = False
) -> Rows:
    """All rows of one sheet as Python values ('' for empty cells).

    Calamine starts at the first cell in use: on a sheet whose first rows or columns are
    empty, row 0 of the list is not the spreadsheet's row 1. With ``from_a1`` those rows
    and columns come back empty, so that ``rows[i][j]`` is the cell a spreadsheet program
    shows at row i + 1, column j + 1, and errors name the row a user finds there.
    """
    try:
        data = workbook.get_sheet_by_name(sheet)
        rows: Rows = data.to_python()
        if from_a1 and rows:
            top, left = data.start or (0, 0)
            rows = [[] for _ in range(top)] + [[""] * left + row for row in rows]
        return rows
    except Exception as exc:
        raise SourceFormatError(
            path,
            f"cannot read the sheet ({type(exc).__name__}: {exc})",
            sheet=sheet,
            expected="an intact sheet; the file may be truncated",
        ) from exc


def cell_text(value: Cell) -> str:
    """A cell as stripped text ('' for empty)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def cell_number(value: Cell) -> float | None:
    """A numeric cell as float; None for an empty cell or a publisher's mark of a value that
    is not available (a dash, "x", "...", "…", ":"), never zero. Raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text in {"", "-", "–", "—", "x", "х", "...", "…", ":"}:
        return None
    return float(text.replace(",", "."))
