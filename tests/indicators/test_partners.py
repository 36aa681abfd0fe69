"""A country's partners ranked by turnover, exports and imports, with shares and gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bilateral.indicators.partners import partner_rank, partner_ranking
from bilateral.reference.countries import countries
from tests.flow_fixtures import KZ_BNS, all_flows
from tests.frames import assert_same

AGGREGATES = {c.code for c in countries() if c.is_aggregate}


def expected_bns_ranking(year: int) -> pd.DataFrame:
    """Kazakhstan's partners from the fixture's printed table, ranked by hand."""
    table = KZ_BNS[year]
    world_x, world_m = table["WLD"]
    rows = []
    for partner, (x, m) in table.items():
        if partner in AGGREGATES:
            continue
        # a blank in a complete partner table is no trade: turnover is the other flow
        turnover = (x or 0.0) + (m or 0.0)
        for flow, value, world in (
            ("turnover", turnover, world_x + world_m),
            ("exports", x, world_x),
            ("imports", m, world_m),
        ):
            if value is not None:
                rows.append((flow, partner, value * 1e6, 100 * value / world))
    frame = pd.DataFrame(rows, columns=["flow", "partner", "value_usd", "share"])
    frame = frame.sort_values(["flow", "value_usd", "partner"], ascending=[True, False, True])
    frame["rank"] = frame.groupby("flow").value_usd.rank(method="min", ascending=False)
    above = frame.groupby("flow").value_usd.shift(1)
    below = frame.groupby("flow").value_usd.shift(-1)
    frame["partner_above"] = frame.groupby("flow").partner.shift(1)
    frame["gap_above_pct"] = 100 * (above - frame.value_usd) / above
    frame["gap_below_pct"] = 100 * (frame.value_usd - below) / below
    return frame


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_ranking_from_own_statistics_matches_a_hand_computation(backend, year):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(partner_ranking(flows, "KAZ", year, source="kz_bns"))
    expected = expected_bns_ranking(year)
    assert_same(
        actual,
        expected,
        keys=["flow", "partner"],
        columns=[
            "flow",
            "partner",
            "value_usd",
            "share",
            "rank",
            "partner_above",
            "gap_above_pct",
            "gap_below_pct",
        ],
    )
    assert set(actual.world_basis) == {"WLD row"}
    assert not set(actual.partner) & AGGREGATES


def test_ranking_from_a_matrix_uses_the_sum_over_countries(backend):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(partner_ranking(flows, "KAZ", 2021, source="baci"))
    baci = all_flows()
    baci = baci[(baci.source == "baci") & (baci.classification == "HS92") & (baci.year == 2021)]
    exports = baci[baci.exporter == "KAZ"].groupby("importer").value_usd.sum()
    imports = baci[baci.importer == "KAZ"].groupby("exporter").value_usd.sum()
    turnover = exports.add(imports, fill_value=0.0)
    expected = pd.concat(
        [
            pd.DataFrame(
                {
                    "flow": name,
                    "partner": s.index,
                    "value_usd": s.values,
                    "share": 100 * s.values / s.sum(),
                }
            )
            for name, s in (("exports", exports), ("imports", imports), ("turnover", turnover))
        ]
    )
    expected["rank"] = expected.groupby("flow").value_usd.rank(method="min", ascending=False)
    assert_same(
        actual, expected, ["flow", "partner"], ["flow", "partner", "value_usd", "share", "rank"]
    )
    assert set(actual.world_basis) == {"sum of partners"}
    assert set(actual.reported_by) == {"reconciled"}


def test_a_partner_listed_for_one_flow_only(backend):
    """Andorra appears in the imports column only: BNS prints its turnover = its imports."""
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(partner_rank(flows, "KAZ", "AND", 2022, source="kz_bns"))
    by_flow = frame.set_index("flow")
    assert set(by_flow.index) == {"turnover", "imports"}  # not ranked among exporters
    assert by_flow.loc["turnover", "value_usd"] == by_flow.loc["imports", "value_usd"] == 0.09e6


def test_slightly_inferior_is_answerable(backend):
    """2023 in the fixture: Russia 27.0 bn, China 30.9 bn; Russia second, 12.6% below."""
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(partner_rank(flows, "KAZ", "RUS", 2023, source="kz_bns"))
    turnover = frame[frame.flow == "turnover"].iloc[0]
    china = sum(KZ_BNS[2023]["CHN"]) * 1e6
    russia = sum(KZ_BNS[2023]["RUS"]) * 1e6
    assert turnover["rank"] == 2
    assert turnover["partner_above"] == "CHN"
    assert turnover["gap_above_usd"] == pytest.approx(china - russia)
    assert turnover["gap_above_pct"] == pytest.approx(100 * (china - russia) / china)
    assert turnover["partner_below"] == "TUR"


def test_shares_of_the_world_add_up_with_the_rest_of_the_world(backend):
    """Countries listed plus those not listed make the world row: listed shares sum below 100."""
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(partner_ranking(flows, "KAZ", 2022, source="kz_bns"))
    exports = frame[frame.flow == "exports"]
    listed = sum(x for p, (x, _) in KZ_BNS[2022].items() if p not in AGGREGATES and x)
    assert exports.share.sum() == pytest.approx(100 * listed / KZ_BNS[2022]["WLD"][0])
    assert np.all(exports.n_partners == len(exports))


def test_a_partner_never_reports_for_the_reporter(backend):
    """Russia's statistics rank Russia's partners, not Kazakhstan's."""
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(partner_ranking(flows, "KAZ", 2021, source="ru_fcs"))
    assert frame.empty
    russia = backend.execute(partner_ranking(flows, "RUS", 2021, source="ru_fcs"))
    assert set(russia.partner) == {"KAZ"}
    assert russia[russia.flow == "exports"].share.item() == pytest.approx(100 * 18_600 / 494_000)


def test_every_reporter_at_once_equals_one_reporter_at_a_time(duckdb_engine):
    backend = duckdb_engine  # Spark runs the all-reporters form in test_engines_agree
    flows = backend.load("fixture", all_flows())
    everyone = backend.execute(partner_ranking(flows, None))
    reporters = sorted(set(everyone.reporter))
    assert {"KAZ", "RUS"} <= set(reporters)
    assert not set(reporters) & AGGREGATES
    some = ["KAZ", "RUS", reporters[0], reporters[-1]]
    one_at_a_time = pd.concat([backend.execute(partner_ranking(flows, r)) for r in some])
    keys = ["source", "statistics_of", "year", "reporter", "flow", "partner"]
    assert_same(everyone[everyone.reporter.isin(some)], one_at_a_time, keys)
