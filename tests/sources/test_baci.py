"""The BACI reader: the real R-written sample, and release files in CEPII's own layout."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pyarrow.compute as pc
import pytest

from bilateral.errors import SourceFormatError
from bilateral.sources import reader_for
from bilateral.sources.baci import (
    BaciReader,
    CountryCodes,
    parse_name,
    read_country_list,
)
from bilateral.store import Store
from tests import fixtures_baci as fx
from tests.conftest import shared

SAMPLE = "BACI_HS92_Y2021_V202301_sample_exporters_4_710.csv"


def sample_line(number: int) -> list[str]:
    """Line ``number`` (1-based, header is line 1) of the sample, split by Python's csv."""
    with open(shared("baci-sample", SAMPLE), newline="", encoding="utf-8") as f:
        for index, row in enumerate(csv.reader(f), start=1):
            if index == number:
                return row
    raise AssertionError(f"the sample has no line {number}")


def rows_of(table, **match):
    frame = table.to_pandas()
    for column, value in match.items():
        frame = frame[frame[column] == value]
    return frame


@pytest.fixture(scope="module")
def sample_table():
    return BaciReader().read(shared("baci-sample", SAMPLE), "sample-sha").table


# Lines of the sample (R-written: quoted header, k without leading zero, q padded, NA).
@pytest.mark.parametrize(
    ("line", "exporter", "importer", "product", "quantity"),
    [
        pytest.param(2, "AFG", "AGO", "382390", 13.235, id="line2-first-data-line"),
        pytest.param(12, "AFG", "AZE", "081310", 0.5, id="line12-leading-zero-restored"),
        pytest.param(15, "AFG", "ARG", "852390", None, id="line15-quantity-NA"),
        pytest.param(19170, "ZAF", "FRA", "010600", 0.155, id="line19170-baci-251-is-france"),
        pytest.param(38040, "ZAF", "S19", "030269", 114.0, id="line38040-490-other-asia"),
        pytest.param(53153, "ZAF", "IND", "010600", 0.11, id="line53153-baci-699-is-india"),
        pytest.param(67562, "ZAF", "USA", "010599", 0.001, id="line67562-baci-842-is-usa"),
    ],
)
def test_sample_lines(sample_table, line, exporter, importer, product, quantity):
    t, i, j, k, v, q = sample_line(line)
    assert int(k) == int(product)  # the file's k, without its leading zero
    row = rows_of(sample_table, exporter=exporter, importer=importer, product=product)
    assert len(row) == 1
    assert row.year.item() == int(t) == 2021
    assert row.value_usd.item() == pytest.approx(float(v) * 1000)
    assert row.value_original.item() == pytest.approx(float(v))
    if quantity is None:
        assert q.strip() == "NA"
        assert row.quantity.isna().item() and row.quantity_unit.isna().item()
    else:
        assert row.quantity.item() == pytest.approx(float(q)) == pytest.approx(quantity)
        assert row.quantity_unit.item() == "t"
    assert row.reported_by.item() == row.valuation.item() == "reconciled"
    assert (row.source.item(), row.release.item(), row.classification.item()) == (
        "baci",
        "V202301",
        "HS92",
    )
    assert row.currency.item() == "USD" and row.file_sha256.item() == "sample-sha"


def test_first_data_line_as_stated():
    """Line 2 of the sample is ``2021,4,24,382390,52.051,"       13.235"``."""
    assert sample_line(2) == ["2021", "4", "24", "382390", "52.051", "       13.235"]
    table = BaciReader().read(shared("baci-sample", SAMPLE), "x").table.slice(0, 1).to_pylist()
    first = table[0]
    assert (first["exporter"], first["importer"], first["product"]) == ("AFG", "AGO", "382390")
    assert first["value_usd"] == pytest.approx(52051.0)
    assert first["quantity"] == pytest.approx(13.235)


def test_sample_totals_match_the_file(sample_table):
    with open(shared("baci-sample", SAMPLE), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert sample_table.num_rows == len(rows)
    assert pc.sum(sample_table.column("value_usd")).as_py() == pytest.approx(
        sum(float(r["v"]) for r in rows) * 1000
    )
    missing = sum(1 for r in rows if r["q"].strip() == "NA")
    assert sample_table.column("quantity").null_count == missing


def test_country_list_of_the_sample():
    """BACI's country list V202201 (Latin-1, the layout used until 2023)."""
    path = shared("baci-sample", "country_codes_V202201.csv")
    entries = {e.code: e for e in read_country_list(path.read_bytes(), path)}
    assert (entries[842].iso3, entries[251].iso3, entries[699].iso3) == ("USA", "FRA", "IND")
    assert entries[381].name == "Italy" and entries[490].iso3 == "N/A"
    assert entries[384].name.startswith("C") and "Ivoire" in entries[384].name  # Côte, Latin-1
    codes = CountryCodes.build(list(entries.values()))
    assert codes.codes[490] == "S19"  # no ISO code in the list: bilateral's own code
    assert codes.codes[381] == "ITA"  # Italy's code in V202201
    assert codes.codes[380] == "ITA"  # ... and in V202301, from the shipped list
    assert codes.kept[810] == "SUN"  # a former country bilateral has no code for
    assert codes.codes[891] == "SCG" and 891 not in codes.kept  # one it has (territories.tsv)


@pytest.mark.parametrize(
    ("name", "classification", "release", "year"),
    [
        ("BACI_HS22_V202501.zip", "HS22", "V202501", None),
        ("BACI_HS22_Y2022_V202501.csv", "HS22", "V202501", 2022),
        ("BACI_HS17_V202401b.zip", "HS17", "V202401b", None),
        ("baci_hs92_y1995_v202301.csv", "HS92", "V202301", 1995),
        (SAMPLE, "HS92", "V202301", 2021),
    ],
    ids=["zip", "year-file", "corrected-release", "lower-case", "sample"],
)
def test_names(name, classification, release, year):
    parsed = parse_name(name)
    assert parsed is not None
    assert (parsed.classification, parsed.release, parsed.year) == (classification, release, year)


def test_corrected_release_sorts_after_its_release():
    assert "V202401" < "V202401b" < "V202501"


# ---------------------------------------------------------------------- CEPII's own layout


def expected_rows(flows):
    return {(f.year, fx.ISO3[f.exporter], fx.ISO3[f.importer], f.product): f for f in flows}


@pytest.mark.parametrize("hs", ["HS92", "HS22"])
def test_release_zip(tmp_path, hs):
    path = fx.write_release(tmp_path, hs)
    result = BaciReader().read(path, "zip-sha")
    table = result.table
    assert result.release == "V202501"
    assert any("country_codes_V202501.csv inside the release" in n for n in result.notes)
    expected = expected_rows(fx.FLOWS[hs])
    got = {(r["year"], r["exporter"], r["importer"], r["product"]): r for r in table.to_pylist()}
    assert set(got) == set(expected)
    for key, flow in expected.items():
        row = got[key]
        assert row["value_usd"] == pytest.approx(flow.value * 1000)
        assert row["quantity"] == (pytest.approx(flow.quantity) if flow.quantity else None)
        assert row["classification"] == hs and row["month"] is None
        assert row["transport_mode"] is None


def test_zip_is_read_year_by_year(tmp_path):
    path = fx.write_release(tmp_path, "HS92")
    parts = list(BaciReader().read_parts(path, "sha"))
    assert [sorted(set(p.table.column("year").to_pylist())) for p in parts] == [[2021], [2022]]
    assert parts[0].notes and not parts[1].notes
    assert {p.release for p in parts} == {"V202501"}


@pytest.mark.parametrize(
    ("style", "missing"),
    [("cepii", "NA"), ("cepii", ""), ("r", "NA")],
    ids=["cepii-NA", "cepii-empty-q", "r-written"],
)
def test_year_file_forms_read_alike(tmp_path, style, missing):
    flows = [f for f in fx.FLOWS["HS22"] if f.year == 2022]
    text = fx.year_csv(flows, missing=missing, r_style=style == "r")
    path = fx.write_year(tmp_path, "HS22", 2022, text=text)
    table = BaciReader().read(path, "sha").table
    got = sorted(
        (r["exporter"], r["importer"], r["product"], r["value_usd"], r["quantity"])
        for r in table.to_pylist()
    )
    want = sorted(
        (fx.ISO3[f.exporter], fx.ISO3[f.importer], f.product, f.value * 1000, f.quantity)
        for f in flows
    )
    assert [g[:3] for g in got] == [w[:3] for w in want]
    assert [g[3] for g in got] == pytest.approx([w[3] for w in want])
    assert [g[4] is None for g in got] == [w[4] is None for w in want]


def test_year_file_uses_its_country_list_when_beside_it(tmp_path):
    path = fx.write_year(tmp_path, "HS22", 2023, with_country_codes=True)
    result = BaciReader().read(path, "sha")
    assert any("beside the data" in n for n in result.notes)
    assert "S19" in result.table.column("exporter").to_pylist()


def test_area_without_iso_code_in_bilateral_is_kept_with_a_note(tmp_path):
    countries = (*fx.COUNTRIES, (697, "Europe EFTA, nes", "", "R20"))
    flows = [fx.Flow(2022, 697, 842, "851713", 1.5, 0.1)]
    path = fx.write_release(tmp_path, "HS22", flows=flows, countries=countries)
    result = BaciReader().read(path, "sha")
    assert result.table.column("exporter").to_pylist() == ["R20"]
    assert any("697 'Europe EFTA, nes' as R20" in n for n in result.notes)


def test_kept_codes_are_noted_only_when_used(tmp_path):
    result = BaciReader().read(fx.write_release(tmp_path, "HS22"), "sha")
    assert not any("kept as BACI lists them" in n for n in result.notes)


def test_release_zip_goes_into_the_store(tmp_path):
    path = fx.write_release(tmp_path, "HS22")
    store = Store.open(tmp_path / "store")
    [report] = store.ingest([path])
    assert (report.source, report.release, report.rows) == ("baci", "V202501", 5)
    flows = store.flows("baci")
    wheat = flows.filter((flows.exporter == "RUS") & (flows.product == "100199"))
    assert store.execute(wheat.value_usd.sum()) == pytest.approx(499999.999 * 1000)


@pytest.mark.parametrize(
    "name",
    ["BACI_HS22_V202501.zip", "BACI_HS92_Y2021_V202301.csv", SAMPLE],
)
def test_registry_picks_baci(name):
    assert isinstance(reader_for(Path(name)), BaciReader)


# ---------------------------------------------------------------------- bad input

GOOD = "t,i,j,k,v,q\n2022,643,398,100199,1.000,2.000\n2022,842,699,010121,3.000,NA\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            GOOD + "2022,156,398,851713,abc,1.000\n",
            r"BACI_HS22_V202501\.zip, member BACI_HS22_Y2022_V202501\.csv, line 4, "
            r"field 'v': 'abc' is not a number; expected a number in thousand USD",
            id="value-not-a-number",
        ),
        pytest.param(
            GOOD + "2022,156,398,851713,,1.000\n",
            r"line 4, field 'v': the value is missing; expected a number in thousand USD",
            id="value-missing",
        ),
        pytest.param(
            GOOD + "2022,999,398,851713,1.000,1.000\n",
            r"line 4, field 'i': unknown BACI country code 999",
            id="unknown-exporter",
        ),
        pytest.param(
            GOOD + "2022,156,998,851713,1.000,1.000\n",
            r"line 4, field 'j': unknown BACI country code 998",
            id="unknown-importer",
        ),
        pytest.param(
            GOOD + "2021,156,398,851713,1.000,1.000\n",
            r"line 4, field 't': year 2021 in a file named for 2022",
            id="year-of-another-file",
        ),
        pytest.param(
            GOOD + "2022,156,398,8517131,1.000,1.000\n",
            r"line 4, field 'k': product code '8517131'",
            id="product-too-long",
        ),
        pytest.param(
            GOOD + "2022,156,398,851713,1.000,ton\n",
            r"line 4, field 'q': 'ton' is not a number; expected a number in tonnes",
            id="quantity-not-a-number",
        ),
        pytest.param(
            "year,exporter,importer,product,value,quantity\n2022,643,398,100199,1,2\n",
            r"line 1: the columns are year,exporter.*; expected exactly t,i,j,k,v,q",
            id="other-header",
        ),
        pytest.param(
            GOOD + "2022,156,398,851713,1.000\n",
            r"cannot be parsed as CSV \(Expected 6 columns, got 5",
            id="short-row",
        ),
    ],
)
def test_errors_name_member_line_and_field(tmp_path, text, message):
    path = fx.write_release(tmp_path, "HS22", year_texts={2022: text}, flows=[])
    with pytest.raises(SourceFormatError, match=message):
        BaciReader().read(path, "sha")


def test_unknown_code_names_baci_name_when_listed(tmp_path):
    countries = (*fx.COUNTRIES, (849, "US Misc. Pacific Isds", "", "N/A"))
    text = "t,i,j,k,v,q\n2022,842,849,851713,1.000,1.000\n"
    path = fx.write_release(
        tmp_path, "HS22", countries=countries, year_texts={2022: text}, flows=[]
    )
    with pytest.raises(SourceFormatError, match=r"line 2.*849 \('US Misc\. Pacific Isds'\)"):
        BaciReader().read(path, "sha")


def test_single_file_errors_name_the_file(tmp_path):
    path = fx.write_year(tmp_path, "HS22", 2022, text=GOOD + "2022,156,398,851713,x,1\n")
    with pytest.raises(SourceFormatError, match=r"^BACI_HS22_Y2022_V202501\.csv, line 4"):
        BaciReader().read(path, "sha")


def test_zip_without_year_files(tmp_path):
    path = tmp_path / "BACI_HS22_V202501.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("country_codes_V202501.csv", fx.country_codes_csv())
    with pytest.raises(SourceFormatError, match="holds no BACI year file"):
        BaciReader().read(path, "sha")


def test_file_name_without_year(tmp_path):
    path = tmp_path / "BACI_trade.csv"
    path.write_text(GOOD)
    with pytest.raises(SourceFormatError, match="BACI_HS22_Y2022_V202501.csv"):
        BaciReader().read(path, "sha")
