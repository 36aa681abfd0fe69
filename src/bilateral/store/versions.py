"""Versions of a store's catalogue: what a reader pins, and how long superseded files stay.

A reader (a ``profile``, the server) reads the catalogue once, in one connection, and
answers every question from that :class:`Version` until it asks for a newer one
(:meth:`bilateral.store.Store.refresh`). An ingest never deletes a file that a version may
still name: the files it supersedes (summaries recomputed, the parts of a file removed)
are listed in the new catalogue's ``retired`` table with the time, and deleted by a later
change of the store once they have been retired longer than :data:`RETAIN`. A reader
therefore sees the store as it was when it opened, or as after a commit, never a missing
file, unless it holds one version for longer than that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from bilateral.errors import BilateralError

#: How long a superseded file stays after the commit that superseded it: a reader that
#: pinned an older version may read it until then.
RETAIN = timedelta(hours=1)

#: (inode, modification time in ns, size) of a catalogue file: a new commit, a new stamp.
Stamp = tuple[int, int, int]
#: (sha256, source, year, path) of a Parquet part; (kind, source, year, path) of a summary.
Row = tuple[str, str, int, str]

FILE_COLUMNS = "source, release, file_name, sha256, rows, year_min, year_max, ingested_at, notes"


def stamp(catalogue: Path) -> Stamp | None:
    """The catalogue file's identity now; None when there is none yet."""
    try:
        status = os.stat(catalogue)
    except FileNotFoundError:
        return None
    return (status.st_ino, status.st_mtime_ns, status.st_size)


@dataclass(frozen=True)
class Version:
    """Everything a reader needs from one catalogue, read at once."""

    stamp: Stamp | None = None
    files: list[tuple[Any, ...]] = field(default_factory=list)  # FILE_COLUMNS, by name
    parts: list[Row] = field(default_factory=list)
    summaries: list[Row] = field(default_factory=list)
    order: dict[str, int] = field(default_factory=dict)  # place in the order of ingestion
    retired: list[tuple[str, datetime]] = field(default_factory=list)


def read(catalogue: Path) -> Version:
    """The version of the catalogue at ``catalogue`` (an empty one when it does not exist).

    The stamp is taken before reading: if a commit lands in between, the version read is
    the newer one under the older stamp, and the next :func:`stamp` comparison reads it
    again; never the reverse.
    """
    before = stamp(catalogue)
    if before is None:
        return Version()
    try:
        return _read(catalogue, before)
    except duckdb.Error as exc:
        raise BilateralError(
            f"The store's catalogue {catalogue} cannot be read (DuckDB: "
            f"{str(exc).splitlines()[0]}); restore it from a copy, or ingest the files "
            "again into a new store."
        ) from None


def _read(catalogue: Path, before: Stamp) -> Version:
    con = duckdb.connect(str(catalogue), read_only=True)
    try:
        listed = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = {row[0] for row in listed}
        files = con.execute(
            f"SELECT {FILE_COLUMNS} FROM files ORDER BY source, release, file_name"
        ).fetchall()
        order = con.execute("SELECT sha256 FROM files ORDER BY ingested_at, rowid").fetchall()
        parts = con.execute("SELECT sha256, source, year, path FROM parts ORDER BY path")
        part_rows = [(r[0], r[1], int(r[2]), r[3]) for r in parts.fetchall()]
        summary_rows: list[Row] = []
        if "summaries" in tables:  # a catalogue written before summaries existed has none
            summaries = con.execute("SELECT kind, source, year, path FROM summaries ORDER BY path")
            summary_rows = [(r[0], r[1], int(r[2]), r[3]) for r in summaries.fetchall()]
        retired: list[tuple[str, datetime]] = []
        if "retired" in tables:
            rows = con.execute("SELECT path, retired_at FROM retired ORDER BY path").fetchall()
            retired = [(row[0], row[1]) for row in rows]
    finally:
        con.close()
    return Version(
        stamp=before,
        files=files,
        parts=part_rows,
        summaries=summary_rows,
        order={row[0]: i for i, row in enumerate(order)},
        retired=retired,
    )
