"""FAOSTAT's bulk trade matrix (``bilateral download faostat``) read as FAOSTAT ships it.

The bulk rows here are the publisher's own: every row of the Kazakhstan extract in
../shared/data/faostat/KAZ_faostattm.csv for 2022, written in the bulk file's layout
(M49 codes, FAOSTAT's element codes) by tests/fixtures_faostat.py, plus the rows the bulk
file has and the extract has not: quantities, a row without a value, FAO's "China"
aggregate beside "China, mainland", and an item name with an accent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bilateral.errors import SourceFormatError
from bilateral.indicators.dependence import supplier_shares
from bilateral.reference.countries import countries
from bilateral.sources import reader_for
from bilateral.sources.faostat_bulk import FaostatBulkReader
from bilateral.store import Store
from tests.conftest import shared, snapshot
from tests.fixtures_faostat import FAOSTAT_HEADER, ZIP_NAME, faostat_zip

YEAR = "2022"
ELEMENT_CODES = {"Export value": "5922", "Import value": "5622"}


def extract_rows() -> list[dict[str, str]]:
    """KAZ_faostattm.csv, every row of 2022 whose partner has an M49 code."""
    index = countries()
    with open(shared("faostat", "KAZ_faostattm.csv"), encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Year"] == YEAR]
    return [r for r in rows if (c := index.by_code.get(r["ISOP"])) and c.iso_numeric]


def bulk_row(
    reporter: tuple[str, str], partner: tuple[str, str], item: str, element: str, value: str
) -> list[str]:
    code = ELEMENT_CODES.get(element, "5910")
    unit = "1000 USD" if "value" in element else "t"
    return [
        *("0", f"'{reporter[0]}", reporter[1], "0", f"'{partner[0]}", partner[1], "0", "'0"),
        *(item, code, element, YEAR, YEAR, unit, value, "A" if value else "M"),
    ]


def m49(code: str) -> tuple[str, str]:
    country = countries().by_code[code]
    return f"{country.iso_numeric:03d}", country.name_en


KAZ = m49("KAZ")
RUS = m49("RUS")
EXTRA = [
    bulk_row(KAZ, RUS, "Wheat", "Export Quantity", "512000"),  # a quantity: not stored
    bulk_row(KAZ, RUS, "Barley", "Export value", ""),  # no value: not available
    bulk_row(KAZ, ("159", "China"), "Wheat", "Export value", "99999"),  # FAO's aggregate
    bulk_row(KAZ, m49("CHN"), "Maté leaves", "Import value", "12"),  # an accent
]


def bulk_rows() -> list[list[str]]:
    rows = [
        bulk_row(KAZ, m49(r["ISOP"]), r["Item"], r["Element"], r["value"]) for r in extract_rows()
    ]
    return rows + EXTRA


@pytest.fixture(scope="module", params=["utf-8", "cp1252"])
def bulk(request, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("faostat-bulk")
    path = folder / ZIP_NAME
    path.write_bytes(faostat_zip(rows=bulk_rows(), encoding=request.param))
    return path


@pytest.fixture(scope="module")
def store(bulk, tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("store") / "store")
    [report] = store.ingest([bulk])
    assert (report.status, report.source) == ("ingested", "faostat_bulk")
    return store


def test_the_downloaded_zip_is_read_by_the_bulk_reader():
    assert isinstance(reader_for(Path(ZIP_NAME)), FaostatBulkReader)


def test_every_extract_row_is_stored_as_printed(store):
    # KAZ_faostattm.csv, Year 2022: each row's value (thousand USD) for its partner,
    # item and element
    held = store.execute(store.flows("faostat_bulk"))
    stored = {
        (r.exporter, r.importer, r.product): r.value_usd for r in held.itertuples(index=False)
    }
    expected = extract_rows()
    assert len(expected) > 50
    for row in expected:
        exports = row["Element"] == "Export value"
        pair = ("KAZ", row["ISOP"]) if exports else (row["ISOP"], "KAZ")
        assert stored[(*pair, row["Item"])] == pytest.approx(float(row["value"]) * 1000)
    assert stored[("CHN", "KAZ", "Maté leaves")] == pytest.approx(12_000)
    assert len(held) == len(expected) + 1  # no quantity, empty value or FAO's "China"
    assert set(held.release) == {"2025-01-08"}  # the data member's date in the zip


def test_the_notes_say_what_was_left_out(store):
    notes = " ".join(store.notes("faostat_bulk"))
    assert "1 rows without a value are not available" in notes
    assert "159 China (1 rows)" in notes
    assert "every partner each reporter declared" in notes


def test_a_supplier_share_is_of_every_partner(store):
    """Complete partner lists: Russia's share of Kazakhstan's wheat imports is Russia's
    row over the sum of every partner row (the extract's 2022 import rows of Wheat)."""
    imports = [
        r for r in extract_rows() if r["Item"] == "Wheat" and r["Element"] == "Import value"
    ]
    total = sum(float(r["value"]) for r in imports)
    russia = sum(float(r["value"]) for r in imports if r["ISOP"] == "RUS")
    shares = store.execute(supplier_shares(store.flows(), "KAZ", "Wheat", 2022))
    [row] = shares[(shares.source == "faostat_bulk") & (shares.partner == "RUS")].itertuples()
    assert row.share == pytest.approx(100 * russia / total)
    assert row.caveat is None or row.caveat != row.caveat  # no extract caveat


def test_a_wrong_unit_is_refused_with_its_line_and_the_store_unchanged(tmp_path):
    rows = bulk_rows()
    good = tmp_path / "good" / ZIP_NAME
    good.parent.mkdir()
    good.write_bytes(faostat_zip(rows=rows, date=(2024, 12, 19)))
    rows[3][13] = "USD"  # the fourth data row: line 5 of the CSV
    path = tmp_path / ZIP_NAME
    path.write_bytes(faostat_zip(rows=rows))
    store = Store.open(tmp_path / "store")
    store.ingest([good])
    before = snapshot(store.root)
    with pytest.raises(SourceFormatError) as caught:
        store.ingest([path])
    message = str(caught.value)
    assert "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).csv" in message
    assert "line 5" in message and "Unit" in message and "'1000 USD'" in message
    assert snapshot(store.root) == before


@pytest.mark.parametrize(
    ("column", "cell", "field", "expected"),
    [
        pytest.param(12, "20x2", "Year", "a year such as 2021", id="year"),
        pytest.param(14, "12,5x", "Value", "a number in thousand USD", id="value"),
    ],
)
def test_a_bad_cell_is_refused_with_its_line_and_field(tmp_path, column, cell, field, expected):
    rows = bulk_rows()
    rows[3][column] = cell  # the fourth data row: line 5 of the CSV
    path = tmp_path / ZIP_NAME
    path.write_bytes(faostat_zip(rows=rows))
    with pytest.raises(SourceFormatError) as caught:
        FaostatBulkReader().read(path, "0" * 64)
    message = str(caught.value)
    assert "line 5" in message and f"unexpected {field} '{cell}'" in message
    assert expected in message


def test_other_columns_are_refused(tmp_path):
    path = tmp_path / ZIP_NAME
    header = [c for c in FAOSTAT_HEADER if c != "Partner Country Code (M49)"]
    path.write_bytes(faostat_zip(header=header, rows=[r[:4] + r[5:] for r in bulk_rows()]))
    with pytest.raises(SourceFormatError, match="Partner Country Code \\(M49\\)"):
        FaostatBulkReader().read(path, "0" * 64)
