"""The Armstat reader: monthly trade by partner, imports by origin and by consignment."""

from __future__ import annotations

import csv

import pytest

from bilateral.errors import SourceFormatError
from bilateral.sources.armstat import CONSIGNMENT, ArmstatReader
from tests.conftest import shared

FILE = "armstat_trade_by_country_monthly.csv"
HEADER = "country,year,month,export,import_origin,import_consignment,date\n"


@pytest.fixture(scope="module")
def armstat():
    path = shared("armstat", FILE)
    return path, ArmstatReader().read(path, "sha")


def printed(path, country: str, year: int, month: int) -> dict[str, str]:
    """The CSV line itself, read with the csv module."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(
            row
            for row in csv.DictReader(f)
            if row["country"] == country and row["year"] == str(year) and row["month"] == str(month)
        )


@pytest.mark.parametrize(
    ("country", "code", "year", "month"),
    [
        pytest.param("Russian Federation", "RUS", 2022, 3, id="russia-2022-03"),
        pytest.param("Germany", "DEU", 2021, 11, id="germany-2021-11"),
        pytest.param("Unknown country", "_X", 2020, 5, id="unknown-partner-kept"),
        pytest.param("Czech Rep.", "CZE", 2019, 1, id="armstat-spelling"),
    ],
)
def test_three_flows_per_line_in_usd(armstat, country, code, year, month):
    path, result = armstat
    table = result.table.to_pandas()
    line = printed(path, country, year, month)
    rows = table[(table.year == year) & (table.month == month)]
    exports = rows[(rows.exporter == "ARM") & (rows.importer == code)]
    imports = rows[(rows.exporter == code) & (rows.importer == "ARM")]
    origin = imports[imports["product"] == "TOTAL"]
    consignment = imports[imports["product"] == CONSIGNMENT]
    assert exports.value_usd.item() == pytest.approx(float(line["export"]) * 1000)
    assert origin.value_usd.item() == pytest.approx(float(line["import_origin"]) * 1000)
    assert consignment.value_usd.item() == pytest.approx(float(line["import_consignment"]) * 1000)
    assert consignment.classification.item() == CONSIGNMENT  # never caught by a TOTAL filter
    assert (exports.valuation.item(), origin.valuation.item()) == ("FOB", "CIF")


def test_release_is_the_last_month(armstat):
    _, result = armstat
    assert result.release == "2024-12"
    assert any("consignment" in n for n in result.notes)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param('"Atlantis",2022,1,1,2,3,"2022-01-01"\n',
                     r"x\.csv: partner names .*'Atlantis' \(line 2\)", id="unknown-partner"),
        pytest.param('"Georgia",2022,1,1,two,3,"2022-01-01"\n',
                     r"x\.csv, row 2, field 'import_origin': 'two' is not a number; expected a "
                     r"value in thousand USD", id="text-value"),
        pytest.param('"Georgia",2022,2,1,2,3,"2022-01-01"\n',
                     r"row 2, field 'date': month 2 of 2022 does not agree with date '2022-01-01'",
                     id="date-disagrees"),
        pytest.param('"Georgia",2022,1,1,2,3,"2022-01-01"\n"Georgia",2022,1,1,2,3,"2022-01-01"\n',
                     r"row 3: 'Georgia' 2022-01 appears twice \(also line 2\)", id="duplicate"),
    ],
)  # fmt: skip
def test_bad_lines_name_line_and_field(tmp_path, lines, message):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + lines, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=message):
        ArmstatReader().read(path, "sha")


def test_other_columns_are_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("country,year,month,export,import,date\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"row 1: columns .*; expected country, year"):
        ArmstatReader().read(path, "sha")
