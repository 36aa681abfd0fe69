"""``bilateral partners A --year Y``: A's partners ranked per source, aggregates apart."""

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
from bilateral.cli.render import Writer, emit, readable
from bilateral.formats import (
    format_change,
    format_growth,
    format_money,
    format_percent,
    format_rank,
)
from bilateral.questions import PARTNER_FLOWS as FLOWS

if TYPE_CHECKING:
    from bilateral.answers.partners import Partners

COLUMNS = (
    "source",
    "statistics_of",
    "year",
    "flow",
    "kind",
    "rank",
    "rank_change",
    "partner",
    "partner_name",
    "value_usd",
    "share",
    "growth_pct",
    "growth_currency",
    "previous_rank",
    "note",
)


def register(app: typer.Typer) -> None:
    """Add the ``partners`` command to ``app``."""
    if not any(c.name == "partners" for c in app.registered_commands):
        app.command("partners")(partners_command)


def _moved(change: int | None, previous: int | None, rank: int | None) -> str:
    """'▲2', '▼1', '=' or 'new' (not among the ranked partners the year before)."""
    if rank is None:
        return ""
    if previous is None:
        return "new"
    if change == 0:
        return "="
    return f"▲{change}" if change and change > 0 else f"▼{-(change or 0)}"


def _print(result: Partners) -> None:
    money = result.currency
    for view in result.tables:
        whose = (
            "reconciled figures"
            if view.statistics_of == "reconciled"
            else f"{view.statistics_of}'s statistics"
        )
        title = (
            f"{result.reporter}'s partners in {result.year} by {result.flow}, {money}: "
            f"{view.source} ({whose})"
        )
        countries = result.of(view.source, view.statistics_of)
        if countries:
            emit(
                out,
                [
                    {
                        "rank": format_rank(r["rank"]),
                        f"vs {result.year - 1}": _moved(
                            r["rank_change"], r["previous_rank"], r["rank"]
                        ),
                        "partner": f"{r['partner_name']} ({r['partner']})",
                        money: format_money(r["value_usd"], money),
                        "share": format_percent(r["share"]),
                        "growth": format_growth(r["growth_pct"], r["growth_currency"], money),
                    }
                    for r in countries
                ],
                "table",
                title=title,
            )
        else:
            out.print(f"[bold]{title}[/]: no partner countries", highlight=False)
        if view.why:
            out.print(f"  {view.why}", highlight=False)
        apart = result.of(view.source, view.statistics_of, kind="aggregate")
        if apart:
            emit(
                out,
                [
                    {
                        "aggregate (not ranked)": f"{r['partner_name']} ({r['partner']})",
                        money: format_money(r["value_usd"], money),
                        "share": format_percent(r["share"]),
                        "growth": format_growth(r["growth_pct"], r["growth_currency"], money),
                    }
                    for r in apart
                ],
                "table",
            )
        out.print()


def partners_command(
    a: Annotated[str, typer.Argument(help="Reporter: code or name (KAZ, Kazakhstan, 398).")],
    year: Annotated[int, typer.Option("--year", "-y", help="Year of the ranking.")],
    flow: Annotated[str, typer.Option("--flow", help=f"Rank by: {', '.join(FLOWS)}.")] = "turnover",
    top: Annotated[
        int | None, typer.Option("--top", help="Only the first N countries of each source.")
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (kz_bns, baci, ...).")
    ] = None,
    currency: CurrencyOption = "USD",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """A's partner countries ranked per source, with shares of A's trade with the world,
    growth and rank change on the year before; aggregates (World, CIS, EAEU, EU27, ...)
    listed apart, never ranked. Where a source lists only some partners, its rank (and
    its share, unless it prints A's world total) is "not available", with the reason."""
    with reporting_errors():
        store = open_store(read_only=True, offer=True)
        from bilateral.answers.partners import partners

        result = partners(store, a, year, flow=flow, top=top, source=source, currency=currency)
        if fmt == "json":
            emit(out, [], fmt, payload=result.to_dict())
        elif fmt == "table":
            _print(result)
        else:
            rows = [{c: r[c] for c in COLUMNS} for r in result.rows()]
            if fmt == "markdown":
                money = partial(format_money, currency=result.currency)
                writers: dict[str, Writer] = {
                    "value_usd": money,
                    "share": format_percent,
                    "growth_pct": format_change,
                }
                rows = readable(rows, writers)
            emit(out, rows, fmt, title=f"{result.reporter}'s partners, {result.year}")
