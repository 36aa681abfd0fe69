"""``bilateral products A B --year Y``: what A sells to and buys from B, ranked."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Annotated

import typer

from bilateral.cli.common import (
    CurrencyOption,
    FormatOption,
    OutputFormat,
    open_store,
    out,
    reporting_errors,
)
from bilateral.questions import PRODUCT_FLOWS as FLOWS
from bilateral.questions import PRODUCT_LEVELS as LEVELS
from bilateral.questions import PRODUCT_SOURCES

if TYPE_CHECKING:
    from bilateral.answers.products import Products

from bilateral.cli.render import Writer, emit, readable
from bilateral.formats import format_money, format_percent, format_rank

COLUMNS = (
    "source",
    "statistics_of",
    "year",
    "flow",
    "level",
    "rank",
    "code",
    "description",
    "value",
    "share",
    "share_of",
    "partner_share",
    "partner_share_note",
)
_WIDTH = 48


def register(app: typer.Typer) -> None:
    """Add the ``products`` command to ``app``."""
    if not any(c.name == "products" for c in app.registered_commands):
        app.command("products")(products_command)


def _short(text: str | None) -> str:
    text = text or ""
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1].rstrip() + "…"


def _whose(statistics_of: str) -> str:
    if statistics_of == "reconciled":
        return "reconciled figures"
    return f"{statistics_of}'s statistics"


def _print(result: Products) -> None:
    money, a, b = result.currency, result.reporter, result.partner
    for view in result.views:
        what = f"{a}'s exports to {b}" if view.flow == "exports" else f"{a}'s imports from {b}"
        rows = result.of(view.source, view.statistics_of, view.flow)
        level = rows[0]["level"] if rows else result.level
        title = (
            f"{what} in {result.year} by {level}, {money}: {view.source} "
            f"({_whose(view.statistics_of)})"
        )
        emit(
            out,
            [
                {
                    "rank": format_rank(r["rank"]),
                    "code": r["code"] if r["level"] != "item" else "",
                    "product": _short(r["description"]),
                    money: format_money(r["value"], money),
                    "share of flow": format_percent(r["share"]),
                    f"{b}'s share of {a}'s world": format_percent(r["partner_share"]),
                }
                for r in rows
            ],
            "table",
            title=title,
        )
        if rows:
            out.print(f"  share of flow: of {rows[0]['share_of']}", highlight=False)
            reasons = {r["partner_share_note"] for r in rows if r["partner_share_note"]}
            for reason in sorted(reasons):
                out.print(f"  {b}'s share of {a}'s world: {reason}", highlight=False)
        out.print(f"  {view.source} holds {view.holds}", highlight=False)
        if view.basis:
            out.print(f"  basis: {view.basis}", highlight=False)
        out.print()
    for note in result.notes:
        if not any(note.startswith(f"{v.source} holds ") for v in result.views):
            out.print(f"  {note}", highlight=False)


def products_command(
    a: Annotated[str, typer.Argument(help="Reporter: code or name (KAZ, Kazakhstan, 398).")],
    b: Annotated[str, typer.Argument(help="Partner: code or name (RUS, Россия, 643).")],
    year: Annotated[int, typer.Option("--year", "-y", help="Year of the breakdown.")],
    level: Annotated[
        str, typer.Option("--level", help=f"Product level: {', '.join(LEVELS)}.")
    ] = "chapter",
    flow: Annotated[
        str | None,
        typer.Option("--flow", help=f"Only A's {' or '.join(FLOWS)} (default: both)."),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", help="Only the first N products of each source.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help=f"Only this source ({', '.join(PRODUCT_SOURCES)})."),
    ] = None,
    currency: CurrencyOption = "USD",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """What A exports to and imports from B, by product, ranked per product-level source
    (BACI, Comtrade, Comext CN8, FAOSTAT), with each product's share of the pair's flow
    and B's share of A's trade with the world in it. Where a source's partner table is
    not complete, that share is "not available", with the reason; each source says which
    products it holds (Comext CN8: codes on the EU's sanctions list; FAOSTAT:
    agricultural items)."""
    with reporting_errors():
        store = open_store(read_only=True, offer=True)
        from bilateral.answers.products import products

        result = products(
            store, a, b, year, level=level, flow=flow, top=top, source=source, currency=currency
        )
        if fmt == "json":
            emit(out, [], fmt, payload=result.to_dict())
        elif fmt == "table":
            _print(result)
        else:
            rows = [{c: r[c] for c in COLUMNS} for r in result.rows()]
            if fmt == "markdown":
                money = partial(format_money, currency=result.currency)
                writers: dict[str, Writer] = {
                    "value": money,
                    "share": format_percent,
                    "partner_share": format_percent,
                }
                rows = readable(rows, writers)
            emit(
                out,
                rows,
                fmt,
                title=f"{result.reporter} and {result.partner}, products, {result.year} "
                f"({result.currency})",
            )
