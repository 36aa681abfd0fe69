"""Eurostat Comext DS-045409 spreadsheet downloads ("EU trade since 1988 by HS2-4-6 and CN8").

The data browser's "spreadsheet" download is an .xlsx with a Summary sheet, a Structure
sheet and one data sheet per product ("Sheet 1", "Sheet 2", ...). A data sheet names its
product ("label [code]"), flow (EXPORT or IMPORT) and indicator (VALUE_IN_EUROS) above a
table with one row per reporter (EU member state) and partner and one column per month
("2020-01"), values in euro. Below the table a legend explains the special values; these
downloads use only ":" ("not available").

How the rows land in the canonical table:

* exports: exporter = member state, importer = partner, reported_by exporter, FOB;
  imports: exporter = partner, importer = member state, reported_by importer, CIF.
* ``value_original`` is the printed euro value, ``value_usd`` that value at the annual
  average EUR->USD rate of its year (:mod:`bilateral.reference.exchange_rates`).
* A ":" cell is *not* a row: it is unknown (Comext does not separate "no trade" from
  "confidential"), never zero. Each file's notes count these cells.
* ``classification`` keeps the level of the product code, because one extract can mix
  levels that overlap: ``CN8`` (8 digits), ``HS6``, ``HS4`` (a heading, which also holds
  every CN8 code under it), ``HS2`` (a chapter) and ``TOTAL``. Summing across levels
  double counts; indicators pick one level (the sanctions lens uses CN8 and TOTAL).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import countries
from bilateral.reference.exchange_rates import EUR_USD_SOURCE, usd_per_eur
from bilateral.reference.lists import ListEntry
from bilateral.schema import TOTAL, conform
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.workbook import Rows, cell_text, open_workbook, sheet_rows

SOURCE = "comext_cn8"
NOT_AVAILABLE = ":"
INDICATOR = "VALUE_IN_EUROS"
FLOWS = ("EXPORT", "IMPORT")
_PRODUCT = re.compile(r"^(?P<label>.*)\[(?P<code>[^\]]+)\]\s*$", re.DOTALL)
_PERIOD = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$")
_PARENTHETICAL = re.compile(r"\s*\([^()]*(?:\([^()]*\)[^()]*)*\)\s*$")
_UPDATED = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def classification_of(code: str) -> str | None:
    """The level a Comext product code stands for (CN8, HS6, HS4, HS2, TOTAL), or None."""
    if code == TOTAL:
        return TOTAL
    if code.isdigit():
        return {8: "CN8", 6: "HS6", 4: "HS4", 2: "HS2"}.get(len(code))
    return None


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 37 -> AL)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class ProductSheet:
    """One data sheet: a product, a flow, and its table of reporter x partner x month."""

    sheet: str
    code: str
    label: str
    classification: str
    flow: str  # EXPORT | IMPORT
    periods: list[tuple[int, int]]  # (year, month) per value column
    first_value_column: int  # 0-based
    header_row: int  # 0-based index of the 'REPORTER (Labels)' row


def _label_row(rows: Rows, label: str, limit: int = 15) -> int | None:
    for index, row in enumerate(rows[:limit]):
        if row and cell_text(row[0]) == label:
            return index
    return None


def _required_row(path: Path, sheet: str, rows: Rows, label: str, expected: str) -> int:
    index = _label_row(rows, label)
    if index is None:
        raise SourceFormatError(
            path, f"no '{label}' line above the table", sheet=sheet, expected=expected
        )
    return index


def parse_sheet_header(path: Path, sheet: str, rows: Rows) -> ProductSheet:
    """Read and check the lines above a data sheet's table."""
    product_row = _required_row(path, sheet, rows, "PRODUCT [PRODUCT]", "the product line")
    product_text = cell_text(rows[product_row][2]) if len(rows[product_row]) > 2 else ""
    match = _PRODUCT.match(product_text)
    classification = classification_of(match.group("code").strip()) if match else None
    if match is None or classification is None:
        raise SourceFormatError(
            path,
            f"product '{product_text}' has no code Comext uses",
            sheet=sheet,
            row=product_row + 1,
            field="C",
            expected="'label [code]' with a CN8, HS6, HS4, HS2 or TOTAL code",
        )
    flow_row = _required_row(path, sheet, rows, "FLOW", "a FLOW line (EXPORT or IMPORT)")
    flow = cell_text(rows[flow_row][2])
    if flow not in FLOWS:
        raise SourceFormatError(
            path, f"flow '{flow}'", sheet=sheet, row=flow_row + 1, expected="EXPORT or IMPORT"
        )
    indicator_row = _required_row(path, sheet, rows, "INDICATORS", "an INDICATORS line")
    indicator = cell_text(rows[indicator_row][2])
    if indicator != INDICATOR:
        raise SourceFormatError(
            path,
            f"indicator '{indicator}'",
            sheet=sheet,
            row=indicator_row + 1,
            expected=f"{INDICATOR} (values in euro); download the value, not quantities",
        )
    time_row = _required_row(path, sheet, rows, "TIME", "a TIME line with months (2020-01)")
    periods: list[tuple[int, int]] = []
    for column, cell in enumerate(rows[time_row][2:], start=2):
        text = cell_text(cell)
        if not text:
            break
        period = _PERIOD.match(text)
        if period is None:
            raise SourceFormatError(
                path,
                f"period '{text}' in column {column_letter(column)}",
                sheet=sheet,
                row=time_row + 1,
                expected="monthly periods YYYY-MM (download with FREQ = monthly)",
            )
        periods.append((int(period.group("year")), int(period.group("month"))))
    if not periods:
        raise SourceFormatError(
            path, "no periods", sheet=sheet, row=time_row + 1, expected="months from column C"
        )
    header_row = _required_row(
        path, sheet, rows, "REPORTER (Labels)", "'REPORTER (Labels)', 'PARTNER (Labels)' columns"
    )
    return ProductSheet(
        sheet=sheet,
        code=match.group("code").strip(),
        label=match.group("label").strip(),
        classification=classification,
        flow=flow,
        periods=periods,
        first_value_column=2,
        header_row=header_row,
    )


def release_of(path: Path, rows: Rows) -> str:
    """The data's 'Last updated' date as YYYY-MM-DD: later downloads revise earlier ones."""
    for row in rows[:6]:
        if row and cell_text(row[0]).startswith("Last updated"):
            found = _UPDATED.search(" ".join(cell_text(c) for c in row[1:]))
            if found:
                day, month, year = found.groups()
                return f"{year}-{month}-{day}"
    raise SourceFormatError(
        path,
        "no 'Last updated' date above the first table",
        expected="'Last updated: DD/MM/YYYY hh:mm' as in Comext downloads",
    )


class _PartnerCodes:
    """Comext names ("Germany (incl. German Democratic Republic 'DD' from 1991)") -> ISO3."""

    def __init__(self) -> None:
        self._index = countries()
        self._cache: dict[str, str | None] = {}

    def code(self, name: str) -> str | None:
        if name not in self._cache:
            found = self._index.find(name)
            if found is None:
                # Eurostat qualifies names with a trailing parenthesis: "(Eire)", "(incl. ...)".
                found = self._index.find(_PARENTHETICAL.sub("", name))
            self._cache[name] = found.code if found else None
        return self._cache[name]


@dataclass
class _Columns:
    year: list[int]
    month: list[int]
    exporter: list[str]
    importer: list[str]
    classification: list[str]
    product: list[str]
    value: list[float]
    reported_by: list[str]
    valuation: list[str]


def _cell_value(path: Path, sheet: str, row: int, column: int, cell: object) -> float | None:
    """A printed value in euro; None for ':'; anything else is an error naming the cell."""
    if isinstance(cell, float | int) and not isinstance(cell, bool):
        return float(cell)
    text = cell_text(cell)
    if text == NOT_AVAILABLE:
        return None
    try:
        return float(text.replace(",", "").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        raise SourceFormatError(
            path,
            f"'{text}' in column {column_letter(column)} is not a number",
            sheet=sheet,
            row=row,
            expected="a value in euro or ':' (not available)",
        ) from None


def parse_workbook(path: Path) -> tuple[str, list[ProductSheet], _Columns, Counter[str]]:
    """Every data sheet of a Comext download: the release, the sheets, their values and counts."""
    workbook = open_workbook(path)
    names = [n for n in workbook.sheet_names if n not in ("Summary", "Structure")]
    if not names:
        raise SourceFormatError(
            path, "no data sheets", expected="'Sheet 1', 'Sheet 2', ... after Summary, Structure"
        )
    partners = _PartnerCodes()
    columns = _Columns([], [], [], [], [], [], [], [], [])
    counts: Counter[str] = Counter()
    sheets: list[ProductSheet] = []
    release = ""
    unknown: dict[str, str] = {}
    for name in names:
        rows = sheet_rows(path, workbook, name)
        if not release:
            release = release_of(path, rows)
        header = parse_sheet_header(path, name, rows)
        sheets.append(header)
        exports = header.flow == "EXPORT"
        start = header.first_value_column
        periods = header.periods
        width = len(periods)
        for index in range(header.header_row + 1, len(rows)):
            row = rows[index]
            reporter_name = cell_text(row[0]) if row else ""
            if not reporter_name:
                break  # the blank line before the legend
            partner_name = cell_text(row[1]) if len(row) > 1 else ""
            reporter = partners.code(reporter_name)
            partner = partners.code(partner_name)
            if reporter is None or partner is None:
                for text, code in ((reporter_name, reporter), (partner_name, partner)):
                    if code is None:
                        unknown.setdefault(text, f"sheet '{name}', row {index + 1}")
                continue
            exporter, importer = (reporter, partner) if exports else (partner, reporter)
            cells = row[start : start + width]
            if len(cells) < width:
                raise SourceFormatError(
                    path,
                    f"{len(cells)} values for {width} months",
                    sheet=name,
                    row=index + 1,
                    expected="one cell per month of the TIME line",
                )
            # Nine cells in ten are ':'; skip them in one pass before looking closer.
            printed = [offset for offset, cell in enumerate(cells) if cell != NOT_AVAILABLE]
            counts["not available"] += width - len(printed)
            for offset in printed:
                cell = cells[offset]
                value = (
                    cell
                    if cell.__class__ is float
                    else _cell_value(path, name, index + 1, start + offset, cell)
                )
                if value is None:
                    counts["not available"] += 1
                    continue
                counts["values"] += 1
                year, month = periods[offset]
                columns.year.append(year)
                columns.month.append(month)
                columns.exporter.append(exporter)
                columns.importer.append(importer)
                columns.classification.append(header.classification)
                columns.product.append(header.code)
                columns.value.append(value)
                columns.reported_by.append("exporter" if exports else "importer")
                columns.valuation.append("FOB" if exports else "CIF")
    if unknown:
        raise SourceFormatError(
            path,
            "reporter or partner names that are not a known country: "
            + "; ".join(f"'{text}' ({where})" for text, where in unknown.items()),
            expected="names in country_aliases.tsv; add them there",
        )
    return release, sheets, columns, counts


def product_catalogue(path: Path) -> list[tuple[str, str, str]]:
    """(code, classification, label) of every product sheet, from the Summary's Contents table.

    Reading the one Summary sheet is far quicker than opening every data sheet.
    """
    rows = sheet_rows(path, open_workbook(path), "Summary")
    found = []
    for index, row in enumerate(rows):
        if len(row) < 3 or not cell_text(row[1]).startswith("Sheet "):
            continue
        text = cell_text(row[2])
        match = _PRODUCT.match(text)
        classification = classification_of(match.group("code").strip()) if match else None
        if match is None or classification is None:
            raise SourceFormatError(
                path,
                f"product '{text}' has no code Comext uses",
                sheet="Summary",
                row=index + 1,
                expected="'label [code]' with a CN8, HS6, HS4, HS2 or TOTAL code",
            )
        found.append((match.group("code").strip(), classification, match.group("label").strip()))
    if not found:
        raise SourceFormatError(
            path, "no Contents table", sheet="Summary", expected="'Sheet 1', 'label [code]', ..."
        )
    return found


def _notes(
    path: Path, sheets: list[ProductSheet], columns: _Columns, counts: Counter[str]
) -> list[str]:
    levels = Counter(s.classification for s in sheets)
    notes = [
        "values in euro converted to USD at annual average rates: " + EUR_USD_SOURCE,
        f"{counts['not available']:,} of {counts['values'] + counts['not available']:,} cells "
        "are ':' (not available: no trade or confidential); they are not stored, so sums "
        "cover published cells only (unknown, not zero)",
        "product sheets by level: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())),
    ]
    headings = [s.code for s in sheets if s.classification == "HS4"]
    if headings:
        within = sorted({h for h in headings for s in sheets if s.code[:4] == h and s.code != h})
        notes.append(
            f"{len(headings)} HS4 sheets (e.g. {', '.join(headings[:3])}) hold whole headings: "
            "their CN8 codes, in this download"
            + (f" ({', '.join(within[:3])} ...)" if within else "")
            + " or in others of the same extract, count the same goods again: "
            "sum HS4 or CN8 rows, never both"
        )
    all_periods = {p for s in sheets for p in s.periods}
    published = set(zip(columns.year, columns.month, strict=True))
    empty = sorted(all_periods - published)
    if empty:
        notes.append(
            "months without a single published value (not yet released): "
            + ", ".join(f"{y}-{m:02d}" for y, m in empty)
        )
    return notes


class ComextCn8Reader(Reader):
    source = SOURCE
    title = "Eurostat Comext DS-045409 (EU trade by HS2-4-6 and CN8), spreadsheet download"
    patterns = ("*_spreadsheet.xlsx",)

    def read(self, path: Path, sha256: str) -> ReadResult:
        release, sheets, columns, counts = parse_workbook(path)
        if not columns.value:
            raise SourceFormatError(
                path, "no published value in any sheet", expected="values in euro"
            )
        rates = {year: usd_per_eur(year) for year in set(columns.year)}
        size = len(columns.value)
        table = pa.table(
            {
                "source": pa.array([SOURCE] * size, pa.string()),
                "release": pa.array([release] * size, pa.string()),
                "year": pa.array(columns.year, pa.int16()),
                "month": pa.array(columns.month, pa.int8()),
                "exporter": pa.array(columns.exporter, pa.string()),
                "importer": pa.array(columns.importer, pa.string()),
                "reported_by": pa.array(columns.reported_by, pa.string()),
                "classification": pa.array(columns.classification, pa.string()),
                "product": pa.array(columns.product, pa.string()),
                "value_usd": pa.array(
                    [v * rates[y] for v, y in zip(columns.value, columns.year, strict=True)],
                    pa.float64(),
                ),
                "valuation": pa.array(columns.valuation, pa.string()),
                "value_original": pa.array(columns.value, pa.float64()),
                "currency": pa.array(["EUR"] * size, pa.string()),
                "file_sha256": pa.array([sha256] * size, pa.string()),
            }
        )
        return ReadResult(
            table=conform(table), release=release, notes=_notes(path, sheets, columns, counts)
        )


def eu_cn8_from_comext(paths: Iterable[Path]) -> list[ListEntry]:
    """The CN8 product sheets of Comext downloads, as list entries sorted by code.

    This is how ``eu_export_sanctions_cn8.csv`` was made from the sanctions extract; HS4,
    chapter and TOTAL sheets are left out (they overlap the CN8 codes or are not goods lists).
    """
    found: dict[str, str] = {}
    for path in paths:
        for code, classification, label in product_catalogue(path):
            if classification == "CN8":
                found.setdefault(code, label)
    return [ListEntry(code, "CN8", None, label) for code, label in sorted(found.items())]
