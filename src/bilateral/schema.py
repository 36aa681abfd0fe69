"""The canonical flow table: one long table holds every observation from every source.

Readers turn publishers' files into tables of exactly these columns; the store writes
them to Parquet; indicators read them back through Ibis. See DESIGN.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

FLOW_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),  # kz_bns, ru_fcs, baci, ...
        pa.field("release", pa.string(), nullable=False),  # publication / version; later wins
        pa.field("year", pa.int16(), nullable=False),
        pa.field("month", pa.int8()),  # null for annual figures
        pa.field("exporter", pa.string(), nullable=False),  # ISO3 or aggregate code (WLD, EU27)
        pa.field("importer", pa.string(), nullable=False),
        pa.field("reported_by", pa.string(), nullable=False),  # exporter | importer | reconciled
        pa.field("classification", pa.string(), nullable=False),  # TOTAL, HS92, HS22, FAO, CN8
        pa.field("product", pa.string(), nullable=False),  # TOTAL, 010111, 1001, Wheat
        pa.field("value_usd", pa.float64()),  # US dollars, not thousands
        pa.field("quantity", pa.float64()),
        pa.field("quantity_unit", pa.string()),  # t, kg, u
        pa.field("valuation", pa.string()),  # FOB | CIF | reconciled
        pa.field("value_original", pa.float64()),  # value in the publisher's unit and currency
        pa.field("currency", pa.string()),  # the currency of value_original: USD, EUR, ...
        pa.field("transport_mode", pa.string()),  # Comtrade's mode of transport, else null
        pa.field("file_sha256", pa.string(), nullable=False),  # the catalogue entry it came from
    ]
)

COLUMNS: tuple[str, ...] = tuple(FLOW_SCHEMA.names)

REPORTED_BY = ("exporter", "importer", "reconciled")
VALUATIONS = ("FOB", "CIF", "reconciled")
TOTAL = "TOTAL"
#: The product of a publisher's second count of imports by country of consignment
#: (Armstat); ``TOTAL`` rows hold its count by country of origin, so the two never add up.
CONSIGNMENT = "TOTAL_CONSIGNMENT"

# ------------------------------------------------------------------ what every row obeys
# Declared once per column; ``bilateral.sources.validation`` checks every reader's table against
# them (with Arrow compute) before anything reaches the store. A null passes every rule of
# a nullable column: it is a publisher's "not available" (":", "…", "-", "x"), never zero.

#: A value column: finite and not negative (publishers print exports and imports, never
#: signed balances; a negative, NaN or infinite value is a broken file).
AMOUNT = "a finite number >= 0, or empty for not available"


@dataclass(frozen=True)
class Rule:
    """What one column's values must look like: a regular expression for text, bounds for
    numbers, ``amount`` for money and quantities (finite, >= 0)."""

    expected: str
    pattern: str | None = None
    low: float | None = None
    high: float | None = None
    amount: bool = False


_CODE = Rule("an upper-case code such as KAZ, WLD or EU27", pattern=r"^[A-Z_][A-Z0-9_]*$")

COLUMN_RULES: dict[str, Rule] = {
    "source": Rule("a source name such as kz_bns", pattern=r"^[a-z][a-z0-9_]*$"),
    "release": Rule("a release such as 2023, 2024-07 or V202501", pattern=r"^[A-Za-z0-9][\w.-]*$"),
    "year": Rule("a year between 1900 and 2100", low=1900, high=2100),
    "month": Rule("a month between 1 and 12, or empty for annual figures", low=1, high=12),
    "exporter": _CODE,
    "importer": _CODE,
    "reported_by": Rule(" | ".join(REPORTED_BY), pattern="^(" + "|".join(REPORTED_BY) + ")$"),
    "classification": Rule(
        "a classification such as TOTAL, HS92 or CN8", pattern=r"^[A-Z][A-Z0-9_]*$"
    ),
    "value_original": Rule(AMOUNT, amount=True),
    "value_usd": Rule(AMOUNT, amount=True),
    "quantity": Rule(AMOUNT, amount=True),
    "valuation": Rule(" | ".join(VALUATIONS), pattern="^(" + "|".join(VALUATIONS) + ")$"),
    "currency": Rule("an ISO 4217 currency code such as USD", pattern=r"^[A-Z]{3}$"),
    "file_sha256": Rule("the SHA-256 of the file", pattern=r"^\S+$"),
}

#: The product code a classification allows, first match wins: totals name themselves, HS
#: and CN codes are digits only (2, 4, 6 or 8 of them), FCS prints chapters and ranges of
#: chapters, FAO names items.
PRODUCT_RULES: tuple[tuple[str, Rule], ...] = (
    (r"^TOTAL", Rule("the classification itself (TOTAL)", pattern=r"^TOTAL(_[A-Z]+)?$")),
    (
        r"^HS_CHAPTER$",
        Rule("an HS chapter such as 27 or a range such as 01-24", pattern=r"^\d{2}(-\d{2})?$"),
    ),
    (r"^(HS|CN)\d*$", Rule("an HS or CN code of 2, 4, 6 or 8 digits", pattern=r"^(\d{2}){1,4}$")),
    (r"", Rule("a product code or name", pattern=r"^[^\x00-\x1f]+$")),
)

#: The columns that identify an observation: one file holds at most one row per key.
OBSERVATION_KEY = (
    "source",
    "year",
    "month",
    "exporter",
    "importer",
    "reported_by",
    "classification",
    "product",
    "transport_mode",
)


def flow_table(records: Iterable[Mapping[str, Any]], *, file_sha256: str = "") -> pa.Table:
    """Build a canonical table from row dictionaries; missing optional columns become null.

    ``file_sha256`` fills the provenance column when the records do not carry it.
    Small sources (national workbooks) use this; bulk readers build Arrow columns directly.
    """
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for record in records:
        for name in COLUMNS:
            columns[name].append(record.get(name))
    if file_sha256:
        columns["file_sha256"] = [value or file_sha256 for value in columns["file_sha256"]]
    return pa.Table.from_pydict(columns, schema=FLOW_SCHEMA)


def conform(table: pa.Table) -> pa.Table:
    """Add missing optional columns as nulls, order and cast columns to the schema."""
    arrays = []
    for field in FLOW_SCHEMA:
        if field.name in table.column_names:
            arrays.append(table.column(field.name).cast(field.type))
        else:
            arrays.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(arrays, schema=FLOW_SCHEMA)
