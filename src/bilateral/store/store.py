"""The store: canonical flows as Parquet files, and a DuckDB catalogue of what was ingested.

Layout of a store directory::

    catalogue.duckdb                          files (one row per ingested file), parts,
                                              summaries, files retired by a commit, and a
                                              view flows_all for direct SQL use
    flows/<source>/year=<year>/<sha256>-<part>.parquet
    summaries/<kind>/<source>/year=<year>/<id>.parquet

Each year's summaries (annual totals, each country's trade in each product: see
:mod:`bilateral.store.summaries`) are computed at ingest from the year's rows, and rebuilt with
them whenever a file adds or revises rows of the year.

An ingest reads every file first, writes new Parquet files and a new catalogue aside (in
a staging directory inside the store), and only then swaps them in; if anything fails the
store is exactly as it was. A file whose SHA-256 is already catalogued is skipped, so
ingesting the same file twice changes nothing. Readers answer from one version of the
catalogue and the files it names stay until no reader can still hold it (see
:mod:`bilateral.store.versions`).

When two files of one source hold the same observation (BNS publishes each year twice,
the second time revised), :meth:`Store.flows` keeps the row with the greater ``release``;
the year's rows so resolved are written at ingest (the ``latest`` summary) and read in
place of the files'.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from bilateral.backends import engines
from bilateral.errors import (
    BilateralError,
    SourceFormatError,
    StoreAccessError,
    UnknownSourceError,
    os_problem,
    unreadable,
)
from bilateral.store import versions
from bilateral.store.staging import PartWriter

# Ibis, pandas and PyArrow are imported where a query or an ingest needs them: listing
# the catalogue (``bilateral sources``) needs DuckDB only.
if TYPE_CHECKING:
    import ibis
    import pandas as pd
    import pyarrow as pa
    from ibis.backends import BaseBackend

    from bilateral.store import summaries as summary

CATALOGUE = "catalogue.duckdb"

_CATALOGUE_DDL = """
CREATE TABLE IF NOT EXISTS files (
    sha256 VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    release VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    original_path VARCHAR NOT NULL,
    rows BIGINT NOT NULL,
    year_min INTEGER,
    year_max INTEGER,
    ingested_at TIMESTAMP NOT NULL,
    notes VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    sha256 VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    rows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS summaries (
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    path VARCHAR NOT NULL,
    rows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS retired (
    path VARCHAR NOT NULL,
    retired_at TIMESTAMP NOT NULL
);
"""
#: Folders of Parquet files that the catalogue owns.
DATA_FOLDERS = ("flows", "summaries")
#: A staged Parquet file: (sha256 or summary kind, source, year, path in the store, rows).
Staged = tuple[str, str, int, str, int]
#: A set of years, sorted; None for every year.
Years = tuple[int, ...] | None


def _years_key(years: Iterable[int] | None) -> Years:
    return None if years is None else tuple(sorted(set(years)))


def default_store_path() -> Path:
    """``$BILATERAL_STORE`` if set, else a per-user data directory."""
    if env := os.environ.get("BILATERAL_STORE"):
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("bilateral")) / "store"


@dataclass
class IngestReport:
    """What happened to one input file."""

    path: Path
    status: str  # ingested | unchanged | skipped
    source: str = ""
    release: str = ""
    rows: int = 0
    sha256: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogueEntry:
    source: str
    release: str
    file_name: str
    sha256: str
    rows: int
    year_min: int | None
    year_max: int | None
    ingested_at: datetime
    notes: list[str]

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "release": self.release,
            "file": self.file_name,
            "sha256": self.sha256,
            "rows": self.rows,
            "years": f"{self.year_min}-{self.year_max}" if self.year_min is not None else "",
            "ingested_at": self.ingested_at.isoformat(timespec="seconds"),
            "notes": self.notes,
        }


#: Suffixes of files a folder may hold beside the data (read-me files, notes): not read.
NOT_DATA = (".md", ".txt")


def expand_inputs(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """Files to ingest, and whether each was named explicitly (folders are walked, sorted).

    A folder that cannot be listed, or holds no file to read, is an error: an ingest of
    nothing would otherwise succeed in silence.
    """
    for path in paths:
        if path.is_dir():
            found = sorted(_walk(path))
            files = [c for c in found if not c.name.startswith(".")]
            files = [c for c in files if c.suffix.lower() not in NOT_DATA]
            if not files:
                raise BilateralError(
                    f"{path}: the folder holds no file to read"
                    + (f" ({len(found)} read-me, note or hidden files left out)" if found else "")
                    + "; give a folder of publishers' files, or the files themselves."
                )
            for child in files:
                yield child, False
        elif path.exists():
            yield path, True
        else:
            raise BilateralError(f"{path}: no such file or folder.")


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``; a folder that cannot be listed is an error (not
    skipped in silence, as :meth:`Path.rglob` would)."""
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        raise BilateralError(
            f"{folder}: the folder cannot be read ({os_problem(exc)}); check its permissions."
        ) from None
    for entry in entries:
        child = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(child)
        elif entry.is_file():
            yield child


def validate(table: pa.Table, path: Path, places: pa.Table | None = None) -> pa.Table:
    """Check a reader's output against the canonical table's rules before it reaches the
    store (see :func:`bilateral.sources.validation.check`)."""
    from bilateral.sources import validation

    return validation.check(table, path, places)


class Store:
    """A directory of canonical Parquet files with a DuckDB catalogue, queried through Ibis."""

    def __init__(self, root: Path, engine: str = "duckdb", read_only: bool = False) -> None:
        self.root = root
        self.engine = engine
        self.read_only = read_only
        self._backend: BaseBackend | None = None
        # per set of years (None: all of them), resolved or as stored
        self._flows: dict[tuple[Years, bool], ibis.Table] = {}
        self._holdings: pd.DataFrame | None = None
        self._summaries: dict[Years, summary.Summaries] = {}
        self._pinned: versions.Version | None = None
        #: How long files superseded by a commit stay for readers of older versions.
        self.retain = versions.RETAIN

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, engine: str = "duckdb", read_only: bool = False
    ) -> Store:
        root = Path(path).expanduser() if path is not None else default_store_path()
        if engine not in engines.ENGINES:
            raise BilateralError(
                f"Unknown engine '{engine}'; choose one of {', '.join(engines.ENGINES)}."
            )
        return cls(root.resolve(), engine=engine, read_only=read_only)

    # ------------------------------------------------------------------ catalogue
    @property
    def catalogue_path(self) -> Path:
        return self.root / CATALOGUE

    def _query_catalogue(self, sql: str) -> list[tuple[Any, ...]]:
        if not self.catalogue_path.exists():
            return []
        con = duckdb.connect(str(self.catalogue_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def version(self) -> versions.Version:
        """The catalogue version this store answers from: read on first use and kept
        (pinned) until :meth:`refresh` finds a newer one, or the store changes it."""
        if self._pinned is None:
            self._pinned = versions.read(self.catalogue_path)
        return self._pinned

    def refresh(self) -> bool:
        """Move to the catalogue's newest version if it changed since this store pinned
        one (an ingest in another process); True when it did, and every table built from
        the older version is forgotten. A long-lived reader (the server) calls this
        between questions."""
        if self._pinned is None or versions.stamp(self.catalogue_path) == self._pinned.stamp:
            return False
        self._forget()
        return True

    def catalogue(self) -> list[CatalogueEntry]:
        """Every ingested file: source, release, name, SHA-256, rows, years, time, notes."""
        return [
            CatalogueEntry(*row[:8], notes=json.loads(row[8]))  # type: ignore[misc]
            for row in self.version().files
        ]

    def notes(self, source: str) -> list[str]:
        """Caveats recorded for a source's files (e.g. FAOSTAT's 5% extract threshold)."""
        seen: dict[str, None] = {}
        for entry in self.catalogue():
            if entry.source == source:
                seen.update(dict.fromkeys(entry.notes))
        return list(seen)

    def _summary_rows(self) -> list[tuple[str, str, int, str]]:
        """(kind, source, year, path) of every summary file; none in a catalogue written
        before summaries existed."""
        return self.version().summaries

    def _ingest_order(self) -> dict[str, int]:
        """Each catalogued file's place in the order of ingestion (0 first)."""
        return dict(self.version().order)

    def _parts(self) -> list[tuple[str, str, int, str]]:
        return self.version().parts

    # ------------------------------------------------------------------ ingest
    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        source: str | None = None,
        on_file: Callable[[Path], None] | None = None,
        on_rows: Callable[[Path, int, float | None], None] | None = None,
    ) -> list[IngestReport]:
        """Read files (or folders) into the store, all or nothing.

        A file already catalogued (same SHA-256) is reported 'unchanged'. In a folder, files
        no reader recognises are reported 'skipped'; a file named explicitly must be readable.
        ``on_file(path)`` is called as each file is begun, and ``on_rows(path, rows,
        share)`` after each part of it is read: the rows read so far and the share of the
        file's bytes they came from (None when the reader does not say), for progress.
        """
        inputs = list(expand_inputs(Path(p) for p in paths))
        with self._writing():
            self._remove_orphans()
            known = {row[3] for row in self.version().files}
            staging = self.root / f".staging-{uuid.uuid4().hex}"
            try:
                reports, new_parts = self._read_all(
                    inputs, source, known, staging, on_file, on_rows
                )
                if new_parts:
                    summaries = self._stage_summaries(staging, new_parts)
                    self._commit(staging, reports, new_parts, summaries)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        self._forget()
        return reports

    def summarise(self) -> int:
        """Compute every summary a year lacks (a store written before summaries, or before
        one of their kinds, existed); ingest keeps them up to date after that. Returns how
        many summary files were written."""
        if not self.read_only and not self.catalogue_path.exists():
            return 0
        with self._writing():
            self._remove_orphans()
            staging = self.root / f".staging-{uuid.uuid4().hex}"
            try:
                summaries = self._stage_summaries(staging, [])
                if summaries:
                    self._commit(staging, [], [], summaries)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        self._forget()
        return len(summaries)

    def remove(self, file: str) -> CatalogueEntry:
        """Take one file out of the store, all or nothing: its rows, and the summaries of
        its years recomputed from the files that remain. ``file`` is a path to the file,
        its name as catalogued, or its SHA-256 (or a prefix of at least 8 characters).
        Returns the catalogue entry removed."""
        with self._writing():
            entry = self._entry_of(file)
            self._remove_orphans()
            gone = [p for p in self._parts() if p[0] == entry.sha256]
            left = _files_per_year(p for p in self._parts() if p[0] != entry.sha256)
            touched = {(s, y) for _, s, y, _ in gone}
            emptied = sorted(touched - left.keys())
            # a year one file holds again: its rows are read as they are
            unrevised = sorted(key for key in touched & left.keys() if len(left[key]) == 1)
            staging = self.root / f".staging-{uuid.uuid4().hex}"
            try:
                summaries = self._stage_summaries(staging, [], removed=entry.sha256)
                self._commit(
                    staging,
                    [],
                    [],
                    summaries,
                    removed=entry.sha256,
                    emptied=emptied,
                    unrevised=unrevised,
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        self._forget()
        return entry

    def _entry_of(self, file: str) -> CatalogueEntry:
        entries = self.catalogue()
        path = Path(file).expanduser()
        if path.is_file():
            from bilateral.sources.base import file_sha256

            sha = file_sha256(path)
            found = [e for e in entries if e.sha256 == sha]
        else:
            text = file.strip().lower()
            found = [e for e in entries if len(text) >= 8 and e.sha256.startswith(text)]
            found = found or [e for e in entries if e.file_name == path.name]
        if len(found) != 1:
            problem = "is not in the store" if not found else f"matches {len(found)} files"
            raise BilateralError(
                f"{file} {problem}; give a file's path, its name or SHA-256 as "
                "`bilateral sources` lists them."
            )
        return found[0]

    def _forget(self) -> None:
        """Drop what was read of the store before it changed."""
        self._flows = {}
        self._holdings = None
        self._summaries = {}
        self._pinned = None

    def _read_all(
        self,
        inputs: list[tuple[Path, bool]],
        source: str | None,
        known: set[str],
        staging: Path,
        on_file: Callable[[Path], None] | None,
        on_rows: Callable[[Path, int, float | None], None] | None = None,
    ) -> tuple[list[IngestReport], list[Staged]]:
        reports: list[IngestReport] = []
        with PartWriter() as writer:
            for path, explicit in inputs:
                if on_file:
                    on_file(path)
                with self._as_our_error(path):
                    report = self._read_file(
                        path, explicit, source, known, staging, writer, on_rows
                    )
                reports.append(report)
            written = writer.finish()
        _check_unique_across_parts(reports, written, staging)
        return reports, written

    @contextmanager
    def _as_our_error(self, path: Path) -> Iterator[None]:
        """A failure below the reader (an encoding, an archive, the OS) as our own error
        naming ``path``; an error of the store itself stays what it is."""
        try:
            yield
        except BilateralError:
            raise
        except Exception as exc:
            if self._in_store(exc):
                raise
            if (error := unreadable(path, exc)) is None:
                raise
            raise error from None

    def _read_file(
        self,
        path: Path,
        explicit: bool,
        source: str | None,
        known: set[str],
        staging: Path,
        writer: PartWriter,
        on_rows: Callable[[Path, int, float | None], None] | None = None,
    ) -> IngestReport:
        """Read one file, handing each part to ``writer``; its report."""
        from bilateral.sources import reader_for
        from bilateral.sources.base import file_sha256, require_complete
        from bilateral.sources.filetype import require_kind

        try:
            reader = reader_for(path, source)
        except UnknownSourceError:
            if explicit:
                raise
            return IngestReport(path, "skipped", notes=["no reader recognises this file"])
        require_kind(path, reader.kinds(path))
        sha = file_sha256(path)
        if sha in known:
            return IngestReport(path, "unchanged", reader.source, sha256=sha)
        if reader.text:
            require_complete(path)
        rows, release = 0, ""
        notes: list[str] = []
        for number, result in enumerate(reader.read_parts(path, sha)):
            table = validate(result.table, path, result.places)
            release = result.release
            notes.extend(n for n in result.notes if n not in notes)
            rows += table.num_rows
            writer.submit(partial(self._stage_part, staging, reader.source, sha, number, table))
            if on_rows:
                on_rows(path, rows, result.progress)
        if not rows:
            raise SourceFormatError(path, "no rows could be read", expected="trade figures")
        known.add(sha)
        return IngestReport(path, "ingested", reader.source, release, rows, sha, notes)

    @staticmethod
    def _stage_part(
        staging: Path, source: str, sha: str, number: int, table: pa.Table
    ) -> list[Callable[[], Staged]]:
        """One part of a file split by year, each year sorted for the common filters (see
        :mod:`bilateral.store.layout`); for each, the function that writes its Parquet."""
        from bilateral.store import layout

        return [
            partial(
                _write_part,
                part,
                staging,
                f"flows/{source}/year={year}/{sha}-{number:04d}.parquet",
                (sha, source, year),
            )
            for year, part in layout.years(table)
        ]

    def _stage_summaries(
        self, staging: Path, new_parts: list[Staged], removed: str | None = None
    ) -> list[Staged]:
        """Every summary of the years the new parts (or the ``removed`` file) touch, and
        any summary a year lacks, computed from the year's files (those already in the
        store and the new ones, less the removed one), revisions resolved; written in
        ``staging``."""
        from bilateral.store import layout
        from bilateral.store import summaries as summary

        files: dict[tuple[str, int], list[tuple[str, str, int, Path]]] = {}
        touched = {(source, year) for _, source, year, _, _ in new_parts}
        for sha, source, year, relative in self._parts():
            if sha == removed:
                touched.add((source, year))
                continue
            files.setdefault((source, year), []).append((sha, source, year, self.root / relative))
        for sha, source, year, relative, _ in new_parts:
            files.setdefault((source, year), []).append((sha, source, year, staging / relative))
        order = self._ingest_order()
        for sha, *_ in new_parts:
            order.setdefault(sha, len(order))
        done = {(kind, source, year) for kind, source, year, _ in self._summary_rows()}
        wanted: dict[tuple[str, int], list[summary.Kind]] = {}
        for source, year in sorted(files):
            held_by = len({sha for sha, *_ in files[(source, year)]})
            kinds = [
                kind
                for kind in summary.DERIVED
                if kind.applies_to(source, held_by)
                and ((source, year) in touched or (kind.name, source, year) not in done)
            ]
            if kinds:
                wanted[source, year] = kinds
        if not wanted:
            return []
        backend = engines.duckdb_backend()
        staged: list[Staged] = []
        for (source, year), kinds in wanted.items():
            flows = resolved_flows(
                backend, files[(source, year)], f"year_{uuid.uuid4().hex[:8]}", order
            )
            for kind in kinds:
                table = summary.compute(kind, flows, backend.to_pyarrow)
                relative = f"summaries/{kind.name}/{source}/year={year}/{uuid.uuid4().hex}.parquet"
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                layout.write(layout.encode(table), target)
                staged.append((kind.name, source, year, relative, table.num_rows))
        return staged

    def _commit(
        self,
        staging: Path,
        reports: list[IngestReport],
        parts: list[Staged],
        summaries: list[Staged],
        *,
        removed: str | None = None,
        emptied: Iterable[tuple[str, int]] = (),
        unrevised: Iterable[tuple[str, int]] = (),
    ) -> None:
        """Swap in a new catalogue with the staged files (and without the ``removed``
        file's, without the summaries of the ``emptied`` source years, and without the
        resolved rows of the ``unrevised`` ones, which one file holds again)."""
        new_catalogue = staging / CATALOGUE
        staging.mkdir(parents=True, exist_ok=True)
        if self.catalogue_path.exists():
            shutil.copy2(self.catalogue_path, new_catalogue)
        from bilateral.store.summaries import LATEST

        con = duckdb.connect(str(new_catalogue))
        replaced: list[str] = []
        now = datetime.now(UTC).replace(tzinfo=None)
        try:
            con.execute(_CATALOGUE_DDL)
            if removed is not None:
                old = con.execute("SELECT path FROM parts WHERE sha256 = ?", [removed])
                replaced.extend(row[0] for row in old.fetchall())
                con.execute("DELETE FROM parts WHERE sha256 = ?", [removed])
                con.execute("DELETE FROM files WHERE sha256 = ?", [removed])
            dropped: list[tuple[str | None, str, int]]
            dropped = [(None, source, year) for source, year in emptied]
            dropped += [(LATEST.name, source, year) for source, year in unrevised]
            for kind, source, year, *_ in [*dropped, *summaries]:
                where = "(kind = ? OR ? IS NULL) AND source = ? AND year = ?"
                key = [kind, kind, source, year]
                old = con.execute(f"SELECT path FROM summaries WHERE {where}", key)
                replaced.extend(row[0] for row in old.fetchall())
                con.execute(f"DELETE FROM summaries WHERE {where}", key)
            if summaries:
                con.executemany(
                    "INSERT INTO summaries VALUES (?, ?, ?, ?, ?)", [list(s) for s in summaries]
                )
            for number, report in enumerate(reports):
                if report.status != "ingested":
                    continue
                years = [p[2] for p in parts if p[0] == report.sha256]
                con.execute(
                    "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        report.sha256,
                        report.source,
                        report.release,
                        report.path.name,
                        str(report.path.resolve()),
                        report.rows,
                        min(years),
                        max(years),
                        now + timedelta(microseconds=number),  # later in the list: later
                        json.dumps(report.notes, ensure_ascii=False),
                    ],
                )
            if parts:
                con.executemany(
                    "INSERT INTO parts VALUES (?, ?, ?, ?, ?)", [list(p) for p in parts]
                )
            expired = self._retire(con, replaced, now)
        finally:
            con.close()
        moved: list[Path] = []
        try:
            for _, _, _, relative, _ in [*parts, *summaries]:
                target = self.root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, target)
                moved.append(target)
            self._write_sql_view(new_catalogue)
            os.replace(new_catalogue, self.catalogue_path)
        except BaseException:
            for target in moved:
                target.unlink(missing_ok=True)
            self._prune_empty_dirs()
            raise
        for relative in expired:  # superseded long enough ago: no reader still needs them
            (self.root / relative).unlink(missing_ok=True)
        self._prune_empty_dirs()

    def _retire(
        self, con: duckdb.DuckDBPyConnection, replaced: list[str], now: datetime
    ) -> list[str]:
        """List the ``replaced`` files as retired in the new catalogue (a reader of an older
        version may still read them), and drop those retired longer than :attr:`retain`;
        the files to delete once the new catalogue is in place."""
        cutoff = now - self.retain
        in_use = "SELECT path FROM parts UNION SELECT path FROM summaries"
        owned = {row[0] for row in con.execute(in_use).fetchall()}
        old = con.execute("SELECT path FROM retired WHERE retired_at <= ?", [cutoff]).fetchall()
        con.execute("DELETE FROM retired WHERE retired_at <= ?", [cutoff])
        # a path written again by this commit (a file removed, then ingested again) is in
        # use, not retired
        con.execute(f"DELETE FROM retired WHERE path IN ({in_use})")
        if retiring := sorted(set(replaced) - owned):
            con.executemany("INSERT INTO retired VALUES (?, ?)", [[p, now] for p in retiring])
        return sorted({row[0] for row in old} - owned)

    def _write_sql_view(self, catalogue: Path) -> None:
        """A ``flows_all`` view in the catalogue, for people who query it with DuckDB directly."""
        con = duckdb.connect(str(catalogue))
        try:
            paths = [
                str(self.root / r[0])
                for r in con.execute("SELECT path FROM parts ORDER BY path").fetchall()
            ]
            con.execute("DROP VIEW IF EXISTS flows_all")
            if paths:  # a view takes no parameters: paths as SQL string literals
                listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
                con.execute(f"CREATE VIEW flows_all AS SELECT * FROM read_parquet([{listed}])")
        finally:
            con.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the store's lock for a change; a failure of the operating system (a store
        on a read-only disk, a folder without write permission, a full disk) becomes one
        line naming the store."""
        if self.read_only:
            raise BilateralError(f"The store at {self.root} is open read-only.")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self._lock():
                self._forget()  # a change starts from the newest version
                yield
        except OSError as exc:
            raise self._access_error(exc) from None

    def _access_error(self, exc: OSError) -> StoreAccessError:
        return StoreAccessError(
            f"Cannot write to the store at {self.root} ({os_problem(exc)}); fix its "
            "permissions or choose another with --store or BILATERAL_STORE."
        )

    def _in_store(self, exc: BaseException) -> bool:
        """Whether an OS error concerns a file of the store (not an input file)."""
        if not isinstance(exc, OSError) or not exc.filename:
            return False
        return Path(os.fsdecode(exc.filename)).is_relative_to(self.root)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        with open(self.root / ".lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BilateralError(
                    f"Another ingest is writing to {self.root}; try again when it ends."
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _remove_orphans(self) -> None:
        """Drop Parquet files and staging folders that no catalogue entry owns (after a crash)."""
        for stale in self.root.glob(".staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        owned = {relative for _, _, _, relative in self._parts()}
        owned |= {relative for _, _, _, relative in self._summary_rows()}
        owned |= {relative for relative, _ in self.version().retired}
        for folder in DATA_FOLDERS:
            if not (self.root / folder).exists():
                continue
            for parquet in (self.root / folder).rglob("*.parquet"):
                if str(parquet.relative_to(self.root)) not in owned:
                    parquet.unlink()
        self._prune_empty_dirs()

    def _prune_empty_dirs(self) -> None:
        for folder in (self.root / name for name in DATA_FOLDERS):
            if not folder.exists():
                continue
            for directory in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                if directory.is_dir() and not any(directory.iterdir()):
                    directory.rmdir()
            if not any(folder.iterdir()):
                folder.rmdir()

    # ------------------------------------------------------------------ queries
    @property
    def backend(self) -> BaseBackend:
        """The Ibis backend of this store's engine (created on first use)."""
        if self._backend is None:
            self._backend = engines.connect(self.engine)
        return self._backend

    def flows(
        self,
        source: str | None = None,
        *,
        years: Iterable[int] | None = None,
        resolved: bool = True,
    ) -> ibis.Table:
        """The canonical flow table, revisions resolved; optionally one source only, and
        only the files of some ``years`` (the catalogue knows which file holds which year:
        a question about two years of a thirty-year store then opens none of the others).
        A year that several files hold is read from its ``latest`` rows, resolved at
        ingest (:data:`bilateral.store.summaries.LATEST`); in a store written before
        those existed, its files' rows are ranked here (:func:`latest_revisions`).

        ``resolved=False`` gives every file's rows as stored, a revised observation once
        per file. A revision replaces a row by another of the same observation and never
        removes one, so which sources, products, partners and months exist is the same
        either way, and asked of the rows as stored it spares the engine ranking the
        revised files' rows (most of the cost of such a question on a store of several
        releases)."""
        key = (_years_key(years), resolved)
        if key not in self._flows:
            self._flows[key] = self._build_flows(*key)
        table = self._flows[key]
        return table.filter(table.source == source) if source else table

    def _build_flows(self, years: Years, resolved: bool = True) -> ibis.Table:
        import ibis

        from bilateral.schema import FLOW_SCHEMA

        parts = [
            (sha, source, year, self.root / relative)
            for sha, source, year, relative in self._parts()
            if years is None or year in years
        ]
        if not parts:
            return ibis.memtable(FLOW_SCHEMA.empty_table())
        order = self._ingest_order()
        if resolved:
            return self._resolved_flows(years, parts, order)
        name = f"flows_{_files_key(parts, order)}"
        return engines.read_parquet(self.backend, [path for *_, path in parts], name)

    def _resolved_flows(
        self, years: Years, parts: list[tuple[str, str, int, Path]], order: dict[str, int]
    ) -> ibis.Table:
        """The rows of ``parts``, a revised year's from its ``latest`` rows where the
        store has them, else from its files' rows ranked (:func:`resolve_revisions`)."""
        from bilateral.store.summaries import LATEST

        held_by = _files_per_year(parts)
        latest = {
            (source, year): self.root / path
            for kind, source, year, path in self._summary_rows()
            if kind == LATEST.name and len(held_by.get((source, year), ())) > 1
        }
        if not latest:  # over the rows as stored, read once for both
            return resolve_revisions(self.flows(years=years, resolved=False), parts, order)
        kept = [part for part in parts if (part[1], part[2]) not in latest]
        files = [path for *_, path in kept] + sorted(latest.values())
        name = f"flows_{_files_key([(path,) for path in files], order)}"
        return resolve_revisions(engines.read_parquet(self.backend, files, name), kept, order)

    def holdings(self) -> pd.DataFrame:
        """source, year and classification of every combination the store holds (from the
        catalogue and the files' statistics: see :mod:`bilateral.store.holdings`)."""
        if self._holdings is None:
            from bilateral.store.holdings import holdings as read_holdings

            parts = [(source, year, self.root / path) for _, source, year, path in self._parts()]
            self._holdings = read_holdings(parts)
        return self._holdings

    def summaries(self, *, years: Iterable[int] | None = None) -> summary.Summaries:
        """The store's summaries (:mod:`bilateral.store.summaries`) as tables, of every year or of
        ``years``; a kind that some year lacks is None (the store was written before
        summaries existed: :meth:`summarise` computes them)."""
        key = _years_key(years)
        if key not in self._summaries:
            from bilateral.store import summaries as summary

            held = {(s, y) for _, s, y, _ in self._parts() if key is None or y in key}
            rows = [r for r in self._summary_rows() if key is None or r[2] in key]
            tables: dict[str, ibis.Table | None] = {}
            for kind in summary.KINDS:
                needed = {(s, y) for s, y in held if kind.applies_to(s)}
                mine = [r for r in rows if r[0] == kind.name]
                complete = bool(needed) and needed <= {(s, y) for _, s, y, _ in mine}
                tables[kind.name] = (
                    engines.read_parquet(
                        self.backend,
                        [self.root / path for *_, path in mine],
                        f"{kind.name}_{_files_key(mine)}",
                    )
                    if complete
                    else None
                )
            self._summaries[key] = summary.Summaries(**tables)
        return self._summaries[key]

    def totals(self, source: str | None = None) -> ibis.Table | None:
        """The annual totals of every flow (``total_rows`` of :meth:`flows`), read from the
        summaries; None for a store without them. Optionally one source only."""
        summaries = self.summaries()
        return summaries.of_source(source).totals if source else summaries.totals

    def execute(self, expr: ibis.Expr) -> pd.DataFrame:
        """Run an Ibis expression on this store's engine."""
        return self.backend.execute(expr)

    def arrow(self, expr: ibis.Expr) -> pa.Table:
        """Run an Ibis expression on this store's engine; the result as Arrow."""
        return self.backend.to_pyarrow(expr)

    def years(self, source: str | None = None) -> list[int]:
        return sorted({y for _, s, y, _ in self._parts() if source is None or s == source})

    def sources(self) -> list[str]:
        return sorted({row[0] for row in self.version().files})


def _check_unique_across_parts(
    reports: list[IngestReport], written: list[Staged], staging: Path
) -> None:
    """Each file read in several parts holds one row per observation over all its parts
    (each part alone was checked as it was read)."""
    parts: dict[tuple[str, int], list[Path]] = {}
    for sha, _, year, relative, _ in written:
        parts.setdefault((sha, year), []).append(staging / relative)
    from bilateral.sources import validation

    paths = {r.sha256: r.path for r in reports if r.status == "ingested"}
    for (sha, _), files in sorted(parts.items()):
        if len(files) > 1:
            validation.check_unique_across(paths[sha], files)


def _files_key(files: Iterable[tuple[Any, ...]], order: object = None) -> str:
    """A name for the table of some of the store's files (rows whose last field is the
    file's path), the same in every process for the same files: a question about them
    then compiles to the same SQL everywhere (see :class:`bilateral.backends.compiled.SQLCache`).
    Within one process, other files get another name."""
    ordered = sorted(order.items()) if isinstance(order, dict) else order
    text = "\n".join(sorted(str(f[-1]) for f in files)) + f"\n{ordered!r}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _write_part(part: pa.Table, staging: Path, relative: str, key: tuple[str, str, int]) -> Staged:
    from bilateral.store import layout

    target = staging / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    layout.write(part, target)
    return (*key, relative, part.num_rows)


def resolved_flows(
    backend: BaseBackend,
    parts: Iterable[tuple[str, str, int, Path]],
    name: str,
    order: dict[str, int] | None = None,
) -> ibis.Table:
    """The rows of the files ``parts`` (sha256, source, year, path) as one table named
    ``name``, revisions resolved where two files hold the same source and year (``order``:
    each file's place in the order of ingestion, see :func:`latest_revisions`)."""
    parts = list(parts)
    everything = engines.read_parquet(backend, [path for *_, path in parts], name)
    return resolve_revisions(everything, parts, order)


def resolve_revisions(
    everything: ibis.Table,
    parts: Iterable[tuple[str, str, int, Path]],
    order: dict[str, int] | None = None,
) -> ibis.Table:
    """The rows of the files ``parts`` (``everything``), revisions resolved where two
    files hold the same source and year (see :func:`latest_revisions`)."""
    revised = {sha for shas in _files_per_year(parts).values() if len(shas) > 1 for sha in shas}
    if not revised:
        return everything
    order = order or {}
    return latest_revisions(everything, {sha: order.get(sha, -1) for sha in sorted(revised)})


def _files_per_year(parts: Iterable[tuple[str, str, int, Any]]) -> dict[tuple[str, int], set[str]]:
    """The SHA-256 of the files holding each (source, year) of ``parts`` (sha256, source,
    year, path): a year two files hold is revised."""
    files: dict[tuple[str, int], set[str]] = {}
    for sha, source, year, _ in parts:
        files.setdefault((source, year), set()).add(sha)
    return files


def latest_revisions(flows: ibis.Table, revised_files: dict[str, int]) -> ibis.Table:
    """Keep, for each observation held by several files, the row of the greatest release;
    within one release, the row of the file ingested last (``revised_files`` maps each
    file's SHA-256 to its place in the order of ingestion).

    Only rows from files that share a (source, year) with another file need the window;
    the rest pass through untouched, which keeps BACI-size stores cheap.
    """
    import ibis

    from bilateral.schema import OBSERVATION_KEY

    shas = sorted(revised_files)
    overlapping = flows.filter(flows.file_sha256.isin(shas))
    ingested = overlapping.file_sha256.substitute(revised_files, else_=-1)
    ranked = overlapping.mutate(
        _revision=ibis.row_number().over(
            group_by=[overlapping[c] for c in OBSERVATION_KEY],
            order_by=[
                ibis.desc(overlapping.release),
                ibis.desc(ingested),
                ibis.desc(overlapping.file_sha256),  # a catalogue without the order
            ],
        )
    )
    latest = ranked.filter(ranked._revision == 0).drop("_revision")
    untouched = flows.filter(~flows.file_sha256.isin(shas))
    return untouched.union(latest)
