"""Fidelity of product groups (issue 19, finding 5): a group's value is the whole group or
says exactly what it covers, and is "not available" where a source cannot cover it.

Expected values are computed here from the publishers' files with pandas and calamine,
not with bilateral's readers or its FAO-to-HS table:

* FAOSTAT (``faostat/RUS_faostattm.csv``, ``faostat/KAZ_faostattm.csv``): food is every
  item the file lists except those the HS places outside chapters 01-24, told apart here
  by the file's own CPC group and the item's name (hides and skins: HS 41 and 43; wool,
  hair, silk, cotton and bast fibres, yarn: HS 50-53; natural rubber: HS 40; non-wood
  forest products, partly cork, HS 45: not split, so left out).
* Comext (``comext-cn8/01_4624976_spreadsheet.xlsx``, sheet 'Sheet 86', heading 8703):
  Germany's exports of cars to Kazakhstan in 2021 are that heading's row, not the sum of
  the CN8 codes on the sanctions list (``20_4624110_spreadsheet.xlsx``).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

import bilateral
from bilateral.engine import Profile
from bilateral.reference.exchange_rates import usd_per_eur
from bilateral.store import Store
from tests.conftest import shared

pytestmark = pytest.mark.shared_data

FAOSTAT = ("RUS_faostattm.csv", "KAZ_faostattm.csv")
HEADINGS = "01_4624976_spreadsheet.xlsx"  # HS4 headings, 'Sheet 86' is 8703
CARS_CN8 = "20_4624110_spreadsheet.xlsx"  # CN8 codes 8703.. to 8716..
#: Items of the FAOSTAT extracts that HS places outside chapters 01-24, by name
NOT_FOOD = re.compile(
    r"hides|skins|wool|hair|silk|cotton lint|jute|flax|hemp, raw|sisal|coir|abaca|fibre"
    r"|natural rubber|yarn|non-wood",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("groups") / "store")
    store.ingest(
        [
            *(shared("faostat", name) for name in FAOSTAT),
            shared("comext-cn8", HEADINGS),
            shared("comext-cn8", CARS_CN8),
        ]
    )
    return store


def faostat_rows(name: str, element: str, year: int) -> pd.DataFrame:
    raw = pd.read_csv(shared("faostat", name), encoding="utf-8-sig", keep_default_na=False)
    rows = raw[(raw.Element == element) & (raw.Year == year)]
    return rows[~rows.Item.str.contains(NOT_FOOD)]


def record(profile: Profile, name: str, group: str, whose: str) -> dict:
    found = [
        r.as_dict()
        for r in profile.find(name, source="faostat", group=group)
        if r.detail.get("statistics_of") == whose
    ]
    assert len(found) == 1, found
    return found[0]


def test_russia_food_exports_to_kazakhstan_2021_are_the_files_food_rows(store):
    """RUS_faostattm.csv, rows ISO3 RUS, ISOP KAZ, Element 'Export value', Year 2021: the
    file's $1,661 m less its few non-food items (was $193.6 m: raw items only)."""
    rows = faostat_rows("RUS_faostattm.csv", "Export value", 2021)
    expected = 1000.0 * rows[rows.ISOP == "KAZ"].value.sum()
    food = record(bilateral.profile(store, "RUS", "KAZ", 2021), "exports_of_group", "food", "RUS")
    assert food["value"] == pytest.approx(expected, rel=1e-9)
    assert round(food["value"] / 1e6) == 1661
    assert food["detail"]["coverage_pct"] == 100.0
    assert food["detail"]["coverage"].startswith("the whole group")


def test_russia_share_of_kazakhstan_food_imports_2020(store):
    """KAZ_faostattm.csv, rows ISO3 KAZ, Element 'Import value', Year 2020: Russia's rows
    over every listed partner's (was 31.9%: raw items only). An upper bound, as every
    FAOSTAT share: the extract lists partners with at least 5% of an item."""
    rows = faostat_rows("KAZ_faostattm.csv", "Import value", 2020)
    expected = 100.0 * rows[rows.ISOP == "RUS"].value.sum() / rows.value.sum()
    share = bilateral.profile(store, "KAZ", "RUS", 2020).find(
        "supplier_share", source="faostat", group="food"
    )
    assert len(share) == 1
    assert share[0].value == pytest.approx(expected, rel=1e-9)
    assert f"{share[0].value:.1f}" == "55.7"
    assert "upper bound" in share[0].detail["caveat"]


@pytest.mark.parametrize(
    ("group", "summed_in"),
    [
        pytest.param("fermented_milk", "Dairy products and egg products", id="fermented-milk"),
        pytest.param("poultry_meat", "Meat, fish, fruits, vegetables", id="poultry"),
        pytest.param("sugar", "Grain mill products, starches", id="sugar"),
    ],
)
def test_a_group_faostat_sums_with_other_goods_is_not_available(store, group, summed_in):
    """FAOSTAT sums processed foods by CPC division: a group inside one is not split out."""
    profile = bilateral.profile(store, "RUS", "KAZ", 2021)
    found = [r for r in profile.find("exports_of_group", source="faostat", group=group)]
    assert found and all(r.value is None for r in found)
    assert all(summed_in in (r.note or "") and "cannot be split" in r.note for r in found)


def heading_row(path: str, sheet: str, reporter: str, partner: str, year: int) -> float:
    """The euros of one row of a Comext sheet summed over the year's months (':' is no
    published value), read with calamine."""
    rows = CalamineWorkbook.from_path(shared("comext-cn8", path)).get_sheet_by_name(sheet)
    cells = rows.to_python()
    header = next(r for r in cells if r and r[0] == "TIME")
    row = next(r for r in cells if str(r[0]).startswith(reporter) and r[1] == partner)
    months = [i for i, period in enumerate(header) if str(period).startswith(f"{year}-")]
    assert len(months) == 12
    return sum(float(row[i]) for i in months if row[i] != ":")


def test_comext_cars_are_the_heading_not_the_listed_cn8_codes(store):
    """01_4624976_spreadsheet.xlsx, 'Sheet 86' (8703), row "Germany (incl. German Democratic
    Republic 'DD' from 1991)" / Kazakhstan, 2021-01
    to 2021-12, at the ECB's 2021 average: $47.5 m (the CN8 codes on the sanctions list
    sum to $42.6 m, which the profile showed before)."""
    euros = heading_row(HEADINGS, "Sheet 86", "Germany", "Kazakhstan", 2021)
    profile = bilateral.profile(store, "DEU", "KAZ", 2021)
    cars = profile.find("exports_of_group", source="comext_cn8", group="cars")
    assert len(cars) == 1
    assert cars[0].value == pytest.approx(euros * usd_per_eur(2021), rel=1e-9)
    assert round(cars[0].value / 1e6, 1) == 47.5


def test_comext_food_is_not_available_as_a_group_total(store):
    """The extract holds the listed CN8 codes and some headings of HS 01-24, never all."""
    profile = bilateral.profile(store, "DEU", "KAZ", 2021)
    food = profile.find("exports_of_group", source="comext_cn8", group="food")
    assert len(food) == 1 and food[0].value is None
    assert "sanctions list" in food[0].note and "not the group's whole trade" in food[0].note
