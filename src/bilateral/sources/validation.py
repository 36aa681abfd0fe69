"""Checking a reader's table against the rules of the canonical table, before the store.

The rules are declared once per column in :mod:`bilateral.schema` (``COLUMN_RULES``,
``PRODUCT_RULES``, ``OBSERVATION_KEY``); this module applies them to every table a reader
hands over, whatever the publisher, with Arrow compute (a whole column at a time; only
when a rule fails is the first offending row looked up, to name it). A violation raises
:class:`~bilateral.errors.SourceFormatError` naming the file, the sheet, row or line where
the reader knows it (:attr:`bilateral.sources.base.ReadResult.places`), the column and
the value; nothing is written.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bilateral.errors import SourceFormatError
from bilateral.schema import (
    COLUMN_RULES,
    FLOW_SCHEMA,
    OBSERVATION_KEY,
    PRODUCT_RULES,
    Rule,
    conform,
)

_ONE_ROW = (
    "one row per observation (source, period, exporter, importer, reporter, product, "
    "mode of transport)"
)
#: Where a row came from, as readers give it: any of these columns, aligned with the rows.
PLACE_COLUMNS = ("member", "sheet", "row", "line")


def check(table: pa.Table, path: Path, places: pa.Table | None = None) -> pa.Table:
    """``table`` conformed to the canonical schema, once every rule holds; else raise.

    Parameters
    ----------
    table
        A reader's rows (missing optional columns are added as nulls).
    path
        The file they came from, named in errors.
    places
        Optionally, for each row, where the reader found it: columns ``member``,
        ``sheet``, ``row`` and ``line`` (any of them; nulls where unknown).

    Returns
    -------
    The table with exactly the canonical columns, in order.

    Examples
    --------
    >>> from bilateral.schema import flow_table
    >>> row = dict(source="kz_bns", release="2023", year=2023, exporter="KAZ",
    ...            importer="RUS", reported_by="exporter", classification="TOTAL",
    ...            product="TOTAL", value_usd=-1.0, file_sha256="ab")
    >>> check(flow_table([row]), Path("bns.xls"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    bilateral.errors.SourceFormatError: bns.xls, field 'value_usd': -1.0 (2023 KAZ -> ...

    A null value passes: it is a publisher's "not available", never zero.
    """
    table = conform(table)
    columns = {name: _Column(table.column(name)) for name in table.column_names}
    for field in FLOW_SCHEMA:
        column = table.column(field.name)
        if not field.nullable and column.null_count:
            _raise(
                table,
                path,
                places,
                _first(pc.is_null(column)),
                field.name,
                "a value in every row",
                "the value is missing",
            )
    for name, rule in COLUMN_RULES.items():  # the value as printed before its conversion
        bad = _violations(columns[name], rule)
        if bad is not None:
            _raise(table, path, places, bad, name, rule.expected)
    _check_products(table, path, places, columns)
    _check_unique(table, path, places, columns)
    return table


def places_of(records: list[dict[str, Any]]) -> pa.Table | None:
    """The places of row dictionaries that carry ``_sheet``, ``_row`` or ``_line`` keys
    (where the reader found each row), aligned with :func:`bilateral.schema.flow_table`."""
    names = [n for n in ("sheet", "row", "line") if any(f"_{n}" in r for r in records)]
    if not names:
        return None
    types = {"sheet": pa.string(), "row": pa.int64(), "line": pa.int64()}
    return pa.table({n: pa.array([r.get(f"_{n}") for r in records], types[n]) for n in names})


class _Column:
    """One column, looked at once: a text column that holds a single value is checked
    through that value; other text columns through their distinct values (dictionary
    encoded), so a rule runs on each value once, however many rows repeat it."""

    def __init__(self, column: pa.ChunkedArray) -> None:
        self.column = column
        self.rows = len(column)
        self.constant = column.null_count == self.rows or (
            column.null_count == 0
            and self.rows > 0
            and bool(pc.all(pc.equal(column, column[0])).as_py())
        )
        self._encoded: pa.DictionaryArray | None = None

    @property
    def encoded(self) -> pa.DictionaryArray:
        if self._encoded is None:
            self._encoded = pc.dictionary_encode(self.column.combine_chunks())
        return self._encoded

    def first_not(self, ok_values: pa.Array) -> int | None:
        """First row whose value is not allowed, given ``ok_values`` for the distinct values
        (of the first row only, when the column is constant)."""
        if self.constant:
            return None if ok_values[0].as_py() is not False else 0
        bad = pc.invert(pc.fill_null(ok_values, True))
        if not pc.any(bad).as_py():
            return None
        wrong = pc.indices_nonzero(bad)
        return _first(pc.is_in(self.encoded.indices, value_set=wrong))

    def distinct(self) -> pa.Array:
        return (
            self.column.slice(0, 1).combine_chunks() if self.constant else self.encoded.dictionary
        )


def _violations(column: _Column, rule: Rule) -> int | None:
    """Index of the first value that breaks ``rule``, or None (nulls never break one)."""
    if rule.pattern is not None:
        return column.first_not(pc.match_substring_regex(column.distinct(), rule.pattern))
    values = column.column
    if rule.amount:
        ok = pc.and_(pc.is_finite(values), pc.greater_equal(values, 0))
    else:
        ok = None
        if rule.low is not None:
            ok = pc.greater_equal(values, rule.low)
        if rule.high is not None:
            high = pc.less_equal(values, rule.high)
            ok = high if ok is None else pc.and_(ok, high)
    if ok is None or pc.all(ok).as_py() is not False:
        return None
    return _first(pc.invert(pc.fill_null(ok, True)))


def _check_products(
    table: pa.Table, path: Path, places: pa.Table | None, columns: dict[str, _Column]
) -> None:
    """Each product code in the format its classification allows (``PRODUCT_RULES``)."""
    classification = columns["classification"]
    product = columns["product"]
    names = classification.distinct().to_pylist()
    for name in names:
        rule = next(r for pattern, r in PRODUCT_RULES if _matches(pattern, name))
        assert rule.pattern is not None
        if len(names) == 1:  # one classification (BACI, a national table): distinct codes
            bad = product.first_not(pc.match_substring_regex(product.distinct(), rule.pattern))
        else:
            ok = pc.match_substring_regex(product.column, rule.pattern)
            mine = pc.equal(classification.column, name)
            wrong = pc.and_(mine, pc.invert(pc.fill_null(ok, True)))
            bad = _first(wrong) if pc.any(wrong).as_py() else None
        if bad is not None:
            _raise(table, path, places, bad, "product", f"for {name}, {rule.expected}")


def _matches(pattern: str, text: str) -> bool:
    return bool(pc.match_substring_regex(pa.array([text]), pattern)[0].as_py())


def _check_unique(
    table: pa.Table, path: Path, places: pa.Table | None, columns: dict[str, _Column]
) -> None:
    """At most one row per observation key (a repeated row is a broken file).

    The key columns that vary are dictionary encoded and their codes folded into one
    integer per row: counting distinct integers is cheap. Only when some repeat is the
    table grouped by its key, to name the first repeated row.
    """
    if table.num_rows < 2:
        return
    combined: np.ndarray | None = None
    for name in OBSERVATION_KEY:
        column = columns[name]
        if column.constant:
            continue
        indices = column.encoded.indices
        size = len(column.encoded.dictionary) + 1
        codes = pc.fill_null(indices, size - 1).to_numpy().astype(np.int64)
        if combined is None:
            combined = codes
        elif int(combined.max()) < (1 << 62) // size:
            combined = combined * size + codes
        else:  # too many combinations for one integer: group by the columns instead
            combined = None
            break
    else:
        if combined is None or _distinct(combined) == table.num_rows:
            return
    _name_first_repeat(table, path, places)


def _name_first_repeat(table: pa.Table, path: Path, places: pa.Table | None) -> None:
    keyed = table.select(list(OBSERVATION_KEY)).append_column(
        "_index", pa.array(np.arange(table.num_rows, dtype=np.int64))
    )
    groups = keyed.group_by(list(OBSERVATION_KEY), use_threads=False).aggregate(
        [("_index", "min"), ("_index", "max"), ("_index", "count")]
    )
    if groups.num_rows == table.num_rows:
        return
    repeated = groups.filter(pc.greater(groups.column("_index_count"), 1))
    first = repeated.sort_by("_index_max").slice(0, 1).to_pylist()[0]
    earlier = _where(places, first["_index_min"]) if places is not None else {}
    also = ", ".join(f"{k} {v}" for k, v in earlier.items() if k != "member" and v is not None)
    _raise(
        table,
        path,
        places,
        first["_index_max"],
        None,
        _ONE_ROW,
        f"the observation {_describe(table, first['_index_max'])} appears "
        f"{first['_index_count']} times" + (f" (also {also})" if also else ""),
    )


def check_unique_across(path: Path, parts: list[Path]) -> None:
    """At most one row per observation key over the Parquet ``parts`` of one file and year
    (a bulk file read in several parts: each part was checked alone by :func:`check`)."""
    keys = ", ".join(OBSERVATION_KEY)
    con = duckdb.connect()
    try:
        found = con.execute(
            f"SELECT {keys}, count(*) AS n FROM read_parquet(?) GROUP BY ALL "
            "HAVING count(*) > 1 ORDER BY ALL LIMIT 1",
            [[str(p) for p in parts]],
        ).fetchall()
    finally:
        con.close()
    if found:
        row = dict(zip((*OBSERVATION_KEY, "n"), found[0], strict=True))
        raise SourceFormatError(
            path,
            f"the observation {_describe_row(row)} appears {row['n']} times",
            expected=_ONE_ROW,
        )


def _first(mask: Any) -> int:
    return int(pc.index(mask, True).as_py())


def _where(places: pa.Table | None, index: int) -> dict[str, Any]:
    if places is None:
        return {}
    row = places.slice(index, 1).to_pylist()[0]
    return {name: row.get(name) for name in PLACE_COLUMNS}


def _describe(table: pa.Table, index: int) -> str:
    return _describe_row(table.slice(index, 1).to_pylist()[0])


def _describe_row(row: dict[str, Any]) -> str:
    period = str(row["year"]) + (f"-{row['month']:02d}" if row["month"] else "")
    text = (
        f"{period} {row['exporter']} -> {row['importer']} {row['classification']} {row['product']}"
    )
    if row["transport_mode"]:
        text += f" by {row['transport_mode']}"
    return text


def _shown(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    text = repr(value)
    return text if len(text) <= 42 else text[:40] + "…"


def _raise(
    table: pa.Table,
    path: Path,
    places: pa.Table | None,
    index: int,
    field: str | None,
    expected: str,
    problem: str | None = None,
) -> None:
    where = _where(places, index)
    if problem is None:
        value = table.column(field).slice(index, 1).to_pylist()[0] if field else None
        problem = f"{_shown(value)} ({_describe(table, index)})"
    raise SourceFormatError(
        path,
        problem,
        member=where.get("member"),
        sheet=where.get("sheet"),
        row=where.get("row"),
        line=where.get("line"),
        field=field,
        expected=expected,
    )


def _distinct(codes: np.ndarray) -> int:
    """How many distinct integers: publishers' files are mostly sorted by their key, so
    a strictly increasing run is checked first and sorting is the fallback."""
    if len(codes) < 2 or bool(np.all(codes[1:] > codes[:-1])):
        return len(codes)
    ordered = np.sort(codes)
    return int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1
