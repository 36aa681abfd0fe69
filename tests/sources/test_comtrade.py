"""The Comtrade reader: published comtradr CSVs and an API response, and Comtrade+ fixtures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bilateral.errors import SourceFormatError
from bilateral.sources import reader_for
from bilateral.sources.comtrade import ComtradeReader
from bilateral.store import Store
from tests import fixtures_comtrade as fx
from tests.conftest import shared

ARMENIA_PHONES = "comtrade_armenia_hs851713_monthly.csv"
ARMENIA_CARS = "comtrade_armenia_hs8703_monthly.csv"
GEORGIA_CARS = "comtrade_georgia_hs8703_monthly.csv"
CHINA_JSON = "comtrade_v1_get_C_A_HS_CHN_2010.json"


def published_lines(name: str) -> list[dict[str, str]]:
    """The file's rows by header, read with Python's csv (Latin-1, byte-order mark dropped)."""
    raw = shared("comtrade", name).read_bytes().removeprefix(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("latin-1"))))


def published_line(name: str, number: int) -> dict[str, str]:
    """Line ``number`` of the file (1-based; line 1 is the header)."""
    return published_lines(name)[number - 2]


@pytest.fixture(scope="module")
def read():
    cache: dict[str, list[dict]] = {}

    def rows(name: str) -> list[dict]:
        if name not in cache:
            cache[name] = ComtradeReader().read(shared("comtrade", name), "sha").table.to_pylist()
        return cache[name]

    return rows


def find(rows, **match):
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, len(found))
    return found[0]


# Published rows: file, line, and what the line says in canonical terms.
@pytest.mark.parametrize(
    ("name", "line", "exporter", "importer", "mode", "unit"),
    [
        pytest.param(ARMENIA_PHONES, 2, "ARM", "CZE", "TOTAL MOT", "u", id="phones-line2-export"),
        pytest.param(ARMENIA_PHONES, 3, "CHN", "ARM", "TOTAL MOT", "u", id="phones-line3-import"),
        pytest.param(ARMENIA_PHONES, 176, "CUW", "ARM", "TOTAL MOT", "u", id="phones-curacao"),
        pytest.param(ARMENIA_CARS, 2, "ARM", "CHE", "Road", "u", id="cars-line2-hs4-road"),
        pytest.param(ARMENIA_CARS, 3, "ARM", "CHE", "Road", "u", id="cars-line3-hs6-road"),
        pytest.param(ARMENIA_CARS, 319, "JPN", "ARM", "Road", "kg", id="cars-no-unit-net-kg"),
        pytest.param(ARMENIA_CARS, 385, "_X", "ARM", "Road", "u", id="cars-areas-nes"),
        pytest.param(GEORGIA_CARS, 336, "S19", "GEO", "TOTAL MOT", "u", id="georgia-other-asia"),
    ],
)
def test_published_rows(read, name, line, exporter, importer, mode, unit):
    source = published_line(name, line)
    is_export = source["trade_code"] == "X"
    row = find(
        read(name),
        year=int(source["year"]),
        month=int(source["month"]),
        exporter=exporter,
        importer=importer,
        product=source["commodity_code"],
        transport_mode=mode,
    )
    assert (exporter if is_export else importer) in {"ARM", "GEO"}  # the reporter
    assert source["partner_iso"] == (importer if is_export else exporter)
    assert row["reported_by"] == ("exporter" if is_export else "importer")
    assert row["valuation"] == ("FOB" if is_export else "CIF")
    assert row["value_usd"] == pytest.approx(float(source["trade_value_us"]))
    assert row["value_usd"] == pytest.approx(
        float(source["fobvalue"] if is_export else source["cifvalue"])
    )
    assert row["classification"] == "HS" and row["currency"] == "USD"
    assert row["quantity_unit"] == unit
    expected_quantity = source["Qty"] if unit != "kg" else source["netweight_kg"]
    assert row["quantity"] == pytest.approx(float(expected_quantity))


@pytest.mark.parametrize("name", [ARMENIA_PHONES, ARMENIA_CARS, GEORGIA_CARS])
def test_every_published_row_is_kept(read, name):
    lines = published_lines(name)
    rows = read(name)
    assert {line["trade_code"] for line in lines} <= {"X", "M"}
    # plus a zero row for each month in which a partner of the year has no line while
    # the reporter's table for that flow and product has some (it traded nothing then)
    months: dict[tuple[str, ...], set[str]] = {}
    partners: dict[tuple[str, ...], set[str]] = {}
    present = set()
    for line in lines:
        table = (line["year"], line["trade_code"], line["commodity_code"])
        months.setdefault(table, set()).add(line["month"])
        partners.setdefault(table, set()).add(line["partner_iso"])
        present.add((*table, line["partner_iso"], line["month"]))
    absent = sum(
        (*table, partner, month) not in present
        for table in months
        for partner in partners[table]
        for month in months[table]
    )
    assert len(rows) == len(lines) + absent
    assert sum(r["value_usd"] == 0 and r["quantity"] is None for r in rows) >= absent
    assert sum(r["value_usd"] for r in rows) == pytest.approx(
        sum(float(line["trade_value_us"]) for line in lines)
    )


def test_published_notes_warn_about_modes_and_levels():
    result = ComtradeReader().read(shared("comtrade", ARMENIA_CARS), "sha")
    text = " | ".join(result.notes)
    assert "rows with transport_mode 'TOTAL MOT' are totals of the modes" in text
    assert "no 'TOTAL MOT' row, their total is the sum over modes" in text
    assert "HS levels 4 and 6 overlap" in text
    # No publication date in the file: the release is the last month it covers
    # (line 2 of the file is January 2017; the last rows are October 2023).
    assert result.release == "2023-10"
    assert "last period the file covers" in text


def test_api_json_response(read):
    document = json.loads(shared("comtrade", CHINA_JSON).read_text())
    rows = read(CHINA_JSON)
    assert len(rows) == len(document["data"]) == 4
    for record in document["data"]:
        is_export = record["flowCode"] == "X"
        exporter, importer = ("CHN", record["partnerISO"])[:: 1 if is_export else -1]
        row = find(rows, exporter=exporter, importer=importer)
        value = record["fobvalue"] if is_export else record["cifvalue"]
        assert row["value_usd"] == pytest.approx(value)
        assert (row["year"], row["month"]) == (2010, None)  # annual: refMonth 52
        assert (row["classification"], row["product"]) == ("TOTAL", "TOTAL")
        assert row["valuation"] == ("FOB" if is_export else "CIF")


def test_column_list_is_the_api_field_list():
    document = json.loads(shared("comtrade", CHINA_JSON).read_text())
    assert tuple(document["data"][0]) == fx.PLUS_COLUMNS


# ---------------------------------------------------------------------- Comtrade+ fixtures

# record id -> exporter, importer, reported_by, valuation, value, mode, product,
# classification, quantity, unit; None when the reader must leave the record out.
EXPECTED = {
    "export-total-mode": ("KAZ", "RUS", "exporter", "FOB", 1000.5, "TOTAL MOT", "270900",
                          "HS22", 10.0, "kg"),
    "export-by-rail": ("KAZ", "RUS", "exporter", "FOB", 600.0, "Railway", "270900", "HS22",
                       None, None),
    "export-by-sea": ("KAZ", "RUS", "exporter", "FOB", 400.5, "Sea", "270900", "HS22", None,
                      None),
    "import-hs6": ("CHN", "KAZ", "importer", "CIF", 5000.0, "TOTAL MOT", "851713", "HS22",
                   100.0, "u"),
    "import-hs4": ("CHN", "KAZ", "importer", "CIF", 7000.0, "TOTAL MOT", "8517", "HS22", None,
                   None),
    "export-world-total": ("KAZ", "WLD", "exporter", "FOB", 9999.0, "TOTAL MOT", "TOTAL",
                           "TOTAL", None, None),
    "re-export": None,
    "second-partner": None,
    "customs-procedure": None,
    "export-without-fob": ("KAZ", "DEU", "exporter", "FOB", 123.0, "TOTAL MOT", "270900",
                           "HS22", None, None),
    "import-weight-only": ("S19", "KAZ", "importer", "CIF", 88.0, "TOTAL MOT", "847130",
                           "HS22", 55.5, "kg"),
}  # fmt: skip
WRITERS = {"csv": fx.write_plus_csv, "bulk": fx.write_bulk, "json": fx.write_json}


def canonical_tuples(rows):
    keys = ("exporter", "importer", "reported_by", "valuation", "value_usd", "transport_mode",
            "product", "classification", "quantity", "quantity_unit")  # fmt: skip
    return sorted(tuple(r[k] for k in keys) for r in rows)


@pytest.mark.parametrize("form", list(WRITERS))
def test_fixture_records(tmp_path, form):
    assert set(EXPECTED) == set(fx.RECORDS)
    path = WRITERS[form](tmp_path, fx.RECORDS.values())
    result = ComtradeReader().read(path, "sha")
    rows = result.table.to_pylist()
    assert canonical_tuples(rows) == sorted(e for e in EXPECTED.values() if e is not None)
    assert {(r["year"], r["month"], r["source"]) for r in rows} == {(2023, 1, "comtrade")}


@pytest.mark.parametrize(
    "note",
    [
        "left out rows of flows other than exports (X) and imports (M): 1 RX (re-exports)",
        "left out 1 rows broken down by second partner; their totals are kept",
        "left out 1 rows broken down by customs procedure; their totals are kept",
        "1 rows had no FOB value (exports) or CIF value (imports)",
        "rows are split by mode of transport (Railway, Sea, TOTAL MOT)",
        "products at HS levels 4 and 6 overlap",
    ],
)
def test_fixture_notes(tmp_path, note):
    path = fx.write_plus_csv(tmp_path, fx.RECORDS.values())
    assert any(note in n for n in ComtradeReader().read(path, "sha").notes)


def test_bulk_file_release_is_its_publication_date(tmp_path):
    path = fx.write_bulk(tmp_path, fx.RECORDS.values())
    result = ComtradeReader().read(path, "sha")
    assert result.release == "2023-03-15"
    assert not any("modification date" in n for n in result.notes)


def test_annual_records_have_no_month(tmp_path):
    record = fx.plus_record(flow="X", partner="643", cmd="TOTAL", fob=5.0, primary=5.0, month=None)
    rows = ComtradeReader().read(fx.write_json(tmp_path, [record]), "sha").table.to_pylist()
    assert [(r["year"], r["month"]) for r in rows] == [(2023, None)]


def test_legacy_fixture_in_latin1(tmp_path):
    path = fx.write_legacy(tmp_path, [fx.LEGACY_ROW])
    [row] = ComtradeReader().read(path, "sha").table.to_pylist()
    assert (row["exporter"], row["importer"], row["value_usd"]) == ("CUW", "ARM", 74811.49)


def test_fixtures_go_into_the_store(tmp_path):
    path = fx.write_bulk(tmp_path, fx.RECORDS.values())
    store = Store.open(tmp_path / "store")
    [report] = store.ingest([path])
    assert (report.source, report.rows) == ("comtrade", 8)
    flows = store.flows("comtrade")
    totals = flows.filter(flows.transport_mode == "TOTAL MOT")
    assert store.execute(totals.count()) == 6


@pytest.mark.parametrize(
    "name",
    [
        "comtrade_armenia_hs8703_monthly.csv",
        "comtrade_v1_get_C_A_HS_CHN_2010.json",
        "COMTRADE-FINAL-CA398202200H6[2024-05-14].gz",
        "TradeData_1700000000000.csv",
    ],
)
def test_registry_picks_comtrade(name):
    assert isinstance(reader_for(Path(name)), ComtradeReader)


# ---------------------------------------------------------------------- bad input


def test_missing_column_is_named_with_the_file(tmp_path):
    path = fx.write_plus_csv(tmp_path, fx.RECORDS.values(), drop=("primaryValue",))
    with pytest.raises(
        SourceFormatError, match=r"^TradeData_1700000000000\.csv: missing column 'primaryValue'"
    ):
        ComtradeReader().read(path, "sha")


def test_missing_legacy_column_is_named_as_comtradr_names_it(tmp_path):
    path = fx.write_legacy(tmp_path, [fx.LEGACY_ROW], drop=("trade_value_us",))
    with pytest.raises(
        SourceFormatError,
        match=r"^comtrade_fixture_monthly\.csv: missing column 'trade_value_us'; expected the "
        r"Comtrade column set \(trade_code, reporter_code",
    ):
        ComtradeReader().read(path, "sha")


def bad(record_id: str, **changes) -> list[dict]:
    records = [dict(r) for r in fx.RECORDS.values()]
    target = list(fx.RECORDS).index(record_id)
    records[target].update(changes)
    return records


@pytest.mark.parametrize(
    ("form", "records", "message"),
    [
        pytest.param(
            "csv",
            bad("import-hs4", primaryValue="12,5 USD"),
            r"TradeData_1700000000000\.csv, line 6, field 'primaryValue': '12,5 USD' is not "
            r"a number; expected USD",
            id="value-not-a-number",
        ),
        pytest.param(
            "csv",
            bad("import-hs6", partnerCode=999, partnerISO="ZZZ", partnerDesc="Nowhere"),
            r"line 5, field 'partnerCode': unknown country code '999' \(iso 'ZZZ', name "
            r"'Nowhere'\)",
            id="unknown-partner",
        ),
        pytest.param(
            "json",
            bad("export-by-rail", cmdCode="87A"),
            r"comtrade_get_C_M_HS_KAZ_202301\.json, row 2, field 'cmdCode': commodity code '87A'",
            id="bad-commodity-code",
        ),
        pytest.param(
            "bulk",
            bad("export-total-mode", typeCode="S"),
            r"line 2, field 'typeCode': typeCode 'S'; expected C \(goods\)",
            id="services",
        ),
        pytest.param(
            "csv",
            bad("export-by-sea", refYear="23"),
            r"line 4, field 'year'",
            id="year-not-four-digits",
        ),
    ],
)
def test_bad_values_name_file_line_and_field(tmp_path, form, records, message):
    path = WRITERS[form](tmp_path, records)
    with pytest.raises(SourceFormatError, match=message):
        ComtradeReader().read(path, "sha")


def test_api_error_response(tmp_path):
    path = tmp_path / "comtrade_get.json"
    path.write_text(json.dumps({"count": 0, "data": [], "error": "Invalid subscription key"}))
    with pytest.raises(SourceFormatError, match="the API answered with an error: Invalid"):
        ComtradeReader().read(path, "sha")


def test_not_comtrade_at_all(tmp_path):
    path = tmp_path / "comtrade_notes.csv"
    path.write_text("country,value\nKazakhstan,1\n")
    with pytest.raises(SourceFormatError, match="missing column 'flowCode'"):
        ComtradeReader().read(path, "sha")
