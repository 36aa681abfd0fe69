"""A report over several sources: headline per source, suppliers with their caveat, mirror."""

from __future__ import annotations

import pytest

from bilateral.report.contents import gather
from bilateral.report.html import render_html
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2022, bns_usd
from tests.conftest import shared
from tests.published_figures import faostat_import_shares, fcs_cell


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources") / "store"
    Store.open(root).ingest(
        [
            shared("kz-bns"),
            shared("ru-fcs", "94itog.xlsx"),
            shared("faostat", "KAZ_faostattm.csv"),
        ]
    )
    return gather(Store.open(root, read_only=True), "Казахстан", "Russia", 2021)


def test_headline_has_one_row_per_country_statistics(report):
    rows = report.headline.set_index(["source", "statistics_of"])
    # BNS 2022 publication, sheet '2021', row 'Россия', column B; FCS 94itog.xlsx sheet
    # '2021', 'Казахстан' under 'Экспорт' and under 'Импорт' (million USD).
    assert rows.loc[("kz_bns", "KAZ"), "turnover"] == pytest.approx(
        bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover"), abs=1
    )
    fcs = (fcs_cell("2021", "Экспорт", "Казахстан") + fcs_cell("2021", "Импорт", "Казахстан")) * 1e6
    assert rows.loc[("ru_fcs", "RUS"), "turnover"] == pytest.approx(fcs)
    assert report.not_available == [
        "not available in faostat: it holds product detail only, not total trade"
    ]


def test_suppliers_of_wheat_with_the_extract_caveat(report):
    section = report.sections["dependence"]
    assert section.chart is not None and section.table is not None
    wheat = section.table[section.table["group"] == "wheat"]
    expected = faostat_import_shares("Wheat", 2021)
    assert dict(zip(wheat["supplier"], wheat["share"], strict=True)) == pytest.approx(expected)
    assert "at least a 5% share" in section.note
    assert "Not available in faostat: no imports of sugar by KAZ in 2021." in section.note


def test_mirror_and_structure_sections(report):
    mirror = report.sections["mirror"]
    assert mirror.table is not None and set(mirror.table["year"]) == {2018, 2019, 2020, 2021}
    assert mirror.note == ""
    structure = report.sections["structure"]
    assert structure.chart is None
    assert "not available in kz_bns: it has no HS product detail" in (structure.missing or "")


def test_the_report_lists_the_files_behind_its_figures(report):
    assert {e["source"] for e in report.catalogue} == {"faostat", "kz_bns", "ru_fcs"}
    html = render_html(report)
    assert "94itog.xlsx" in html and "KAZ_faostattm.csv" in html
