"""Write small workbooks in the layout of FCS's monthly totals (WEB_UTSA_05.xlsx, sheet '1'):
the same rows and columns as published, with figures the test chooses."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

MONTHS = (
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
)
THROUGH = ["Январь", *(f"Январь-{m.lower()}" for m in MONTHS[1:])]
QUARTERS = ("I квартал", "II квартал", "III квартал", "IV квартал")
#: Rows of WEB_UTSA_05.xlsx (1-based; rows 1-3 are empty): the years above each table's
#: flows, and each table's first period.
CUMULATIVE_HEAD, MONTH_HEAD, QUARTER_HEAD = 13, 33, 53
CUMULATIVE_ROW, MONTH_ROW, QUARTER_ROW = 17, 37, 57
FLOWS = ["Оборот", "Экспорт", "Импорт"]
Months = Sequence[tuple[float, float]]  # (exports, imports) of each month published


def _header(ws: openpyxl.worksheet.worksheet.Worksheet, row: int, years: tuple[int, int]) -> None:
    first, second = years
    ws.cell(row, 2, f"{first} год")
    ws.cell(row, 5, f"   {second} год")
    ws.cell(row, 8, f"       {second} г. в % к {first} г.")
    ws.cell(row, 14, "Сальдо")
    for column, text in enumerate(FLOWS * 3, start=2):
        ws.cell(row + 1, column, text)
    ws.cell(row + 1, 14, f"  {first} г.")
    ws.cell(row + 1, 15, f"  {second} г.")


def _figures(published: Months) -> list[tuple[float, float]]:
    """Twelve (exports, imports): the months published, then 0 as FCS prints them."""
    return [*published, *[(0.0, 0.0)] * (12 - len(published))]


def _cumulative(published: Months) -> list[tuple[float, float]]:
    """Twelve periods from January: after the last month published, its sums repeat."""
    sums, exports, imports = [], 0.0, 0.0
    for month in range(12):
        if month < len(published):
            exports += published[month][0]
            imports += published[month][1]
        sums.append((exports, imports))
    return sums


def _row(
    ws: openpyxl.worksheet.worksheet.Worksheet,
    row: int,
    label: str,
    first: tuple[float, float],
    second: tuple[float, float],
) -> None:
    ws.cell(row, 1, label)
    for column, (exports, imports) in ((2, first), (5, second)):
        ws.cell(row, column, exports + imports)
        ws.cell(row, column + 1, exports)
        ws.cell(row, column + 2, imports)
    for offset in range(3):
        before, now = ws.cell(row, 2 + offset).value, ws.cell(row, 5 + offset).value
        ws.cell(row, 8 + offset, 100 * now / before if before else 0.0)
    ws.cell(row, 14, first[0] - first[1])
    ws.cell(row, 15, second[0] - second[1])


def _change_section(
    ws: openpyxl.worksheet.worksheet.Worksheet,
    head: int,
    title: str,
    change: str,
    years: tuple[int, int],
) -> None:
    """A section's title and header, with the columns of change on the period before (the
    by-month and by-quarter tables have them; the cumulative one does not)."""
    ws.cell(head - 2, 7, title)
    _header(ws, head, years)
    ws.cell(head, 11, change)
    for column, text in enumerate(FLOWS, start=11):
        ws.cell(head + 1, column, text)


def write_totals_xlsx(
    path: Path,
    years: tuple[int, int],
    first: Months,
    second: Months,
    heading: str = "                 СТРАНЫ  ДАЛЬНЕГО  ЗАРУБЕЖЬЯ",
) -> Path:
    """A monthly totals workbook for two years: ``first`` and ``second`` are the months
    published of each, (exports, imports) in million USD; the rest are printed as 0."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "1"
    ws.cell(4, 1, f"    ВНЕШНЯЯ  ТОРГОВЛЯ  РОССИИ  В  {years[0]}  ГОДУ")
    ws.cell(8, 5, heading)
    ws.cell(10, 6, "             (миллионов долларов)")
    _header(ws, CUMULATIVE_HEAD, years)
    for n, (a, b) in enumerate(zip(_cumulative(first), _cumulative(second), strict=True)):
        _row(ws, CUMULATIVE_ROW + n, THROUGH[n], a, b)
    _change_section(ws, MONTH_HEAD, "     П О   М Е С Я Ц А М", "В % к предыдущему месяцу", years)
    for n, (a, b) in enumerate(zip(_figures(first), _figures(second), strict=True)):
        _row(ws, MONTH_ROW + n, MONTHS[n], a, b)
    _change_section(
        ws, QUARTER_HEAD, "   П О   К В А Р Т А Л А М", "В % к предыдущ. кварталу", years
    )
    for n, label in enumerate(QUARTERS):
        a = [sum(v[i] for v in _figures(first)[3 * n : 3 * n + 3]) for i in (0, 1)]
        b = [sum(v[i] for v in _figures(second)[3 * n : 3 * n + 3]) for i in (0, 1)]
        _row(ws, QUARTER_ROW + n, label, (a[0], a[1]), (b[0], b[1]))
    book.save(path)
    return path


def edit(path: Path, cell: str, value: object) -> Path:
    """``path`` with one cell of sheet '1' changed, saved in place."""
    book = openpyxl.load_workbook(path)
    book["1"][cell] = value
    book.save(path)
    return path
