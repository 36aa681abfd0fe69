"""Suppliers' and destinations' shares of a product, Herfindahl index, top partners."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.reference.products import fao_item, resolve_products
from tests.flow_fixtures import FAOSTAT, all_flows
from tests.frames import assert_same

CASES = Path(__file__).parents[1] / "cases"


def expected_shares(country: str, group: str, flow: str, year: int) -> pd.DataFrame:
    selection = resolve_products(group)
    frame = all_flows()
    frame = frame[(frame.source == "baci") & (frame.year == year)]
    frame = frame[frame["product"].str.startswith(tuple(selection.hs_prefixes))]
    own, other = ("importer", "exporter") if flow == "imports" else ("exporter", "importer")
    frame = frame[frame[own] == country]
    out = frame.groupby(["classification", other], as_index=False).value_usd.sum()
    out = out.rename(columns={other: "partner"})
    total = out.groupby("classification").value_usd.transform("sum")
    out["share"] = 100 * out.value_usd / total
    out["rank"] = out.groupby("classification").value_usd.rank(method="min", ascending=False)
    out["hhi"] = ((out.value_usd / total) ** 2).groupby(out.classification).transform("sum")
    return out


@pytest.mark.parametrize(
    ("function", "flow"),
    [(supplier_shares, "imports"), (destination_shares, "exports")],
    ids=["suppliers", "destinations"],
)
@pytest.mark.parametrize("group", ["wheat", "grain", "food", "cars"])
def test_shares_and_hhi_match_a_hand_computation(backend, function, flow, group):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(function(flows, "KAZ", group, 2022, source="baci"))
    expected = expected_shares("KAZ", group, flow, 2022)
    assert_same(
        actual,
        expected,
        ["classification", "partner"],
        ["classification", "partner", "value_usd", "share", "rank", "hhi"],
    )
    assert set(actual.flow) == {flow}
    assert actual.caveat.isna().all()


def test_faostat_shares_carry_the_extract_caveat(backend):
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(supplier_shares(flows, "KAZ", "barley", 2022, source="faostat"))
    barley = FAOSTAT[("Barley", 2022)]
    assert frame.set_index("partner").share.to_dict() == pytest.approx(
        {p: 100 * v / sum(barley.values()) for p, v in barley.items()}
    )
    assert frame.classification.unique().tolist() == ["FAO"]
    assert frame.world_basis.unique().tolist() == ["sum of partners"]
    assert frame.caveat.str.contains("at least a 5% share").all()


def test_a_printed_world_row_is_the_denominator(backend):
    cases = pd.read_csv(CASES / "world_rows.csv", comment="#", dtype={"product": str})
    flows = backend.load("world_rows", cases)
    frame = backend.execute(supplier_shares(flows, "KAZ", "wheat", 2022))
    assert frame.set_index("partner").share.to_dict() == {
        "RUS": 75.0,
        "KGZ": 15.0,
    }  # CIS not a supplier
    assert frame.world_basis.unique().tolist() == ["WLD row"]
    assert frame.hhi.iloc[0] == pytest.approx(0.75**2 + 0.15**2)


def test_top_supplier_by_rank(backend):
    flows = backend.load("fixture", all_flows())
    frame = backend.execute(supplier_shares(flows, "KAZ", fao_item("Sugar raw centrifugal"), 2022))
    top = frame[frame["rank"] == 1]
    assert top.partner.tolist() == ["BRA"]
    assert top.share.item() == pytest.approx(60.0)


@pytest.mark.parametrize("shares", [supplier_shares, destination_shares])
def test_every_product_at_once_equals_the_list_of_codes(duckdb_engine, shares):
    flows = duckdb_engine.load("fixture", all_flows())
    everything = duckdb_engine.execute(shares(flows, "KAZ", None, 2022))
    hs6 = sorted(c for c in set(everything["product"]) if c.isdigit() and len(c) == 6)
    fao = sorted(set(everything["product"]) - set(hs6))
    assert hs6  # BACI subheadings (and, for imports, FAOSTAT items)
    listed = duckdb_engine.execute(shares(flows, "KAZ", [*hs6, *map(fao_item, fao)], 2022))
    # a FAO item's selection also takes the HS codes it corresponds to: not asked here
    listed = listed[~listed["product"].isin(fao) | (listed.classification == "FAO")]
    keys = ["source", "classification", "product", "partner"]
    columns = ["value_usd", "world_usd", "share", "rank", "n_partners", "hhi"]
    assert_same(everything, listed, keys, [*keys, *columns])
