"""Lists of goods as data, and matching them to the data's codes across levels and HS editions."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bilateral.errors import BilateralError, SourceFormatError
from bilateral.reference.list_matching import hs_edition, match_list
from bilateral.reference.lists import (
    chpl,
    eu_cn8,
    load_list,
    read_list_file,
)
from bilateral.sources.comext_cn8 import eu_cn8_from_comext
from tests.conftest import shared

CASES = Path(__file__).parents[1] / "cases"


def matching_cases() -> list[pytest.param]:
    with open(CASES / "list_matching.tsv", encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    return [
        pytest.param(r["list"], r["classification"], r["product"], int(r["year"]),
                     r["list_code"], r["tier"], id=r["id"])
        for r in csv.DictReader(lines, delimiter="\t")
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("spec", "classification", "product", "year", "code", "tier"), matching_cases()
)
def test_matching_case(spec, classification, product, year, code, tier):
    product_list = load_list(spec if spec in ("chpl", "eu-cn8") else CASES / spec)
    match = match_list(product_list, [(classification, product, year)])
    rows = match.table.to_pylist()
    if code == "-":
        assert rows == []
    else:
        assert [(r["list_code"], r["tier"]) for r in rows] == [(code, tier)]
        assert (rows[0]["classification"], rows[0]["product"], rows[0]["year"]) == (
            classification,
            product,
            year,
        )


def test_unmatched_codes_are_reported_with_reasons():
    match = match_list(
        chpl(),
        [("CN8", "85423111", 2022), ("HS4", "8486", 2022), ("CN8", "85258099", 2021)],
    )
    reasons = {u.code: u.reason for u in match.unmatched}
    assert "854231" not in reasons
    assert reasons["848610"] == "the data holds it only inside coarser codes: HS4 8486"
    assert reasons["854232"] == "no product code in the data falls under it"
    assert len(match.unmatched) == 49  # every CHPL code but 854231
    assert any(n.startswith("852589 (HS 2022) was split from HS 2017 852580") for n in match.notes)


def test_a_data_code_matches_once_so_joins_never_duplicate():
    products = [("CN8", f"8703{n:04d}", 2021) for n in range(2000, 2400)]
    match = match_list(read_list_file(CASES / "user_list.csv"), products)
    keys = [(r["classification"], r["product"], r["year"]) for r in match.table.to_pylist()]
    assert len(keys) == len(set(keys)) == 400


@pytest.mark.parametrize(
    ("classification", "year", "edition"),
    [("CN8", 2021, 2017), ("CN8", 2022, 2022), ("HS4", 2017, 2017), ("HS92", 2021, 1992),
     ("H6", 2023, 2022), ("TOTAL", 2022, None)],
)  # fmt: skip
def test_hs_edition_of_data(classification, year, edition):
    assert hs_edition(classification, year) == edition


def test_shipped_lists():
    high_priority = chpl()
    assert len(high_priority.entries) == 50
    assert high_priority.tiers() == ["1", "2", "3.A", "3.B", "4.A", "4.B"]
    assert high_priority.hs_edition == 2022
    eu = eu_cn8()
    assert len(eu.entries) == 2223 and eu.tiers() == []
    assert all(len(e.code) == 8 and e.classification == "CN8" for e in eu.entries)
    # Both the 2020-2021 and the 2022 code of aircraft parts are listed.
    assert {"88033000", "88073000"} <= {e.code for e in eu.entries}


def test_shipped_eu_list_is_the_cn8_sheets_of_the_extract():
    paths = sorted(shared("comext-cn8").glob("[0-9]*_spreadsheet.xlsx"))
    derived = eu_cn8_from_comext(paths)
    assert [(e.code, e.description) for e in derived] == [
        (e.code, e.description) for e in eu_cn8().entries
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("code,classification\n30211,HS6\n",
                     r"row 2, field 'code': code '30211' is not a HS6 code \(a leading zero "
                     r"lost\? try 030211\)", id="lost-leading-zero"),
        pytest.param("code,classification\n8703,HS5\n",
                     r"row 2, field 'classification': classification 'HS5'; expected CN8, HS6 "
                     r"or HS4", id="unknown-classification"),
        pytest.param("code,classification\n8703,HS4\n8703,HS4\n",
                     r"row 3: HS4 8703 is listed twice \(also line 2\)", id="duplicate"),
        pytest.param("hs6,tier\n854231,1\n", r"row 1: columns \['hs6', 'tier'\]", id="header"),
        pytest.param("code,classification\n", r"no codes", id="empty"),
    ],
)  # fmt: skip
def test_bad_list_files(tmp_path, content, message):
    path = tmp_path / "mine.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"mine\.csv.*" + message):
        read_list_file(path)


def test_user_list_reads_tiers_and_descriptions():
    mine = load_list(str(CASES / "user_list.csv"))
    assert mine.name == "user_list" and mine.tiers() == ["cars", "small cars"]
    assert mine.entries[1].description == "Cars, petrol, 1,000-1,500 cc, new"


def test_unknown_list_name_says_what_works():
    with pytest.raises(BilateralError, match=r"Unknown list 'ofac'.*chpl, eu-cn8.*code,classif"):
        load_list("ofac")
