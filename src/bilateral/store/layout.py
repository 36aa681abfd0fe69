"""How the store lays canonical flows out in Parquet, so the common filters read little.

Rows are sorted by exporter, importer and product, so a reporter's exports (and a pair)
sit in a few row groups that DuckDB and Spark find from the row-group statistics and
read alone. Text columns are dictionary-encoded before sorting: a year of BACI has
eleven million rows but only a few hundred distinct codes, so sorting compares small
integers and the Parquet writer reuses the dictionaries instead of hashing every string.
Numbers are written plainly (a dictionary of eleven million distinct values is wasted
work). The sizes and codecs were chosen by measurement: see ``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

SORT_KEY = ("exporter", "importer", "product")
ROW_GROUP_ROWS = 1 << 17  # 131,072 rows: a reporter or a pair reads a few groups
COMPRESSION = "lz4"  # LZ4_RAW: decodes at about half zstd's CPU for 25% more disk
_LARGEST_KEY = 1 << 62


def encode(table: pa.Table) -> pa.Table:
    """``table`` with its text columns dictionary-encoded (nullability kept).

    A column holding one value throughout (source, release, currency ...) becomes a
    one-entry dictionary without hashing its rows.
    """
    fields, columns = [], []
    for field in table.schema:
        column = table.column(field.name)
        if pa.types.is_string(field.type) and column.null_count < len(column):
            column = _dictionary(column)
        fields.append(pa.field(field.name, column.type, nullable=field.nullable))
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _dictionary(column: pa.ChunkedArray) -> pa.ChunkedArray:
    first = column[0]
    if column.null_count == 0 and pc.all(pc.equal(column, first)).as_py():
        indices = pa.array(np.zeros(len(column), dtype=np.int32))
        dictionary = pa.array([first.as_py()], type=column.type)
        return pa.chunked_array([pa.DictionaryArray.from_arrays(indices, dictionary)])
    return pc.dictionary_encode(column)


def _ranks(column: pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """Each row's position in the sorted distinct values of ``column``, and their number."""
    if pa.types.is_dictionary(column.type):
        dictionary = column.chunks[0].dictionary if column.num_chunks else pa.array([], "string")
        order = pc.array_sort_indices(dictionary).to_numpy()
        position = np.empty(len(order), dtype=np.int64)
        position[order] = np.arange(len(order))
        indices = np.concatenate(
            [chunk.indices.to_numpy(zero_copy_only=False) for chunk in column.chunks]
            or [np.empty(0, dtype=np.int64)]
        )
        return position[indices], max(len(order), 1)
    values = column.to_numpy().astype(np.int64)
    low = int(values.min()) if len(values) else 0
    return values - low, int(values.max()) - low + 1 if len(values) else 1


def sort_order(table: pa.Table, keys: Sequence[str]) -> np.ndarray | None:
    """Row indices that sort ``table`` by ``keys`` (dictionary or integer columns, no
    nulls), or None when the combined key would not fit in 62 bits."""
    combined = np.zeros(len(table), dtype=np.int64)
    span = 1
    for name in reversed(keys):
        ranks, size = _ranks(table.column(name))
        if span * size >= _LARGEST_KEY:
            return None
        combined += ranks * span
        span *= size
    # Stable, and fast on input that is already nearly in order (BACI comes by code).
    return np.argsort(combined, kind="stable")


def years(table: pa.Table) -> Iterator[tuple[int, pa.Table]]:
    """The year slices of ``table``, each sorted by :data:`SORT_KEY`, text encoded."""
    if not len(table):
        return
    keys = ("year", *SORT_KEY)
    encoded = encode(table)
    order = sort_order(encoded, keys)
    if order is None:
        table = encode(table.sort_by([(k, "ascending") for k in keys]))
    elif np.array_equal(order, np.arange(len(order))):
        table = encoded
    else:
        table = encoded.take(pa.array(order))
    year = table.column("year").to_numpy()
    starts = np.concatenate([[0], np.flatnonzero(np.diff(year)) + 1, [len(year)]])
    for start, stop in zip(starts[:-1], starts[1:], strict=True):
        yield int(year[start]), table.slice(int(start), int(stop - start))


def write(
    table: pa.Table,
    target: Path,
    *,
    compression: str = COMPRESSION,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> None:
    """Write one sorted, encoded slice as Parquet; readers see plain text columns."""
    text = [f.name for f in table.schema if pa.types.is_dictionary(f.type)]
    pq.write_table(
        table,
        target,
        compression=compression,
        row_group_size=row_group_rows,
        use_dictionary=text,
        store_schema=False,
    )
