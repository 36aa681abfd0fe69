"""The figures behind the report and the dashboard, against the printed BNS tables."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
import pytest

from bilateral.errors import NotAvailableError
from bilateral.report import figures
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_cell, bns_rows, bns_usd


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
    shown = value(series, year=year, flow=flow, source="kz_bns", reported_by="KAZ")
    assert shown == pytest.approx(bns_usd(workbook, str(year), "Россия", flow), abs=1)


def test_balance_is_exports_minus_imports_and_seen_from_the_other_side_it_flips(store):
    ours = figures.pair_series(store, "KAZ", "RUS")
    theirs = figures.pair_series(store, "RUS", "KAZ")
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
    printed = {}
    for row in bns_rows(WORKBOOK_2023, "2022")[6:]:
        name = str(row[0]).strip()
        if name and isinstance(row[2], float):
            printed[name] = row
    share_column = {"turnover": 2, "exports": 4}[flow]
    russia = ranking[ranking["partner"] == "RUS"].iloc[0]
    china = ranking[ranking["partner"] == "CHN"].iloc[0]
    assert russia["share"] == pytest.approx(printed["Россия"][share_column], abs=5e-4)
    assert china["share"] == pytest.approx(printed["Китай"][share_column], abs=5e-4)


def test_ranks_follow_the_values_and_skip_aggregates(store):
    ranking = figures.partner_ranking(store, "KAZ", 2022, "imports")
    assert list(ranking["rank"]) == list(range(1, len(ranking) + 1))
    assert ranking["value_usd"].is_monotonic_decreasing
    assert not {"WLD", "CIS", "EAEU", "EU27"} & set(ranking["partner"])
    top = ranking.iloc[0]
    assert (top["partner"], top["partner_name"]) == ("RUS", "Russia")


def test_profile_records_carry_name_value_unit_source_reporter_and_year(store):
    profile = figures.pair_profile(store, "KAZ", "RUS", 2022)
    by_name = {r["name"]: r for r in profile["indicators"]}
    assert set(by_name) >= {
        "turnover", "exports", "imports", "balance", "turnover_growth",
        "partner_share_turnover", "partner_share_exports", "partner_share_imports",
        "partner_rank_turnover", "partner_rank_exports", "partner_rank_imports",
    }  # fmt: skip
    assert all(set(r) == {"name", "value", "unit", "source", "reported_by", "year"}
               for r in profile["indicators"])  # fmt: skip
    before = bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover")
    now = bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover")
    assert by_name["turnover_growth"]["value"] == pytest.approx((now / before - 1) * 100)
    assert by_name["partner_share_turnover"]["value"] == pytest.approx(
        bns_cell(WORKBOOK_2023, "2022", "Россия", "turnover_share"), abs=5e-4
    )


def test_a_year_nobody_published_is_not_available_and_says_what_is(store):
    with pytest.raises(NotAvailableError, match=r"No figures for KAZ-RUS in 2030 .*2018-2023"):
        figures.pair_profile(store, "KAZ", "RUS", 2030)


def series_rows(*rows: tuple[str, str, int, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["source", "reported_by", "year", "flow", "value_usd"])


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        pytest.param(
            series_rows(
                ("kz_bns", "KAZ", 2021, "imports", 17.6e9),
                ("ru_fcs", "RUS", 2021, "exports", 16.9e9),  # seen from KAZ: RUS reports imports
            ),
            [],
            id="different-directions-no-pair",
        ),
        pytest.param(
            series_rows(
                ("kz_bns", "KAZ", 2021, "imports", 17.6e9),
                ("ru_fcs", "RUS", 2021, "imports", 16.9e9),
            ),
            [("RUS\u00a0→\u00a0KAZ", 2021, "ru_fcs", "kz_bns", 0.7e9, True)],
            id="importer-cif-above-exporter-fob",
        ),
        pytest.param(
            series_rows(
                ("kz_bns", "KAZ", 2020, "exports", 5.0e9),
                ("ru_fcs", "RUS", 2020, "exports", 5.5e9),
                ("baci", "reconciled", 2020, "exports", 5.2e9),
            ),
            [("KAZ\u00a0→\u00a0RUS", 2020, "kz_bns", "ru_fcs", 0.5e9, True)],
            id="reconciled-is-not-a-side",
        ),
        pytest.param(
            series_rows(
                ("kz_bns", "KAZ", 2019, "exports", 6.0e9),
                ("ru_fcs", "RUS", 2019, "exports", 5.4e9),
            ),
            [("KAZ\u00a0→\u00a0RUS", 2019, "kz_bns", "ru_fcs", -0.6e9, False)],
            id="importer-below-exporter-flagged",
        ),
    ],
)
def test_mirror_gaps_pair_each_exporter_figure_with_the_importer_figure(series, expected):
    gaps = figures.mirror_gaps(figures.mirror_table(series, "KAZ", "RUS"))
    found = [
        (r.direction, r.year, r.exporter_source, r.importer_source, r.gap_usd, r.expected_direction)
        for r in gaps.itertuples()
    ]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert got[:4] == want[:4] and got[5] == want[5]
        assert math.isclose(got[4], want[4], rel_tol=1e-9)


class MemoryStore:
    """Just enough of a Store for figures: canonical rows in an in-memory Ibis table."""

    def __init__(self, rows: list[dict[str, object]]) -> None:
        import ibis

        from bilateral.schema import flow_table

        self.table = ibis.memtable(flow_table(rows, file_sha256="test").to_pandas())

    def flows(self, source: str | None = None):
        return self.table.filter(self.table.source == source) if source else self.table

    def execute(self, expr):
        return expr.to_pandas()


def monthly(source: str, year: int, months: Iterable[int | None], value: float, **extra: object):
    base = {"source": source, "release": "1", "year": year, "exporter": "ARM", "importer": "RUS",
            "reported_by": "exporter", "classification": "TOTAL", "product": "TOTAL"}  # fmt: skip
    return [{**base, "month": m, "value_usd": value, **extra} for m in months]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(monthly("armstat", 2022, range(1, 13), 10.0), {2022: 120.0}, id="12-months"),
        pytest.param(monthly("armstat", 2023, range(1, 9), 10.0), {}, id="8-months-no-year"),
        pytest.param(
            monthly("armstat", 2022, range(1, 13), 10.0)
            + monthly("armstat", 2022, [None], 125.0),
            {2022: 125.0},
            id="annual-row-wins-over-months",
        ),
    ],
)  # fmt: skip
def test_monthly_sources_count_for_a_year_only_when_complete(rows, expected):
    series = figures.pair_series(MemoryStore(rows), "ARM", "RUS")  # type: ignore[arg-type]
    exports = series[series["flow"] == "exports"]
    assert dict(zip(exports["year"], exports["value_usd"], strict=True)) == expected


def fcs_cell(sheet: str, block: str, partner_ru: str) -> float:
    """94itog.xlsx: the value (million USD) of ``partner_ru`` under 'Экспорт' or 'Импорт'."""
    from python_calamine import CalamineWorkbook

    from tests.conftest import shared

    book = CalamineWorkbook.from_path(str(shared("ru-fcs", "94itog.xlsx")))
    current = None
    for row in book.get_sheet_by_name(sheet).to_python():
        label = str(row[0]).strip()
        if label in ("Экспорт", "Импорт"):
            current = label
        elif current == block and label == partner_ru:
            return float(row[1])  # type: ignore[arg-type]
    raise AssertionError(f"94itog.xlsx, sheet '{sheet}': no '{partner_ru}' under '{block}'")


@pytest.fixture(scope="module")
def mirrored_store(tmp_path_factory) -> Store:
    from tests.conftest import shared

    root = tmp_path_factory.mktemp("mirror") / "store"
    Store.open(root).ingest([shared("kz-bns"), shared("ru-fcs", "94itog.xlsx")])
    return Store.open(root, read_only=True)


def test_mirror_gaps_from_bns_and_fcs_for_2021(mirrored_store):
    series = figures.pair_series(mirrored_store, "KAZ", "RUS")
    gaps = figures.mirror_gaps(figures.mirror_table(series, "KAZ", "RUS"))
    gaps = gaps[gaps["year"] == 2021].set_index("direction")
    # Kazakhstan's exports to Russia: BNS 2022 publication, sheet '2021', row 'Россия',
    # column D (thousand USD); Russia's imports from Kazakhstan: FCS 94itog.xlsx, sheet
    # '2021', 'Казахстан' under 'Импорт' (million USD).
    outward = gaps.loc["KAZ\u00a0→\u00a0RUS"]
    assert outward["exporter_usd"] == pytest.approx(
        bns_usd(WORKBOOK_2022, "2021", "Россия", "exports"), abs=1
    )
    assert outward["importer_usd"] == pytest.approx(fcs_cell("2021", "Импорт", "Казахстан") * 1e6)
    inward = gaps.loc["RUS\u00a0→\u00a0KAZ"]
    assert inward["exporter_usd"] == pytest.approx(fcs_cell("2021", "Экспорт", "Казахстан") * 1e6)
    assert inward["importer_usd"] == pytest.approx(
        bns_usd(WORKBOOK_2022, "2021", "Россия", "imports"), abs=1
    )
    for row in (outward, inward):
        gap = row["importer_usd"] - row["exporter_usd"]
        assert row["gap_usd"] == pytest.approx(gap)
        assert row["gap_percent"] == pytest.approx(gap / row["exporter_usd"] * 100)
        assert row["expected_direction"] == (gap >= 0)
