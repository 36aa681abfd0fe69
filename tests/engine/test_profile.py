"""The bilateral profile on the fixture sources: every family, per source, with provenance."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import bilateral
from bilateral.engine import CORE_NAMES, Profile, build_profile
from bilateral.engine.records import RECORD_SCHEMA
from bilateral.errors import NotAvailableError
from tests.flow_fixtures import FAOSTAT, KZ_BNS, all_flows

CASES = Path(__file__).parents[1] / "cases"
SOURCES = ["baci", "eurostat", "faostat", "kz_bns", "ru_fcs"]


@pytest.fixture(scope="module")
def profile(request: pytest.FixtureRequest) -> Profile:
    engine = request.getfixturevalue("duckdb_engine")
    flows = engine.load("fixture", all_flows())
    return build_profile(flows, engine.execute, "Kazakhstan", "Россия", 2022)


def test_names_resolve_to_codes(profile):
    assert (profile.reporter, profile.partner, profile.year) == ("KAZ", "RUS", 2022)
    assert profile.sources == SOURCES


@pytest.mark.parametrize("source", SOURCES)
def test_every_core_name_for_every_source(profile, source):
    for name in CORE_NAMES:
        assert profile.find(name, source=source), (name, source)


@pytest.mark.parametrize(
    ("name", "source", "expected"),
    [
        pytest.param("turnover", "kz_bns", sum(KZ_BNS[2022]["RUS"]) * 1e6, id="turnover"),
        pytest.param("exports", "kz_bns", KZ_BNS[2022]["RUS"][0] * 1e6, id="exports"),
        pytest.param("balance", "kz_bns", (9_100 - 17_900) * 1e6, id="balance"),
        pytest.param("turnover_growth", "kz_bns", 100 * (27_000 / 24_600 - 1), id="growth"),
        pytest.param(
            "partner_share_turnover", "kz_bns", 100 * 27_000 / (84_600 + 50_900), id="share"
        ),
        pytest.param("partner_rank_turnover", "kz_bns", 1, id="rank-turnover"),
        pytest.param("partner_rank_exports", "kz_bns", 2, id="rank-exports"),
    ],
)
def test_values_from_the_fixture(profile, name, source, expected):
    assert profile.value(name, source=source) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("name", "source", "note"),
    [
        pytest.param(
            "turnover",
            "ru_fcs",
            "not available in ru_fcs: it holds 2021-2021, not 2022",
            id="year-missing",
        ),
        pytest.param(
            "turnover",
            "faostat",
            "not available in faostat: it holds product detail only, not total trade",
            id="no-totals",
        ),
        pytest.param(
            "partner_share_turnover",
            "eurostat",
            "not available in eurostat: it has no statistics of KAZ's trade by partner in 2022",
            id="not-the-reporter's-statistics",
        ),
        pytest.param(
            "imports_by_section",
            "kz_bns",
            "not available in kz_bns: it has no HS product detail",
            id="no-detail",
        ),
        pytest.param(
            "rca",
            "kz_bns",
            "not available in kz_bns: it is not a complete world matrix of products (BACI is)",
            id="no-matrix",
        ),
    ],
)
def test_not_available_is_said_never_zero(profile, name, source, note):
    records = profile.find(name, source=source)
    assert records and all(r.value is None for r in records)
    assert records[0].note == note


def test_reported_by_and_provenance(profile):
    turnover = profile.find("turnover", source="kz_bns")[0]
    assert turnover.reported_by == "exporter+importer"
    assert turnover.release == "2022"
    assert {k: turnover.detail[k] for k in ("statistics_of", "basis")} == {
        "statistics_of": "KAZ",
        "basis": "TOTAL",
    }
    # every figure states its publisher's basis: currency, valuation, partner attribution
    assert turnover.detail["publisher_basis"].startswith(
        "published in USD; exports FOB, imports CIF; exports by country of destination, "
        "imports by country of origin"
    )
    assert profile.find("imports", source="kz_bns")[0].reported_by == "importer"
    baci = profile.find("turnover", source="baci")[0]
    assert (baci.reported_by, baci.detail["basis"]) == ("reconciled", "HS92 6-digit sum")


def test_neighbours_in_the_partner_ranking(profile):
    rank = profile.find("partner_rank_exports", source="kz_bns")[0]
    assert rank.detail["partner_above"] == "CHN"
    assert rank.detail["gap_above_pct"] == pytest.approx(100 * (13_200 - 9_100) / 13_200)


def test_dependence_with_the_faostat_caveat(profile):
    wheat = profile.find("supplier_share", source="faostat", group="wheat")[0]
    assert wheat.value == 100.0  # Russia is the only supplier the extract lists in 2022
    assert "at least a 5% share" in wheat.detail["caveat"]
    barley = profile.find("supplier_share", source="faostat", group="barley")[0]
    suppliers = FAOSTAT[("Barley", 2022)]
    assert barley.value == pytest.approx(100 * suppliers["RUS"] / sum(suppliers.values()))
    assert barley.detail["top_partner"] == "RUS"


def test_structure_adds_up(profile):
    sections = profile.find("imports_by_section", source="baci")
    assert sum(r.detail["share"] for r in sections) == pytest.approx(100)
    assert sum(r.value for r in sections) == pytest.approx(profile.value("imports", source="baci"))
    assert {r.detail["classification"] for r in sections} == {"HS92"}  # the totals' revision
    food = profile.find("imports_of_group", source="baci", group="food")[0]
    assert food.detail["share_of_flow"] == pytest.approx(
        100 * food.value / profile.value("imports", source="baci")
    )


def test_mirror_and_specialisation(profile):
    gaps = profile.find("mirror_gap")
    assert {r.detail["flow"] for r in gaps} == {"exports", "imports"}
    assert all(r.value is None and r.note.startswith("not available: ") for r in gaps)  # 2022
    intensity = profile.find("trade_intensity", source="baci")
    assert {(r.detail["exporter"], r.detail["importer"]) for r in intensity} == {
        ("KAZ", "RUS"),
        ("RUS", "KAZ"),
    }
    assert len(profile.find("rca", source="baci")) == 10  # five largest exports of each


def test_json_form(profile):
    payload = json.loads(profile.to_json())
    assert set(payload) == {"reporter", "partner", "year", "sources", "indicators"}
    record = payload["indicators"][0]
    assert set(record) >= {
        "name",
        "value",
        "unit",
        "source",
        "reported_by",
        "year",
        "product",
        "group",
        "detail",
    }
    values = [r["value"] for r in payload["indicators"]]
    assert not any(isinstance(v, float) and math.isnan(v) for v in values)
    assert {r["unit"] for r in payload["indicators"]} == {"USD", "percent", "rank", "index"}


def test_pandas_and_arrow(profile):
    frame = profile.to_pandas()
    table = profile.to_arrow()
    assert isinstance(frame, pd.DataFrame) and isinstance(table, pa.Table)
    assert len(frame) == table.num_rows == len(profile.records)
    assert table.schema == RECORD_SCHEMA
    assert json.loads(table.column("detail")[0].as_py()) == profile.records[0].detail


def test_one_source_only(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    profile = build_profile(flows, duckdb_engine.execute, "KAZ", "RUS", 2022, source="kz_bns")
    assert profile.sources == ["kz_bns"]
    assert {r.source for r in profile.records} <= {"kz_bns", "none"}


def test_an_unknown_source_is_an_error(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    with pytest.raises(
        NotAvailableError, match=r"No data from source 'comtrade' in the store \(it holds: baci, "
    ):
        build_profile(flows, duckdb_engine.execute, "KAZ", "RUS", 2022, source="comtrade")


def test_user_groups(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    profile = build_profile(
        flows,
        duckdb_engine.execute,
        "KAZ",
        "RUS",
        2022,
        groups=("sugar", "grain"),
        user_groups=CASES / "user_groups.csv",
    )
    sugar = profile.find("imports_of_group", source="baci", group="sugar")[0]
    assert sugar.detail["group_name"].startswith("Sugar and sugar confectionery")
    assert {r.group for r in profile.find("supplier_share", source="baci")} == {"sugar", "grain"}


def test_store_profile(store_dir):
    from bilateral.store import Store

    store = Store.open(store_dir)
    with pytest.raises(NotAvailableError, match="The store is empty"):
        bilateral.profile(store, "KAZ", "RUS", 2022)


def test_every_record_name_is_in_the_docs(profile):
    text = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", text))
    for name in {r.name for r in profile.records}:
        stem = name.removesuffix("_hhi")
        assert name in documented or stem in documented, name
