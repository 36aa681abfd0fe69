"""Kazakhstan BNS: "Основные показатели внешней торговли (по странам)" workbooks (.xls).

Each publication holds two years, the year of the publication and the year before
(revised), one sheet each, in thousand USD: turnover, exports and imports by partner
country with their shares in percent. Kazakhstan is the reporter: exports are FOB,
imports CIF. Aggregates (Всего, Страны СНГ, ЕАЭС, ЕС, continents) come first and are kept
as aggregate partners; every other name must be a country we know.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import WORLD, countries
from bilateral.schema import TOTAL, flow_table
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.validation import places_of
from bilateral.sources.workbook import Rows, cell_number, cell_text, open_workbook, sheet_rows

REPORTER = "KAZ"
THOUSAND = 1000.0
_YEAR = re.compile(r"(19|20)\d{2}")
_HEADER_COLUMNS = ("товарооборот", "экспорт", "импорт")


@dataclass(frozen=True)
class PartnerRow:
    """One printed row: values in thousand USD and shares in percent, as printed (None = blank)."""

    sheet: str
    row: int  # 1-based, as a spreadsheet program shows it
    name: str
    code: str
    is_aggregate: bool
    turnover: float | None
    turnover_share: float | None
    exports: float | None
    exports_share: float | None
    imports: float | None
    imports_share: float | None


@dataclass(frozen=True)
class BnsSheet:
    """One year's table from one publication."""

    sheet: str
    year: int
    rows: list[PartnerRow]

    def total(self) -> PartnerRow:
        return next(r for r in self.rows if r.code == WORLD)


def _sheet_year(path: Path, sheet: str, rows: Rows) -> int | None:
    """The year a data sheet covers, from its title ("за январь-декабрь 2019 года", "2022 год")."""
    for row in rows[:4]:
        text = " ".join(cell_text(c) for c in row)
        if "год" in text and (match := _YEAR.search(text)):
            return int(match.group())
    return None


def _header_row(path: Path, sheet: str, rows: Rows) -> int:
    for index, row in enumerate(rows[:12]):
        texts = [cell_text(c).lower() for c in row[:7]]
        if len(texts) >= 6 and texts[1] == "товарооборот":
            found = (texts[1], texts[3], texts[5])
            if found != _HEADER_COLUMNS:
                raise SourceFormatError(
                    path,
                    f"unexpected column headings {found}",
                    sheet=sheet,
                    row=index + 1,
                    expected="Товарооборот, Экспорт, Импорт in columns B, D and F",
                )
            return index
    raise SourceFormatError(
        path,
        "no header row with 'Товарооборот' in column B",
        sheet=sheet,
        expected="the BNS layout: partner name, turnover, share, exports, share, imports, share",
    )


def _check_units(path: Path, sheet: str, rows: Rows, header: int) -> None:
    above = " ".join(cell_text(c) for row in rows[:header] for c in row).lower()
    if "тыс. долларов сша" not in above:
        raise SourceFormatError(
            path,
            "the unit line is missing",
            sheet=sheet,
            expected="'тыс. долларов США' (thousand USD) above the table",
        )


def parse_workbook(path: Path) -> list[BnsSheet]:
    """Every data sheet of a BNS workbook, as printed; cover and notes sheets are skipped."""
    workbook = open_workbook(path)
    sheets: list[BnsSheet] = []
    unknown: list[str] = []
    index = countries()
    for sheet in workbook.sheet_names:
        rows = sheet_rows(path, workbook, sheet)
        year = _sheet_year(path, sheet, rows)
        if year is None or not any(
            cell_text(c).lower() == "товарооборот" for r in rows[:12] for c in r
        ):
            continue  # cover, legend, contents, methodology
        header = _header_row(path, sheet, rows)
        _check_units(path, sheet, rows, header)
        parsed: list[PartnerRow] = []
        seen: dict[str, int] = {}
        for offset, row in enumerate(rows[header + 2 :], start=header + 3):
            name = cell_text(row[0]) if row else ""
            if not name:
                continue
            values: list[float | None] = []
            for column in range(1, 7):
                try:
                    values.append(cell_number(row[column] if column < len(row) else None))
                except ValueError:
                    raise SourceFormatError(
                        path,
                        f"'{cell_text(row[column])}' in column {'ABCDEFG'[column]} is not a number",
                        sheet=sheet,
                        row=offset,
                        expected="a value in thousand USD or a share in percent",
                    ) from None
            if all(v is None for v in values):
                continue  # a footnote or a blank line
            country = index.find(name)
            if country is None:
                unknown.append(f"'{name}' (sheet '{sheet}', row {offset})")
                continue
            if country.code in seen:
                raise SourceFormatError(
                    path,
                    f"partner '{name}' appears twice (also row {seen[country.code]})",
                    sheet=sheet,
                    row=offset,
                    expected="one row per partner",
                )
            seen[country.code] = offset
            parsed.append(
                PartnerRow(sheet, offset, name, country.code, country.is_aggregate, *values)
            )
        if WORLD not in seen:
            raise SourceFormatError(
                path, "no 'Всего' (total) row", sheet=sheet, expected="a total row first"
            )
        sheets.append(BnsSheet(sheet, year, parsed))
    if unknown:
        raise SourceFormatError(
            path,
            "partner names that are neither a known country nor a known aggregate: "
            + "; ".join(unknown),
            expected="names in country_aliases.tsv or aggregates.tsv; add them there",
        )
    if not sheets:
        raise SourceFormatError(
            path,
            "no sheet holds a trade-by-country table",
            expected="sheets titled with a year and a 'Товарооборот / Экспорт / Импорт' table",
        )
    return sheets


#: How far the partner countries' sum may stray from the printed 'Всего' (total), in
#: percent. The published workbooks agree to a rounding (under 0.0001%); a larger gap
#: means a damaged or misread table.
SUM_TOLERANCE_PCT = 1.0


def sum_check(path: Path, sheet: BnsSheet) -> list[str]:
    """Compare the sum over partner countries with the 'Всего' row, for exports and imports.

    Returns a note per flow; raises :class:`SourceFormatError` when the two differ by more
    than ``SUM_TOLERANCE_PCT`` percent and no partner's value is marked not available.
    """
    notes = []
    total = sheet.total()
    for flow in ("exports", "imports"):
        values = [getattr(r, flow) for r in sheet.rows]
        if any(v is not None and not (math.isfinite(v) and v >= 0) for v in values):
            continue  # an impossible value: refused by the row checks, naming its cell
        printed = getattr(total, flow) or 0.0
        summed = sum(getattr(r, flow) or 0.0 for r in sheet.rows if not r.is_aggregate)
        gap = summed - printed
        relative = 100 * gap / printed if printed else (0.0 if not gap else math.inf)
        hidden = sum(
            1 for r in sheet.rows if not r.is_aggregate and getattr(r, flow) is None
        )  # a partner printed as not available ("x", "…") leaves its share unknown
        if abs(relative) > SUM_TOLERANCE_PCT and not hidden:
            raise SourceFormatError(
                path,
                f"the partner countries' {flow} add up to {summed:,.1f} thousand USD, "
                f"{relative:+.2f}% off the printed total {printed:,.1f}",
                sheet=sheet.sheet,
                row=total.row,
                field=flow,
                expected=f"partner sums within {SUM_TOLERANCE_PCT:g}% of 'Всего'",
            )
        notes.append(
            f"sum check {sheet.year} {flow}: countries {summed:,.1f} vs 'Всего' {printed:,.1f} "
            f"thousand USD, gap {gap:+,.1f} ({relative:+.5f}%)"
        )
    return notes


def _less(printed: float | None, outside: list[float | None]) -> float | None:
    return None if printed is None else printed - sum(v or 0.0 for v in outside)


def groups_as_named(sheet: BnsSheet) -> tuple[BnsSheet, list[str]]:
    """The sheet with each group of fixed membership (EU27, EAEU) holding only its members.

    A group's countries are printed in the block under its row, down to the next group's
    row. Up to the 2022 sheets BNS still lists the United Kingdom in the block of 'Страны
    ЕС' and counts it in that row; the group is stored as its printed row less the
    countries of the block that are not its members, and a note says so.
    """
    index = countries()
    rows = list(sheet.rows)
    notes = []
    for at, row in enumerate(rows):
        group = index.by_code.get(row.code)
        if not row.is_aggregate or group is None or not group.members:
            continue
        block = []
        for below in rows[at + 1 :]:
            if below.is_aggregate:
                break
            block.append(below)
        outside = [r for r in block if r.code not in group.members]
        if not outside:
            continue
        rows[at] = replace(
            row,
            turnover=_less(row.turnover, [r.turnover for r in outside]),
            exports=_less(row.exports, [r.exports for r in outside]),
            imports=_less(row.imports, [r.imports for r in outside]),
        )
        names = ", ".join(f"'{r.name}' (row {r.row})" for r in outside)
        notes.append(
            f"sheet '{sheet.sheet}': '{row.name}' (row {row.row}) counts {names}, not "
            f"{group.code} members: stored as the row less them"
        )
    return replace(sheet, rows=rows), notes


class KzBnsReader(Reader):
    source = "kz_bns"
    title = "Kazakhstan BNS, main indicators of foreign trade by country"
    patterns = ("bns_*.xls", "*vneshney_torgovli*.xls")

    def read(self, path: Path, sha256: str) -> ReadResult:
        sheets = parse_workbook(path)
        release = str(max(s.year for s in sheets))
        records = []
        notes = []
        for printed in sheets:
            notes.extend(sum_check(path, printed))
            sheet, regrouped = groups_as_named(printed)
            notes.extend(regrouped)
            for row in sheet.rows:
                if row.code == REPORTER:
                    continue
                for flow, value in (("exports", row.exports), ("imports", row.imports)):
                    if value is None:
                        continue  # blank: no trade recorded
                    exporter, importer = (
                        (REPORTER, row.code) if flow == "exports" else (row.code, REPORTER)
                    )
                    records.append(
                        {
                            "source": self.source,
                            "release": release,
                            "year": sheet.year,
                            "exporter": exporter,
                            "importer": importer,
                            "reported_by": "exporter" if flow == "exports" else "importer",
                            "classification": TOTAL,
                            "product": TOTAL,
                            "value_usd": value * THOUSAND,
                            "valuation": "FOB" if flow == "exports" else "CIF",
                            "value_original": value,
                            "currency": "USD",
                            "_sheet": row.sheet,
                            "_row": row.row,
                        }
                    )
        table: pa.Table = flow_table(records, file_sha256=sha256)
        return ReadResult(table=table, release=release, notes=notes, places=places_of(records))
