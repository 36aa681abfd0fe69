"""The canonical flow table: one long table holds every observation from every source.

Readers turn publishers' files into tables of exactly these columns; the store writes
them to Parquet; indicators read them back through Ibis. See DESIGN.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
