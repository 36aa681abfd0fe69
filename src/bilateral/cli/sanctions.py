"""``bilateral sanctions PARTNER``: EU exports of listed goods to a partner; re-export routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from bilateral.cli.common import (
    FormatOption,
    OutputFormat,
    err,
    open_store,
    out,
    reporting_errors,
)
from bilateral.cli.render import emit
from bilateral.formats import format_change, format_money, format_number, format_percent

if TYPE_CHECKING:
    from bilateral.answers.sanctions import SanctionsLens

LIST_HELP = (
    "List of goods: chpl (Common High Priority List), eu-cn8 (EU export sanctions), "
    "or a CSV file with columns code,classification[,tier,description]."
)


def register(app: typer.Typer) -> None:
    """Add the ``sanctions`` command to ``app``."""
    if not any(c.name == "sanctions" for c in app.registered_commands):
        app.command("sanctions")(sanctions)


def sanctions(
    partner: Annotated[str, typer.Argument(help="Partner country: code or name (KAZ, Armenia).")],
    list_spec: Annotated[str, typer.Option("--list", help=LIST_HELP)] = "eu-cn8",
    start: Annotated[
        str | None,
        typer.Option("--from", help="First month of the base period, YYYY-MM (e.g. 2021-01)."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last month of the current period, YYYY-MM (e.g. 2022-11)."),
    ] = None,
    reexport: Annotated[
        str | None,
        typer.Option(
            "--reexport",
            help="Also show the partner as a re-export hub for this product code (e.g. 8703), "
            "from its own monthly rows (Comtrade).",
        ),
    ] = None,
    destination: Annotated[
        str, typer.Option(help="Destination of the re-export route (with --reexport).")
    ] = "RUS",
    currency: Annotated[
        str,
        typer.Option(
            "--currency",
            help="EUR (as Comext publishes it) or USD (each month at its ECB monthly rate).",
        ),
    ] = "EUR",
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Listed goods in EU exports to PARTNER: share, change against other goods, monthly index.

    --from 2021-01 --to 2022-11 compares Jan-Nov 2021 with Jan-Nov 2022 and indexes every
    month to the 2021 monthly mean (= 100). Default: the latest month in the store.
    """
    from bilateral.answers.sanctions import Period, reexport_route, sanctions_lens

    with reporting_errors():
        if (start is None) != (end is None):
            raise typer.BadParameter("give --from and --to together")
        period = Period.parse(start, end) if start and end else None
        store = open_store(read_only=True, offer=True)
        lens = sanctions_lens(store, partner, list_spec, period, currency=currency)
        route = reexport_route(store, partner, reexport, destination) if reexport else None
        if fmt == "json":
            payload = lens.payload()
            if route is not None:
                payload["reexport"] = {
                    "product": reexport,
                    "destination": destination,
                    "years": route,
                }
            emit(out, [], fmt, payload=payload)
        elif fmt == "table":
            _print_tables(lens, route, reexport, destination)
        else:
            emit(out, _long_rows(lens, route), fmt)


def _print_tables(
    lens: SanctionsLens, route: list[dict[str, Any]] | None, product: str | None, to: str
) -> None:
    period = lens.period
    base, current = period.label(period.base_year), period.label(period.current_year)
    title = (
        f"EU exports to {lens.partner_name} ({lens.partner}): {lens.product_list.title}; "
        f"{base} vs {current}, {lens.currency}"
    )
    change = lens.change
    emit(
        out,
        [
            {
                "goods": goods,
                base: format_money(change.get(f"{key}_base"), lens.currency),
                current: format_money(change.get(f"{key}_current"), lens.currency),
                "change": format_change(change.get(f"{key}_change_pct")),
            }
            for goods, key in (("listed", "listed"), ("other", "other"), ("all", "total"))
        ],
        "table",
        title=title,
    )
    out.print(
        f"Listed goods changed {format_change(change.get('gap_pp'), 'pp')} against other goods "
        "(percentage points).",
        highlight=False,
    )
    emit(
        out,
        [
            {
                "period": r["period"],
                "tier": r["tier"],
                "listed": format_money(r["listed"], lens.currency),
                "total": format_money(r["total"], lens.currency),
                "share": format_percent(r["share_pct"]),
            }
            for r in lens.exposure
        ],
        "table",
        title=f"Share of listed goods (exposure), {lens.currency}",
    )
    emit(
        out,
        [
            {
                "month": f"{r['year']}-{r['month']:02d}",
                "listed": format_money(r["listed"], lens.currency),
                "other": format_money(r["other"], lens.currency),
                "listed index": format_number(r["listed_index"]),
                "other index": format_number(r["other_index"]),
            }
            for r in lens.index
        ],
        "table",
        title=f"Monthly index ({period.base_year} monthly mean = 100), {lens.currency}",
    )
    if route is not None:
        emit(
            out,
            [
                {
                    "year": r["year"],
                    "imports from EU": format_money(r["inbound"]),
                    f"exports to {to}": format_money(r["outbound"]),
                    "exports / imports": format_number(r["outbound_to_inbound"], 2),
                }
                for r in route
            ],
            "table",
            title=f"Re-export route through {lens.partner}: HS {product}, "
            f"as {lens.partner} reports it",
        )
    unmatched = lens.match.unmatched
    if unmatched:
        shown = ", ".join(u.code for u in unmatched[:12]) + (" ..." if len(unmatched) > 12 else "")
        err.print(
            f"{len(unmatched)} list codes matched no exported code: {shown} "
            "(--format json lists each with the reason)",
            highlight=False,
        )
    out.print(f"Source: Eurostat Comext DS-045409 ({', '.join(lens.releases)})", highlight=False)
    for note in lens.notes:
        out.print(f"  note: {note}", highlight=False)


def _long_rows(lens: SanctionsLens, route: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Every figure as one row (section, period, tier, measure, value): a tidy CSV."""
    period = lens.period
    rows: list[dict[str, Any]] = []

    def add(section: str, label: str, tier: str, measure: str, value: Any) -> None:
        rows.append(
            {
                "partner": lens.partner,
                "list": lens.product_list.name,
                "section": section,
                "period": label,
                "tier": tier,
                "measure": measure,
                "value": value,
            }
        )

    labels = {"base": period.label(period.base_year), "current": period.label(period.current_year)}
    for key, value in lens.change.items():
        which = next((p for p in labels if key.endswith(p)), None)
        label = labels[which] if which else f"{labels['base']} -> {labels['current']}"
        add("change", label, "all", key, value)
    for r in lens.exposure:
        for measure in ("listed", "total", "share_pct"):
            add("exposure", r["period"], r["tier"], measure, r[measure])
    for r in lens.index:
        for measure in ("listed", "other", "listed_index", "other_index"):
            add("index", f"{r['year']}-{r['month']:02d}", "all", measure, r[measure])
    for r in route or []:
        for measure in ("inbound", "outbound", "outbound_to_inbound"):
            add("reexport", str(r["year"]), "", measure, r[measure])
    for u in lens.match.unmatched:
        add("unmatched", "", u.tier or "", u.code, u.reason)
    return rows
