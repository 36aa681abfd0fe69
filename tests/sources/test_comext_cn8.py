"""The Comext DS-045409 reader, on published downloads and on small workbooks in their layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilateral.errors import SourceFormatError
from bilateral.reference.exchange_rates import usd_per_eur
from bilateral.sources import reader_for
from bilateral.sources.comext_cn8 import ComextCn8Reader, column_letter, parse_workbook
from bilateral.store import Store
from tests.comext_extract import CARS, TOTALS
from tests.comext_workbook import product_sheet, write_comext_xlsx
from tests.conftest import shared, snapshot
from tests.sheet_rows import sheet_rows

HEADINGS = "01_4624976_spreadsheet.xlsx"  # HS4 headings only (2106 ... 9113)


@pytest.fixture(scope="module")
def cars() -> tuple[Path, object]:
    path = shared("comext-cn8", CARS)
    return path, ComextCn8Reader().read(path, "sha").table.to_pandas()


@pytest.mark.parametrize(
    ("sheet", "reporter", "partner", "period", "exporter", "importer"),
    [
        pytest.param("Sheet 3", "Germany", "Russian Federation (Russia)", "2020-07",
                     "DEU", "RUS", id="dumpers-germany-russia"),
        pytest.param("Sheet 3", "Germany", "Kazakhstan", "2021-02", "DEU", "KAZ",
                     id="dumpers-germany-kazakhstan"),
        pytest.param("Sheet 1", "Germany", "Armenia", "2021-04", "DEU", "ARM",
                     id="cars-germany-armenia"),
        pytest.param("Sheet 1", "Italy", "Armenia", "2022-09", "ITA", "ARM",
                     id="cars-italy-armenia-2022"),
    ],
)  # fmt: skip
def test_values_are_the_printed_euros(cars, sheet, reporter, partner, period, exporter, importer):
    path, table = cars
    rows = sheet_rows(path, sheet)
    code = str(rows[4][2]).rsplit("[", 1)[1].rstrip("]")
    column = rows[8].index(period)
    printed = next(
        r[column] for r in rows[11:] if r[0] and str(r[0]).startswith(reporter) and r[1] == partner
    )
    assert printed != ":", "choose a published cell"
    year, month = map(int, period.split("-"))
    row = table[
        (table["product"] == code)
        & (table.exporter == exporter)
        & (table.importer == importer)
        & (table.year == year)
        & (table.month == month)
    ]
    assert row.value_original.item() == pytest.approx(float(printed))
    assert row.value_usd.item() == pytest.approx(float(printed) * usd_per_eur(year))
    assert (row.currency.item(), row.valuation.item(), row.reported_by.item()) == (
        "EUR",
        "FOB",
        "exporter",
    )
    assert row.classification.item() == "CN8"


def test_not_available_cells_are_not_rows_and_never_zero(cars):
    path, table = cars
    rows = sheet_rows(path, "Sheet 3")
    code = str(rows[4][2]).rsplit("[", 1)[1].rstrip("]")
    # Sheet 3, row 12: Austria -> Armenia, printed ':' in every month.
    assert rows[11][:2] == ("Austria", "Armenia") and set(rows[11][2:]) == {":"}
    assert table[
        (table["product"] == code) & (table.exporter == "AUT") & (table.importer == "ARM")
    ].empty
    table_rows = [r for r in rows[11:] if len(r) > 2]  # the legend lines below are short
    published = sum(1 for r in table_rows for v in r[2:] if v not in (":", None))
    assert len(table[table["product"] == code]) == published


def test_levels_are_kept_apart():
    headings = ComextCn8Reader().read(shared("comext-cn8", HEADINGS), "sha")
    assert set(headings.table.column("classification").to_pylist()) == {"HS4"}
    assert any("HS4 109" in n for n in headings.notes)
    totals = ComextCn8Reader().read(shared("comext-cn8", TOTALS), "sha").table.to_pandas()
    assert set(zip(totals.classification, totals["product"], strict=True)) == {
        ("HS2", "27"),
        ("TOTAL", "TOTAL"),
    }
    # Import sheets: the partner exports, the member state reports, valued CIF.
    imports = totals[totals.reported_by == "importer"]
    assert set(imports.exporter) <= {"ARM", "BLR", "GEO", "KAZ", "KGZ", "RUS", "UZB"}
    assert set(imports.valuation) == {"CIF"} and len(imports) > 0


def test_second_download_notes_its_overlapping_headings():
    result = ComextCn8Reader().read(shared("comext-cn8", "02_4624791_spreadsheet.xlsx"), "sha")
    assert any("6 HS4 sheets" in n and "never both" in n for n in result.notes)
    assert any("2022-12" in n for n in result.notes)  # not released at extraction
    assert result.release == "2023-01-13"


def test_registry_picks_the_reader_for_downloads_only():
    assert isinstance(reader_for(Path("20_4624110_spreadsheet.xlsx")), ComextCn8Reader)
    assert not ComextCn8Reader.matches(Path("eu_export_sanctioned.xlsx"))


ROWS = [
    ["Austria", "Armenia", 10.0, ":", 30.0, 40.0],
    ["Germany (incl. German Democratic Republic 'DD' from 1991)", "Kazakhstan", 5.0, 6.0, ":", 8.0],
]


def test_small_download_reads_names_and_periods(tmp_path):
    path = write_comext_xlsx(
        tmp_path / "1_spreadsheet.xlsx", [product_sheet("Cars [87032210]", ROWS)]
    )
    release, sheets, columns, counts = parse_workbook(path)
    assert release == "2023-01-13"
    assert sheets[0].code == "87032210" and sheets[0].classification == "CN8"
    assert sorted(set(columns.exporter)) == ["AUT", "DEU"]
    assert counts["values"] == 6 and counts["not available"] == 2
    assert list(zip(columns.year, columns.month, strict=True))[:3] == [
        (2021, 1),
        (2022, 1),
        (2022, 2),
    ]


@pytest.mark.parametrize(
    ("rows", "product", "message"),
    [
        pytest.param([["Austria", "Armenia", 1.0, "n/a", 3.0, 4.0]], "Cars [87032210]",
                     r"bad_spreadsheet\.xlsx, sheet 'Sheet 1', row 12: 'n/a' in column D is not "
                     r"a number; expected a value in euro or ':'", id="text-in-a-value-cell"),
        pytest.param([["Austria", "Armenia", 1.0, 2.0, 3.0, "c"]], "Cars [87032210]",
                     r"sheet 'Sheet 1', row 12: 'c' in column F is not a number", id="flag-cell"),
        pytest.param([["Austria", "Atlantis", 1.0, 2.0, 3.0, 4.0]], "Cars [87032210]",
                     r"not a known country: 'Atlantis' \(sheet 'Sheet 1', row 12\)",
                     id="unknown-partner"),
        pytest.param(ROWS, "Cars", r"product 'Cars' has no code Comext uses", id="no-code"),
    ],
)  # fmt: skip
def test_bad_sheet_names_file_sheet_row_and_column(tmp_path, rows, product, message):
    path = write_comext_xlsx(tmp_path / "bad_spreadsheet.xlsx", [product_sheet(product, rows)])
    with pytest.raises(SourceFormatError, match=message):
        ComextCn8Reader().read(path, "sha")


def test_bad_download_leaves_the_store_unchanged(tmp_path):
    good = write_comext_xlsx(
        tmp_path / "good_spreadsheet.xlsx", [product_sheet("Cars [87032210]", ROWS)]
    )
    store = Store.open(tmp_path / "store")
    store.ingest([good])
    before = snapshot(store.root)
    bad_rows = [["Austria", "Armenia", 1.0, "12 345,6x", 3.0, 4.0]]
    bad = write_comext_xlsx(
        tmp_path / "bad_spreadsheet.xlsx",
        [product_sheet("Beer [2203]", ROWS), product_sheet("Cars [87032290]", bad_rows)],
    )
    other = write_comext_xlsx(
        tmp_path / "other_spreadsheet.xlsx", [product_sheet("Gin [22085011]", ROWS)]
    )
    with pytest.raises(
        SourceFormatError, match=r"sheet 'Sheet 2', row 12: '12 345,6x' in column D"
    ):
        store.ingest([other, bad])
    assert snapshot(store.root) == before


@pytest.mark.parametrize(
    ("index", "letter"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (37, "AL")]
)
def test_column_letters(index, letter):
    assert column_letter(index) == letter
