"""FAOSTAT detailed trade matrix extracts, read as published: each expected value is the line
named in the table, read here with the csv module; and the FAO item to HS table."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from bilateral.errors import SourceFormatError
from bilateral.reference import DATA_DIR
from bilateral.reference.fao_items import fao_item_hs, fao_items_for_hs, hs_codes_for_fao_item
from bilateral.sources import reader_for
from bilateral.sources.base import ReadResult
from bilateral.sources.faostat import FaostatReader

FAOSTAT = Path(__file__).parents[2].parent / "shared" / "data" / "faostat"
EXTRACTS = ("KAZ_faostattm.csv", "RUS_faostattm.csv")


def uses_extracts(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that reads the published extracts; skip it when they are absent."""
    absent = pytest.mark.skipif(not FAOSTAT.is_dir(), reason="the FAOSTAT extracts are absent")
    return pytest.mark.shared_data(absent(test))


@cache
def read(name: str) -> ReadResult:
    return FaostatReader().read(FAOSTAT / name, "sha")


@cache
def lines(name: str) -> list[list[str]]:
    with open(FAOSTAT / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))  # one record per line: index 0 is line 1


@pytest.mark.parametrize(
    ("name", "line", "partner_name", "item", "exporter", "importer"),
    [
        ("KAZ_faostattm.csv", 31, "Afghanistan", "Wheat", "KAZ", "AFG"),
        ("KAZ_faostattm.csv", 9747, "Tajikistan", "Wheat", "KAZ", "TJK"),
        ("KAZ_faostattm.csv", 5133, "Netherlands (Kingdom of the)", "Quinoa", "NLD", "KAZ"),
        ("KAZ_faostattm.csv", 20, "Afghanistan", "Rice", "KAZ", "AFG"),
        ("RUS_faostattm.csv", 4780, "Ecuador", "Bananas", "ECU", "RUS"),
    ],
    ids=[
        "Kazakhstan-wheat-to-Afghanistan-2020",
        "Kazakhstan-wheat-to-Tajikistan-2020",
        "Kazakhstan-quinoa-from-Netherlands-2019",
        "Kazakhstan-2024",
        "Russia-bananas-from-Ecuador-2019",
    ],
)
@uses_extracts
def test_values_are_the_printed_lines(
    name: str, line: int, partner_name: str, item: str, exporter: str, importer: str
) -> None:
    fields = dict(zip(lines(name)[0], lines(name)[line - 1], strict=True))
    assert (fields["Partner"], fields["Item"], fields["Unit"]) == (partner_name, item, "1000 USD")
    exports = fields["Element"] == "Export value"
    found = [
        r
        for r in read(name).table.to_pylist()
        if (r["year"], r["exporter"], r["importer"], r["product"])
        == (int(fields["Year"]), exporter, importer, item)
    ]
    assert len(found) == 1
    row = found[0]
    assert row["value_usd"] == float(fields["value"]) * 1000
    assert row["value_original"] == float(fields["value"])
    assert (row["classification"], row["month"], row["currency"]) == ("FAO", None, "USD")
    assert row["reported_by"] == ("exporter" if exports else "importer")
    assert row["valuation"] == ("FOB" if exports else "CIF")


@pytest.mark.parametrize("name", EXTRACTS)
@uses_extracts
def test_every_line_gives_a_row_and_the_threshold_is_noted(name: str) -> None:
    result = read(name)
    assert result.table.num_rows == len(lines(name)) - 1
    assert "at least a 5% share" in result.notes[0] and "lower bounds" in result.notes[0]
    assert result.release == max(r[8] for r in lines(name)[1:])


@pytest.mark.parametrize("name", EXTRACTS)
def test_reader_for_recognises_faostat_files(name: str) -> None:
    assert isinstance(reader_for(Path(name)), FaostatReader)


# --- FAO items and HS codes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "items"),
    [
        ("1001", ("Wheat", "Mixed grain")),  # HS 1001 is wheat and meslin
        ("1003", ("Barley",)),
        ("100111", ()),
        (
            "1008",
            (
                "Buckwheat",
                "Millet",
                "Canary seed",
                "Fonio",
                "Quinoa",
                "Triticale",
                "Cereals n.e.c.",
            ),
        ),
        ("100829", ()),
        ("0102", ("Cattle", "Buffalo")),
        ("0207", ()),
        ("1701", ()),
    ],
    ids=[
        "wheat-heading",
        "barley-heading",
        "subheading-finer-than-the-item",
        "other-cereals-heading",
        "millet-spans-two-subheadings",
        "bovine-animals",
        "poultry-meat-not-in-the-extracts",
        "sugar-not-in-the-extracts",
    ],
)
def test_fao_items_for_hs(code: str, items: tuple[str, ...]) -> None:
    assert fao_items_for_hs(code) == items


def test_a_chapter_selects_every_item_wholly_inside_it() -> None:
    cereals = fao_items_for_hs("10")
    assert {"Wheat", "Barley", "Maize (corn)", "Rice", "Millet"} <= set(cereals)
    assert all(all(c.startswith("10") for c in hs_codes_for_fao_item(i)) for i in cereals)


def test_an_hs_code_must_be_digits() -> None:
    with pytest.raises(ValueError, match=r"'10x1' is not an HS code; expected 2, 4 or 6 digits"):
        fao_items_for_hs("10x1")


def test_every_mapped_hs_code_is_an_hs_2022_code_of_its_level() -> None:
    with open(DATA_DIR / "hs2022.csv", encoding="utf-8") as f:
        hs = {row["hscode"] for row in csv.DictReader(f)}
    with open(DATA_DIR / "fao_item_hs.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert rows and all(r["hs_code"] in hs for r in rows)
    assert all(int(r["hs_level"]) == len(r["hs_code"]) for r in rows)


@uses_extracts
def test_every_mapped_item_is_spelt_as_in_the_extracts() -> None:
    printed = {r[5] for name in EXTRACTS for r in lines(name)[1:]}
    assert {m.item for m in fao_item_hs()} <= printed


# --- damaged copies, made in tmp_path ----------------------------------------------------


def damaged(tmp_path: Path, change: str, line: int, fields: dict[str, str]) -> Path:
    """A copy of the first lines of the Kazakhstan extract with one change: set fields on a
    line, drop the named columns, or duplicate a line."""
    records = [list(r) for r in lines("KAZ_faostattm.csv")[:30]]
    header = records[0]
    if change == "drop":
        keep = [i for i, name in enumerate(header) if name not in fields]
        records = [[r[i] for i in keep] for r in records]
    elif change == "duplicate":
        records.insert(line, list(records[line - 1]))
    else:
        for column, value in fields.items():
            records[line - 1][header.index(column)] = value
    path = tmp_path / "KAZ_faostattm.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(records)
    return path


@pytest.mark.parametrize(
    ("change", "line", "fields", "message"),
    [
        (
            "drop",
            0,
            {"Element": ""},
            r"KAZ_faostattm\.csv, row 1, field 'Element': the header lacks column 'Element'; "
            r"expected the FAOSTAT detailed trade matrix columns",
        ),
        (
            "set",
            4,
            {"Unit": "1000 t"},
            r"KAZ_faostattm\.csv, row 4, field 'Unit': unexpected Unit '1000 t'; "
            r"expected '1000 USD'",
        ),
        (
            "set",
            3,
            {"Element": "Export quantity"},
            r"row 3, field 'Element': unexpected Element 'Export quantity'; "
            r"expected 'Export value' or 'Import value'",
        ),
        (
            "set",
            6,
            {"ISOP": "ZZZ", "Partner": "Atlantis"},
            r"country codes and names that match no country or aggregate: 'ZZZ' 'Atlantis'"
            r" \(line 6\); expected ISO 3166 alpha-3 codes",
        ),
        ("set", 2, {"value": "twelve"}, r"row 2, field 'value': unexpected value 'twelve'"),
        ("duplicate", 5, {}, r"row 6: .* appears twice \(also line 5\)"),
    ],
    ids=[
        "missing-column",
        "quantity-unit",
        "quantity-element",
        "unknown-partner",
        "value-not-a-number",
        "duplicate-line",
    ],
)
@uses_extracts
def test_damaged_extracts_are_named_errors(
    tmp_path: Path, change: str, line: int, fields: dict[str, str], message: str
) -> None:
    path = damaged(tmp_path, change, line, fields)
    with pytest.raises(SourceFormatError, match=message):
        FaostatReader().read(path, "sha")


@uses_extracts
def test_a_code_the_reference_lacks_is_read_by_the_partner_name(tmp_path: Path) -> None:
    """An area with no ISO code (FAO's 'China, mainland', area 41): the name places it."""
    path = damaged(tmp_path, "set", 6, {"ISOP": "F41", "Partner": "China, mainland"})
    rows = FaostatReader().read(path, "sha").table.to_pylist()
    assert rows[4]["importer"] == "CHN"
