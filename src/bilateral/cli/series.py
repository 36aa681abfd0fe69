"""``bilateral series A B``: every year of a pair's trade, one column per source and side."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from bilateral.cli.common import (
    CurrencyOption,
    FormatOption,
    OutputFormat,
    open_store,
    out,
    reporting_errors,
)
from bilateral.cli.render import Writer, emit, readable, sparkline
from bilateral.formats import NOT_AVAILABLE, format_change, format_growth, format_money
from bilateral.questions import GROWING_FLOWS as GROWING
from bilateral.questions import SERIES_FLOWS as FLOWS

if TYPE_CHECKING:
    from bilateral.answers.series import Series

FlowOption = Annotated[
    str, typer.Option("--flow", help=f"What to follow: {', '.join(FLOWS)} (seen from A).")
]


def register(app: typer.Typer) -> None:
    """Add the ``series`` command to ``app``."""
    if not any(c.name == "series" for c in app.registered_commands):
        app.command("series")(series_command)


def _title(result: Series) -> str:
    years = result.years()
    span = f", {years[0]}-{years[-1]}" if years else ""
    return f"{result.reporter} and {result.partner}: {result.flow}, {result.currency}{span}"


def _print(result: Series) -> None:
    """The terminal table: a column per view with its growth, the gaps with numbered
    reasons under the table, and a sparkline of each view in the footer."""
    years = result.years()
    if not result.views:
        out.print(f"[bold]{_title(result)}[/]", highlight=False)
        for note in result.notes:
            out.print(f"  {note}", highlight=False)
        return
    rows = {(r["year"], r["view"]): r for r in result.table.to_pylist()}
    reasons: list[str] = []
    table = Table(title=_title(result), show_footer=len(years) > 1)
    table.add_column("year", footer="trend")
    for view in result.views:
        trend = sparkline([result.values(view.key).get(y) for y in years])
        table.add_column(f"{view.label}\n{result.currency}", justify="right", footer=trend)
        table.add_column("growth" if result.flow in GROWING else "change", justify="right")
    others = [v for v in result.views if v.key != result.reference]
    for view in others:
        table.add_column(f"gap: {view.source}, {view.statistics_of}\nvs own", justify="right")
    for year in years:
        cells = [str(year)]
        for view in result.views:
            row = rows.get((year, view.key))
            cells.append(format_money(row["value_usd"], result.currency) if row else NOT_AVAILABLE)
            cells.append(_movement(row, result) if row else NOT_AVAILABLE)
        for view in others:
            row = rows.get((year, view.key))
            if row is None or row["gap_usd"] is None:
                cells.append(NOT_AVAILABLE)
                continue
            if row["gap_reason"] not in reasons:
                reasons.append(row["gap_reason"])
            number = reasons.index(row["gap_reason"]) + 1
            cells.append(f"{format_change(row['gap_pct'])} [{number}]")
        table.add_row(*cells)
    out.print(table)
    for number, reason in enumerate(reasons, start=1):
        out.print(f"  [{number}] {reason}", highlight=False)
    for note in result.notes:
        out.print(f"  {note}", highlight=False)


def _movement(row: dict[str, Any], result: Series) -> str:
    """A year's growth, or a balance's change in money, each in the publisher's currency
    (named where it is not the table's)."""
    if result.flow in GROWING:
        return format_growth(row["growth_pct"], row["growth_currency"], result.currency)
    change = row["change"]
    money = format_money(change, row["change_currency"] or result.currency)
    return f"+{money}" if change is not None and change > 0 else money


def _readable(result: Series) -> list[dict[str, Any]]:
    """:meth:`Series.wide` with money and percentages written for people (Markdown); a
    change stated in another currency than the table's is written in it."""
    rows = result.wide()
    stated_in = dict(result.measure_columns().values())
    writers: dict[str, Writer] = {}
    for column in rows[0] if rows else ():
        if column == "year" or column.endswith("reason"):
            continue
        if column.endswith("%") or " growth % " in column:
            writers[column] = format_change
        else:
            currency = stated_in.get(column) or result.currency
            writers[column] = partial(format_money, currency=currency)
    return readable(rows, writers)


def series_command(
    a: Annotated[str, typer.Argument(help="Reporter: code or name (KAZ, Kazakhstan, 398).")],
    b: Annotated[str, typer.Argument(help="Partner: code or name (RUS, Россия).")],
    start: Annotated[
        int | None, typer.Option("--from", help="First year (default: the first held).")
    ] = None,
    end: Annotated[
        int | None, typer.Option("--to", help="Last year (default: the last held).")
    ] = None,
    flow: FlowOption = "turnover",
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (kz_bns, baci, ...).")
    ] = None,
    currency: CurrencyOption = "USD",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Every year of A's trade with B: one column per source and side (A's own statistics,
    B's mirror statistics, BACI's reconciled figures), growth on the year before, and each
    source's gap from A's own statistics with its reason (CIF/FOB, coverage, revision)."""
    with reporting_errors():
        store = open_store(read_only=True, offer=True)
        from bilateral.answers.series import series

        result = series(
            store, a, b, flow=flow, start=start, end=end, source=source, currency=currency
        )
        if fmt == "json":
            emit(out, [], fmt, payload=result.to_dict())
        elif fmt == "table":
            _print(result)
        elif fmt == "markdown":
            emit(out, _readable(result), fmt, title=_title(result))
        else:
            emit(out, result.wide(), fmt, title=_title(result))
