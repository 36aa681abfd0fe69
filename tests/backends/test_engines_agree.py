"""The whole indicator suite on DuckDB and on Spark, over the same Parquet data: equal results."""

from __future__ import annotations

from collections.abc import Callable

import ibis
import pandas as pd
import pytest

from bilateral.engine import build_profile
from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.flows import cagr, growth, pair_flows, pair_totals, total_rows
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.partners import partner_ranking
from bilateral.indicators.specialisation import (
    country_product_sums,
    rca,
    trade_complementarity,
    trade_intensity,
    world_product_sums,
)
from bilateral.indicators.structure import composition, group_values
from bilateral.store.summaries import Summaries
from tests.flow_fixtures import all_flows
from tests.frames import normalised

SUITE: dict[str, Callable[[ibis.Table], ibis.Table]] = {
    "pair_flows": lambda t: pair_flows(t, "KAZ", "RUS"),
    "pair_totals": lambda t: pair_totals(t, "KAZ", "RUS"),
    "growth": lambda t: growth(pair_totals(t, "KAZ", "RUS")),
    "cagr": lambda t: cagr(pair_totals(t, "KAZ", "RUS"), 2020, 2022),
    "partner_ranking": lambda t: partner_ranking(t, "KAZ"),
    "partner_ranking_everyone": lambda t: partner_ranking(t, None),
    "composition_section": lambda t: composition(t, "RUS", "KAZ", level="section"),
    "composition_subheading": lambda t: composition(t, "KAZ", "RUS", level="subheading"),
    "group_values": lambda t: group_values(t, "RUS", "KAZ"),
    "supplier_shares": lambda t: supplier_shares(t, "KAZ", "food"),
    "supplier_shares_every_product": lambda t: supplier_shares(t, "KAZ", None),
    "destination_shares": lambda t: destination_shares(t, "KAZ", "grain"),
    "mirror_table": lambda t: mirror_table(t, "KAZ", "RUS"),
    "rca": lambda t: rca(t),
    "trade_intensity": lambda t: trade_intensity(t, "KAZ", "RUS"),
    "trade_complementarity": lambda t: trade_complementarity(t, "RUS", "KAZ"),
}


def _comparable(frame: pd.DataFrame) -> pd.DataFrame:
    columns = list(frame.columns)
    return normalised(frame, columns, columns)


@pytest.mark.spark
def test_every_indicator_gives_the_same_answer_on_duckdb_and_spark(duckdb_engine, spark_engine):
    compared = []
    for name, indicator in SUITE.items():
        on_duckdb = duckdb_engine.execute(indicator(duckdb_engine.load("fixture", all_flows())))
        on_spark = spark_engine.execute(indicator(spark_engine.load("fixture", all_flows())))
        assert not on_duckdb.empty, name
        assert list(on_duckdb.columns) == list(on_spark.columns), name
        pd.testing.assert_frame_equal(
            _comparable(on_duckdb), _comparable(on_spark), check_dtype=False, rtol=1e-9, obj=name
        )
        compared.append(name)
    assert compared == list(SUITE)

    profiles = []
    for engine in (duckdb_engine, spark_engine):
        # from the summaries, as bilateral.profile reads them (test_summaries: the same as
        # from the rows)
        flows = engine.load("fixture", all_flows())
        summaries = Summaries(
            total_rows(flows), country_product_sums(flows), world_product_sums(flows)
        )
        profile = build_profile(flows, engine.execute, "KAZ", "RUS", 2022, summaries=summaries)
        profiles.append(profile)
        # and with results fetched as Arrow, as bilateral.profile fetches them (Store.arrow)
        fetched = build_profile(
            flows, None, "KAZ", "RUS", 2022, summaries=summaries, fetch=engine.backend.to_pyarrow
        )
        profiles.append(fetched)
    first, *others = (
        _comparable(p.to_pandas().assign(detail=lambda f: f.detail.astype(str))) for p in profiles
    )
    for other in others:
        pd.testing.assert_frame_equal(first, other, check_dtype=False, rtol=1e-9)
