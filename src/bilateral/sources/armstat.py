"""Statistical Committee of Armenia (Armstat): foreign trade by partner country, monthly.

The CSV has one line per partner and month: ``country, year, month, export,
import_origin, import_consignment, date``, values in thousand USD, Armenia the reporter
(exports FOB, imports CIF). Partner names are English, with Armstat's own spellings
("Czech Rep.", "Monako"), in ``country_aliases.tsv``. Partners that are not ISO countries
are kept under bilateral's codes: "Unknown country" as ``_X`` and "EU countries not
specified" as ``EU_NES`` (aggregates, so they never pass for a country), "Nagorno
Karabagh" as ``XNK`` (``territories.tsv``).

The monthly tables list every partner that traded in the month. A partner absent from a
month of a year in which it appears traded nothing that month: it is stored with zeros
for that month, so that its annual total (twelve months) is known.

Armstat counts imports twice, by country of origin and by country of consignment. The
canonical table has no column for the basis, so the two are told apart by the product
columns, the smallest change that keeps them from being summed together:

* by origin (the usual basis, comparable with partners' exports): ``classification`` and
  ``product`` are ``TOTAL``;
* by consignment: ``classification`` and ``product`` are ``TOTAL_CONSIGNMENT``. Any
  query for total trade (``product == 'TOTAL'``) leaves these rows out.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import countries
from bilateral.schema import CONSIGNMENT, TOTAL, flow_table
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.csvfields import number_or_missing, require_all_fields
from bilateral.sources.validation import places_of

REPORTER = "ARM"
THOUSAND = 1000.0
COLUMNS = ("country", "year", "month", "export", "import_origin", "import_consignment", "date")


def _number(path: Path, line: int, field: str, text: str) -> float | None:
    return number_or_missing(
        path, line, field, text, missing=("", "NA"), expected="a value in thousand USD"
    )


def _period(path: Path, line: int, row: dict[str, str]) -> tuple[int, int]:
    try:
        year, month = int(row["year"]), int(row["month"])
    except ValueError:
        raise SourceFormatError(
            path,
            f"year '{row['year']}', month '{row['month']}'",
            row=line,
            field="year",
            expected="a year and a month 1-12",
        ) from None
    if not 1 <= month <= 12 or row["date"][:7] != f"{year}-{month:02d}":
        raise SourceFormatError(
            path,
            f"month {month} of {year} does not agree with date '{row['date']}'",
            row=line,
            field="date",
            expected=f"{year}-{month:02d}-01",
        )
    return year, month


FIELDS = ("export", "import_origin", "import_consignment")
#: Each column's flow: exporter, importer, reported_by, valuation, product ("" = partner).
_FLOWS = {
    "export": (REPORTER, "", "exporter", "FOB", TOTAL),
    "import_origin": ("", REPORTER, "importer", "CIF", TOTAL),
    "import_consignment": ("", REPORTER, "importer", "CIF", CONSIGNMENT),
}


def _record(partner: str, year: int, month: int, field: str, value: float) -> dict[str, Any]:
    """One canonical row: the column ``field`` of partner's line for the month."""
    exporter, importer, reported_by, valuation, product = _FLOWS[field]
    return {
        "source": ArmstatReader.source,
        "year": year,
        "month": month,
        "currency": "USD",
        "exporter": exporter or partner,
        "importer": importer or partner,
        "reported_by": reported_by,
        "classification": product,
        "product": product,
        "value_usd": value * THOUSAND,
        "valuation": valuation,
        "value_original": value,
    }


def _absent_months(
    seen: dict[tuple[str, int, int], int], periods: set[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Zero rows for every month the file covers in which a partner listed in that year
    has no line: Armstat's monthly table lists every partner that traded, so a partner
    absent from a month traded nothing that month (and must not lose its annual total
    for want of a twelfth month)."""
    listed: dict[int, set[str]] = {}
    for partner, year, _ in seen:
        listed.setdefault(year, set()).add(partner)
    return [
        _record(partner, year, month, field, 0.0)
        for year, month in sorted(periods)
        for partner in sorted(listed[year])
        if (partner, year, month) not in seen
        for field in FIELDS
    ]


class ArmstatReader(Reader):
    source = "armstat"
    title = "Statistical Committee of Armenia, foreign trade by country, monthly"
    patterns = ("armstat_trade_by_country_monthly*.csv",)
    text = True

    def read(self, path: Path, sha256: str) -> ReadResult:
        index = countries()
        records = []
        unknown: dict[str, int] = {}
        seen: dict[tuple[str, int, int], int] = {}
        periods: set[tuple[int, int]] = set()
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise SourceFormatError(
                    path,
                    f"columns {reader.fieldnames}",
                    row=1,
                    expected=", ".join(COLUMNS),
                )
            for line, row in enumerate(reader, start=2):
                require_all_fields(path, line, row, COLUMNS)
                name = row["country"].strip()
                partner = index.find(name)
                if partner is None:
                    unknown.setdefault(name, line)
                    continue
                year, month = _period(path, line, row)
                key = (partner.code, year, month)
                if key in seen:
                    raise SourceFormatError(
                        path,
                        f"'{name}' {year}-{month:02d} appears twice (also line {seen[key]})",
                        row=line,
                        expected="one line per partner and month",
                    )
                seen[key] = line
                periods.add((year, month))
                for field, value in zip(
                    FIELDS, (_number(path, line, f, row[f]) for f in FIELDS), strict=True
                ):
                    if value is not None:
                        record = _record(partner.code, year, month, field, value)
                        records.append({**record, "_row": line})
        if unknown:
            raise SourceFormatError(
                path,
                "partner names that are neither a known country nor a known aggregate: "
                + "; ".join(f"'{name}' (line {line})" for name, line in unknown.items()),
                expected="names in country_aliases.tsv or aggregates.tsv; add them there",
            )
        if not records:
            raise SourceFormatError(path, "no data lines", expected="one line per partner/month")
        records.extend(_absent_months(seen, periods))
        last_year, last_month = max(periods)
        release = f"{last_year}-{last_month:02d}"
        for record in records:
            record["release"] = release
        notes = [
            "imports by country of origin have product TOTAL; imports by country of "
            f"consignment have product {CONSIGNMENT}: never add the two",
            "partners without an ISO code are kept as _X (unknown country), EU_NES (EU "
            "countries not specified) and XNK (Nagorno-Karabakh); _X and EU_NES are "
            "unspecified partners: part of Armenia's world, never ranked",
            "the monthly tables list every partner that traded: a partner absent from a "
            "month of a year it appears in is stored with zero for that month, so that it "
            "keeps its annual total",
        ]
        return ReadResult(
            flow_table(records, file_sha256=sha256), release, notes, places=places_of(records)
        )
