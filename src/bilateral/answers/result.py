"""The shape every answer shares: one Arrow table, and what a reader needs to read it.

An answer is computed once and then printed by the command line, served by the JSON API
and read by the report alike, so none of them computes a figure of its own.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from typing import Any

import pandas as pd
import pyarrow as pa


def plain(value: Any) -> Any:
    """A JSON-ready value: NaN becomes None, tuples lists, numpy scalars Python ones."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "as_dict"):
        return plain(value.as_dict())
    return value


@dataclass(frozen=True, kw_only=True)
class Answer:
    """One question's answer: ``table`` (Arrow) plus its metadata.

    ``currency`` is the currency of every money column; ``sources`` the sources the table
    draws on; ``notes`` what a reader must know (a source that holds nothing, a share that
    is not available and why). Subclasses add the question's own parameters.
    """

    table: pa.Table
    currency: str = "USD"
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_pandas(self) -> pd.DataFrame:
        """The table as a DataFrame (nulls as NaN or None)."""
        return self.table.to_pandas()

    def to_arrow(self) -> pa.Table:
        return self.table

    def rows(self) -> list[dict[str, Any]]:
        """The table as JSON-ready dicts, one per row."""
        return [plain(row) for row in self.table.to_pylist()]

    def metadata(self) -> dict[str, Any]:
        """Every field but the table, JSON-ready."""
        return {f.name: plain(getattr(self, f.name)) for f in fields(self) if f.name != "table"}

    def to_dict(self) -> dict[str, Any]:
        """The metadata and ``rows``: what ``--format json`` prints and the API serves."""
        return {**self.metadata(), "rows": self.rows()}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
