"""``profile`` as one table: indicators by sources, gaps with reasons, empty sources in one
line; checked on a small hand-made profile and against the publishers' cells."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import bilateral
from bilateral.answers.profile import PairProfile
from bilateral.answers.profile import profile as pair_profile
from bilateral.cli import app
from bilateral.engine import Profile, Record
from bilateral.formats import format_money
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, bns_usd
from tests.conftest import shared

runner = CliRunner()


def small_profile() -> PairProfile:
    """KAZ-RUS in one year: KAZ's and RUS's statistics of turnover, a FAOSTAT figure with
    its caveat, a mirror gap, and records two sources cannot give."""
    records = [
        Record("turnover", 100.0, "USD", "kz_bns", "exporter+importer", 2021,
               detail={"statistics_of": "KAZ", "basis": "TOTAL"}),
        Record("turnover", 110.0, "USD", "ru_fcs", "importer+exporter", 2021,
               detail={"statistics_of": "RUS", "basis": "TOTAL"}),
        Record("partner_share_turnover", 20.0, "percent", "kz_bns", "exporter+importer", 2021,
               detail={"statistics_of": "KAZ"}),
        Record("imports_of_group", 7.0, "USD", "faostat", "importer", 2021, group="food",
               note="FAOSTAT extract: partners with at least 5%"),
        Record("mirror_gap", -3.0, "USD", "kz_bns+ru_fcs", "importer-exporter", 2021,
               detail={"flow": "imports", "exporter": "RUS", "importer": "KAZ",
                       "by_exporter_source": "ru_fcs", "by_importer_source": "kz_bns",
                       "cif_fob_expected": False}),
        Record("turnover", None, "USD", "armstat", None, 2021,
               note="not available in armstat: no total flows between KAZ and RUS in 2021"),
        Record("supplier_share", None, "percent", "kz_bns", None, 2021,
               note="not available in kz_bns: it has no product detail"),
    ]  # fmt: skip
    built = Profile("KAZ", "RUS", 2021, ["armstat", "faostat", "kz_bns", "ru_fcs"], records)
    return PairProfile(table=built.to_arrow(), reporter="KAZ", partner="RUS", year=2021,
                       sources=tuple(built.sources), profile=built)  # fmt: skip


def test_columns_are_sources_and_whose_statistics_own_first():
    grid = small_profile().grid()
    assert [c.key for c in grid.columns] == ["kz_bns:KAZ", "faostat:KAZ", "ru_fcs:RUS"]
    assert [c.heading for c in grid.columns] == [
        "kz_bns (KAZ's)", "faostat (KAZ's)", "ru_fcs (RUS's)"
    ]  # fmt: skip


def test_a_row_per_indicator_with_the_gap_and_its_reason():
    rows = {(r.indicator, r.product): r for r in small_profile().grid().rows}
    turnover = rows["turnover", ""]
    assert set(turnover.cells) == {"kz_bns:KAZ", "ru_fcs:RUS"}
    assert (turnover.gap, turnover.gap_unit) == (pytest.approx(10.0), "percent")
    assert turnover.gap_reason.startswith("mirror statistics; CIF/FOB: each country")
    assert rows["partner_share_turnover", ""].gap is None  # one source only
    mirror = rows["mirror_gap", "imports"]
    assert (mirror.gap, mirror.gap_unit, mirror.cells) == (-3.0, "USD", {})
    assert mirror.gap_reason == (
        "KAZ's imports (kz_bns) less RUS's exports (ru_fcs); "
        "the opposite of what CIF/FOB valuation explains"
    )


def test_sources_holding_nothing_and_records_not_available():
    grid = small_profile().grid()
    assert grid.empty_sources == ["armstat"]
    assert grid.missing == {
        "armstat": {"no total flows between KAZ and RUS in 2021": ["turnover"]},
        "kz_bns": {"it has no product detail": ["supplier_share"]},
    }
    assert small_profile().to_dict() == small_profile().profile.to_dict()


@pytest.fixture(scope="module")
def store(bns_fcs_store):
    return Store.open(bns_fcs_store, read_only=True)


def run(store_root, *args):
    return runner.invoke(app, ["--store", str(store_root), "profile", *args])


def test_one_table_puts_kazakhstan_s_and_russia_s_turnover_on_one_row(bns_fcs_store):
    # KAZ: BNS 2022 workbook, sheet '2021', row 'Россия', column B; RUS: FCS 94itog.xlsx,
    # sheet '2021', B10 (exports to KAZ) + B19 (imports from KAZ), million USD
    kaz = bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover")
    sheet = load_workbook(shared("ru-fcs", "94itog.xlsx"), read_only=True)["2021"]
    rus = (sheet["B10"].value + sheet["B19"].value) * 1e6
    result = run(bns_fcs_store, "KAZ", "RUS", "--year", "2021")
    assert result.exit_code == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if x.startswith("│ turnover ")]
    assert format_money(kaz) in line and format_money(rus) in line
    assert f"{(rus - kaz) / kaz * 100:+.1f}%" in line
    assert "kz_bns" in result.stdout and "(RUS's)" in result.stdout
    assert "Not available:" in result.stdout and "--all" in result.stdout
    assert "not available in kz_bns (" not in result.stdout


def test_all_lists_every_record_not_available(bns_fcs_store):
    result = run(bns_fcs_store, "KAZ", "RUS", "--year", "2022", "--all")
    assert result.exit_code == 0, result.stderr
    assert "No figures for KAZ and RUS in 2022 in: ru_fcs." in result.stdout
    text = " ".join(result.stdout.split())  # Rich wraps long lines
    listed = text.split("not available in ru_fcs (it holds 1994-2021, not 2022): ")[1]
    names = set(listed.split(" not available in ")[0].split(", "))
    assert {"turnover", "exports", "imports", "rca"} <= names


def test_json_keeps_every_record_as_the_profile_gives_it(bns_fcs_store, store):
    result = run(bns_fcs_store, "KAZ", "RUS", "--year", "2022", "--format", "json")
    assert result.exit_code == 0, result.stderr
    expected = bilateral.profile(store, "KAZ", "RUS", 2022).to_dict()
    assert json.loads(result.stdout) == json.loads(json.dumps(expected))
    assert pair_profile(store, "KAZ", "RUS", 2022).table.num_rows == len(expected["indicators"])
