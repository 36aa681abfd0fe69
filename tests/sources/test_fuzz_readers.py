"""Every reader under mutation (issue 16, requirement 5): a publisher's file truncated at any
byte, with a byte flipped, a cell replaced or a row duplicated is either refused with one
line (our own error, naming the file) and a byte-identical store, or stored as exactly the
rows its reader gives for the file it became.

Property-based with Hypothesis over real files (the head of each publisher's file in
``../shared/data``: skipped when absent) and the tests' fixtures; derandomized and a few
examples per reader, so a run is reproducible and takes seconds per reader. What each
accepted mutation must also keep:

- a truncated text file: every stored row is one of the original's rows, values included
  (a number cut in half, 9713 stored as 97, fails here);
- a duplicated row: the original's rows, each once (a figure is never counted twice);
- any mutation: values finite and not negative (the validation's contract).
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilateral.errors import BilateralError
from bilateral.sources import reader_for
from bilateral.sources.base import file_sha256
from bilateral.store import Store
from bilateral.store.store import validate
from tests.bns_workbook import write_bns_xls
from tests.conftest import SHARED_DATA, snapshot
from tests.fixtures_baci import write_release
from tests.fixtures_faostat import ZIP_NAME, faostat_zip

FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
#: What a replaced cell holds: publishers' markers, impossible numbers, text, nothing.
CELLS = ["", "nan", "inf", "-1", "1e400", "abc", "…", ":", "-", "x", '"', "0", "97", "NA"]
#: Data lines of a real file kept for fuzzing: enough for every column's kinds, few enough
#: for an ingest per example in a fraction of a second.
HEAD_LINES = 40


@dataclass(frozen=True)
class Base:
    """A file to mutate: its name (readers know files by name), bytes, and whether it is
    text (lines and cells) or binary (bytes only)."""

    name: str
    data: bytes
    text: bool
    encoding: str = "utf-8"


def head(path: Path, lines: int = HEAD_LINES) -> bytes:
    """The header and first ``lines`` lines of a real text file."""
    with path.open("rb") as file:
        return b"".join(line for _, line in zip(range(lines + 1), file, strict=False))


def shared_text(folder: str, name: str, encoding: str = "utf-8") -> Callable[[Path], Base]:
    def make(_: Path) -> Base:
        path = SHARED_DATA / folder / name
        if not path.exists():
            pytest.skip(f"published data not available: {path}")
        return Base(name, head(path), True, encoding)

    return make


def shared_binary(folder: str, name: str) -> Callable[[Path], Base]:
    def make(_: Path) -> Base:
        path = SHARED_DATA / folder / name
        if not path.exists():
            pytest.skip(f"published data not available: {path}")
        return Base(name, path.read_bytes(), False)

    return make


def baci_fixture(folder: Path) -> Base:
    path = write_release(folder, "HS22")
    return Base(path.name, path.read_bytes(), False)


def bns_fixture(folder: Path) -> Base:
    rows = [
        ["Всего", 30.0, 100, 12.5, 100, 17.5, 100],
        ["Россия", 19.7, 65.7, 9.7, 77.6, 10.0, 57.1],
        ["Китай", 10.3, 34.3, 2.8, 22.4, 7.5, 42.9],
    ]
    path = write_bns_xls(folder / "bns_fuzz_2022.xls", rows)
    return Base(path.name, path.read_bytes(), False)


def faostat_bulk_fixture(_: Path) -> Base:
    return Base(ZIP_NAME, faostat_zip(), False)


READERS = {
    "armstat": shared_text("armstat", "armstat_trade_by_country_monthly.csv"),
    "eurostat": shared_text("eurostat", "eu_member_exports_to_KAZ_monthly.csv"),
    "faostat": shared_text("faostat", "KAZ_faostattm.csv"),
    "faostat_bulk": faostat_bulk_fixture,
    "comtrade": shared_text("comtrade", "comtrade_georgia_hs8703_monthly.csv", "latin-1"),
    "baci-sample": shared_text("baci-sample", "BACI_HS92_Y2021_V202301_sample_exporters_4_710.csv"),
    "baci-release": baci_fixture,
    "kz_bns": shared_binary("kz-bns", "bns_osnovnye_pokazateli_vneshney_torgovli_2021.xls"),
    "kz_bns-fixture": bns_fixture,
    "ru_fcs": shared_binary("ru-fcs", "fcs_strany_122023.xlsx"),
    "comext_cn8": shared_binary("comext-cn8", "eu_total_trade_4630244_spreadsheet.xlsx"),
}


# ---------------------------------------------------------------------------- mutations
@st.composite
def mutations(draw: st.DrawFn, base: Base) -> tuple[str, bytes]:
    """One mutation of ``base``: its kind and the bytes the file becomes."""
    data = base.data
    kinds = ["truncate", "flip"] + (["cell", "duplicate"] if base.text else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "truncate":
        return kind, data[: draw(st.integers(0, len(data) - 1))]
    if kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        bit = draw(st.integers(1, 255))
        return kind, data[:at] + bytes([data[at] ^ bit]) + data[at + 1 :]
    lines = data.decode(base.encoding).splitlines(keepends=True)
    row = draw(st.integers(1, len(lines) - 1))  # a data line, never the header
    if kind == "duplicate":
        lines.insert(row, lines[row])
    else:
        cells = lines[row].rstrip("\r\n").split(",")
        column = draw(st.integers(0, len(cells) - 1))
        cells[column] = draw(st.sampled_from(CELLS))
        lines[row] = ",".join(cells) + "\n"
    return kind, "".join(lines).encode(base.encoding, errors="replace")


# ---------------------------------------------------------------------------- the oracle
Row = tuple[object, ...]


def rows_of(table: pa.Table) -> Counter[Row]:
    """Rows as comparable tuples, without the file's hash (a mutation changes it)."""
    kept = table.drop_columns(["file_sha256"]).to_pylist()
    return Counter(tuple(sorted(row.items())) for row in kept)


def read_directly(path: Path) -> pa.Table:
    """What the reader gives for ``path``, validated as the store validates it."""
    sha = file_sha256(path)
    parts = [validate(r.table, path, r.places) for r in reader_for(path).read_parts(path, sha)]
    return pa.concat_tables(parts)


def stored(root: Path, sha: str) -> pa.Table:
    store = Store.open(root, read_only=True)
    paths = [root / relative for file, _, _, relative in store.version().parts if file == sha]
    return pa.concat_tables(pq.read_table(p) for p in paths)


def tally(reader: str, kind: str, outcome: str, detail: str) -> None:
    """With $BILATERAL_FUZZ_TALLY set, one JSON line per example (for bench/RESULTS.md's
    reliability table)."""
    if target := os.environ.get("BILATERAL_FUZZ_TALLY"):
        with open(target, "a", encoding="utf-8") as out:
            record = {"reader": reader, "kind": kind, "outcome": outcome, "detail": detail}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store already holding a file, so that 'unchanged' means something."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    root = folder / "store"
    Store.open(root).ingest([write_release(folder, "HS92")])
    return root


@pytest.mark.parametrize("reader", list(READERS))
def test_a_mutated_file_is_refused_cleanly_or_stored_as_it_reads(reader, template, tmp_path):
    base = READERS[reader](tmp_path)
    original_path = tmp_path / "original" / base.name
    original_path.parent.mkdir()
    original_path.write_bytes(base.data)
    original = rows_of(read_directly(original_path))
    before = snapshot(template)

    @settings(FUZZ, max_examples=8 if base.text else 3)  # a workbook costs seconds to read
    @given(mutation=mutations(base))
    def check(mutation: tuple[str, bytes]) -> None:
        kind, data = mutation
        folder = tmp_path / "case"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / base.name
        path.write_bytes(data)
        root = folder / "store"
        shutil.copytree(template, root)
        try:
            Store.open(root).ingest([path])
        except BilateralError as error:
            message = str(error)
            assert "\n" not in message, message
            assert base.name in message, message
            assert snapshot(root) == before, f"a refused {kind} changed the store"
            tally(reader, kind, "refused", message)
            return
        got = rows_of(stored(root, file_sha256(path)))
        assert got == rows_of(read_directly(path)), f"an accepted {kind} is not what it reads"
        for row in got:
            value = dict(row)["value_usd"]
            assert value is None or (math.isfinite(value) and value >= 0), row
        if kind == "truncate" and base.text:
            assert not got - original, (
                f"a truncation stored rows the file never had: {got - original}"
            )
        if kind == "duplicate":
            assert got == original, "a duplicated row changed the stored figures"
        tally(reader, kind, "accepted", "unchanged rows" if got == original else "other rows")

    check()
