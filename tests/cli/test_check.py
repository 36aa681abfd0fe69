"""``bilateral check``: formats, standard input, one-line errors with exit code 1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.cli.check import register
from tests.conftest import shared

if not any(command.name == "check" for command in app.registered_commands):
    register(app)

runner = CliRunner()
TEXT = (
    "Almaty, 15 March 2024.\n"
    "Kazakhstan's imports from Russia fell by about 6% last year, to $16.8 billion.\n"
    "Russian companies have invested more than $17 billion in Kazakhstan.\n"
)


@pytest.fixture(scope="module")
def bns_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("bns") / "store"
    result = runner.invoke(app, ["--store", str(store), "ingest", str(shared("kz-bns"))])
    assert result.exit_code == 0, result.stderr
    return store


def run(store, *args: str, stdin: str | bytes | None = None):
    result = runner.invoke(app, ["--store", str(store), "check", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_json_from_standard_input(bns_store):
    code, stdout, _ = run(bns_store, "-", "--format", "json", stdin=TEXT)
    assert code == 0
    claims = json.loads(stdout)["claims"]
    # BNS 2023 workbook, sheet '2023', row 12 'Россия', column F: 16,847,033.9 thousand USD
    # imports in 2023; sheet '2022' row 12: 17,880,630.5 -> -5.8%, "about 6%" supported
    assert [(c["indicator"], c["year"], c["verdict"]) for c in claims] == [
        ("imports_growth", 2023, "supported"),
        ("imports", 2023, "supported"),
        ("direct_investment_value", None, "not_checkable"),
    ]
    assert claims[1]["evidence"] == [
        {
            "source": "kz_bns",
            "reported_by": "KAZ",
            "year": 2023,
            "value": pytest.approx(16_847_033_931.4),
        }
    ]
    assert claims[0]["year_basis"] == "'last year' in a text dated 2024-03-15"
    assert claims[0]["stated"] == {"value": -6.0, "unit": "%", "hedge": "about", "text": "about 6%"}


def test_table_and_markdown(bns_store, tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT, encoding="utf-8")
    code, stdout, _ = run(bns_store, str(path))
    assert code == 0
    assert "3 claims: 2 supported, 1 not checkable" in stdout
    code, stdout, _ = run(bns_store, str(path), "-f", "markdown")
    assert code == 0
    assert stdout.startswith("## Claims checked: 3 claims: 2 supported, 1 not checkable")
    assert "| # | stated | indicator | who | year | verdict | evidence |" in stdout


def test_the_pair_can_be_named(bns_store):
    text = "Trade reached $3.5 billion in 2022."
    code, stdout, _ = run(
        bns_store,
        "-",
        "-f",
        "json",
        "--subject",
        "Kazakhstan",
        "--partner",
        "Кыргызстан",
        stdin=text,
    )
    assert code == 0
    [claim] = json.loads(stdout)["claims"]
    assert (claim["reporter"], claim["partner"]) == ("KAZ", "KGZ")


def test_an_empty_store_is_said_and_nothing_is_checked(tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_STARTER", "0")  # else a new store starts from the starter
    code, stdout, stderr = run(tmp_path / "empty", "-", "-f", "json", stdin=TEXT)
    assert code == 0
    assert "is empty, so no claim can be checked" in stderr
    assert {c["verdict"] for c in json.loads(stdout)["claims"]} == {"not_checkable"}


def test_empty_text(bns_store):
    code, stdout, _ = run(bns_store, "-", stdin="")
    assert (code, stdout.strip()) == (0, "No quantitative claims found.")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        pytest.param(
            ["-"],
            b"\x89PNG\r\n\x1a\n\x00\x00",
            "<stdin>: holds a NUL byte at offset 8",
            id="binary",
        ),
        pytest.param(
            ["missing.txt"], None, "missing.txt: no such file; give a text file", id="missing"
        ),
        pytest.param(
            ["-", "-f", "csv"],
            "x",
            "Unknown format 'csv'; choose one of table, json, markdown",
            id="format",
        ),
        pytest.param(
            ["-", "--subject", "Atlantis"],
            "x",
            "Unknown country or aggregate 'Atlantis'",
            id="country",
        ),
    ],
)
def test_errors_are_one_line_with_exit_code_1(bns_store, args, stdin, message):
    code, _, stderr = run(bns_store, *args, stdin=stdin)
    assert code == 1
    assert message in stderr
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 2  # one message, wrapped at most once
