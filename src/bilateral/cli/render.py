"""Rendering results for people and programs: Rich tables, JSON, CSV and Markdown.

How one figure is written (money, percent, rank, "not available") is
:mod:`bilateral.formats`; this module lays rows out.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from bilateral.formats import plain, to_json

SPARKS = "▁▂▃▄▅▆▇█"
#: How a column's value is written for people: format_money bound to a currency,
#: format_percent, format_change...
Writer = Callable[[Any], str]


def sparkline(values: Sequence[float | None]) -> str:
    """A small inline chart of ``values`` in order, one character each; a blank for an
    unknown value.

    >>> sparkline([1.0, 2.0, None, 4.0, 8.0])
    '▁▂ ▄█'
    """
    known = [v for v in values if v is not None and not math.isnan(v)]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low
    marks = []
    for value in values:
        if value is None or math.isnan(value):
            marks.append(" ")
        elif span == 0:
            marks.append(SPARKS[len(SPARKS) // 2])
        else:
            marks.append(SPARKS[round((value - low) / span * (len(SPARKS) - 1))])
    return "".join(marks)


def to_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else plain(v)
                for k, v in row.items()
            }
        )
    return buffer.getvalue()


def to_markdown(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    if not rows:
        return ""
    columns = list(columns or rows[0].keys())
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = (plain(row.get(c)) for c in columns)  # a zero is written, an unknown is not
        lines.append(
            "| " + " | ".join("" if v is None else str(v).replace("|", "\\|") for v in cells) + " |"
        )
    return "\n".join(lines) + "\n"


def rich_table(
    rows: Sequence[Mapping[str, Any]],
    title: str | None = None,
    columns: Sequence[str] | None = None,
) -> Table:
    table = Table(title=title, show_lines=False)
    columns = list(columns or (rows[0].keys() if rows else []))
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(
            *[str(plain(row.get(c, "")) if row.get(c) is not None else "") for c in columns]
        )
    return table


def emit(
    console: Console,
    rows: Sequence[Mapping[str, Any]],
    fmt: str,
    *,
    title: str | None = None,
    payload: Any = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Print ``rows`` in the chosen format; JSON prints ``payload`` when given (else the rows)."""
    if fmt == "json":
        console.file.write(to_json(payload if payload is not None else list(rows)) + "\n")
    elif fmt == "csv":
        console.file.write(to_csv(rows))
    elif fmt == "markdown":
        console.file.write((f"### {title}\n\n" if title else "") + to_markdown(rows, columns))
    else:
        console.print(rich_table(rows, title, columns))


def readable(
    rows: Sequence[Mapping[str, Any]], writers: Mapping[str, Writer]
) -> list[dict[str, Any]]:
    """Rows with money, percentages and changes written for people (what Markdown
    prints): each column in ``writers`` goes through its writer, the others stay."""
    return [
        {
            column: writers[column](value) if column in writers else value
            for column, value in row.items()
        }
        for row in rows
    ]
