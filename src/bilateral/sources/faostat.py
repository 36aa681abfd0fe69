"""FAOSTAT detailed trade matrix: agricultural trade by item and partner (CSV, thousand USD).

One row per reporter (``ISO3``), partner (``ISOP``), FAO item, element and year. "Export
value" rows become exporter = reporter, ``reported_by`` exporter, FOB; "Import value"
rows importer = reporter, ``reported_by`` importer, CIF. The product is the FAO item name
as printed, under classification ``FAO``; items that correspond to HS codes are listed in
``reference/data/fao_item_hs.csv`` and found with
:func:`bilateral.reference.fao_items.fao_items_for_hs`.

The extracts this reader was built on keep only partners with at least a 5% share of the
reporter's trade in an item, flow and year: a partner's value is exact, but a sum over
partners is a lower bound of the reporter's trade, and a missing partner is unknown, not
zero. Every read says so in its notes. Processed foods appear as CPC groups ("Dairy
products and egg products"), not as items.

Partners are read from their ISO3 code, then from their name; FAO's own codes for
places ISO does not list must be added to the country reference. The release is the
latest year in the file.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import CountryIndex, countries
from bilateral.schema import flow_table
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.csvfields import require_all_fields, require_columns
from bilateral.sources.validation import places_of

COLUMNS = ("ISO3", "ISOP", "Partner", "Item", "Element", "Unit", "Year", "value")
ELEMENTS = {"Export value": "exports", "Import value": "imports"}
UNIT = "1000 USD"
THOUSAND = 1000.0
CLASSIFICATION = "FAO"
THRESHOLD_NOTE = (
    "FAOSTAT extract lists only partners with at least a 5% share of the reporter's trade "
    "in an item, flow and year: partner values are exact, totals over partners are lower "
    "bounds, and a partner that is absent is unknown, not zero."
)
_YEAR = re.compile(r"^(19|20)\d{2}$")


@dataclass(frozen=True)
class FaoRow:
    line: int  # the header is line 1
    reporter: str
    partner: str
    item: str
    flow: str
    year: int
    value: float  # thousand USD, as printed


def _code(index: CountryIndex, code: str, name: str) -> str | None:
    """A country from its ISO3 code, else from its name (FAO's names differ from ISO's)."""
    by_code = index.by_code.get(code.strip().upper()) if code.strip() else None
    if by_code is not None:
        return by_code.code
    by_name = index.find(name)
    return by_name.code if by_name is not None else None


def _field_error(path: Path, line: int, field: str, text: str, expected: str) -> SourceFormatError:
    return SourceFormatError(
        path, f"unexpected {field} '{text}'", row=line, field=field, expected=expected
    )


def parse(path: Path) -> list[FaoRow]:
    """Every value row of an extract, with reporter and partner resolved to codes."""
    index = countries()
    rows: list[FaoRow] = []
    unknown: dict[str, int] = {}
    seen: dict[tuple[str, str, str, str, int], int] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        require_columns(
            path, header, COLUMNS, "the FAOSTAT detailed trade matrix columns " + ", ".join(COLUMNS)
        )
        for raw in reader:
            line = reader.line_num
            require_all_fields(path, line, raw, header)
            flow = ELEMENTS.get(raw["Element"].strip())
            if flow is None:
                raise _field_error(
                    path, line, "Element", raw["Element"], "'Export value' or 'Import value'"
                )
            if raw["Unit"].strip() != UNIT:
                raise _field_error(path, line, "Unit", raw["Unit"], "'1000 USD'")
            if not _YEAR.match(raw["Year"].strip()):
                raise _field_error(path, line, "Year", raw["Year"], "a year such as 2021")
            try:
                value = float(raw["value"])
            except ValueError:
                raise _field_error(
                    path, line, "value", raw["value"], "a number in thousand USD"
                ) from None
            codes = []
            for code_field, name_field in (("ISO3", "Area"), ("ISOP", "Partner")):
                name = raw.get(name_field, "")
                code = _code(index, raw[code_field], name)
                if code is None:
                    unknown.setdefault(f"{raw[code_field]!r} {name!r}", line)
                codes.append(code or "")
            reporter, partner = codes
            year = int(raw["Year"])
            item = raw["Item"].strip()
            if not item:
                raise _field_error(path, line, "Item", raw["Item"], "an FAO item name")
            key = (reporter, partner, item, flow, year)
            if key in seen:
                raise SourceFormatError(
                    path,
                    f"{item} {raw['Element']} {year} for partner {partner} appears twice "
                    f"(also line {seen[key]})",
                    row=line,
                    expected="one value per reporter, partner, item, element and year",
                )
            seen[key] = line
            rows.append(FaoRow(line, reporter, partner, item, flow, year, value))
    if unknown:
        raise SourceFormatError(
            path,
            "country codes and names that match no country or aggregate: "
            + "; ".join(f"{what} (line {line})" for what, line in unknown.items()),
            expected="ISO 3166 alpha-3 codes or names in country_aliases.tsv; add FAO's there",
        )
    return rows


class FaostatReader(Reader):
    source = "faostat"
    title = "FAOSTAT detailed trade matrix (agricultural items by partner)"
    patterns = ("*faostattm*.csv", "trade_detailedtradematrix*.csv")
    text = True

    def read(self, path: Path, sha256: str) -> ReadResult:
        rows = parse(path)
        if not rows:
            raise SourceFormatError(path, "no values", expected="at least one data row")
        release = str(max(r.year for r in rows))
        records: list[dict[str, Any]] = []
        own = [r for r in rows if r.reporter == r.partner]
        for r in rows:
            if r.reporter == r.partner:
                continue  # trade with itself (re-imports) has no place in a bilateral table
            exports = r.flow == "exports"
            records.append(
                {
                    "source": self.source,
                    "release": release,
                    "year": r.year,
                    "exporter": r.reporter if exports else r.partner,
                    "importer": r.partner if exports else r.reporter,
                    "reported_by": "exporter" if exports else "importer",
                    "classification": CLASSIFICATION,
                    "product": r.item,
                    "value_usd": r.value * THOUSAND,
                    "valuation": "FOB" if exports else "CIF",
                    "value_original": r.value,
                    "currency": "USD",
                    "_row": r.line,
                }
            )
        table: pa.Table = flow_table(records, file_sha256=sha256)
        notes = [THRESHOLD_NOTE]
        if own:
            notes.append(
                f"{len(own)} rows with the reporter as its own partner give no row "
                f"(first on line {own[0].line})."
            )
        return ReadResult(table=table, release=release, notes=notes, places=places_of(records))
