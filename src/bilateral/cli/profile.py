"""``bilateral profile A B --year Y``: every indicator for a pair and a year, per source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from bilateral.backends.engines import ENGINES
from bilateral.cli.common import (
    CurrencyOption,
    FormatOption,
    OutputFormat,
    open_store,
    out,
    reporting_errors,
)
from bilateral.cli.render import emit
from bilateral.errors import BilateralError
from bilateral.formats import format_change, format_value
from bilateral.reference.source_basis import basis_of

if TYPE_CHECKING:
    from bilateral.answers.profile import GridRow, PairProfile
    from bilateral.engine import Profile

COLUMNS = ("name", "value", "unit", "source", "reported_by", "year", "product", "group", "note")


def register(app: typer.Typer) -> None:
    """Add the ``profile`` command to ``app``."""
    if not any(c.name == "profile" for c in app.registered_commands):
        app.command("profile")(profile)


def _gap(row: GridRow) -> str:
    if row.gap is None:
        return ""
    if row.gap_unit == "points":
        return format_change(row.gap, " pp", digits=2)
    if row.gap_unit == "places":
        return f"{int(row.gap):+d} places"
    if row.gap_unit == "percent":
        return format_change(row.gap)
    return format_value(row.gap, row.gap_unit)


def _print_grid(result: PairProfile, show_all: bool) -> None:
    """One table: indicators as rows, sources (and whose statistics) as columns, the gap
    between a row's first two figures with a numbered reason; caveats numbered too. The
    sources that hold nothing for the pair are named in one line; the "not available"
    records are counted, and listed with ``--all``."""
    grid = result.grid()
    notes: list[str] = []

    def mark(text: str) -> str:
        if text not in notes:
            notes.append(text)
        return f"[{notes.index(text) + 1}]"

    title = f"{result.reporter} and {result.partner}, {result.year} (money in {result.currency})"
    table = Table(title=title)
    table.add_column("indicator", no_wrap=True)
    for column in grid.columns:
        table.add_column(column.heading.replace(" (", "\n("), justify="right")
    table.add_column("gap", justify="right")
    table.add_column("why", justify="left")
    for row in grid.rows:
        cells = [row.indicator + (f" ({row.product})" if row.product else "")]
        for column in grid.columns:
            record = row.cells.get(column.key)
            if record is None:
                cells.append("")
                continue
            caveat = record.note or record.detail.get("caveat", "")
            text = format_value(record.value, record.unit)
            in_currency = record.detail.get("growth_currency")
            if in_currency and in_currency != result.currency and record.value is not None:
                text += f" ({in_currency})"  # a euro publisher's growth, in euro
            cells.append(f"{text} {mark(caveat)}" if caveat else text)
        cells.append(_gap(row))
        cells.append(mark(row.gap_reason) if row.gap_reason else "")
        table.add_row(*cells)
    if grid.rows:
        out.print(table)
    else:
        out.print(f"[bold]{title}[/]: no figures in any source", highlight=False)
    for number, note in enumerate(notes, start=1):
        out.print(f"  [{number}] {note}", highlight=False)
    for column in {c.source: c for c in grid.columns}.values():  # every figure's basis
        basis = basis_of(column.source)
        if basis is not None:
            out.print(f"  {column.source}: {basis.statement(result.currency)}.", highlight=False)
    if grid.empty_sources:
        out.print(
            f"  No figures for {result.reporter} and {result.partner} in {result.year} in: "
            f"{', '.join(grid.empty_sources)}.",
            highlight=False,
        )
    counted = {source: grid.missing_count(source) for source in grid.missing}
    if show_all:
        for source, reasons in grid.missing.items():
            for why, names in reasons.items():
                out.print(
                    f"  not available in {source} ({why}): {', '.join(names)}", highlight=False
                )
    elif any(counted.values()):
        listed = ", ".join(f"{n} in {source}" for source, n in counted.items() if n)
        out.print(f"  Not available: {listed} (--all lists each with its reason).", highlight=False)


def _flat_rows(profile: Profile) -> list[dict[str, Any]]:
    """Records for CSV and Markdown: every field, ``detail`` as JSON."""
    return [
        {**{c: r[c] for c in COLUMNS}, "detail": json.dumps(r["detail"], ensure_ascii=False)}
        for r in profile.to_records()
    ]


def profile(
    a: Annotated[str, typer.Argument(help="Reporter: code or name (KAZ, Kazakhstan, 398).")],
    b: Annotated[str, typer.Argument(help="Partner: code or name (RUS, Россия).")],
    year: Annotated[int, typer.Option("--year", "-y", help="Year of the profile.")],
    source: Annotated[
        str | None, typer.Option("--source", help="Only this source (kz_bns, baci, ...).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help=f"Query engine: {', '.join(ENGINES)}.")
    ] = "duckdb",
    groups: Annotated[
        Path | None,
        typer.Option(
            "--groups", help="CSV of your own product groups (columns group,name,hs_codes,note)."
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every record a source cannot give, with why.")
    ] = False,
    currency: CurrencyOption = "USD",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Every indicator the store supports for A and B in a year, per source.

    Turnover, exports, imports, balance, growth; B's share and rank among A's partners;
    composition and product groups; dependence on B; mirror gaps; RCA, trade intensity
    and complementarity. The table has the indicators as rows and the sources (and whose
    statistics) as columns, with the gap between sources and its reason; records a source
    cannot give are counted ("not available in <source>", --all lists each). JSON keeps
    every record.
    """
    with reporting_errors():
        if engine not in ENGINES:
            raise BilateralError(f"Unknown engine '{engine}'; choose one of {', '.join(ENGINES)}.")
        store = open_store(engine=engine, read_only=True, offer=True)
        from bilateral.answers.profile import profile as pair_profile

        result = pair_profile(
            store, a, b, year, source=source, user_groups=groups, currency=currency
        )
        if fmt == "json":
            emit(out, [], fmt, payload=result.to_dict())
        elif fmt == "table":
            _print_grid(result, show_all)
        else:
            emit(out, _flat_rows(result.profile), fmt, title=f"{result.reporter}-{result.partner}")
