"""Vega-Lite charts (built with Altair) of the figures a report shows.

Each builder takes a table from :mod:`bilateral.report.figures` (or the profile) and returns
an Altair chart; the HTML report inlines its spec, the dashboard fetches it from the API,
and ``bilateral chart`` renders it to PNG or SVG with vl-convert. Money is drawn in
billions of the report's currency (``value_usd`` holds it, as in the answers), which
every money axis and tooltip names; shares in percent; tooltips give the exact figure
and its source.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

WIDTH = 560
FLOW_COLOURS = {"turnover": "#1f4e79", "exports": "#2e8b57", "imports": "#c0504d"}
HIGHLIGHT = "#c0504d"
OTHER = "#8fa8c8"


def _billions(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["billions"] = frame["value_usd"] / 1e9
    return frame


def billions_title(currency: str) -> str:
    """The title of a money axis: 'USD bn', 'EUR bn'."""
    return f"{currency} bn"


def year_axis() -> alt.Axis:
    """A year axis whose labels never run together ("19941996"): whole years only, and a
    label is dropped rather than drawn closer than a few pixels to its neighbour (the
    first and last are centred on their ticks like the others, not pushed inwards)."""
    return alt.Axis(
        format="d",
        tickMinStep=1,
        labelAngle=0,
        labelFlush=False,
        labelOverlap="greedy",
        labelSeparation=8,
    )


def _view(frame: pd.DataFrame) -> pd.Series:
    """One label per published view: the source, and whose statistics it is."""
    return frame["source"] + " (" + frame["statistics_of"] + ")"


def series_chart(series: pd.DataFrame, title: str, currency: str = "USD") -> alt.Chart:
    """Turnover, exports and imports over all years, one line per flow and per source.

    ``series`` is :func:`~bilateral.report.figures.pair_series` output; balance is left out
    (it would share the axis with flows of the other sign).
    """
    frame = _billions(series[series["flow"].isin(list(FLOW_COLOURS))])
    frame["view"] = _view(frame)
    flows = list(FLOW_COLOURS)
    return (
        alt.Chart(frame, title=title, width=WIDTH, height=280)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "year:Q",
                title="Year",
                scale=alt.Scale(zero=False, nice=False),
                axis=year_axis(),
            ),
            y=alt.Y("billions:Q", title=billions_title(currency)),
            color=alt.Color(
                "flow:N",
                title="Flow",
                scale=alt.Scale(domain=flows, range=[FLOW_COLOURS[f] for f in flows]),
                sort=flows,
            ),
            strokeDash=alt.StrokeDash("view:N", title="Source (statistics of)"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("flow:N", title="Flow"),
                alt.Tooltip("billions:Q", title=billions_title(currency), format=",.3f"),
                alt.Tooltip("view:N", title="Source (statistics of)"),
            ],
        )
    )


def partners_chart(
    ranking: pd.DataFrame, highlight: str, title: str, top: int = 15, currency: str = "USD"
) -> alt.Chart:
    """A reporter's largest partners as horizontal bars, the chosen partner in red.

    ``ranking`` is :func:`~bilateral.report.figures.partner_ranking` output for one flow;
    with several sources the bars are drawn side by side per partner.
    """
    frame = _billions(ranking[ranking["rank"] <= top])
    frame["view"] = _view(frame)
    frame["chosen"] = frame["partner"] == highlight
    several = frame["view"].nunique() > 1
    colour = (
        alt.Color("view:N", title="Source (statistics of)")
        if several
        else alt.Color(
            "chosen:N",
            scale=alt.Scale(domain=[True, False], range=[HIGHLIGHT, OTHER]),
            legend=None,
        )
    )
    encoding: dict[str, Any] = {
        "y": alt.Y("partner_name:N", title=None, sort=alt.SortField("rank")),
        "x": alt.X("billions:Q", title=billions_title(currency)),
        "color": colour,
        "tooltip": [
            alt.Tooltip("rank:Q", title="Rank"),
            alt.Tooltip("partner_name:N", title="Partner"),
            alt.Tooltip("billions:Q", title=billions_title(currency), format=",.3f"),
            alt.Tooltip("share:Q", title="Share, %", format=".2f"),
            alt.Tooltip("view:N", title="Source (statistics of)"),
        ],
    }
    if several:
        encoding["yOffset"] = alt.YOffset("view:N")
    return alt.Chart(frame, title=title, width=WIDTH).mark_bar().encode(**encoding)


def structure_chart(
    structure: pd.DataFrame, title: str, top: int = 12, currency: str = "USD"
) -> alt.Chart:
    """What each flow between the two countries is made of: HS sections as bars.

    ``structure`` is :func:`~bilateral.report.figures.structure` output; one panel per
    flow, each bar a section's share of that flow (one source: the first listed).
    """
    frame = structure[structure["source"] == structure["source"].iloc[0]].copy()
    frame = _billions(frame[frame["rank"] <= top])
    frame["label"] = frame["product"] + " " + frame["product_name"].fillna("").str.slice(0, 45)
    return (
        alt.Chart(frame, width=WIDTH / 2 - 40)
        .mark_bar(color="#1f4e79")
        .encode(
            y=alt.Y(
                "label:N", title=None, sort=alt.SortField("rank"), axis=alt.Axis(labelLimit=260)
            ),
            x=alt.X("share:Q", title="Share of the flow, %"),
            tooltip=[
                alt.Tooltip("product:N", title="HS section"),
                alt.Tooltip("product_name:N", title="Products"),
                alt.Tooltip("billions:Q", title=billions_title(currency), format=",.3f"),
                alt.Tooltip("share:Q", title="Share, %", format=".1f"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
        .facet(column=alt.Column("flow:N", title=None))
        .resolve_scale(y="independent")
        .properties(title=title)
    )


def dependence_chart(dependence: pd.DataFrame, title: str, top: int = 4) -> alt.Chart:
    """Each key product group's suppliers as a stacked bar of shares of the group's imports.

    ``dependence`` is :func:`~bilateral.report.figures.dependence` output; suppliers beyond
    the ``top`` of each group and source are drawn together as 'Others'. Where a source
    lists only large partners (FAOSTAT), the bars are shares of the listed ones.
    """
    frame = dependence.copy()
    frame["bar"] = frame["group_name"] + " (" + frame["source"] + ")"
    frame.loc[frame["rank"] > top, "supplier_name"] = "Others"
    frame = frame.groupby(["bar", "group", "supplier_name"], as_index=False, sort=False)[
        "share"
    ].sum()
    return (
        alt.Chart(frame, title=title, width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y("bar:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("share:Q", title="Share of imports, %", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("supplier_name:N", title="Supplier"),
            order=alt.Order("share:Q", sort="descending"),
            tooltip=[
                alt.Tooltip("bar:N", title="Product group"),
                alt.Tooltip("supplier_name:N", title="Supplier"),
                alt.Tooltip("share:Q", title="Share, %", format=".1f"),
            ],
        )
    )


def mirror_chart(
    mirror: pd.DataFrame, title: str, years: int = 10, currency: str = "USD"
) -> alt.Chart:
    """The same flow as its exporter and its importer report it, year by year.

    ``mirror`` is :func:`~bilateral.report.figures.mirror_sides` output (one row per
    direction, year and reporting side). Drawn for the years where two sides can be
    compared, else for the last ``years`` years.
    """
    sides = mirror.groupby(["direction", "year"])["side"].nunique()
    compared = sorted({year for (_, year), n in sides.items() if n > 1})
    shown = compared or sorted(set(mirror["year"]))[-years:]
    frame = _billions(mirror[mirror["year"].isin(shown)])
    return (
        alt.Chart(frame, width=WIDTH / 2 - 40, height=220)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("side:N"),
            y=alt.Y("billions:Q", title=billions_title(currency)),
            color=alt.Color("side:N", title="Reported by"),
            tooltip=[
                alt.Tooltip("direction:N", title="Flow"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("side:N", title="Reported by"),
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("billions:Q", title=billions_title(currency), format=",.3f"),
            ],
        )
        .facet(column=alt.Column("direction:N", title=None))
        .properties(title=title)
    )
