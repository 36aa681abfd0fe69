"""What a store holds, per source and year: the classifications of its rows, read from
the Parquet files' column statistics rather than from the rows.

A profile first asks which sources hold which years and classifications, to say why an
indicator is missing. Scanning for that reads every row of the store (329 M for thirty
years of BACI, seconds); the statistics in the files' footers answer it in milliseconds.
A file whose row groups each hold one classification is answered from its footer; any
other file is scanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

COLUMNS = ["source", "year", "classification"]


def classifications(files: Sequence[Path]) -> dict[str, set[str]]:
    """The classifications in each file (keyed by its path as a string)."""
    if not files:
        return {}
    con = duckdb.connect()
    try:
        stats = con.execute(
            "SELECT file_name, stats_min_value, stats_max_value FROM parquet_metadata(?) "
            "WHERE path_in_schema = 'classification'",
            [[str(f) for f in files]],
        ).fetchall()
        found: dict[str, set[str]] = {str(f): set() for f in files}
        mixed: set[str] = set()
        for name, low, high in stats:
            if low is None or low != high:
                mixed.add(name)
            else:
                found[name].add(low)
        scanned = sorted(mixed | {n for n, values in found.items() if not values})
        if scanned:  # one scan of them all: a query per file costs more than its rows
            rows = con.execute(
                "SELECT DISTINCT filename, classification FROM read_parquet(?, filename = true)",
                [scanned],
            ).fetchall()
            for name in scanned:
                found[name] = set()
            for name, value in rows:
                found[name].add(value)
        return found
    finally:
        con.close()


def holdings(parts: Sequence[tuple[str, int, Path]]) -> pd.DataFrame:
    """source, year, classification: one row for each combination the parts hold."""
    found = classifications([path for *_, path in parts])
    rows = {
        (source, year, value)
        for source, year, path in parts
        for value in found.get(str(path), set())
    }
    return pd.DataFrame(sorted(rows), columns=COLUMNS)
