"""``bilateral profile A B --year Y``: every indicator for a pair and a year, per source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from bilateral.cli_common import FormatOption, check_format, open_store, out, reporting_errors
from bilateral.engines import ENGINES
from bilateral.errors import BilateralError
from bilateral.profile import Profile
from bilateral.render import emit, format_value

COLUMNS = ("name", "value", "unit", "source", "reported_by", "year", "product", "group", "note")


def register(app: typer.Typer) -> None:
    """Add the ``profile`` command to ``app``."""
    if not any(c.name == "profile" for c in app.registered_commands):
        app.command("profile")(profile)


def _tables(profile: Profile) -> dict[str, list[dict[str, Any]]]:
    """Records for people, one table per source: values with their units, the note
    without the source's name (the table's title says it)."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for record in profile.records:
        note = record.note or record.detail.get("caveat", "")
        note = note.replace(f"not available in {record.source}: ", "n/a: ")
        tables.setdefault(record.source, []).append(
            {
                "indicator": record.name,
                "value": format_value(record.value, record.unit),
                "reported by": record.reported_by or "",
                "product": record.product or record.group or "",
                "note": note,
            }
        )
    return tables


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
        store = open_store(engine=engine, read_only=True)
        result = store.profile(a, b, year, source, user_groups=groups)
        if fmt == "json":
            emit(out, [], fmt, payload=result.to_dict())
        elif fmt == "table":
            for source, rows in _tables(result).items():
                title = f"{result.reporter} and {result.partner}, {result.year}: {source}"
                emit(out, rows, fmt, title=title)
        else:
            emit(out, _flat_rows(result), fmt, title=f"{result.reporter}-{result.partner}")
