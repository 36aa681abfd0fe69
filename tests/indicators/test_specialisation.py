"""RCA (checked against the ecomplexity package), trade intensity, trade complementarity."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from bilateral.indicators.specialisation import rca, trade_complementarity, trade_intensity
from tests.flow_fixtures import all_flows
from tests.frames import assert_same


def baci(classification: str = "HS92") -> pd.DataFrame:
    frame = all_flows()
    return frame[(frame.source == "baci") & (frame.classification == classification)]


@pytest.mark.parametrize("classification", ["HS92", "HS22"])
def test_rca_equals_ecomplexity(backend, classification):
    ecomplexity = pytest.importorskip("ecomplexity").ecomplexity
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(rca(flows))
    actual = actual[actual.classification == classification]
    exports = (
        baci(classification)
        .groupby(["year", "exporter", "product"], as_index=False)
        .value_usd.sum()
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its complexity diagnostics, not RCA
        reference = ecomplexity(
            exports,
            {"time": "year", "loc": "exporter", "prod": "product", "val": "value_usd"},
            verbose=False,
        )
    # ecomplexity rectangularises: a product a country does not export gets RCA 0 there,
    # and no row here.
    reference = reference[reference.value_usd > 0]
    assert len(reference) == len(actual)
    assert_same(
        actual,
        reference,
        ["year", "exporter", "product"],
        ["year", "exporter", "product", "rca"],
        rtol=1e-9,
    )


def test_rca_at_chapter_level_by_hand(backend):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(rca(flows, 2021, level="chapter"))
    frame = baci().query("year == 2021").assign(product=lambda f: f["product"].str[:2])
    x = frame.groupby(["exporter", "product"], as_index=False).value_usd.sum()
    country = x.groupby("exporter").value_usd.transform("sum")
    product = x.groupby("product").value_usd.transform("sum")
    x["rca"] = (x.value_usd / country) / (product / x.value_usd.sum())
    assert_same(actual, x, ["exporter", "product"], ["exporter", "product", "value_usd", "rca"])


@pytest.mark.parametrize(("exporter", "importer"), [("KAZ", "RUS"), ("RUS", "KAZ"), ("CHN", "KAZ")])
def test_trade_intensity_by_hand(backend, exporter, importer):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(trade_intensity(flows, exporter, importer))
    rows = []
    for year, frame in baci().groupby("year"):
        x_ab = frame[(frame.exporter == exporter) & (frame.importer == importer)].value_usd.sum()
        x_a = frame[frame.exporter == exporter].value_usd.sum()
        m_b = frame[frame.importer == importer].value_usd.sum()
        rows.append((year, (x_ab / x_a) / (m_b / frame.value_usd.sum())))
    expected = pd.DataFrame(rows, columns=["year", "intensity"])
    assert_same(actual, expected, ["year"], ["year", "intensity"])


@pytest.mark.parametrize(("exporter", "importer"), [("RUS", "KAZ"), ("KAZ", "CHN")])
def test_trade_complementarity_by_hand(backend, exporter, importer):
    flows = backend.load("fixture", all_flows())
    actual = backend.execute(trade_complementarity(flows, exporter, importer))
    rows = []
    for (classification, year), frame in (
        all_flows().query("source == 'baci'").groupby(["classification", "year"])
    ):
        x = frame[frame.exporter == exporter].groupby("product").value_usd.sum()
        m = frame[frame.importer == importer].groupby("product").value_usd.sum()
        x_share, m_share = (x / x.sum()), (m / m.sum())
        diff = m_share.sub(x_share, fill_value=0.0).abs().sum()
        rows.append((classification, year, 100 * (1 - diff / 2)))
    expected = pd.DataFrame(rows, columns=["classification", "year", "complementarity"])
    assert_same(actual, expected, ["classification", "year"])
    assert actual.complementarity.between(0, 100).all()


def test_specialisation_needs_a_world_matrix(duckdb_engine):
    flows = duckdb_engine.load("fixture", all_flows())
    assert duckdb_engine.execute(rca(flows, source="kz_bns")).empty
    assert duckdb_engine.execute(trade_intensity(flows, "KAZ", "RUS", source="kz_bns")).empty


def test_unknown_level():
    with pytest.raises(ValueError, match="Unknown level 'section'; choose one of chapter, heading"):
        rca(None, level="section")  # type: ignore[arg-type]


@pytest.mark.parametrize("exporters", [["KAZ"], ["KAZ", "RUS"], ["CHN", "KAZ", "CHN"]])
def test_rca_of_chosen_exporters_equals_the_whole_matrix_filtered(backend, exporters):
    flows = backend.load("fixture", all_flows())
    whole = backend.execute(rca(flows))
    chosen = backend.execute(rca(flows, exporters=exporters))
    assert set(chosen.exporter) == set(exporters)
    assert_same(
        chosen,
        whole[whole.exporter.isin(exporters)],
        ["classification", "year", "exporter", "product"],
    )
