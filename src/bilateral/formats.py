"""How a figure is written for people: money, percentages, changes, ranks and "not available".

The one home of these spellings, used alike by the CLI, the report, the web API and the
claim checker (the dashboard's JavaScript mirrors it). A figure nobody knows is written
:data:`NOT_AVAILABLE`, never a zero or a blank; a rank is an ordinal, ``3rd``. Machine
formats (JSON, CSV) keep the numbers and write an unknown as null or an empty field.

This module imports only the standard library, so a command's ``--help`` stays light.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

NOT_AVAILABLE = "n/a"
"""How an unknown figure is written for people."""


def is_missing(value: Any) -> bool:
    """True for None, NaN and pandas' ``NA``: a figure nobody knows (a zero is known).

    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0)
    (True, True, False)
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pandas = sys.modules.get("pandas")  # pandas' NA can only exist once pandas is imported
    return pandas is not None and value is pandas.NA


def ordinal(number: int) -> str:
    """A rank as written: '1st', '2nd', '3rd', '11th', '22nd'.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']
    """
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def format_rank(value: Any) -> str:
    """A rank (an int or a whole float) as an ordinal; unknown is :data:`NOT_AVAILABLE`.

    >>> format_rank(3.0), format_rank(None)
    ('3rd', 'n/a')
    """
    if is_missing(value):
        return NOT_AVAILABLE
    return ordinal(int(value))


def format_money(value: float | None, currency: str = "USD") -> str:
    """Money with a sensible unit: $26.97 bn, -$8.79 bn, $412.3 m, $12,345, EUR 21.60 bn.

    >>> format_money(21_600_000_000, "EUR"), format_money(-8_789_239_611.37), format_money(None)
    ('EUR 21.60 bn', '-$8.79 bn', 'n/a')
    """
    if value is None or is_missing(value):
        return NOT_AVAILABLE
    sign, magnitude = ("-" if value < 0 else ""), abs(value)
    symbol = "$" if currency == "USD" else f"{currency} "
    if magnitude >= 1e9:
        return f"{sign}{symbol}{magnitude / 1e9:,.2f} bn"
    if magnitude >= 1e6:
        return f"{sign}{symbol}{magnitude / 1e6:,.1f} m"
    return f"{sign}{symbol}{magnitude:,.0f}"


def format_percent(value: float | None, digits: int = 2, unit: str = "%") -> str:
    """A share or level in percent: '19.90%'; ``unit`` may be 'pp' (percentage points).

    >>> format_percent(19.901521990745966), format_percent(None)
    ('19.90%', 'n/a')
    """
    if value is None or is_missing(value):
        return NOT_AVAILABLE
    return f"{float(value):,.{digits}f}{unit}"


def format_change(value: float | None, unit: str = "%", digits: int = 1) -> str:
    """A change with its sign: '+9.5%', '-3.8%'; ``unit`` ' pp' for percentage points.

    >>> format_change(9.5266), format_change(-3.8), format_change(1.234, " pp", 2)
    ('+9.5%', '-3.8%', '+1.23 pp')
    >>> format_change(None)
    'n/a'
    """
    if value is None or is_missing(value):
        return NOT_AVAILABLE
    return f"{float(value):+,.{digits}f}{unit}"


def format_growth(value: float | None, stated_in: str | None, table_currency: str) -> str:
    """A growth, with its currency where that is not the table's: a euro publisher's
    change is stated in euro even in a dollar table.

    >>> format_growth(-0.7184, "EUR", "USD"), format_growth(2.8, "USD", "USD")
    ('-0.7% (EUR)', '+2.8%')
    """
    cell = format_change(value)
    if stated_in and stated_in != table_currency and cell != NOT_AVAILABLE:
        return f"{cell} ({stated_in})"
    return cell


def format_number(value: float | None, digits: int = 1) -> str:
    """A plain number with thousands separators and fixed decimals: '1,234.5'.

    >>> format_number(1234.5), format_number(None, 2)
    ('1,234.5', 'n/a')
    """
    if value is None or is_missing(value):
        return NOT_AVAILABLE
    return f"{float(value):,.{digits}f}"


def format_value(value: Any, unit: str | None) -> str:
    """A number with its unit, for people: money, percent, rank or a plain number.

    >>> format_value(26_972_021_445.17, "USD"), format_value(2, "rank"), format_value(None, "%")
    ('$26.97 bn', '2nd', 'n/a')
    """
    if is_missing(value):
        return NOT_AVAILABLE
    if unit in ("USD", "EUR"):
        return format_money(float(value), unit)
    if unit == "percent":
        return format_percent(float(value))
    if unit == "rank":
        return format_rank(value)
    if isinstance(value, float):
        return f"{value:,.4g}"
    return str(value)


def plain(value: Any) -> Any:
    """``value`` as JSON and CSV write it: NaN as None, a date or time in ISO format."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float (anywhere inside) as None: JSON has no
    such numbers, and a consumer must see "not available", never ``Infinity``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def to_json(payload: Any) -> str:
    """Valid JSON always: no ``NaN`` or ``Infinity`` (they become null)."""
    return json.dumps(
        _finite(payload), ensure_ascii=False, indent=2, default=plain, allow_nan=False
    )
