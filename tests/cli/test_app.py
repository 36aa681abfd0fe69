"""The command line: ingest, sources, formats, and one-line errors with exit code 1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from tests.bns_workbook import write_bns_xls
from tests.conftest import shared, snapshot

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ingest_then_sources_as_json(store_dir):
    code, _, _ = run("--store", str(store_dir), "ingest", str(shared("kz-bns")))
    assert code == 0
    code, stdout, _ = run("--store", str(store_dir), "sources", "--format", "json")
    assert code == 0
    entries = json.loads(stdout)
    assert {e["source"] for e in entries} == {"kz_bns"}
    assert sorted(e["release"] for e in entries) == ["2019", "2020", "2021", "2022", "2023"]
    assert all(len(e["sha256"]) == 64 and e["rows"] > 0 for e in entries)


def test_ingest_csv_lists_every_file(store_dir):
    code, stdout, _ = run("--store", str(store_dir), "ingest", str(shared("kz-bns")), "-f", "csv")
    assert code == 0
    header, *lines = stdout.strip().splitlines()
    assert header.startswith("file,status,source,release,rows")
    assert len(lines) == 5 and all(",ingested,kz_bns," in line for line in lines)


def test_store_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_STORE", str(tmp_path / "env-store"))
    code, _, _ = run(
        "ingest", str(shared("kz-bns", "bns_osnovnye_pokazateli_vneshney_torgovli_2021.xls"))
    )
    assert code == 0
    assert (tmp_path / "env-store" / "catalogue.duckdb").exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        pytest.param(
            [["Всего", 1.0, 100, 1.0, 100, 1.0, 100], ["Атлантида", 1.0, 100, 1.0, 100, 1.0, 100]],
            "bns_bad.xls: partner names that are neither a known country nor a known aggregate: "
            "'Атлантида' (sheet '2022', row 7)",
            id="unknown-partner",
        ),
        pytest.param(
            [["Всего", 1.0, 100, "x1", 100, 1.0, 100]],
            "bns_bad.xls, sheet '2022', row 6: 'x1' in column D is not a number",
            id="text-in-a-number-column",
        ),
    ],
)
def test_bad_input_is_one_line_exit_1_and_store_unchanged(store_dir, tmp_path, rows, message):
    run(
        "--store",
        str(store_dir),
        "ingest",
        str(shared("kz-bns", "bns_osnovnye_pokazateli_vneshney_torgovli_2021.xls")),
    )
    before = snapshot(store_dir)
    bad = write_bns_xls(tmp_path / "bns_bad.xls", rows)
    code, stdout, stderr = run("--store", str(store_dir), "ingest", str(bad))
    assert code == 1
    assert message in " ".join(stderr.split())
    assert "Traceback" not in stderr + stdout
    assert snapshot(store_dir) == before


def test_unknown_format_is_an_error(store_dir):
    code, _, stderr = run("--store", str(store_dir), "sources", "--format", "yaml")
    assert code == 1 and "Unknown format 'yaml'" in stderr
