"""The starter store: publishers' figures that ship inside the package, so that a fresh
install answers ``bilateral profile KAZ RUS --year 2022`` with no download or ingest.

``src/bilateral/data/starter/`` holds what an ingest of the files in :data:`STARTER_FILES`
writes to a store (the canonical flows of each file and year, and each year's summaries),
as Parquet, with ``manifest.json`` for the catalogue rows. Its ``README.md`` gives each
publisher's licence and how to cite it. Only publishers whose terms allow redistribution
with attribution are in it; UN Comtrade and the BACI sample are not, nor the Comext CN8
spreadsheets (about 10 MB as Parquet: ingest them for the sanctions lens).

:func:`build` writes it from the publishers' own files (``scripts/build_starter_store.py``);
building again from the same files with the same versions of bilateral and pyarrow gives
the same bytes. :func:`install` copies it into a store that does not exist yet, with a
catalogue that records each file under the SHA-256 of the publisher's file, so ingesting
that file later is a no-op ("unchanged") and a newer publication of it wins as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from bilateral.backends import engines
from bilateral.errors import BilateralError
from bilateral.store import layout
from bilateral.store import summaries as summary
from bilateral.version import __version__

if TYPE_CHECKING:
    from bilateral.store.store import Store

#: The publishers' files the starter is built from, by folder of ``../shared/data``.
STARTER_FILES: dict[str, tuple[str, ...]] = {
    "kz-bns": (
        "bns_osnovnye_pokazateli_vneshney_torgovli_2019.xls",
        "bns_osnovnye_pokazateli_vneshney_torgovli_2020.xls",
        "bns_osnovnye_pokazateli_vneshney_torgovli_2021.xls",
        "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls",
        "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls",
    ),
    "ru-fcs": (
        "94itog.xlsx",
        "96stran.xlsx",
        "WEB_UTSA_04.xlsx",
        "WEB_UTSA_05.xlsx",
        "fcs_publikaciya_TSTV_2022.xlsx",
        "fcs_strany_122023.xlsx",
    ),
    "eurostat": (
        "eu27_exports_by_partner_annual_2010_2023.csv",
        "eu_member_exports_to_KAZ_monthly.csv",
        "eu_member_exports_to_RUS_monthly.csv",
    ),
    "faostat": ("KAZ_faostattm.csv", "RUS_faostattm.csv"),
    "armstat": ("armstat_trade_by_country_monthly.csv",),
}
#: Who publishes each source, for the line that says where a new store's data come from.
PUBLISHERS = {
    "kz_bns": "Kazakhstan BNS",
    "ru_fcs": "Russia FCS",
    "eurostat": "Eurostat",
    "faostat": "FAOSTAT",
    "armstat": "Armstat",
}
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
#: The shipped Parquet is written once and read often: the strongest zstd level.
COMPRESSION = "zstd"
COMPRESSION_LEVEL = 19
#: Set to 0 (or off, no, false) to open a store that does not exist yet empty.
ENV_SWITCH = "BILATERAL_STARTER"


def starter_dir() -> Path:
    """Where the starter store sits inside the installed package."""
    return Path(str(resources.files("bilateral"))) / "data" / "starter"


def enabled() -> bool:
    """False when ``$BILATERAL_STARTER`` turns the starter off."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in {"0", "off", "no", "false"}


@dataclass(frozen=True)
class Manifest:
    """What the starter holds: the publishers' files, and the Parquet written from them."""

    built_with: dict[str, str]
    files: list[dict[str, Any]]
    parts: list[dict[str, Any]]
    summaries: list[dict[str, Any]]

    @classmethod
    def read(cls, folder: Path | None = None) -> Manifest:
        path = (folder or starter_dir()) / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BilateralError(
                f"{path}: the starter store is missing from this installation "
                "(build it with scripts/build_starter_store.py)."
            ) from None
        if data.get("format") != MANIFEST_FORMAT:
            raise BilateralError(
                f"{path}: manifest format {data.get('format')}, expected {MANIFEST_FORMAT}."
            )
        return cls(data["built_with"], data["files"], data["parts"], data["summaries"])

    def as_json(self) -> str:
        data = {
            "format": MANIFEST_FORMAT,
            "built_with": self.built_with,
            "files": self.files,
            "parts": self.parts,
            "summaries": self.summaries,
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def describe(self) -> str:
        """Each publisher with the years it covers: 'Kazakhstan BNS 2018-2023, ...'."""
        spans: dict[str, tuple[int, int]] = {}
        for entry in self.files:
            low, high = spans.get(entry["source"], (entry["year_min"], entry["year_max"]))
            spans[entry["source"]] = (min(low, entry["year_min"]), max(high, entry["year_max"]))
        return ", ".join(
            f"{PUBLISHERS.get(source, source)} {low}-{high}"
            for source, (low, high) in spans.items()
        )


def available() -> bool:
    return (starter_dir() / MANIFEST).is_file()


# ---------------------------------------------------------------------------- building


def build(shared: Path, out: Path) -> Manifest:
    """Ingest :data:`STARTER_FILES` from ``shared`` (``../shared/data``) into a scratch
    store, and write its Parquet and ``manifest.json`` to ``out``, deterministically:
    the flows as the store wrote them (named by the publisher file's SHA-256), each
    summary sorted by every column, all recompressed with zstd. Files ``out`` holds
    from an earlier build are replaced; its README.md is left alone."""
    from bilateral.store.store import Store

    inputs = []
    for folder, names in STARTER_FILES.items():
        for name in names:
            path = shared / folder / name
            if not path.is_file():
                raise BilateralError(f"{path}: a publisher's file of the starter is missing.")
            inputs.append(path)
    with tempfile.TemporaryDirectory(prefix="bilateral-starter-") as scratch:
        store = Store.open(Path(scratch) / "store")
        reports = store.ingest(inputs)
        not_read = [r.path.name for r in reports if r.status != "ingested"]
        if not_read:
            raise BilateralError(f"The starter's files {not_read} gave no rows.")
        folder_of = {path.name: path.parent.name for path in inputs}
        files = [
            {
                "source": e.source,
                "release": e.release,
                "folder": folder_of[e.file_name],
                "file_name": e.file_name,
                "sha256": e.sha256,
                "rows": e.rows,
                "year_min": e.year_min,
                "year_max": e.year_max,
                "notes": e.notes,
            }
            for e in store.catalogue()
        ]
        for folder in ("flows", "summaries"):
            shutil.rmtree(out / folder, ignore_errors=True)
        parts = []
        for sha, source, year, relative in store._parts():
            table = pq.read_table(store.root / relative)
            digest = _write(table, out / relative)
            parts.append(_entry(relative, digest, len(table), sha256=sha, source=source, year=year))
        summaries = []
        for kind, source, year, table in _summaries(store):
            target = f"summaries/{kind}/{source}/year={year}/{kind}.parquet"
            digest = _write(table, out / target)
            summaries.append(
                _entry(target, digest, len(table), kind=kind, source=source, year=year)
            )
    manifest = Manifest(
        {"bilateral": __version__, "pyarrow": pa.__version__},
        files,
        sorted(parts, key=lambda p: p["path"]),
        sorted(summaries, key=lambda s: s["path"]),
    )
    (out / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
    return manifest


def _summaries(store: Store) -> Iterator[tuple[str, str, int, pa.Table]]:
    """The summaries the store computed at ingest, computed again on one thread: DuckDB's
    parallel sums add in an order that varies from run to run, and so do the last bits of
    a total. Each sorted by every column."""
    from bilateral.store.store import resolved_flows

    files: dict[tuple[str, int], list[tuple[str, str, int, Path]]] = {}
    for sha, source, year, relative in store._parts():
        files.setdefault((source, year), []).append((sha, source, year, store.root / relative))
    kinds = {kind.name: kind for kind in summary.DERIVED}
    backend = engines.duckdb_backend()
    backend.raw_sql("SET threads = 1")
    for name, source, year, _ in store._summary_rows():
        flows = resolved_flows(backend, files[(source, year)], f"starter_{uuid.uuid4().hex[:8]}")
        table = summary.compute(kinds[name], flows, backend.to_pyarrow)
        yield name, source, year, table.sort_by([(c, "ascending") for c in table.column_names])


def _write(table: pa.Table, target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    encoded = layout.encode(table)
    text = [f.name for f in encoded.schema if pa.types.is_dictionary(f.type)]
    pq.write_table(
        encoded,
        target,
        compression=COMPRESSION,
        compression_level=COMPRESSION_LEVEL,
        row_group_size=layout.ROW_GROUP_ROWS,
        use_dictionary=text,
        store_schema=False,
    )
    return hashlib.sha256(target.read_bytes()).hexdigest()


def _entry(path: str, digest: str, rows: int, **key: Any) -> dict[str, Any]:
    return {**key, "path": path, "rows": rows, "parquet_sha256": digest}


# ---------------------------------------------------------------------------- installing


def install(root: Path, folder: Path | None = None) -> Manifest | None:
    """Make ``root``, a store that does not exist yet (no catalogue), a copy of the
    starter (from ``folder``, default the package's). Returns the manifest, or None when
    a catalogue appeared meanwhile (another process installed it, or ingested first).

    Like an ingest, all or nothing: files are copied aside and checked against the
    manifest's SHA-256, and the catalogue is swapped in last.
    """
    from bilateral.store.store import _CATALOGUE_DDL, CATALOGUE, Store

    source_dir = folder or starter_dir()
    manifest = Manifest.read(source_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BilateralError(f"Cannot create the store at {root}: {exc.strerror}.") from None
    store = Store.open(root)
    with store._lock():
        if store.catalogue_path.exists():
            return None
        staging = root / f".staging-{uuid.uuid4().hex}"
        try:
            for entry in [*manifest.parts, *manifest.summaries]:
                target = staging / entry["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source_dir / entry["path"], target)
                if hashlib.sha256(target.read_bytes()).hexdigest() != entry["parquet_sha256"]:
                    raise BilateralError(
                        f"{source_dir / entry['path']}: the starter's file does not match its "
                        "manifest (a damaged installation: reinstall bilateral)."
                    )
            catalogue = staging / CATALOGUE
            _write_catalogue(catalogue, manifest, _CATALOGUE_DDL)
            for entry in [*manifest.parts, *manifest.summaries]:
                target = root / entry["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / entry["path"], target)
            store._write_sql_view(catalogue)
            os.replace(catalogue, store.catalogue_path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _write_catalogue(path: Path, manifest: Manifest, ddl: str) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    origin = f"bilateral {__version__} starter store"
    con = duckdb.connect(str(path))
    try:
        con.execute(ddl)
        con.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    f["sha256"],
                    f["source"],
                    f["release"],
                    f["file_name"],
                    f"{origin}: {f['folder']}/{f['file_name']}",
                    f["rows"],
                    f["year_min"],
                    f["year_max"],
                    now,
                    json.dumps(
                        [*f["notes"], f"from the {origin} (package data, see its README.md)"],
                        ensure_ascii=False,
                    ),
                ]
                for f in manifest.files
            ],
        )
        con.executemany(
            "INSERT INTO parts VALUES (?, ?, ?, ?, ?)",
            [[p["sha256"], p["source"], p["year"], p["path"], p["rows"]] for p in manifest.parts],
        )
        con.executemany(
            "INSERT INTO summaries VALUES (?, ?, ?, ?, ?)",
            [[s["kind"], s["source"], s["year"], s["path"], s["rows"]] for s in manifest.summaries],
        )
    finally:
        con.close()
