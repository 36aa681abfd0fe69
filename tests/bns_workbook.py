"""Write small workbooks in the BNS layout (old BIFF .xls, as BNS ships) for error cases."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import xlwt

HEADER = [
    [" Основные показатели внешней торговли Республики Казахстан"],
    ["за 2022 год"],
    ["", "", "", "", "тыс. долларов США"],
    ["Наименование области", "Товарооборот", "", "Экспорт", "", "Импорт", ""],
    ["", "Всего", "удельный вес, %", "Всего", "удельный вес, %", "Всего", "удельный вес, %"],
]


def write_bns_xls(path: Path, partners: Sequence[Sequence[object]], sheet: str = "2022") -> Path:
    """A one-sheet BNS-style workbook with the given partner rows under the header."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for r, row in enumerate([*HEADER, *partners]):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    book.save(str(path))
    return path
