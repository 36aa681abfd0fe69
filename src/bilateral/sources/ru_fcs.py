"""Russia's Federal Customs Service (FCS): foreign trade workbooks (.xlsx), million USD.

Russia is the reporter: exports (Russia -> partner) are reported by the exporter, FOB;
imports (partner -> Russia) by the importer, CIF. FCS stopped publishing partner detail
after 2021. The reader recognises five layouts from the workbook's content, not its name:

``94itog.xlsx`` (main indicators)
    One sheet per year, 1994-2021: exports and imports in total (partner WLD), with
    countries outside the CIS ("со странами дальнего зарубежья", NON_CIS), with the CIS
    ("со странами СНГ", CIS, as FCS counted it that year) and with six CIS countries.
    Annual rows.
``96stran.xlsx`` (main partners)
    Sheets "Экспорт" and "Импорт": about 29 partners as columns, 2006-2021, a year row
    followed by twelve month rows. The year rows are blank: FCS prints no annual totals
    here, so the reader emits monthly rows only and derives no annual figure (a year row
    holding values would be read as the publisher's annual total). Summing the twelve
    months is left to the user, and does not reproduce FCS's annual figures in 94itog
    where FCS revised them: for Belarus and Kazakhstan in 2010-2019 the annual figures
    differ from the months' sum, both ways (FCS's totals add estimates of unrecorded
    trade with EAEU partners, "досчеты"; Kazakhstan 2012 exports: months sum to 15,368,
    the annual figure is 15,722 million USD). Cells printed "…" (not available: Kazakhstan from July
    to December 2010) become no row, not zero.
Monthly totals (``WEB_UTSA_04.xlsx``: the world; ``WEB_UTSA_05.xlsx``: outside the CIS)
    One sheet headed by its partner ("В С Е Г О", WLD; "СТРАНЫ ДАЛЬНЕГО ЗАРУБЕЖЬЯ",
    NON_CIS), two years side by side (turnover, exports, imports under "2021 год"): a
    table of periods from January ("Январь", "Январь-февраль" ... "Январь-декабрь"), one
    by month ("П О   М Е С Я Ц А М") and one by quarter (not read). The by-month figures
    become monthly rows; nothing is derived from the other tables, which serve as checks:
    the months must add up to every period from January printed for a published month,
    and turnover must equal exports plus imports, within rounding (0.05 million USD a
    printed figure), else the file is refused naming the row and column. The months to
    come are printed as 0, their periods from January repeating the last month published:
    a month whose by-month figures are all 0 or blank while its period from January does
    not grow is not published, and gives no row (never zero trade); published months run
    from January without a gap. These tables leave out what FCS's annual figures add (fish
    sold at sea, bunkers, goods of individuals, EAEU estimates, as the footnotes say): the
    annual totals printed above them (WEB_UTSA_04, rows 5-8) are a note, not rows, so the
    annual rows of 94itog and of the commodity table stay the store's annual figures (a
    year that has annual rows is never summed from its months: see
    :func:`bilateral.indicators.rows.annual`). The release is the last month published
    ("2021-12"), so a later edition of the same table wins.
Trade by country groups (``fcs_strany_122023.xlsx``)
    Full-year columns ("январь-декабрь 2023") for the world and continents, billion USD.
Trade by commodity groups (``fcs_publikaciya_TSTV_2022.xlsx``)
    Full-year exports and imports by HS chapter (classification ``HS_CHAPTER``; product
    a two-digit chapter such as ``27``, or a range such as ``01-24`` where FCS prints
    chapters together) and in total (``TOTAL``), partner WLD.

Releases: a workbook's release is the last year it covers (for the monthly totals, the
last month), so a later publication wins where two hold the same observation (the
commodity table's 2021 totals revise 94itog's; the country-group table's 2022 world totals
revise the commodity table's). 94itog and 96stran share no observation (annual rows
against monthly rows), so the store never has to choose between them; nor do the monthly
totals, whose partners (the world, NON_CIS) no other FCS table prints by month.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import CIS, NON_CIS, WORLD, CountryIndex, countries
from bilateral.schema import TOTAL, flow_table
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.validation import places_of
from bilateral.sources.workbook import Rows, cell_number, cell_text, open_workbook, sheet_rows

REPORTER = "RUS"
HS_CHAPTER = "HS_CHAPTER"
MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
NOT_AVAILABLE = {"…", "...", "х", "x"}
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_CHAPTER = re.compile(r"^(\d{2})(?:-(\d{2}))?-\S")
_FULL_YEAR = re.compile(r"январь\s*-\s*декабрь\s*((?:19|20)\d{2})", re.IGNORECASE)


@dataclass
class Observation:
    """One printed value, in the workbook's unit (million or billion USD)."""

    year: int
    month: int | None
    flow: str  # "exports" | "imports"
    partner: str  # ISO3 or aggregate code
    value: float  # in the workbook's unit
    classification: str = TOTAL
    product: str = TOTAL
    sheet: str | None = None  # where it is printed, when the layout says
    row: int | None = None


@dataclass
class Parsed:
    """What one layout yields: observations in one unit, and caveats for the user."""

    layout: str
    unit: float  # USD per printed unit: 1e6 for million, 1e9 for billion
    observations: list[Observation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    release: str | None = None  # None: the last year covered


def _column(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(row: list[Any], column: int) -> Any:
    return row[column] if column < len(row) else ""


def _unit(path: Path, sheet: str, rows: Rows, header: int) -> float:
    """USD per printed unit, from the unit line above the table ("млн долларов США")."""
    above = " ".join(cell_text(c) for row in rows[:header] for c in row).lower()
    if "сша" in above or "usd" in above or "миллионов долларов" in above:
        if "млрд" in above:
            return 1e9
        if "млн" in above or "миллион" in above:
            return 1e6
    raise SourceFormatError(
        path,
        "the unit line is missing",
        sheet=sheet,
        expected="'млн долларов США' or '(миллионов долларов)' (million USD), or 'млрд. долл. "
        "США', above the table",
    )


def _number(path: Path, sheet: str, row: int, column: int, value: Any) -> float | None:
    """A printed value; None when blank or marked not available; an error otherwise."""
    if cell_text(value) in NOT_AVAILABLE:
        return None
    try:
        return cell_number(value)
    except ValueError:
        raise SourceFormatError(
            path,
            f"'{cell_text(value)}' in column {_column(column)} is not a number",
            sheet=sheet,
            row=row,
            expected="a value in USD (million or billion, as the unit line says) or '…'",
        ) from None


def _partner(index: CountryIndex, name: str, where: str, unknown: list[str]) -> str | None:
    country = index.find(name)
    if country is None:
        unknown.append(f"'{name}' ({where})")
        return None
    return country.code


def _raise_unknown(path: Path, unknown: list[str]) -> None:
    if unknown:
        raise SourceFormatError(
            path,
            "partner names that are neither a known country nor a known aggregate: "
            + "; ".join(unknown),
            expected="names in country_aliases.tsv or aggregates.tsv; add them there",
        )


# --- 94itog: one sheet per year --------------------------------------------------------


def _itog_sheet(
    path: Path, sheet: str, rows: Rows, index: CountryIndex, unknown: list[str]
) -> tuple[float, list[Observation]]:
    year_row = next(
        (
            i
            for i, row in enumerate(rows[:8])
            if not cell_text(_cell(row, 0)) and _YEAR.fullmatch(cell_text(_cell(row, 1)))
        ),
        None,
    )
    if year_row is None:
        raise SourceFormatError(
            path,
            "no year above the table",
            sheet=sheet,
            expected="the year in column B of a row with an empty column A",
        )
    year = int(cell_text(rows[year_row][1]))
    if int(sheet) != year:
        raise SourceFormatError(
            path,
            f"the table is headed {year} but the sheet is named '{sheet}'",
            sheet=sheet,
            row=year_row + 1,
            expected="one year per sheet, named after it",
        )
    unit = _unit(path, sheet, rows, year_row)
    observations: list[Observation] = []
    flow: str | None = None
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows[year_row + 1 :], start=year_row + 2):
        name = cell_text(_cell(row, 0))
        if not name:
            continue
        heading = name.lower()
        if heading in ("экспорт", "импорт"):
            flow = "exports" if heading == "экспорт" else "imports"
            partner: str | None = WORLD
        elif flow is None:
            raise SourceFormatError(
                path,
                f"'{name}' comes before the 'Экспорт' heading",
                sheet=sheet,
                row=number,
                expected="'Экспорт' then its partners, 'Импорт' then its partners",
            )
        else:
            partner = _partner(index, name, f"sheet '{sheet}', row {number}", unknown)
        value = _number(path, sheet, number, 1, _cell(row, 1))
        if partner is None or value is None:
            continue
        if (flow, partner) in seen:
            raise SourceFormatError(
                path,
                f"'{name}' appears twice under {flow} (also row {seen[(flow, partner)]})",
                sheet=sheet,
                row=number,
                expected="one row per partner and flow",
            )
        seen[(flow, partner)] = number
        observations.append(Observation(year, None, flow, partner, value))
    for needed in ("exports", "imports"):
        if (needed, WORLD) not in seen:
            raise SourceFormatError(
                path,
                f"no {needed} total",
                sheet=sheet,
                expected="rows 'Экспорт' and 'Импорт' with Russia's totals in column B",
            )
    return unit, observations


def _itog_notes(observations: list[Observation], index: CountryIndex) -> list[str]:
    """How the printed parts add up: WLD = NON_CIS + CIS, and the CIS countries printed."""
    notes = []
    for flow in ("exports", "imports"):
        by_year: dict[int, dict[str, float]] = {}
        for o in observations:
            if o.flow == flow:
                by_year.setdefault(o.year, {})[o.partner] = o.value
        gaps = {
            year: v[WORLD] - v.get(NON_CIS, 0.0) - v.get(CIS, 0.0) for year, v in by_year.items()
        }
        worst = max(gaps, key=lambda y: abs(gaps[y]))
        shares = [
            sum(x for p, x in v.items() if not index.by_code[p].is_aggregate) / v[CIS]
            for v in by_year.values()
            if v.get(CIS)
        ]
        note = (
            f"94itog {flow} {min(by_year)}-{max(by_year)}: the total equals 'дальнего "
            f"зарубежья' + 'СНГ' within {abs(gaps[worst]):,.1f} million USD (largest gap "
            f"{worst})."
        )
        if shares:
            note += (
                f" The CIS is FCS's CIS of each year; the CIS countries printed cover "
                f"{100 * min(shares):.0f}-{100 * max(shares):.0f}% of it, the rest is members "
                "the sheet does not list."
            )
        notes.append(note)
    return notes


def _parse_itog(path: Path, workbook: Any, index: CountryIndex) -> Parsed:
    parsed: Parsed | None = None
    unknown: list[str] = []
    for sheet in workbook.sheet_names:
        if not _YEAR.fullmatch(sheet.strip()):
            continue  # the contents sheet
        rows = sheet_rows(path, workbook, sheet)
        unit, observations = _itog_sheet(path, sheet, rows, index, unknown)
        if parsed is None:
            parsed = Parsed("94itog", unit)
        elif unit != parsed.unit:
            raise SourceFormatError(
                path,
                "the unit differs from the other sheets'",
                sheet=sheet,
                expected="million USD on every sheet",
            )
        parsed.observations.extend(observations)
    _raise_unknown(path, unknown)
    if parsed is None:
        raise SourceFormatError(
            path, "no sheet named after a year", expected="sheets '1994' ... '2021'"
        )
    parsed.notes.extend(_itog_notes(parsed.observations, index))
    return parsed


# --- 96stran: partners as columns, months as rows --------------------------------------


def _stran_sheet(
    path: Path, sheet: str, rows: Rows, index: CountryIndex, flow: str
) -> tuple[float, list[Observation], list[str]]:
    header = next(
        (
            i
            for i, row in enumerate(rows[:12])
            if not cell_text(_cell(row, 0)) and sum(1 for c in row[1:] if cell_text(c)) >= 5
        ),
        None,
    )
    if header is None:
        raise SourceFormatError(
            path,
            "no header row of partner names",
            sheet=sheet,
            expected="partner names in columns B onwards of a row with an empty column A",
        )
    unit = _unit(path, sheet, rows, header)
    columns: dict[int, str] = {}
    unknown: list[str] = []
    for column, value in enumerate(rows[header][1:], start=1):
        name = cell_text(value)
        if not name:
            continue
        where = f"sheet '{sheet}', row {header + 1}, column {_column(column)}"
        code = _partner(index, name, where, unknown)
        if code is None:
            continue
        if code in columns.values():
            raise SourceFormatError(
                path,
                f"partner '{name}' heads two columns",
                sheet=sheet,
                row=header + 1,
                expected="one column per partner",
            )
        columns[column] = code
    _raise_unknown(path, unknown)
    observations: list[Observation] = []
    missing: list[str] = []
    year: int | None = None
    months_seen: set[int] = set()
    for number, row in enumerate(rows[header + 1 :], start=header + 2):
        label = cell_text(_cell(row, 0))
        if not label:
            continue
        month: int | None
        if _YEAR.fullmatch(label):
            year, month, months_seen = int(label), None, set()
        elif label.lower() in MONTHS:
            if year is None:
                raise SourceFormatError(
                    path,
                    f"month '{label}' before any year row",
                    sheet=sheet,
                    row=number,
                    expected="a year row (e.g. 2006) above its months",
                )
            month = MONTHS.index(label.lower()) + 1
            if month in months_seen:
                raise SourceFormatError(
                    path,
                    f"'{label}' appears twice in {year}",
                    sheet=sheet,
                    row=number,
                    expected="each month once under its year",
                )
            months_seen.add(month)
        else:
            raise SourceFormatError(
                path,
                f"'{label}' in column A is neither a year nor a month",
                sheet=sheet,
                row=number,
                expected="a year (2006) or a month name (январь ... декабрь)",
            )
        for column, partner in columns.items():
            raw = _cell(row, column)
            value = _number(path, sheet, number, column, raw)
            if value is None:
                if month is not None:
                    missing.append(f"{partner} {year}-{month:02d}")
                continue
            observations.append(Observation(year, month, flow, partner, value))
    return unit, observations, missing


def _parse_stran(path: Path, workbook: Any, index: CountryIndex) -> Parsed:
    parsed = Parsed("96stran", 0.0)
    for sheet, flow in (("Экспорт", "exports"), ("Импорт", "imports")):
        rows = sheet_rows(path, workbook, sheet)
        unit, observations, missing = _stran_sheet(path, sheet, rows, index, flow)
        if parsed.unit and unit != parsed.unit:
            raise SourceFormatError(
                path,
                "the unit differs from the 'Экспорт' sheet's",
                sheet=sheet,
                expected="the same unit on both sheets",
            )
        parsed.unit = unit
        parsed.observations.extend(observations)
        if missing:
            parsed.notes.append(
                f"96stran {flow}: {len(missing)} monthly cells are blank or printed '…' "
                f"(not available) and give no row: {', '.join(missing)}"
            )
    annual = sum(1 for o in parsed.observations if o.month is None)
    parsed.notes.append(
        "96stran prints monthly figures only; no annual figure is derived from them."
        if not annual
        else f"96stran prints {annual} annual figures in its year rows; they are kept as printed."
    )
    return parsed


# --- country groups and commodity groups: full-year columns -----------------------------

_FLOWS = {"экспорт": "exports", "импорт": "imports"}


def _full_year_columns(
    path: Path, sheet: str, rows: Rows
) -> tuple[dict[int, tuple[str, int]], int]:
    """Columns holding a full year's exports or imports, and the first row below the header.

    The header is two rows: one names the flows (Экспорт / Импорт), the other the periods
    (январь-декабрь 2023), in either order; a heading spans the empty cells to its right.
    Turnover and growth-rate columns are skipped; a period that is not a full year is an
    error, since the canonical table has no place for January-September totals.
    """
    flows_row = next(
        (
            i
            for i, row in enumerate(rows[:10])
            if set(_FLOWS) <= {cell_text(c).lower() for c in row}
        ),
        None,
    )
    periods_row = None
    if flows_row is not None:
        periods_row = next(
            (
                i
                for i in (flows_row - 1, flows_row + 1)
                if 0 <= i < len(rows) and any(_YEAR.search(cell_text(c)) for c in rows[i][1:])
            ),
            None,
        )
    if flows_row is None or periods_row is None:
        raise SourceFormatError(
            path,
            "no header naming flows and periods",
            sheet=sheet,
            expected="a row 'Экспорт ... Импорт' next to a row of periods 'январь-декабрь YYYY'",
        )
    top, bottom = sorted((flows_row, periods_row))
    columns: dict[int, tuple[str, int]] = {}
    spanning, spanning_column = "", 0
    for column in range(1, max(len(rows[top]), len(rows[bottom]))):
        if cell_text(_cell(rows[top], column)):
            spanning, spanning_column = cell_text(_cell(rows[top], column)), column
        below = cell_text(_cell(rows[bottom], column))
        flow = _FLOWS.get(spanning.lower()) or _FLOWS.get(below.lower())
        period, printed_in = (
            (spanning, spanning_column) if _YEAR.search(spanning) else (below, column)
        )
        if flow is None or not _YEAR.search(period):
            continue  # turnover, growth rates
        match = _FULL_YEAR.search(period)
        if match is None:
            raise SourceFormatError(
                path,
                f"column {_column(printed_in)} covers '{period}', not a full year",
                sheet=sheet,
                row=periods_row + 1,
                expected="full-year columns 'январь-декабрь YYYY'",
            )
        columns[column] = (flow, int(match.group(1)))
    if not columns:
        raise SourceFormatError(
            path,
            "no exports or imports column with a year",
            sheet=sheet,
            row=bottom + 1,
            expected="'Экспорт' and 'Импорт' columns for 'январь-декабрь YYYY'",
        )
    return columns, bottom + 1


def _parse_groups(path: Path, workbook: Any, index: CountryIndex) -> Parsed:
    sheet = workbook.sheet_names[0]
    rows = sheet_rows(path, workbook, sheet)
    columns, first = _full_year_columns(path, sheet, rows)
    parsed = Parsed("country groups", _unit(path, sheet, rows, first))
    unknown: list[str] = []
    for number, row in enumerate(rows[first:], start=first + 1):
        name = cell_text(_cell(row, 0))
        if not name or name.lower().rstrip(":").strip() == "в том числе":
            continue  # "в том числе:" introduces the groups below the world total
        partner = _partner(index, name, f"sheet '{sheet}', row {number}", unknown)
        for column, (flow, year) in columns.items():
            value = _number(path, sheet, number, column, _cell(row, column))
            if partner is not None and value is not None:
                parsed.observations.append(Observation(year, None, flow, partner, value))
    _raise_unknown(path, unknown)
    return parsed


def _parse_commodities(path: Path, workbook: Any, index: CountryIndex) -> Parsed:
    sheet = workbook.sheet_names[0]
    rows = sheet_rows(path, workbook, sheet)
    columns, first = _full_year_columns(path, sheet, rows)
    parsed = Parsed("commodity groups", _unit(path, sheet, rows, first))
    for number, row in enumerate(rows[first:], start=first + 1):
        name = cell_text(_cell(row, 0))
        if not name:
            continue
        if name.lower() == "всего":
            classification, product = TOTAL, TOTAL
        elif match := _CHAPTER.match(name):
            classification = HS_CHAPTER
            product = match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")
        else:
            raise SourceFormatError(
                path,
                f"'{name}' is neither 'ВСЕГО' nor an HS chapter",
                sheet=sheet,
                row=number,
                expected="'ВСЕГО' or a name starting with a chapter: '27-...' or '01-24-...'",
            )
        for column, (flow, year) in columns.items():
            value = _number(path, sheet, number, column, _cell(row, column))
            if value is not None:
                parsed.observations.append(
                    Observation(year, None, flow, WORLD, value, classification, product)
                )
    parsed.notes.extend(_chapter_sum_notes(parsed.observations))
    return parsed


def _chapters_covered(product: str) -> set[int]:
    first, _, last = product.partition("-")
    return set(range(int(first), int(last or first) + 1))


def _chapter_sum_notes(observations: list[Observation]) -> list[str]:
    """Chapters printed against the total: the gap is the chapters FCS leaves out."""
    notes = []
    for year, flow in sorted({(o.year, o.flow) for o in observations}):
        rows = [o for o in observations if (o.year, o.flow) == (year, flow)]
        total = sum(o.value for o in rows if o.classification == TOTAL)
        chapters = [o for o in rows if o.classification == HS_CHAPTER]
        covered = set().union(*(_chapters_covered(o.product) for o in chapters))
        absent = sorted(set(range(1, 98)) - covered - {77})  # chapter 77 is reserved in the HS
        summed = sum(o.value for o in chapters)
        if total:
            notes.append(
                f"{year} {flow}: the chapters printed sum to {summed:,.1f} of a total of "
                f"{total:,.1f} million USD ({100 * summed / total:.1f}%); chapters not "
                f"printed: {', '.join(f'{c:02d}' for c in absent) or 'none'}."
            )
    return notes


# --- monthly totals (WEB_UTSA_*): Russia's trade with the world or a group, by month ---

_FLOW_HEADS = {"оборот": "turnover", "экспорт": "exports", "импорт": "imports"}
_DIRECTIONS = ("exports", "imports")
_YEAR_HEAD = re.compile(r"^((?:19|20)\d{2})\s*год$", re.IGNORECASE)
_THROUGH = re.compile(r"^январь\s*[-–—]\s*(\S+)$")
_SECTIONS = {"по месяцам": "months", "по кварталам": "quarters"}
_KIND_WORDS = {"months": "month", "cumulative": "period from January"}
_KIND_EXPECTED = {
    "months": "a month name (Январь ... Декабрь) under 'П О   М Е С Я Ц А М'",
    "cumulative": "'Январь' or a period from January ('Январь-февраль' ... 'Январь-декабрь')",
}
_TITLE = "внешняя торговля россии"
#: Half the last digit FCS prints in its coarsest tables (0.1 million USD): each printed
#: figure, monthly or cumulative, may be rounded by up to this much.
_ROUNDING = 0.05


def _unspaced(text: str) -> str:
    """A heading as plain words: FCS letter-spaces some ('П О   М Е С Я Ц А М' is 'ПО
    МЕСЯЦАМ', 'В С Е Г О' is 'ВСЕГО'), and then two or more spaces part the words."""
    words = []
    for word in re.split(r"\s{2,}", text.strip()):
        letters = word.split(" ")
        words.append("".join(letters) if all(len(c) == 1 for c in letters) else word)
    return " ".join(" ".join(words).split())


def _headings(row: list[Any]) -> list[str]:
    return [_unspaced(cell_text(c)).lower() for c in row if cell_text(c)]


def _is_totals(rows: Rows) -> bool:
    """True for a monthly totals table: one of its headings is 'П О   М Е С Я Ц А М'."""
    return any(_SECTIONS.get(h) == "months" for row in rows for h in _headings(row))


@dataclass
class _Period:
    """A row of a monthly totals table: the month it is (by month) or runs to (from
    January), where it is, and its figures by (year, flow), None where blank."""

    month: int
    row: int  # 1-based, as a spreadsheet shows it
    label: str
    values: dict[tuple[int, str], float | None]


@dataclass
class _Table:
    """One table of the sheet: its kind, its flows row (0-based) and what it holds."""

    kind: str  # "months", "cumulative" or "quarters"
    header: int
    columns: dict[tuple[int, str], int]  # (year, flow) -> 0-based column
    periods: dict[int, _Period] = field(default_factory=dict)


def _is_flows_row(row: list[Any]) -> bool:
    heads = {cell_text(c).lower() for c in row[1:]}
    return not cell_text(_cell(row, 0)) and set(_FLOW_HEADS) <= heads


def _totals_columns(
    path: Path, sheet: str, rows: Rows, flows_row: int
) -> dict[tuple[int, str], int]:
    """Columns of turnover, exports and imports under a year ('2021 год', spanning the
    cells to its right); growth rates and balances, headed otherwise, are skipped."""
    columns: dict[tuple[int, str], int] = {}
    above = rows[flows_row - 1] if flows_row else []
    spanning = ""
    for column in range(1, max(len(rows[flows_row]), len(above))):
        if cell_text(_cell(above, column)):
            spanning = cell_text(_cell(above, column))
        flow = _FLOW_HEADS.get(cell_text(_cell(rows[flows_row], column)).lower())
        year = _YEAR_HEAD.match(spanning)
        if flow is None or year is None:
            continue
        key = (int(year.group(1)), flow)
        if key in columns:
            raise SourceFormatError(
                path,
                f"{flow} {key[0]} heads columns {_column(columns[key])} and {_column(column)}",
                sheet=sheet,
                row=flows_row + 1,
                expected="one turnover, exports and imports column per year",
            )
        columns[key] = column
    years = sorted({year for year, _ in columns})
    missing = [f"{f} {y}" for y in years for f in _FLOW_HEADS.values() if (y, f) not in columns]
    if not years or missing:
        raise SourceFormatError(
            path,
            f"no column for {', '.join(missing)}" if missing else "no column under a year",
            sheet=sheet,
            row=flows_row + 1,
            expected="'Оборот', 'Экспорт' and 'Импорт' under each year ('2021 год')",
        )
    return columns


def _period_month(kind: str, label: str) -> int | None:
    """The month a row label is (by month) or runs to (from January); None if neither."""
    text = " ".join(label.lower().split())
    if kind == "months":
        return MONTHS.index(text) + 1 if text in MONTHS else None
    if text == MONTHS[0]:
        return 1
    through = _THROUGH.match(text)
    if through and through.group(1) in MONTHS:
        return MONTHS.index(through.group(1)) + 1
    return None


def _totals_tables(path: Path, sheet: str, rows: Rows) -> list[_Table]:
    """Every table of the sheet, with its kind: the one under 'П О   М Е С Я Ц А М' holds
    months, the one under 'П О   К В А Р Т А Л А М' quarters (not read), the one under
    no such heading periods from January."""
    headers = [i for i, row in enumerate(rows) if _is_flows_row(row)]
    tables = []
    for n, header in enumerate(headers):
        start = headers[n - 1] + 1 if n else 0
        end = headers[n + 1] - 1 if n + 1 < len(headers) else len(rows)
        sections = [
            _SECTIONS[h] for row in rows[start:header] for h in _headings(row) if h in _SECTIONS
        ]
        kind = sections[-1] if sections else "cumulative"
        table = _Table(kind, header, _totals_columns(path, sheet, rows, header))
        tables.append(table)
        if table.kind == "quarters":
            continue
        for index in range(header + 1, end):
            label = cell_text(_cell(rows[index], 0))
            if not label:
                continue
            month = _period_month(table.kind, label)
            if month is None or month in table.periods:
                raise SourceFormatError(
                    path,
                    f"'{label}' in column A is "
                    + ("a period met twice" if month else f"not a {_KIND_WORDS[table.kind]}"),
                    sheet=sheet,
                    row=index + 1,
                    expected=_KIND_EXPECTED[table.kind],
                )
            values = {
                key: _number(path, sheet, index + 1, column, _cell(rows[index], column))
                for key, column in table.columns.items()
            }
            table.periods[month] = _Period(month, index + 1, label, values)
    return tables


def _totals_partner(path: Path, sheet: str, rows: Rows, header: int, index: CountryIndex) -> str:
    """The partner the tables are about: the heading between the title ('ВНЕШНЯЯ ТОРГОВЛЯ
    РОССИИ В 2021 ГОДУ') and the first table ('В С Е Г О' is the world)."""
    title = next(
        (i for i, row in enumerate(rows[:header]) if any(_TITLE in h for h in _headings(row))),
        None,
    )
    found: dict[str, int] = {}
    for number, row in enumerate(rows[(title or 0) + 1 : header], start=(title or 0) + 2):
        for text in _headings(row):
            country = index.find(text)
            if country is not None and country.code != REPORTER:
                found.setdefault(country.code, number)
    if title is None or len(found) != 1:
        raise SourceFormatError(
            path,
            "no title 'ВНЕШНЯЯ ТОРГОВЛЯ РОССИИ' above the tables"
            if title is None
            else "headings name "
            + (", ".join(f"{c} (row {r})" for c, r in found.items()) or "no partner"),
            sheet=sheet,
            expected="one heading naming the partner ('В С Е Г О', 'СТРАНЫ ДАЛЬНЕГО "
            "ЗАРУБЕЖЬЯ') between the title and the first table",
        )
    return next(iter(found))


def _published(path: Path, sheet: str, year: int, months: _Table, cumulative: _Table) -> list[int]:
    """The months of ``year`` FCS has published: a month whose by-month figures are all
    0 or blank while the cumulative row does not grow is not published yet (FCS prints
    the months to come as 0, and their cumulative rows repeat the last one published).
    Published months run from January without a gap."""
    published: list[int] = []
    before = dict.fromkeys(_FLOW_HEADS.values(), 0.0)
    for month in range(1, 13):
        period, through = months.periods.get(month), cumulative.periods.get(month)
        printed = period is not None and any(v for (y, _), v in period.values.items() if y == year)
        grows = False
        for flow in before:
            now = through.values[(year, flow)] if through is not None else None
            if now is not None:
                grows = grows or abs(now - before[flow]) > 2 * _ROUNDING
                before[flow] = now
        if not (printed or grows):
            continue
        if len(published) != month - 1:
            where = period or through
            assert where is not None
            raise SourceFormatError(
                path,
                f"'{where.label}' holds {year} figures after the unpublished "
                f"{MONTHS[len(published)]}",
                sheet=sheet,
                row=where.row,
                expected="the months published so far, from January, then 0 for the rest",
            )
        published.append(month)
    return published


def _check_months(
    path: Path, sheet: str, year: int, published: list[int], months: _Table, cumulative: _Table
) -> dict[str, float]:
    """The published months summed by flow, once each running sum equals the cumulative
    row it reaches (within rounding) and each month's turnover its exports plus imports."""
    running = dict.fromkeys(_FLOW_HEADS.values(), 0.0)
    for month in published:
        period, through = months.periods.get(month), cumulative.periods.get(month)
        if period is None:
            assert through is not None  # a published month prints one or the other
            raise SourceFormatError(
                path,
                f"'{through.label}' grows in {year} but the by-month table has no "
                f"'{MONTHS[month - 1].capitalize()}'",
                sheet=sheet,
                row=through.row,
                expected="a by-month row for every month the cumulative rows cover",
            )
        for flow in running:
            value, column = period.values[(year, flow)], _column(months.columns[(year, flow)])
            if value is None:
                raise SourceFormatError(
                    path,
                    f"{flow} {year} in column {column} is blank in a published month",
                    sheet=sheet,
                    row=period.row,
                    expected="turnover, exports and imports for every month published",
                )
            running[flow] += value
            printed = through.values[(year, flow)] if through is not None else None
            if through is not None and (
                printed is None or abs(running[flow] - printed) > _ROUNDING * (month + 1)
            ):
                raise SourceFormatError(
                    path,
                    f"{flow} {year} in column {column}: the months from January to "
                    f"'{period.label}' sum to {running[flow]:,.2f}, but row {through.row} "
                    f"'{through.label}' prints "
                    + ("nothing" if printed is None else f"{printed:,.2f}"),
                    sheet=sheet,
                    row=period.row,
                    expected="by-month figures that add up to the cumulative rows, within rounding",
                )
        exports, imports, turnover = (
            period.values[(year, f)] or 0.0 for f in _DIRECTIONS + ("turnover",)
        )
        if abs(turnover - exports - imports) > 3 * _ROUNDING:
            columns = [_column(months.columns[(year, f)]) for f in ("turnover", *_DIRECTIONS)]
            raise SourceFormatError(
                path,
                f"turnover {year} in column {columns[0]} ({turnover:,.2f}) is not exports "
                f"({columns[1]}) plus imports ({columns[2]}), {exports + imports:,.2f}",
                sheet=sheet,
                row=period.row,
                expected="turnover = exports + imports, within rounding",
            )
    if published and cumulative.periods.get(published[-1]) is None:
        raise SourceFormatError(
            path,
            f"no cumulative row to '{MONTHS[published[-1] - 1]}' checks the months of {year}",
            sheet=sheet,
            expected="a period from January for the last month published",
        )
    return running


def _annual_notes(
    path: Path, sheet: str, rows: Rows, header: int, partner: str, sums: dict[int, dict[str, float]]
) -> list[str]:
    """The annual totals printed above the tables (WEB_UTSA_04, rows 5-8, under
    'Январь-декабрь 2020 г.'), set against the months: FCS's footnotes say they add what
    the monthly tables leave out, so they are a note, not rows."""
    periods: dict[int, int] = {}  # column -> year
    printed: dict[int, dict[str, float]] = {}
    for number, row in enumerate(rows[:header], start=1):
        if not periods:
            found = ((c, _FULL_YEAR.search(cell_text(v))) for c, v in enumerate(row))
            periods = {c: int(match.group(1)) for c, match in found if match}
            continue
        flow = _FLOW_HEADS.get(cell_text(_cell(row, 0)).rstrip("*").strip().lower())
        if flow not in _DIRECTIONS:
            continue
        for column, year in periods.items():
            value = _number(path, sheet, number, column, _cell(row, column))
            if value is not None:
                printed.setdefault(year, {})[flow] = value
    return [
        f"{partner} {year}: the annual totals printed above the tables (exports "
        f"{v.get('exports', 0):,.1f}, imports {v.get('imports', 0):,.1f} million USD) add fish "
        "caught and sold at sea, bunker fuel bought abroad, goods brought in by individuals "
        "and estimates of unrecorded EAEU trade, which the monthly tables leave out (the "
        f"twelve months: {sums[year]['exports']:,.1f} and {sums[year]['imports']:,.1f}). "
        "They are not stored: FCS's annual figures are the annual rows of 94itog and of the "
        "commodity-group table."
        for year, v in sorted(printed.items())
        if year in sums
    ]


def _parse_totals(path: Path, workbook: Any, index: CountryIndex) -> Parsed:
    sheet = workbook.sheet_names[0]
    rows = sheet_rows(path, workbook, sheet, from_a1=True)  # WEB_UTSA_05 starts at row 4
    tables = _totals_tables(path, sheet, rows)
    months = [t for t in tables if t.kind == "months"]
    cumulative = [t for t in tables if t.kind == "cumulative"]
    if len(months) != 1 or len(cumulative) != 1:
        raise SourceFormatError(
            path,
            f"{len(cumulative)} tables of periods from January and {len(months)} by month",
            sheet=sheet,
            expected="one table of periods from January and one 'П О   М Е С Я Ц А М'",
        )
    by_month, to_date = months[0], cumulative[0]
    years = sorted({year for year, _ in by_month.columns})
    if years != sorted({year for year, _ in to_date.columns}):
        raise SourceFormatError(
            path,
            "the by-month table and the table of periods from January cover different years",
            sheet=sheet,
            expected="the same years in both",
        )
    header = to_date.header
    partner = _totals_partner(path, sheet, rows, header, index)
    parsed = Parsed("monthly totals", _unit(path, sheet, rows, header))
    sums: dict[int, dict[str, float]] = {}
    for year in years:
        published = _published(path, sheet, year, by_month, to_date)
        running = _check_months(path, sheet, year, published, by_month, to_date)
        if len(published) == 12:
            sums[year] = running
        for month in published:
            period = by_month.periods[month]
            for flow in _DIRECTIONS:
                value = period.values[(year, flow)]
                assert value is not None  # checked above
                parsed.observations.append(
                    Observation(year, month, flow, partner, value, sheet=sheet, row=period.row)
                )
        if len(published) < 12:
            parsed.notes.append(
                f"{partner} {year}: months {year}-{len(published) + 1:02d} to {year}-12 are "
                "printed as 0 (or blank) by month, and the cumulative rows do not grow past "
                + (f"{year}-{published[-1]:02d}" if published else "zero")
                + ": not published yet, so they give no rows (not zero trade)."
            )
    parsed.notes.extend(_annual_notes(path, sheet, rows, header, partner, sums))
    if parsed.observations:
        last = max((o.year, o.month or 0) for o in parsed.observations)
        parsed.release = f"{last[0]}-{last[1]:02d}"
    return parsed


# --- layout detection and the reader ----------------------------------------------------


Layout = Callable[[Path, Any, CountryIndex], Parsed]


def _layout(path: Path, workbook: Any) -> Layout:
    """Which FCS table this workbook holds, judged from its sheets and headings."""
    names = list(workbook.sheet_names)
    if {"Экспорт", "Импорт"} <= set(names):
        return _parse_stran
    if any(_YEAR.fullmatch(name.strip()) for name in names):
        return _parse_itog
    rows = sheet_rows(path, workbook, names[0])
    if _is_totals(rows):
        return _parse_totals
    title = " ".join(cell_text(c) for row in rows[:3] for c in row).lower()
    if "групп" in title and "стран" in title:
        return _parse_groups
    if any(_CHAPTER.match(cell_text(_cell(row, 0))) for row in rows[:20]):
        return _parse_commodities
    raise SourceFormatError(
        path,
        "not an FCS table this reader knows",
        expected=(
            "94itog (one sheet per year), 96stran (sheets 'Экспорт' and 'Импорт'), monthly "
            "totals ('П О   М Е С Я Ц А М'), trade by country groups, or trade by commodity "
            "groups (ОБОРОТ / ЭКСПОРТ / ИМПОРТ)"
        ),
    )


def _records(parsed: Parsed, source: str, release: str) -> Iterable[dict[str, Any]]:
    for o in parsed.observations:
        if o.partner == REPORTER:
            continue
        exports = o.flow == "exports"
        place = {} if o.row is None else {"_sheet": o.sheet, "_row": o.row}
        yield place | {
            "source": source,
            "release": release,
            "year": o.year,
            "month": o.month,
            "exporter": REPORTER if exports else o.partner,
            "importer": o.partner if exports else REPORTER,
            "reported_by": "exporter" if exports else "importer",
            "classification": o.classification,
            "product": o.product,
            "value_usd": o.value * parsed.unit,
            "valuation": "FOB" if exports else "CIF",
            "value_original": o.value,
            "currency": "USD",
        }


class RuFcsReader(Reader):
    source = "ru_fcs"
    title = "Russia FCS, foreign trade by partner, month, country group and commodity group"
    patterns = (
        "94itog*.xlsx",
        "96stran*.xlsx",
        "web_utsa_*.xlsx",
        "fcs_strany_*.xlsx",
        "fcs_publikaciya_*.xlsx",
    )

    def read(self, path: Path, sha256: str) -> ReadResult:
        workbook = open_workbook(path)
        parsed = _layout(path, workbook)(path, workbook, countries())
        if not parsed.observations:
            raise SourceFormatError(
                path, "the table holds no values", expected="at least one figure"
            )
        release = parsed.release or str(max(o.year for o in parsed.observations))
        unit = "million" if parsed.unit == 1e6 else "billion"
        notes = [f"FCS {parsed.layout} table, values in {unit} USD.", *parsed.notes]
        records = list(_records(parsed, self.source, release))
        table: pa.Table = flow_table(records, file_sha256=sha256)
        return ReadResult(table, release, notes, places=places_of(records))
