"""One spelling per figure (issue 14): what the CLI, the report, the web API and the
claim checker print for money, percentages, changes, ranks and an unknown figure."""

from __future__ import annotations

import math

import pytest

from bilateral.formats import (
    NOT_AVAILABLE,
    format_change,
    format_money,
    format_number,
    format_percent,
    format_rank,
    format_value,
)

FIGURES = [
    pytest.param(format_money, 26_972_021_445.17, "$26.97 bn", id="money-billions"),
    pytest.param(format_money, -8_789_239_611.37, "-$8.79 bn", id="money-negative"),
    pytest.param(format_money, 412_300_000.0, "$412.3 m", id="money-millions"),
    pytest.param(format_money, 12_345.4, "$12,345", id="money-dollars"),
    pytest.param(format_money, 0.0, "$0", id="money-zero-is-known"),
    pytest.param(format_percent, 19.901521990745966, "19.90%", id="percent"),
    pytest.param(format_change, 9.5266, "+9.5%", id="change-up"),
    pytest.param(format_change, -3.8, "-3.8%", id="change-down"),
    pytest.param(format_number, 1234.56, "1,234.6", id="number"),
    pytest.param(format_rank, 1, "1st", id="rank-1"),
    pytest.param(format_rank, 3.0, "3rd", id="rank-from-float"),
    pytest.param(format_rank, 12, "12th", id="rank-teen"),
    pytest.param(format_rank, 22, "22nd", id="rank-22"),
]


@pytest.mark.parametrize(("formatter", "value", "printed"), FIGURES)
def test_each_figure_has_one_spelling(formatter, value, printed):
    assert formatter(value) == printed


@pytest.mark.parametrize(
    "formatter",
    [format_money, format_percent, format_change, format_number, format_rank],
)
@pytest.mark.parametrize("unknown", [None, math.nan], ids=["none", "nan"])
def test_an_unknown_figure_is_not_available_everywhere(formatter, unknown):
    assert formatter(unknown) == NOT_AVAILABLE == "n/a"


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        pytest.param(21_600_000_000, "EUR", "EUR 21.60 bn", id="euro"),
        pytest.param(19.9, "percent", "19.90%", id="percent"),
        pytest.param(2, "rank", "2nd", id="rank"),
        pytest.param(None, "rank", "n/a", id="unknown-rank"),
        pytest.param(0.123456, None, "0.1235", id="plain"),
    ],
)
def test_a_value_is_printed_by_its_unit(value, unit, printed):
    assert format_value(value, unit) == printed
