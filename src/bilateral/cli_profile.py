"""``bilateral profile A B --year Y``: every indicator for a pair and a year, per source."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bilateral.cli_common import FormatOption, check_format, open_store, out, reporting_errors
from bilateral.engines import ENGINES
from bilateral.errors import BilateralError
from bilateral.render import emit, format_value

if TYPE_CHECKING:
    from bilateral.profile import Profile

COLUMNS = ("name", "value", "unit", "source", "reported_by", "year", "product", "group", "note")


def register(app: typer.Typer) -> None:
    """Add the ``profile`` command to ``app``."""
    if not any(c.name == "profile" for c in app.registered_commands):
        app.command("profile")(profile)


@dataclass
class SourceTable:
    """One source's part of the profile, as people read it in a terminal."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)  # printed once, under the table
    missing: dict[str, list[str]] = field(default_factory=dict)  # why -> indicators


def _tables(profile: Profile) -> dict[str, SourceTable]:
    """Records for people, one table per source.

    Figures keep their units; a caveat shared by many figures (FAOSTAT's extract
    threshold) becomes a numbered footnote; indicators the source cannot give are listed
    together under the reason, instead of a row of "n/a" each.
    """
    tables: dict[str, SourceTable] = {}
    for record in profile.records:
        table = tables.setdefault(record.source, SourceTable())
        label = record.name + (
            f" ({record.product or record.group})" if record.product or record.group else ""
        )
        if record.value is None:
            why = (record.note or "").replace(f"not available in {record.source}: ", "")
            names = table.missing.setdefault(why, [])
            if label not in names:
                names.append(label)
            continue
        caveat = record.note or record.detail.get("caveat", "")
        mark = ""
        if caveat:
            if caveat not in table.caveats:
                table.caveats.append(caveat)
            mark = f"[{table.caveats.index(caveat) + 1}]"
        table.rows.append(
            {
                "indicator": record.name,
                "value": format_value(record.value, record.unit),
                "reported by": record.reported_by or "",
                "product": record.product or record.group or "",
                "note": mark,
            }
        )
    return tables


def _print_tables(profile: Profile) -> None:
    for source, table in _tables(profile).items():
        title = f"{profile.reporter} and {profile.partner}, {profile.year}: {source}"
        if table.rows:
            emit(out, table.rows, "table", title=title)
        else:
            out.print(f"[bold]{title}[/]: no figures", highlight=False)
        for number, caveat in enumerate(table.caveats, start=1):
            out.print(f"  [{number}] {caveat}", highlight=False)
        for why, names in table.missing.items():
            out.print(f"  not available in {source} ({why}): {', '.join(names)}", highlight=False)
        out.print()


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
    fmt: FormatOption = "table",
) -> None:
    """Every indicator the store supports for A and B in a year, per source.

    Turnover, exports, imports, balance, growth; B's share and rank among A's partners;
    composition and product groups; dependence on B; mirror gaps; RCA, trade intensity
    and complementarity. Where a source lacks the year or the detail, the row says
    "not available in <source>".
    """
    with reporting_errors():
        check_format(fmt)
        if engine not in ENGINES:
            raise BilateralError(f"Unknown engine '{engine}'; choose one of {', '.join(ENGINES)}.")
        store = open_store(engine=engine, read_only=True, offer=True)
        result = store.profile(a, b, year, source, user_groups=groups)
        if fmt == "json":
            emit(out, [], fmt, payload=result.to_dict())
        elif fmt == "table":
            _print_tables(result)
        else:
            emit(out, _flat_rows(result), fmt, title=f"{result.reporter}-{result.partner}")
