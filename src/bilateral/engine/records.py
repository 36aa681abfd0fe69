"""Profile records and the profile itself, with its conversions to pandas, Arrow and JSON."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

RECORD_SCHEMA = pa.schema(
    [
        ("name", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),  # USD | percent | rank | index
        ("source", pa.string()),
        ("reported_by", pa.string()),
        ("year", pa.int32()),
        ("product", pa.string()),
        ("group", pa.string()),
        ("release", pa.string()),
        ("note", pa.string()),  # "not available in <source>: why", or a caveat
        ("detail", pa.string()),  # JSON in Arrow; a dict elsewhere
    ]
)


def plain(value: Any) -> Any:
    """JSON-ready: NaN, infinities and NA become None (JSON has no such numbers), numpy
    scalars Python numbers, dicts and lists recursively."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: Significant digits a profile states its numbers to: sums of floats come out of a
#: parallel engine in an order that varies from run to run, which moves the last of
#: their 17 digits; at 12 the same store and question give the same bytes.
DIGITS = 12


def steady(value: Any) -> Any:
    """``value`` with every float rounded to :data:`DIGITS` significant digits (inside
    dicts and lists too)."""
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}") if math.isfinite(value) else value
    if isinstance(value, dict):
        return {k: steady(v) for k, v in value.items()}
    if isinstance(value, list):
        return [steady(v) for v in value]
    return value


@dataclass
class Record:
    """One number of a profile, with where it came from."""

    name: str
    value: float | int | None
    unit: str
    source: str
    reported_by: str | None
    year: int | None
    product: str | None = None
    group: str | None = None
    release: str | None = None
    note: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {key: plain(value) for key, value in asdict(self).items()}


@dataclass
class Profile:
    """A bilateral dossier: records for a reporter, a partner and a year."""

    reporter: str
    partner: str
    year: int
    sources: list[str]
    records: list[Record]

    def find(self, name: str, **fields: Any) -> list[Record]:
        """Records of that name whose fields equal the given ones (source='kz_bns', ...)."""
        return [
            r
            for r in self.records
            if r.name == name and all(getattr(r, k) == v for k, v in fields.items())
        ]

    def value(self, name: str, **fields: Any) -> float | int | None:
        """The value of the one record that matches; an error if none or several do."""
        found = self.find(name, **fields)
        if len(found) != 1:
            raise LookupError(f"{len(found)} records named {name} match {fields}")
        return found[0].value

    def to_records(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.records]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: reporter, partner, year, sources and the indicator records."""
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "year": self.year,
            "sources": self.sources,
            "indicators": self.to_records(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    def to_pandas(self) -> pd.DataFrame:
        """One row per record; ``detail`` stays a dict."""
        return pd.DataFrame(self.to_records(), columns=RECORD_SCHEMA.names)

    def to_arrow(self) -> pa.Table:
        """One row per record; ``detail`` as a JSON string so the schema stays flat."""
        rows = self.to_records()
        for row in rows:
            row["detail"] = json.dumps(row["detail"], ensure_ascii=False)
            row["value"] = None if row["value"] is None else float(row["value"])
        return pa.Table.from_pylist(rows, schema=RECORD_SCHEMA)
