"""Mirror statistics: a flow as its exporter and as its importer report it, and the gap."""

from __future__ import annotations

import pandas as pd
import pytest

from bilateral.indicators.mirror import mirror_table
from tests.flow_fixtures import KZ_BNS, RU_FCS, all_flows


def test_mirror_table_pairs_each_report_with_its_mirror(backend):
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(mirror_table(flows, "KAZ", "RUS", 2021)).set_index("flow")
    baci = all_flows()
    baci = baci[(baci.source == "baci") & (baci.classification == "HS92") & (baci.year == 2021)]
    for flow, exporter, importer, by_exporter, by_importer in (
        ("exports", "KAZ", "RUS", KZ_BNS[2021]["RUS"][0], RU_FCS[2021]["KAZ"][1]),
        ("imports", "RUS", "KAZ", RU_FCS[2021]["KAZ"][0], KZ_BNS[2021]["RUS"][1]),
    ):
        row = frame.loc[flow]
        assert (row.exporter, row.importer) == (exporter, importer)
        assert row.by_exporter_value_usd == by_exporter * 1e6
        assert row.by_importer_value_usd == by_importer * 1e6
        assert row.by_exporter_source == ("kz_bns" if exporter == "KAZ" else "ru_fcs")
        assert row.gap_usd == pytest.approx((by_importer - by_exporter) * 1e6)
        assert row.gap_pct == pytest.approx(100 * (by_importer - by_exporter) / by_exporter)
        # CIF over FOB: the importer's figure should be the larger one
        assert bool(row.cif_fob_expected) == (by_importer >= by_exporter)
        reconciled = baci[(baci.exporter == exporter) & (baci.importer == importer)].value_usd.sum()
        assert row.reconciled_value_usd == pytest.approx(reconciled)
        assert row.reconciled_source == "baci"


def test_a_side_nobody_reports_is_unknown(backend):
    """2022: Russia published no partner detail, so only Kazakhstan's side exists."""
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(mirror_table(flows, "KAZ", "RUS", 2022)).set_index("flow")
    exports = frame.loc["exports"]
    assert exports.by_exporter_source == "kz_bns"
    assert pd.isna(exports.by_importer_value_usd)
    assert (
        pd.isna(exports.gap_usd) and pd.isna(exports.gap_pct) and pd.isna(exports.cif_fob_expected)
    )


def test_the_whole_series_without_a_year(backend):
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(mirror_table(flows, "KAZ", "RUS"))
    assert sorted(frame.year.unique()) == [2020, 2021, 2022, 2023]
    only_baci = frame[frame.year == 2020]
    assert (
        only_baci.by_exporter_source.isna().all() and only_baci.reconciled_source.eq("baci").all()
    )
