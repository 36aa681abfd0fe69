"""How table cells are printed in the report (the dashboard's JavaScript must agree)."""

from __future__ import annotations

import math

import pytest

from bilateral.report.tables import format_cell

CELLS = [
    pytest.param(26_972_021_445.17, "money", "$26.97 bn", id="billions"),
    pytest.param(-8_789_239_611.37, "money", "-$8.79 bn", id="negative-balance"),
    pytest.param(412_300_000.0, "money", "$412.3 m", id="millions"),
    pytest.param(12_345.4, "money", "$12,345", id="dollars"),
    pytest.param(19.901521990745966, "percent", "19.90%", id="share"),
    pytest.param(-2.401581, "percent", "-2.40%", id="negative-gap"),
    pytest.param(3.0, "rank", "3", id="rank-from-float"),
    pytest.param(False, "yesno", "no", id="flag"),
    pytest.param("kz_bns", "text", "kz_bns", id="text"),
    pytest.param(None, "money", "", id="unknown-is-blank"),
    pytest.param(math.nan, "percent", "", id="nan-is-blank"),
]


@pytest.mark.parametrize(("value", "kind", "printed"), CELLS)
def test_cells_print_with_units_and_unknown_stays_blank(value, kind, printed):
    assert format_cell(value, kind) == printed
