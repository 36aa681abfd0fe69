"""The tables behind the report and the dashboard, against the published files.

Each expected figure is read from the publisher's file in the test: BNS workbooks
(tests/bns_cells.py), FCS 94itog.xlsx, the BACI sample CSV and the FAOSTAT extract.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import ibis
import pandas as pd
import pytest

from bilateral.reference import DATA_DIR
from bilateral.report import figures
from bilateral.schema import flow_table
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_cell, bns_rows, bns_usd
from tests.conftest import shared
from tests.published_figures import faostat_import_shares, fcs_cell


@pytest.fixture(scope="module")
def store(bns_store) -> Store:
    return Store.open(bns_store, read_only=True)


def value(frame: pd.DataFrame, **where: object) -> float:
    rows = frame
    for key, wanted in where.items():
        rows = rows[rows[key] == wanted]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return float(rows["value_usd"].iloc[0])


# The 2023 publication revises 2022 and is the one the store keeps; 2021 comes from the
# 2022 publication (sheet '2021'), which revised the 2021 publication's figures.
@pytest.mark.parametrize(
    ("year", "workbook", "flow"),
    [
        pytest.param(2022, WORKBOOK_2023, "turnover", id="2022-turnover"),
        pytest.param(2022, WORKBOOK_2023, "exports", id="2022-exports"),
        pytest.param(2022, WORKBOOK_2023, "imports", id="2022-imports"),
        pytest.param(2023, WORKBOOK_2023, "turnover", id="2023-turnover"),
        pytest.param(2021, WORKBOOK_2022, "imports", id="2021-imports-revised"),
    ],
)
def test_pair_series_equals_the_printed_row_for_russia(store, year, workbook, flow):
    series = figures.pair_series(store, "KAZ", "RUS")
    shown = value(series, year=year, flow=flow, source="kz_bns", statistics_of="KAZ")
    assert shown == pytest.approx(bns_usd(workbook, str(year), "Россия", flow), abs=1)


def test_series_has_every_year_and_seen_from_the_other_side_flows_swap(store):
    ours = figures.pair_series(store, "KAZ", "RUS")
    theirs = figures.pair_series(store, "RUS", "KAZ")
    assert sorted(set(ours["year"])) == [2018, 2019, 2020, 2021, 2022, 2023]
    expected = bns_usd(WORKBOOK_2023, "2022", "Россия", "exports") - bns_usd(
        WORKBOOK_2023, "2022", "Россия", "imports"
    )
    assert value(ours, year=2022, flow="balance") == pytest.approx(expected, abs=1)
    # Russia's exports to Kazakhstan, as Kazakhstan's statistics report them.
    assert value(theirs, year=2022, flow="exports") == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "imports"), abs=1
    )


@pytest.mark.parametrize("flow", ["turnover", "exports"])
def test_partner_shares_equal_the_shares_bns_printed(store, flow):
    ranking = figures.partner_ranking(store, "KAZ", 2022, flow)
    printed = {str(r[0]).strip(): r for r in bns_rows(WORKBOOK_2023, "2022")[6:] if r}
    share_column = {"turnover": 2, "exports": 4}[flow]
    for code, name in (("RUS", "Россия"), ("CHN", "Китай")):
        shown = ranking[ranking["partner"] == code].iloc[0]
        assert shown["share"] == pytest.approx(printed[name][share_column], abs=5e-4)


def test_ranks_follow_the_values_and_skip_aggregates(store):
    ranking = figures.partner_ranking(store, "KAZ", 2022, "imports")
    assert list(ranking["rank"]) == list(range(1, len(ranking) + 1))
    assert ranking["value_usd"].is_monotonic_decreasing
    assert not {"WLD", "CIS", "EAEU", "EU27"} & set(ranking["partner"])
    top = ranking.iloc[0]
    assert (top["partner"], top["partner_name"]) == ("RUS", "Russia")


def test_profile_is_the_cli_json_with_provenance(store):
    profile = figures.pair_profile(store, "KAZ", "RUS", 2022)
    assert (profile["reporter"], profile["partner"], profile["year"]) == ("KAZ", "RUS", 2022)
    turnover = next(r for r in profile["indicators"] if r["name"] == "turnover")
    assert turnover["value"] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"), abs=1
    )
    assert (turnover["source"], turnover["detail"]["statistics_of"]) == ("kz_bns", "KAZ")
    share = next(r for r in profile["indicators"] if r["name"] == "partner_share_turnover")
    assert share["value"] == pytest.approx(
        bns_cell(WORKBOOK_2023, "2022", "Россия", "turnover_share"), abs=5e-4
    )


# ---------------------------------------------------------------- mirror


@pytest.fixture(scope="module")
def mirrored_store(tmp_path_factory) -> Store:
    root = tmp_path_factory.mktemp("mirror") / "store"
    Store.open(root).ingest([shared("kz-bns"), shared("ru-fcs", "94itog.xlsx")])
    return Store.open(root, read_only=True)


def test_mirror_gaps_from_bns_and_fcs_for_2021(mirrored_store):
    table = figures.mirror(mirrored_store, "KAZ", "RUS")
    gaps = figures.mirror_gaps(table)
    gaps = gaps[gaps["year"] == 2021].set_index("direction")
    # Kazakhstan's exports to Russia: BNS 2022 publication, sheet '2021', row 'Россия',
    # column D (thousand USD); Russia's imports from Kazakhstan: FCS 94itog.xlsx, sheet
    # '2021', 'Казахстан' under 'Импорт' (million USD). And the other way round.
    outward = gaps.loc[figures.direction("KAZ", "RUS")]
    inward = gaps.loc[figures.direction("RUS", "KAZ")]
    expected = {
        "outward": (
            bns_usd(WORKBOOK_2022, "2021", "Россия", "exports"),
            fcs_cell("2021", "Импорт", "Казахстан") * 1e6,
        ),
        "inward": (
            fcs_cell("2021", "Экспорт", "Казахстан") * 1e6,
            bns_usd(WORKBOOK_2022, "2021", "Россия", "imports"),
        ),
    }
    for row, (by_exporter, by_importer) in (
        (outward, expected["outward"]),
        (inward, expected["inward"]),
    ):
        assert row["by_exporter_value_usd"] == pytest.approx(by_exporter, abs=1)
        assert row["by_importer_value_usd"] == pytest.approx(by_importer, abs=1)
        assert row["gap_usd"] == pytest.approx(by_importer - by_exporter, abs=1)
    assert (outward["by_exporter_source"], outward["by_importer_source"]) == ("kz_bns", "ru_fcs")


def test_mirror_sides_lists_each_published_figure_once(mirrored_store):
    sides = figures.mirror_sides(figures.mirror(mirrored_store, "KAZ", "RUS"))
    in_2021 = sides[sides["year"] == 2021]
    assert sorted(zip(in_2021["direction"], in_2021["side"], in_2021["source"], strict=True)) == [
        (figures.direction("KAZ", "RUS"), "exporter", "kz_bns"),
        (figures.direction("KAZ", "RUS"), "importer", "ru_fcs"),
        (figures.direction("RUS", "KAZ"), "exporter", "ru_fcs"),
        (figures.direction("RUS", "KAZ"), "importer", "kz_bns"),
    ]
    # Before 2018 only FCS: one side per direction.
    assert set(sides.loc[sides["year"] == 2010, "source"]) == {"ru_fcs"}


# ---------------------------------------------------------------- structure (BACI)

BACI_SAMPLE = "BACI_HS92_Y2021_V202301_sample_exporters_4_710.csv"


def baci_sections(exporter: int, importer: int) -> dict[str, float]:
    """USD by HS section from the BACI sample rows, chapters placed by hs2022.csv."""
    section_of = {}
    with open(DATA_DIR / "hs2022.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "2":
                section_of[row["hscode"]] = row["section"]
    totals: dict[str, float] = defaultdict(float)
    with open(shared("baci-sample", BACI_SAMPLE), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if (int(row["i"]), int(row["j"])) == (exporter, importer):
                totals[section_of[row["k"].zfill(6)[:2]]] += float(row["v"]) * 1000
    return dict(totals)


@pytest.fixture(scope="module")
def baci_store(tmp_path_factory) -> Store:
    root = tmp_path_factory.mktemp("baci") / "store"
    Store.open(root).ingest([shared("baci-sample", BACI_SAMPLE)])
    return Store.open(root, read_only=True)


def test_structure_by_section_is_the_sum_of_the_baci_rows(baci_store):
    # South Africa (BACI 710) to the USA (BACI 842), 2021: sample rows, thousand USD.
    expected = baci_sections(710, 842)
    frame = figures.structure(baci_store, "ZAF", "USA", 2021)
    exports = frame[frame["flow"] == "exports"]
    shown = dict(zip(exports["product"], exports["value_usd"], strict=True))
    assert shown == pytest.approx(expected, rel=1e-9)
    whole = sum(expected.values())
    top = exports.iloc[0]
    assert top["rank"] == 1 and top["share"] == pytest.approx(
        expected[top["product"]] / whole * 100
    )
    assert frame[frame["flow"] == "imports"].empty  # the sample holds no US exports


# ---------------------------------------------------------------- dependence (FAOSTAT)


@pytest.fixture(scope="module")
def faostat_store(tmp_path_factory) -> Store:
    root = tmp_path_factory.mktemp("faostat") / "store"
    Store.open(root).ingest([shared("faostat", "KAZ_faostattm.csv")])
    return Store.open(root, read_only=True)


@pytest.mark.parametrize(
    ("group", "item", "year"),
    [
        pytest.param("wheat", "Wheat", 2022, id="wheat-2022"),
        pytest.param("barley", "Barley", 2011, id="barley-2011-four-suppliers"),
        pytest.param("maize", "Maize (corn)", 2022, id="maize-2022-five-suppliers"),
    ],
)
def test_supplier_shares_are_the_faostat_partners_shares(faostat_store, group, item, year):
    expected = faostat_import_shares(item, year)
    frame = figures.dependence(faostat_store, "KAZ", year, groups=(group,))
    shown = dict(zip(frame["supplier"], frame["share"], strict=True))
    assert shown == pytest.approx(expected)
    assert frame["caveat"].str.contains("5% share").all()


def test_dependence_keeps_the_order_of_the_groups(faostat_store):
    frame = figures.dependence(faostat_store, "KAZ", 2022)
    order = list(dict.fromkeys(frame["group"]))
    assert order == [g for g in figures.KEY_GROUPS if g in order]


# ---------------------------------------------------------------- shapes


class MemoryStore:
    """Just enough of a Store for figures: canonical rows in an in-memory Ibis table."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        self.table = ibis.memtable(flow_table(rows, file_sha256="test").to_pandas())

    def flows(self, source: str | None = None, *, years=None):
        return self.table.filter(self.table.source == source) if source else self.table

    def totals(self, source: str | None = None):
        return None  # no summaries: figures compute totals from the rows

    def sources(self) -> list[str]:
        return ["s"]

    def catalogue(self) -> list[object]:
        return []  # no files: no release is a revision

    def execute(self, expr):
        return expr.to_pandas()


def test_a_pair_nobody_publishes_gives_empty_tables_with_their_columns():
    rows = [
        {"source": "s", "release": "1", "year": 2022, "exporter": "ARM", "importer": "GEO",
         "reported_by": "exporter", "classification": "TOTAL", "product": "TOTAL",
         "value_usd": 1.0, "valuation": "FOB"},
    ]  # fmt: skip
    store = MemoryStore(rows)
    assert list(figures.pair_series(store, "KAZ", "RUS").columns) == figures.SERIES_COLUMNS  # type: ignore[arg-type]
    assert figures.partner_ranking(store, "KAZ", 2022).empty  # type: ignore[arg-type]
    assert figures.mirror_sides(figures.mirror(store, "KAZ", "RUS")).empty  # type: ignore[arg-type]
