"""How each table of the report and the dashboard is headed and how its cells are printed.

One definition serves both: the HTML report prints cells with :func:`format_cell`, and the
API hands the same column lists to the dashboard, whose JavaScript prints them alike.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from bilateral.formats import (
    NOT_AVAILABLE,
    format_change,
    format_money,
    format_percent,
    format_rank,
    is_missing,
)


@dataclass(frozen=True)
class Column:
    """How one column of a table is headed and printed (money, percent, rank, text, yes/no)."""

    key: str
    heading: str
    kind: str = "text"


PARTNER_COLUMNS = (
    Column("rank", "Rank", "rank"),
    Column("partner_name", "Partner"),
    Column("value_usd", "Turnover", "money"),
    Column("share", "Share of trade", "percent"),
    Column("source", "Source"),
    Column("statistics_of", "Statistics of"),
)
MIRROR_COLUMNS = (
    Column("direction", "Flow"),
    Column("year", "Year"),
    Column("by_exporter_source", "Exporter's source"),
    Column("by_exporter_value_usd", "Exporter reports", "money"),
    Column("by_importer_source", "Importer's source"),
    Column("by_importer_value_usd", "Importer reports", "money"),
    Column("gap_usd", "Gap", "money"),
    Column("gap_pct", "Gap, % of exporter's", "percent"),
    Column("cif_fob_expected", "As CIF over FOB explains", "yesno"),
)
STRUCTURE_COLUMNS = (
    Column("flow", "Flow"),
    Column("product", "HS section"),
    Column("product_name", "Products"),
    Column("value_usd", "Value", "money"),
    Column("share", "Share of the flow", "percent"),
    Column("source", "Source"),
)
DEPENDENCE_COLUMNS = (
    Column("group_name", "Product group"),
    Column("rank", "Rank", "rank"),
    Column("supplier_name", "Supplier"),
    Column("share", "Share of imports", "percent"),
    Column("value_usd", "Imports", "money"),
    Column("source", "Source"),
)
SANCTIONS_COLUMNS = (
    Column("goods", "Goods"),
    Column("base_period", "Base period"),
    Column("base_usd", "Value", "money"),
    Column("current_period", "Current period"),
    Column("current_usd", "Value", "money"),
    Column("change_pct", "Change", "percent"),
    Column("base_share", "Share of all goods, base", "percent"),
    Column("current_share", "Share of all goods, current", "percent"),
)
SECTION_COLUMNS = {
    "partners": PARTNER_COLUMNS,
    "mirror": MIRROR_COLUMNS,
    "structure": STRUCTURE_COLUMNS,
    "dependence": DEPENDENCE_COLUMNS,
    "sanctions": SANCTIONS_COLUMNS,
}
HEADLINE_COLUMNS = (
    Column("view", "Source (statistics of)"),
    Column("turnover", "Turnover", "money"),
    Column("exports", "Exports", "money"),
    Column("imports", "Imports", "money"),
    Column("balance", "Balance", "money"),
    Column("turnover_growth", "Turnover growth", "percent"),
    Column("partner_share_turnover", "Partner's share of trade", "percent"),
    Column("partner_rank_turnover", "Rank in turnover", "rank"),
    Column("partner_rank_exports", "Rank in exports", "rank"),
    Column("partner_rank_imports", "Rank in imports", "rank"),
)
NUMERIC_KINDS = {"money", "percent", "rank", "number"}


def priced(columns: tuple[Column, ...], currency: str) -> tuple[Column, ...]:
    """``columns`` with each money column's heading naming the currency: 'Turnover, USD'.

    A table's money is in one currency, the report's, and a reader must never guess which.
    """
    return tuple(
        replace(c, heading=f"{c.heading}, {currency}") if c.kind == "money" else c for c in columns
    )


def format_cell(value: Any, kind: str, currency: str = "USD") -> str:
    """A value as printed in a table (``NOT_AVAILABLE`` for unknown, never 0); money in
    ``currency``."""
    if is_missing(value):
        return NOT_AVAILABLE
    if kind == "money":
        return format_money(float(value), currency)
    if kind == "percent":
        return format_percent(float(value))
    if kind == "rank":
        return format_rank(value)
    if kind == "yesno":
        return "yes" if bool(value) else "no"
    return str(value)


CATALOGUE_COLUMNS = (
    Column("source", "Source"),
    Column("release", "Release"),
    Column("file", "File"),
    Column("years", "Years"),
    Column("sha256", "SHA-256"),
)


def column_dicts(columns: tuple[Column, ...]) -> list[dict[str, str]]:
    """Columns as JSON for the dashboard."""
    return [asdict(c) for c in columns]


def _number(value: float, digits: int | None) -> str:
    """Fixed decimals, or as few as the value needs (at most six)."""
    if digits is not None:
        return f"{value:,.{digits}f}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def format_figure(value: Any, unit: str | None, digits: int | None = None) -> str:
    """A claim's figure in its unit: '$27.00 bn', '20%', '80-90%', '3rd', '+11.4% vs CHN'.

    ``digits`` fixes the decimals (evidence); None prints the number as stated. A range
    is a list of two numbers. Unknown is ``NOT_AVAILABLE``.
    """
    unit = unit or ""
    if isinstance(value, list | tuple):
        if not value or any(is_missing(v) for v in value):
            return NOT_AVAILABLE
        if unit == "rank":
            return "-".join(format_rank(v) for v in value)
        return _with_unit("-".join(_number(float(v), digits) for v in value), unit)
    if is_missing(value):
        return NOT_AVAILABLE
    if not isinstance(value, int | float):
        return str(value)
    number = float(value)
    if unit == "USD":
        return format_money(number)
    if unit.startswith("vs "):
        return f"{format_change(number)} {unit}"
    if unit == "rank":
        return format_rank(number)
    return _with_unit(_number(number, digits), unit)


def _with_unit(body: str, unit: str) -> str:
    if unit == "%":
        return body + "%"
    return f"{body} {unit}".strip()


def format_stated(stated: dict[str, Any]) -> str:
    """What a claim states: its hedge (unless exact) and its figure ('more than 10%')."""
    value = stated.get("value")  # no figure stated ('slightly below') is no figure, not n/a
    figure = "" if is_missing(value) else format_figure(value, stated.get("unit"))
    hedge = str(stated.get("hedge") or "")
    return figure if hedge in ("", "exact", "range") else f"{hedge} {figure}".strip()


def format_evidence(item: dict[str, Any], unit: str | None) -> str:
    """One piece of evidence: the figure in the claim's unit, then where it comes from."""
    figure = format_figure(item.get("value"), unit, digits=2)
    where = ", ".join(str(item[k]) for k in ("source", "reported_by", "year") if item.get(k))
    return f"{figure} ({where})" if where else figure
