"""The product reference: HS codes, named groups (shipped and the user's), FAO items."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilateral.errors import UnknownProductError
from bilateral.reference.fao_items import hs_codes_for_fao_item
from bilateral.reference.products import (
    baci_hs92_descriptions,
    chapter_sections,
    fao_item,
    hs_nomenclature,
    pad_hs,
    product_groups,
    read_groups,
    resolve_products,
)

CASES = Path(__file__).parents[1] / "cases"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param(10111, "010111", id="baci-int-lost-its-zero"),
        pytest.param("10111", "010111", id="baci-text-lost-its-zero"),
        pytest.param("1001", "1001", id="heading-unchanged"),
        pytest.param("207", "0207", id="heading-lost-its-zero"),
        pytest.param(" 870323 ", "870323", id="spaces"),
        pytest.param("1", "01", id="chapter"),
    ],
)
def test_pad_hs(given, expected):
    assert pad_hs(given) == expected


def test_pad_hs_refuses_text():
    with pytest.raises(ValueError, match="'Wheat' is not an HS code; expected digits"):
        pad_hs("Wheat")


@pytest.mark.parametrize(
    ("name", "prefixes", "fao_items"),
    [
        pytest.param("grain", ("1001", "1003"), ("Barley", "Mixed grain", "Wheat"), id="grain"),
        # HS 1001 is wheat and meslin: FAO's Wheat and its Mixed grain (issue 19)
        pytest.param("Wheat", ("1001",), ("Mixed grain", "Wheat"), id="wheat-any-case"),
        pytest.param("barley", ("1003",), ("Barley",), id="barley"),
        pytest.param("poultry meat", ("0207",), (), id="poultry-with-space"),
        pytest.param("sugar", ("1701",), (), id="sugar"),
        pytest.param("fermented-milk", ("0403",), (), id="fermented-milk-with-hyphen"),
        pytest.param("cars", ("8703",), (), id="cars"),
        pytest.param("10.01", ("1001",), ("Mixed grain", "Wheat"), id="hs-code-with-dot"),
        pytest.param("100199", ("100199",), (), id="subheading-narrower-than-fao-item"),
    ],
)
def test_resolve_products(name, prefixes, fao_items):
    selection = resolve_products(name)
    assert selection.hs_prefixes == prefixes
    assert selection.fao_items == fao_items


@pytest.mark.parametrize(
    ("name", "prefixes", "some_items"),
    [
        pytest.param(
            "food",
            tuple(f"{c:02d}" for c in range(1, 25)),
            {"Wheat", "Rice", "Potatoes"},
            id="food",
        ),
        pytest.param(
            "10", ("10",), {"Wheat", "Barley", "Millet", "Maize (corn)"}, id="chapter-code"
        ),
    ],
)
def test_fao_items_of_a_wide_selection_lie_wholly_inside_it(name, prefixes, some_items):
    selection = resolve_products(name)
    assert selection.hs_prefixes == prefixes
    assert some_items <= set(selection.fao_items)
    for item in selection.fao_items:
        assert all(code.startswith(prefixes) for code in hs_codes_for_fao_item(item)), item


def test_an_item_not_mapped_to_hs_is_taken_by_its_exact_name():
    selection = fao_item("Sugar raw centrifugal")
    assert (selection.hs_prefixes, selection.fao_items) == ((), ("Sugar raw centrifugal",))
    assert fao_item("Millet").hs_prefixes == ("100821", "100829")


def test_unknown_product_says_what_would_work():
    with pytest.raises(
        UnknownProductError, match=r"Unknown product or group 'unobtainium'\. Use an HS code"
    ):
        resolve_products("unobtainium")


def test_user_groups_add_and_replace_shipped_ones():
    groups = product_groups(CASES / "user_groups.csv")
    assert groups["oilseeds"].hs_prefixes == ("12",)
    assert groups["sugar"].hs_prefixes == ("17",)  # the user's replaces the shipped 1701
    assert groups["grain"].hs_prefixes == ("1001", "1003", "1005")  # 100190 inside 1001
    assert groups["food"].hs_prefixes[0] == "01"  # shipped groups stay
    assert resolve_products("oilseeds", CASES / "user_groups.csv").name.startswith("Oil seeds")


def test_a_bad_range_names_the_file_and_line():
    with pytest.raises(
        UnknownProductError, match=r"bad_groups\.csv, line 2: '01-2401' is not an HS code or range"
    ):
        read_groups(CASES / "bad_groups.csv")


def test_a_group_file_without_codes_column(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("group,name\nx,y\n", encoding="utf-8")
    with pytest.raises(UnknownProductError, match=r"groups\.csv: missing column\(s\) hs_codes"):
        read_groups(path)


def test_every_shipped_group_names_codes_of_the_nomenclature():
    codes = hs_nomenclature()
    for group in product_groups().values():
        for prefix in group.hs_prefixes:
            assert prefix in codes, (group.label, prefix)


def test_reference_tables():
    sections = chapter_sections()
    assert sections["10"] == "II" and sections["87"] == "XVII" and sections["27"] == "V"
    assert len(sections) == 97  # 01-97 less the reserved 77, plus 99
    assert baci_hs92_descriptions()["010111"].startswith("Horses")


def test_an_hs_code_is_ascii_digits():
    with pytest.raises(ValueError, match="is not an HS code"):
        pad_hs("¹⁰⁰¹")
