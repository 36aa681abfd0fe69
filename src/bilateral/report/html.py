"""One self-contained HTML file from a :class:`~bilateral.report.contents.PairReport`.

Everything the page needs is inside it: the figures, the Vega-Lite specs of the charts
(with their data inline) and the Vega JavaScript itself, so it opens from a disk, an email
attachment or an air-gapped machine. Every text that came from data or from the user is
escaped; chart specs are embedded as JSON with ``<`` escaped so no value can close a tag.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape
from importlib.resources import files
from string import Template
from typing import Any

import altair as alt
import pandas as pd

from bilateral.formats import is_missing
from bilateral.report import vendor
from bilateral.report.contents import PairReport, Section
from bilateral.report.tables import (
    CATALOGUE_COLUMNS,
    HEADLINE_COLUMNS,
    NUMERIC_KINDS,
    SECTION_COLUMNS,
    Column,
    format_cell,
    format_evidence,
    format_stated,
    priced,
)
from bilateral.version import __version__


def table_html(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Column],
    css: str = "",
    currency: str = "USD",
) -> str:
    """An HTML table of ``rows`` (dicts), escaped, numbers right-aligned, money in
    ``currency`` (named in the money columns' headings)."""
    columns = priced(tuple(columns), currency)

    def cell(tag: str, column: Column, text: str) -> str:
        numeric = ' class="num"' if column.kind in NUMERIC_KINDS else ""
        return f"<{tag}{numeric}>{escape(text)}</{tag}>"

    head = "".join(cell("th", c, c.heading) for c in columns)
    body = "".join(
        "<tr>"
        + "".join(cell("td", c, format_cell(row.get(c.key), c.kind, currency)) for c in columns)
        + "</tr>"
        for row in rows
    )
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [dict(row) for row in frame.to_dict(orient="records")]


def spec_json(chart: alt.TopLevelMixin) -> str:
    """A chart's Vega-Lite spec as JSON that is safe inside a <script> element."""
    text = json.dumps(chart.to_dict(), ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def chart_html(chart_id: str, chart: alt.TopLevelMixin) -> str:
    return (
        f'<div class="chart" id="{chart_id}"></div>\n'
        f'<script type="application/json" data-chart="{chart_id}">{spec_json(chart)}</script>'
    )


def section_html(section: Section, currency: str = "USD") -> str:
    parts = [f'<section id="{section.kind}">', f"<h2>{escape(section.title)}</h2>"]
    if section.missing:
        parts.append(f'<p class="missing">{escape(section.missing)}</p>')
    if section.chart is not None:
        parts.append(chart_html(f"chart-{section.kind}", section.chart))
    if section.table is not None and not section.table.empty:
        columns = SECTION_COLUMNS[section.kind]
        parts.append(table_html(frame_rows(section.table), columns, currency=currency))
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def headline_html(report: PairReport) -> str:
    """The headline as indicators by sources: one column per source and whose statistics.

    Sources are few and indicators many, so the table grows downwards and fits the page
    however long the indicators' names; an indicator no source has is left out.
    """
    rows = frame_rows(report.headline)
    currency = report.currency
    indicators = priced(HEADLINE_COLUMNS, currency)[1:]  # the first is the view
    head = "<th>Indicator</th>" + "".join(
        f'<th class="num">{escape(str(row["source"]))}<br>'
        f'<span class="whose">{escape(_whose(str(row["statistics_of"])))}</span></th>'
        for row in rows
    )

    def cell(row: dict[str, Any], column: Column) -> str:
        return f'<td class="num">{escape(format_cell(row.get(column.key), column.kind, currency))}'

    body = "".join(
        f'<tr><th scope="row">{escape(column.heading)}</th>'
        + "".join(cell(row, column) + "</td>" for row in rows)
        + "</tr>"
        for column in indicators
        if any(not is_missing(row.get(column.key)) for row in rows)
    )
    missing = "".join(f"<li>{escape(note)}</li>" for note in report.not_available)
    table = f'<table class="headline"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    return table + (f'<ul class="missing">{missing}</ul>' if missing else "")


def _whose(statistics_of: str) -> str:
    return "reconciled" if statistics_of == "reconciled" else f"statistics of {statistics_of}"


def _evidence(claim: dict[str, Any]) -> str:
    unit = (claim.get("stated") or {}).get("unit")
    lines = [format_evidence(item, unit) for item in claim.get("evidence") or []]
    return "<br>".join(escape(line) for line in lines)


def verdict_badge(verdict: str) -> str:
    css = "verdict-" + "-".join(verdict.lower().split())
    return f'<span class="verdict {escape(css)}">{escape(verdict)}</span>'


def claims_html(claims: dict[str, Any] | None) -> str:
    if claims is None:
        return ""
    items = claims.get("claims") or []
    counts = Counter(str(c.get("verdict", "")) for c in items)
    summary = ", ".join(f"{n} {v}" for v, n in counts.most_common())
    rows = []
    for claim in items:
        rows.append(
            "<tr>"
            f"<td>{escape(str(claim.get('text', '')))}</td>"
            f"<td>{verdict_badge(str(claim.get('verdict', '')))}</td>"
            f"<td>{escape(format_stated(claim.get('stated') or {}))}</td>"
            f"<td>{_evidence(claim)}</td>"
            f"<td>{escape(str(claim.get('explanation') or ''))}</td>"
            "</tr>"
        )
    head = "<tr><th>Claim</th><th>Verdict</th><th>Stated</th><th>Evidence</th><th>Why</th></tr>"
    return (
        '<section id="claims"><h2>Claims and verdicts</h2>'
        f"<p>{len(items)} quantitative claims: {escape(summary) or 'none found'}.</p>"
        f'<table class="claims"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
        "</section>"
    )


def catalogue_html(report: PairReport) -> str:
    notes = "".join(
        f"<li><b>{escape(source)}</b>: {escape(note)}</li>"
        for source, lines in report.notes.items()
        for note in lines
    )
    notes_html = f'<ul class="note">{notes}</ul>' if notes else ""
    return table_html(report.catalogue, CATALOGUE_COLUMNS, css="catalogue") + notes_html


def render_html(report: PairReport) -> str:
    """The whole report as one HTML document (a str)."""
    template = Template(
        files("bilateral.report").joinpath("templates/report.html").read_text(encoding="utf-8")
    )
    return template.substitute(
        title=escape(report.title),
        version=escape(__version__),
        made_on=escape(report.made_on),
        headline=headline_html(report),
        sections="\n".join(section_html(s, report.currency) for s in report.sections.values()),
        claims=claims_html(report.claims),
        catalogue=catalogue_html(report),
        vega_version=vendor.version("vega"),
        vegalite_version=vendor.version("vega-lite"),
        vegaembed_version=vendor.version("vega-embed"),
        vega_js=vendor.script("vega"),
        vegalite_js=vendor.script("vega-lite"),
        vegaembed_js=vendor.script("vega-embed"),
    )
