"""Every OS, encoding and archive failure is one line (issue 16, requirement 4): each input
below, run through the command line, exits with code 1 and one line naming the file and
the problem, never a traceback nor a native crash, and the store is byte-identical.

Permission failures are simulated (the tests may run as root, whom permissions never stop).
"""

from __future__ import annotations

import builtins
import gzip
import os
import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.sources import archives
from bilateral.store import Store
from tests.conftest import snapshot
from tests.fixtures_baci import write_release, write_year

runner = CliRunner()
HEADER = "t,i,j,k,v,q\n"
GOOD = "2022,643,398,100199,499999.999,1799999.000\n"
RELEASE_ZIP = r"BACI_HS22_V202501\.zip"
#: Prepares an input in a folder (monkeypatch at hand to simulate the OS); the argument
#: given to ``bilateral ingest``.
Make = Callable[[Path, pytest.MonkeyPatch], Path]


def latin1_eurostat(folder: Path, _: pytest.MonkeyPatch) -> Path:
    path = folder / "eu_member_exports_to_KAZ_monthly.csv"
    text = "REPORTER,PARTNER,FLOW,period,VALUE_IN_EUR\nÖsterreich,Kazakhstan,EXPORT,2019-01,100\n"
    path.write_bytes(text.encode("latin-1"))
    return path


def latin1_faostat(folder: Path, _: pytest.MonkeyPatch) -> Path:
    path = folder / "KAZ_faostattm.csv"
    text = '"Reporter Countries","Partner Countries"\n"Kazakhstan","Côte"\n'
    path.write_bytes(text.encode("cp1252"))
    return path


def flipped(compression: int) -> Make:
    """A release zip with one byte of its first member's data flipped."""

    def make(folder: Path, _: pytest.MonkeyPatch) -> Path:
        path = write_release(folder, "HS22", compression=compression)
        info = zipfile.ZipFile(path).infolist()[0]
        data = bytearray(path.read_bytes())
        data[info.header_offset + 30 + len(info.filename) + len(info.extra) + 40] ^= 0xFF
        path.write_bytes(bytes(data))
        return path

    return make


def cut_zip(folder: Path, _: pytest.MonkeyPatch) -> Path:
    path = write_release(folder, "HS22")
    path.write_bytes(path.read_bytes()[:300])
    return path


def zip_bomb(folder: Path, _: pytest.MonkeyPatch) -> Path:
    return write_release(folder, "HS22", year_texts={2022: HEADER + GOOD * 200_000})


COMTRADE_HEADER = "typeCode,freqCode,refPeriodId,refYear,reporterISO,partnerISO,cmdCode\n"


def gzip_bomb(folder: Path, _: pytest.MonkeyPatch) -> Path:
    path = folder / "comtrade_bomb.gz"
    line = "C,A,20220101,2022,KAZ,RUS,8703\n"
    path.write_bytes(gzip.compress((COMTRADE_HEADER + line * 200_000).encode()))
    return path


def gzip_cut(folder: Path, _: pytest.MonkeyPatch) -> Path:
    path = folder / "comtrade_cut.gz"
    line = "C,A,20220101,2022,KAZ,RUS,8703\n"
    path.write_bytes(gzip.compress((COMTRADE_HEADER + line * 50).encode())[:60])
    return path


def over_the_size_limit(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(archives, "MAX_UNCOMPRESSED", 100)
    return write_release(folder, "HS22")


def digits(count: int) -> str:
    return "".join(random.Random(16).choices("0123456789", k=count))


def long_line_zip(folder: Path, _: pytest.MonkeyPatch) -> Path:
    line = f"2022,643,398,100199,{digits(3 << 20)},1\n"
    return write_release(folder, "HS22", year_texts={2022: HEADER + GOOD + line})


def long_line_csv(folder: Path, _: pytest.MonkeyPatch) -> Path:
    line = f"2022,643,398,100199,{digits(9 << 20)},1\n"
    return write_year(folder, "HS22", 2022, text=HEADER + line + GOOD * 10)


def renamed(name: str, content: bytes) -> Make:
    def make(folder: Path, _: pytest.MonkeyPatch) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def zip_as_csv(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    release = write_release(folder, "HS22")
    return renamed("eu27_exports_by_partner_annual.csv", release.read_bytes())(folder, monkeypatch)


def empty_folder(folder: Path, _: pytest.MonkeyPatch) -> Path:
    (folder / "empty").mkdir()
    return folder / "empty"


def only_notes(folder: Path, _: pytest.MonkeyPatch) -> Path:
    (folder / "notes").mkdir()
    (folder / "notes" / "README.md").write_text("# notes\n")
    return folder / "notes"


def denied(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening ``target`` (or listing it, for a folder) fails as without permission."""
    real_open, real_scandir = builtins.open, os.scandir

    def refuse(path: object) -> None:
        if Path(os.fsdecode(path)) == target:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(target))

    def open_(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, str | Path):
            refuse(file)
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def scandir(path: object = ".") -> object:
        refuse(path)
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "open", open_)
    monkeypatch.setattr(os, "scandir", scandir)


def unreadable_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_release(folder, "HS22")
    denied(path, monkeypatch)
    return path


def unreadable_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (folder / "locked").mkdir()
    write_release(folder / "locked", "HS22")
    denied(folder / "locked", monkeypatch)
    return folder / "locked"


HOSTILE = [
    pytest.param(latin1_eurostat, r"eu_member_exports_to_KAZ_monthly\.csv: byte 0xd6 is not "
                 r"UTF-8 text", id="latin1-csv"),
    pytest.param(latin1_faostat, r"KAZ_faostattm\.csv: byte 0xf4 is not UTF-8 text",
                 id="cp1252-csv"),
    pytest.param(flipped(zipfile.ZIP_DEFLATED), RELEASE_ZIP + r", member .*: the archive is "
                 r"damaged", id="zip-flipped-deflated"),
    pytest.param(flipped(zipfile.ZIP_STORED), RELEASE_ZIP + r", member .*: the archive is "
                 r"damaged \(Bad CRC-32", id="zip-bad-crc"),
    pytest.param(cut_zip, RELEASE_ZIP + r": the archive is damaged", id="zip-cut-short"),
    pytest.param(zip_bomb, RELEASE_ZIP + r", member BACI_HS22_Y2022_V202501\.csv: inflates "
                 r"[\d,]+ bytes to [\d,]+ \([\d,]+ times; a zip bomb\?\)", id="zip-bomb"),
    pytest.param(gzip_bomb, r"comtrade_bomb\.gz: inflates [\d,]+ bytes to [\d,]+ and more "
                 r"\([\d,]+ times; a zip bomb\?\)", id="gzip-bomb"),
    pytest.param(gzip_cut, r"comtrade_cut\.gz: the archive is damaged", id="gzip-cut-short"),
    pytest.param(over_the_size_limit, RELEASE_ZIP + r": inflates to [\d,]+ bytes; expected at "
                 r"most 100 bytes", id="zip-over-size-limit"),
    pytest.param(long_line_zip, RELEASE_ZIP + r", member BACI_HS22_Y2022_V202501\.csv: a line "
                 r"runs over 1,048,576 bytes without a line break", id="baci-zip-long-line"),
    pytest.param(long_line_csv, r"BACI_HS22_Y2022_V202501\.csv: a line runs over 1,048,576 "
                 r"bytes without a line break", id="baci-csv-long-line"),
    pytest.param(renamed("BACI_HS22_V202501.zip", b"t,i,j,k,v,q\n"), RELEASE_ZIP +
                 r": the content is plain text, but the name promises a zip archive",
                 id="text-named-zip"),
    pytest.param(zip_as_csv, r"eu27_exports_by_partner_annual\.csv: the content is a zip "
                 r"archive .*, but the name promises plain text", id="zip-named-csv"),
    pytest.param(renamed("bns_2022.xls", b"<!DOCTYPE html><html>Service unavailable</html>"),
                 r"bns_2022\.xls: the content is an HTML page, but the name promises an "
                 r"old-style \(BIFF\) \.xls workbook", id="error-page-named-xls"),
    pytest.param(renamed("94itog.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
                 r"94itog\.xlsx: the content is an old-style \(BIFF\) \.xls workbook, but the "
                 r"name promises a zip archive", id="xls-named-xlsx"),
    pytest.param(empty_folder, r"empty: the folder holds no file to read", id="empty-folder"),
    pytest.param(only_notes, r"notes: the folder holds no file to read \(1 read-me, note or "
                 r"hidden files left out\)", id="folder-of-notes"),
    pytest.param(unreadable_file, RELEASE_ZIP + r": cannot be read \(Permission denied: ",
                 id="unreadable-file"),
    pytest.param(unreadable_folder, r"locked: the folder cannot be read \(Permission denied",
                 id="unreadable-folder"),
]  # fmt: skip


@pytest.fixture
def store(store_holding_a_file: Store) -> Store:
    return store_holding_a_file


def ingest(store: Store, path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["--store", str(store.root), "ingest", str(path)])
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(("make", "message"), HOSTILE)
def test_a_hostile_input_is_one_line_and_the_store_is_unchanged(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Make, message: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = make(folder, monkeypatch)
    before = snapshot(store.root)
    code, output = ingest(store, path)
    monkeypatch.undo()
    assert code == 1, output
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1, output
    assert output.strip().startswith("Error: ")
    assert re.search(message, output), output
    assert snapshot(store.root) == before


def test_a_store_that_cannot_be_written_is_one_line(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_release(tmp_path, "HS22")
    before = snapshot(store.root)
    denied(store.root / ".lock", monkeypatch)
    code, output = ingest(store, path)
    monkeypatch.undo()
    assert code == 1
    assert output.strip().splitlines() == [
        f"Error: Cannot write to the store at {store.root} (Permission denied: "
        f"{store.root / '.lock'}); fix its permissions or choose another with --store or "
        "BILATERAL_STORE."
    ]
    assert snapshot(store.root) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not stop root")
def test_a_read_only_store_folder_is_one_line(store: Store, tmp_path: Path) -> None:
    path = write_release(tmp_path, "HS22")
    before = snapshot(store.root)
    os.chmod(store.root, 0o555)
    try:
        code, output = ingest(store, path)
    finally:
        os.chmod(store.root, 0o755)
    assert code == 1
    assert "Traceback" not in output
    assert "Cannot write to the store" in output
    assert snapshot(store.root) == before


def test_a_store_path_with_both_quote_characters_works(tmp_path: Path) -> None:
    root = tmp_path / 'it\'s a "store"'
    path = write_release(tmp_path, "HS22")
    for args in (["ingest", str(path)], ["sources"], ["profile", "RUS", "KAZ", "--year", "2022"]):
        result = runner.invoke(app, ["--store", str(root), *args])
        assert result.exit_code == 0, result.stdout + result.stderr
        assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", [["sources"], ["profile", "RUS", "KAZ", "--year", "2022"]])
def test_a_damaged_catalogue_is_one_line(tmp_path: Path, command: list[str]) -> None:
    root = tmp_path / "store"
    root.mkdir()
    (root / "catalogue.duckdb").write_bytes(b"not a database\n")
    result = runner.invoke(app, ["--store", str(root), *command])
    output = result.stdout + result.stderr
    assert result.exit_code == 1
    assert len(output.strip().splitlines()) == 1, output
    assert re.search(r"Error: The store's catalogue .* cannot be read \(DuckDB: ", output)
