"""``bilateral profile``: the dossier from the command line, in every format."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.engine import CORE_NAMES
from bilateral.sources.kz_bns import parse_workbook
from tests.conftest import shared

runner = CliRunner()
WORKBOOK_2023 = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2023.xls"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli-profile") / "store")
    result = runner.invoke(app, ["--store", path, "ingest", str(shared("kz-bns"))])
    assert result.exit_code == 0, result.stderr
    return path


def run(store: str, *args: str):
    return runner.invoke(app, ["--store", store, "profile", *args])


def test_json_has_the_records_of_the_first_profile(store):
    result = run(store, "Kazakhstan", "Россия", "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert (payload["reporter"], payload["partner"], payload["year"]) == ("KAZ", "RUS", 2022)
    names = {r["name"] for r in payload["indicators"] if r["source"] == "kz_bns"}
    assert set(CORE_NAMES) <= names
    turnover = next(r for r in payload["indicators"] if r["name"] == "turnover")
    printed = next(
        r
        for s in parse_workbook(shared("kz-bns", WORKBOOK_2023))
        if s.year == 2022
        for r in s.rows
        if r.code == "RUS"
    )
    assert turnover["value"] == pytest.approx(printed.turnover * 1000)  # USD, not thousands
    assert turnover["unit"] == "USD"


def test_table_shows_money_with_units(store):
    result = run(store, "KAZ", "RUS", "--year", "2022")
    assert result.exit_code == 0, result.stderr
    assert "$26.97 bn" in result.stdout
    assert "19.90%" in result.stdout


def test_table_states_each_source_s_basis(store):
    """Below the table, one line per source: currency, valuation, partner attribution,
    the publisher's table (reference/data/source_basis.tsv)."""
    result = run(store, "KAZ", "RUS", "--year", "2022")
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("kz_bns:"))
    for words in ("published in USD", "exports FOB, imports CIF", "imports by country of"):
        assert words in line, line


def test_csv_and_markdown(store):
    result = run(store, "KAZ", "RUS", "-y", "2023", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    rank = next(r for r in rows if r["name"] == "partner_rank_turnover")
    assert (rank["value"], json.loads(rank["detail"])["partner_above"]) == ("2", "CHN")
    markdown = run(store, "KAZ", "RUS", "-y", "2023", "-f", "markdown").stdout
    assert markdown.startswith("### KAZ-RUS") and "| partner_rank_turnover | 2 |" in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["KAZ", "RUS", "-y", "2022", "--source", "baci"],
            "No data from source 'baci'",
            id="source",
        ),
        pytest.param(
            ["KAZ", "Atlantis", "-y", "2022"],
            "Unknown country or aggregate 'Atlantis'",
            id="country",
        ),
        pytest.param(
            ["KAZ", "RUS", "-y", "2022", "--engine", "x"], "Unknown engine 'x'", id="engine"
        ),
    ],
)
def test_errors_are_one_line(store, args, message):
    result = run(store, *args)
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
