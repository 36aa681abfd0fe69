"""Eurostat Comext: EU trade in goods by partner (CSV extracts), EUR converted to USD.

Two layouts, told apart by their header:

Comext relational view (``REPORTER, PARTNER, FLOW, period, VALUE_IN_EUR``)
    One row per reporting country, partner, flow and month (``period`` 2023-05). Reporters
    are member states and also aggregates: EU27, the euro area of 20, and the euro area
    and the EU in their changing composition (codes EA20, EA, EU_CHANGING): sum the member
    states or take an aggregate, never both.
EU27 exports by partner (``year, partner, eu27_exports_eur``)
    Annual exports of the EU27 (exporter ``EU27``) to every partner, including member
    states (intra-EU dispatches) and Comext's non-country partners (stores and
    provisions, countries not specified, high seas), which map to aggregate codes.

The reporter reports: exports are ``reported_by`` exporter and FOB, imports importer and
CIF. Values are converted from EUR at the ECB's annual average rate of their year (a
monthly value too); ``value_original`` keeps the euros and ``currency`` says EUR.

Partner and reporter labels are Comext's, in English or, for some downloads, in French.
They carry coverage notes ("Belgium (incl. Luxembourg 'LU' -> 1998)"): a label is looked
up as printed, then without the note. In French-labelled years, "Guinea" is Comext's label
for Guinea-Bissau (the 2016 block lists "Guinea" at EUR 126 million beside "Guinée" at
901 million, as the English years list Guinea-Bissau and Guinea). Every label must map to
a country or an aggregate; the rest are reported together in one error.

The release is the date of the latest Comext download named in ``src_file``
(``Relational_View_2024-11-25T...``), else the latest period in the file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from bilateral.errors import NotAvailableError, SourceFormatError
from bilateral.reference.countries import EU27, EXTRA_EU27, CountryIndex, countries
from bilateral.reference.exchange_rates import EUR_USD_SOURCE, usd_per_eur
from bilateral.schema import TOTAL, flow_table
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.csvfields import number_or_missing, require_all_fields, require_columns
from bilateral.sources.validation import places_of

MONTHLY_COLUMNS = ("REPORTER", "PARTNER", "FLOW", "period", "VALUE_IN_EUR")
ANNUAL_COLUMNS = ("year", "partner", "eu27_exports_eur")
FLOWS = {"2-EXPORT": "exports", "EXPORT": "exports", "1-IMPORT": "imports", "IMPORT": "imports"}
NOT_AVAILABLE = {"", ":"}  # Comext prints ':' for confidential or missing values
_COVERAGE_NOTE = re.compile(r"\s*\((?:incl\.|from |depuis |à partir de ).*\)\s*$")
_PERIOD = re.compile(r"^((?:19|20)\d{2})(?:-(0[1-9]|1[0-2]))?$")
_DOWNLOAD_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})T\d{2}_\d{2}")
# Labels of large partners that mark a year's block as French-labelled.
_FRENCH_MARKERS = {"Allemagne", "Royaume-Uni", "Etats-Unis", "Chine", "Russie, Fédération de"}
_FRENCH_LABELS = {"Guinea": "GNB"}  # Comext's French label for Guinea-Bissau


@dataclass(frozen=True)
class CsvRow:
    """One value as printed, with its line in the file (the header is line 1)."""

    line: int
    year: int
    month: int | None
    flow: str
    reporter: str  # Comext label, or the aggregate code of a fixed reporter
    partner: str
    euros: float


def _layout(path: Path, header: list[str]) -> tuple[str, ...]:
    for columns in (MONTHLY_COLUMNS, ANNUAL_COLUMNS):
        present = [c for c in columns if c in header]
        if len(present) >= 2:
            require_columns(path, header, columns, "columns " + ", ".join(columns))
            return columns
    raise SourceFormatError(
        path,
        f"unrecognised header {', '.join(header) or '(empty)'}",
        row=1,
        expected=(
            "a Comext relational view (" + ", ".join(MONTHLY_COLUMNS) + ") or EU27 exports "
            "by partner (" + ", ".join(ANNUAL_COLUMNS) + ")"
        ),
    )


def _period(path: Path, line: int, field: str, text: str) -> tuple[int, int | None]:
    match = _PERIOD.match(text.strip())
    if match is None:
        raise SourceFormatError(
            path,
            f"'{text}' is not a period",
            row=line,
            field=field,
            expected="a month as YYYY-MM or a year as YYYY",
        )
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def _euros(path: Path, line: int, field: str, text: str) -> float | None:
    return number_or_missing(
        path,
        line,
        field,
        text,
        missing=NOT_AVAILABLE,
        expected="a value in EUR, or ':' when Comext withholds it",
    )


def _parse(path: Path) -> tuple[list[CsvRow], int, list[str]]:
    """Every printed value, the count of withheld ones, and the Comext download dates."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        columns = _layout(path, header)
        rows = [(reader.line_num, row) for row in reader]
    parsed: list[CsvRow] = []
    withheld = 0
    downloads: set[str] = set()
    for line, row in rows:
        require_all_fields(path, line, row, header)
        if match := _DOWNLOAD_DATE.search(row.get("src_file", "")):
            downloads.add(match.group(1))
        if columns is MONTHLY_COLUMNS:
            year, month = _period(path, line, "period", row["period"])
            flow = FLOWS.get(row["FLOW"].strip().upper())
            if flow is None:
                raise SourceFormatError(
                    path,
                    f"unknown flow '{row['FLOW']}'",
                    row=line,
                    field="FLOW",
                    expected="EXPORT or IMPORT (or 2-EXPORT, 1-IMPORT)",
                )
            value = _euros(path, line, "VALUE_IN_EUR", row["VALUE_IN_EUR"])
            reporter, partner = row["REPORTER"], row["PARTNER"]
        else:
            year, month = _period(path, line, "year", row["year"])
            flow, reporter, partner = "exports", EU27, row["partner"]
            value = _euros(path, line, "eu27_exports_eur", row["eu27_exports_eur"])
        if value is None:
            withheld += 1
            continue
        parsed.append(CsvRow(line, year, month, flow, reporter.strip(), partner.strip(), value))
    return parsed, withheld, sorted(downloads)


def comext_code(index: CountryIndex, label: str, *, french: bool = False) -> str | None:
    """The country or aggregate code of a Comext label, or None when nothing matches.

    The label is looked up as printed, then without its coverage note
    ("Italy (incl. San Marino 'SM' -> 1993)" -> "Italy").
    """
    if french and label in _FRENCH_LABELS:
        return _FRENCH_LABELS[label]
    found = index.find(label)
    if found is not None:
        return found.code
    bare = _COVERAGE_NOTE.sub("", label)
    if bare != label:
        return comext_code(index, bare, french=french)
    return None


def _french_years(rows: list[CsvRow]) -> set[int]:
    labels: dict[int, set[str]] = {}
    for r in rows:
        labels.setdefault(r.year, set()).update(
            (_COVERAGE_NOTE.sub("", r.reporter), _COVERAGE_NOTE.sub("", r.partner))
        )
    return {year for year, names in labels.items() if names & _FRENCH_MARKERS}


def _resolve(path: Path, rows: list[CsvRow]) -> dict[tuple[int, str], str]:
    """Code of every (year, label) in the file; unknown labels are one error naming them."""
    index = countries()
    french = _french_years(rows)
    codes: dict[tuple[int, str], str] = {}
    unknown: dict[str, int] = {}
    for r in rows:
        for label in (r.reporter, r.partner):
            key = (r.year, label)
            if key in codes:
                continue
            code = comext_code(index, label, french=r.year in french)
            if code is None:
                unknown.setdefault(label, r.line)
            else:
                codes[key] = code
    if unknown:
        raise SourceFormatError(
            path,
            "names that are neither a known country nor a known aggregate: "
            + "; ".join(f"'{label}' (line {line})" for label, line in unknown.items()),
            expected="names in country_aliases.tsv or aggregates.tsv; add them there",
        )
    return codes


def _records(
    path: Path, rows: list[CsvRow], codes: dict[tuple[int, str], str], source: str, release: str
) -> list[dict[str, Any]]:
    records = []
    seen: dict[tuple[Any, ...], int] = {}
    for r in rows:
        reporter, partner = codes[(r.year, r.reporter)], codes[(r.year, r.partner)]
        exports = r.flow == "exports"
        exporter, importer = (reporter, partner) if exports else (partner, reporter)
        key = (r.year, r.month, exporter, importer)
        if key in seen:
            raise SourceFormatError(
                path,
                f"{exporter} -> {importer} in {r.year}"
                + (f"-{r.month:02d}" if r.month else "")
                + f" appears twice (also line {seen[key]})",
                row=r.line,
                expected="one value per reporter, partner, flow and period",
            )
        seen[key] = r.line
        try:
            rate = usd_per_eur(r.year)
        except NotAvailableError as exc:
            raise SourceFormatError(path, str(exc), row=r.line) from None
        records.append(
            {
                "source": source,
                "release": release,
                "year": r.year,
                "month": r.month,
                "exporter": exporter,
                "importer": importer,
                "reported_by": "exporter" if exports else "importer",
                "classification": TOTAL,
                "product": TOTAL,
                "value_usd": r.euros * rate,
                "valuation": "FOB" if exports else "CIF",
                "value_original": r.euros,
                "currency": "EUR",
                "_row": r.line,
            }
        )
    return records


def _extra_eu_check(records: list[dict[str, Any]]) -> list[str]:
    """Where the file prints an Extra-EU27 total, compare it with the extra-EU partners."""
    index = countries()
    eu = set(index.members(EU27))
    special = {"STORES_EXTRA_EU", "UNSPECIFIED_EXTRA_EU", "SECRET_EXTRA_EU", "HIGH_SEAS"}
    totals = {r["year"]: r["value_original"] for r in records if r["importer"] == EXTRA_EU27}
    sums = dict.fromkeys(totals, 0.0)
    for r in records:
        partner = r["importer"]
        if (
            r["year"] in sums
            and r["exporter"] == EU27
            and (
                partner in special
                or (partner not in eu and not index.by_code[partner].is_aggregate)
            )
        ):
            sums[r["year"]] += r["value_original"]
    gaps = {year: sums[year] - totals[year] for year in sorted(totals)}
    notes = [
        f"{year}: extra-EU partners sum to EUR {sums[year]:,.0f}, the Extra-EU27 row is "
        f"EUR {totals[year]:,.0f} (gap {gap:+,.0f})."
        for year, gap in gaps.items()
        if abs(gap) >= 1
    ]
    exact = [str(year) for year, gap in gaps.items() if abs(gap) < 1]
    if exact:
        notes.append(f"Extra-EU partners sum exactly to the Extra-EU27 row in {', '.join(exact)}.")
    return notes


class EurostatReader(Reader):
    source = "eurostat"
    title = "Eurostat Comext, EU trade in goods by partner (EUR, converted to USD)"
    # Comext names its downloads Relational_View_<time>.csv; the shared extracts keep theirs.
    patterns = ("eu_member_exports_*.csv", "eu27_exports_*.csv", "relational_view_*.csv")
    text = True

    def read(self, path: Path, sha256: str) -> ReadResult:
        rows, withheld, downloads = _parse(path)
        if not rows:
            raise SourceFormatError(path, "no values", expected="at least one data row")
        codes = _resolve(path, rows)
        release = (
            downloads[-1]
            if downloads
            else max(f"{r.year}-{r.month:02d}" if r.month else str(r.year) for r in rows)
        )
        records = _records(path, rows, codes, self.source, release)
        years = sorted({r.year for r in rows})
        rates = ", ".join(f"{y}: {usd_per_eur(y):.4f}" for y in years)
        notes = [
            f"EUR converted to USD at the {EUR_USD_SOURCE}; a value for a month uses the "
            f"annual average of its year ({rates}). value_original holds EUR.",
        ]
        if french := sorted(_french_years(rows)):
            notes.append(f"Labels in French for {', '.join(map(str, french))}; matched in French.")
        if withheld:
            notes.append(f"{withheld} values are blank or ':' (withheld by Comext): no row.")
        notes.extend(_extra_eu_check(records))
        table: pa.Table = flow_table(records, file_sha256=sha256)
        return ReadResult(table=table, release=release, notes=notes, places=places_of(records))
