"""The composition of a flow by HS level, and named product groups in it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from bilateral.indicators.rows import product_rows
from bilateral.indicators.structure import composition, group_values
from bilateral.reference.products import (
    ProductSelection,
    baci_hs92_descriptions,
    chapter_sections,
    hs_nomenclature,
    resolve_products,
)
from tests.flow_fixtures import all_flows
from tests.frames import assert_same

CASES = Path(__file__).parents[1] / "cases"


def expected_composition(exporter: str, importer: str, year: int, level: str) -> pd.DataFrame:
    frame = all_flows()
    frame = frame[
        (frame.source == "baci")
        & (frame.exporter == exporter)
        & (frame.importer == importer)
        & (frame.year == year)
    ].copy()
    digits = {"chapter": 2, "heading": 4, "subheading": 6}
    if level == "section":
        frame["code"] = frame["product"].str[:2].map(chapter_sections())
    else:
        frame["code"] = frame["product"].str[: digits[level]]
    out = frame.groupby(["classification", "code"], as_index=False).value_usd.sum()
    out["share"] = 100 * out.value_usd / out.groupby("classification").value_usd.transform("sum")
    out["rank"] = out.groupby("classification").value_usd.rank(method="min", ascending=False)
    return out


@pytest.mark.parametrize("level", ["section", "chapter", "heading", "subheading"])
def test_composition_matches_a_hand_computation(backend, level):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(composition(flows, "RUS", "KAZ", 2022, level))
    expected = expected_composition("RUS", "KAZ", 2022, level)
    assert_same(
        actual,
        expected,
        ["classification", "code"],
        ["classification", "code", "value_usd", "share", "rank"],
    )
    assert set(actual.classification) == {"HS92", "HS22"}  # two revisions, never mixed


def test_composition_names_the_codes(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    frame = duckdb_engine.execute(composition(flows, "RUS", "KAZ", 2022, "subheading"))
    described = dict(zip(frame.classification + ":" + frame.code, frame.description, strict=True))
    assert described["HS92:100300"] == baci_hs92_descriptions()["100300"] == "Cereals: barley"
    assert described["HS22:100390"] == hs_nomenclature()["100390"].description  # HS 2022
    assert described["HS22:100390"] == "Cereals; barley, other than seed"
    sections = duckdb_engine.execute(composition(flows, "RUS", "KAZ", 2022, "section"))
    assert sections.set_index("code").loc["XVII", "description"].iloc[0].startswith("Vehicles")


def test_composition_of_a_total_only_source_is_empty(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    frame = duckdb_engine.execute(composition(flows, "RUS", "KAZ", 2022, source="kz_bns"))
    assert frame.empty


def test_unknown_level():
    with pytest.raises(ValueError, match="Unknown level 'group'; choose one of section, chapter"):
        composition(None, "RUS", "KAZ", level="group")  # type: ignore[arg-type]


@pytest.mark.parametrize("group", ["food", "grain", "wheat", "cars", "sugar", "fermented_milk"])
def test_group_values_match_a_hand_computation(backend, group):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(group_values(flows, "RUS", "KAZ", [group], 2022))
    selection = resolve_products(group)
    frame = all_flows()
    frame = frame[(frame.exporter == "RUS") & (frame.importer == "KAZ") & (frame.year == 2022)]
    hs = frame[frame.source == "baci"]
    totals = hs.groupby("classification").value_usd.sum()
    hs = hs[hs["product"].str.startswith(tuple(selection.hs_prefixes))]
    expected = hs.groupby(["source", "classification"], as_index=False).value_usd.sum()
    expected["share"] = 100 * expected.value_usd / expected.classification.map(totals)
    fao = frame[(frame.source == "faostat") & frame["product"].isin(selection.fao_items)]
    if not fao.empty:
        fao_row = {"source": "faostat", "classification": "FAO", "value_usd": fao.value_usd.sum()}
        expected = pd.concat([expected, pd.DataFrame([fao_row])], ignore_index=True)
        # FAOSTAT holds no total to take a share of: null, not a share of the items listed
    assert_same(
        actual,
        expected,
        ["source", "classification"],
        ["source", "classification", "value_usd", "share"],
    )


@pytest.mark.parametrize(
    ("group", "source", "value"),
    [
        pytest.param("cars", "comext", 100.0, id="heading-row-wins-over-its-cn8-rows"),
        pytest.param("cars", "comtrade", 70.0, id="heading-only-extract"),
        pytest.param("87032319", "comext", 30.0, id="one-cn8-code"),
        pytest.param("smartphones", "comext", 40.0, id="cn8-under-a-6-digit-group"),
        pytest.param("smartphones", "comtrade", 45.0, id="6-digit-row"),
    ],
)
def test_product_rows_count_nothing_twice(backend, group, source, value):
    cases = pd.read_csv(CASES / "product_levels.csv", comment="#", dtype={"product": str})
    flows = backend.load("product_levels", cases)
    rows = product_rows(flows.filter(flows.source == source), group)
    assert backend.execute(rows.value_usd.sum().name("v").as_table())["v"].item() == value


@pytest.mark.parametrize(
    ("prefixes", "source", "value"),
    [
        # under one prefix only the coarsest rows count (the heading 8703, not 85171300)
        pytest.param(("8",), "comext", 100.0, id="one-digit-prefix-coarsest-rows"),
        pytest.param(("8703", "851713"), "comext", 140.0, id="two-chapters"),
        pytest.param(("85",), "comtrade", 45.0, id="one-chapter"),
        pytest.param(("86",), "comtrade", None, id="a-chapter-with-no-rows"),
    ],
)
def test_product_rows_read_only_the_selection_s_chapters(backend, prefixes, source, value):
    """Rows outside the prefixes' chapters are dropped before the prefix join; a prefix
    shorter than a chapter still matches every code under it."""
    cases = pd.read_csv(CASES / "product_levels.csv", comment="#", dtype={"product": str})
    flows = backend.load("product_levels", cases)
    selection = ProductSelection("mine", "My goods", prefixes)
    rows = product_rows(flows.filter(flows.source == source), selection)
    total = backend.execute(rows.value_usd.sum().name("v").as_table())["v"].item()
    assert (None if pd.isna(total) else total) == value
