"""What a report on two countries holds: headline figures, charts, tables and verdicts.

:func:`gather` reads everything once from the store; the HTML report, ``bilateral chart``
and the dashboard's chart endpoint all draw from the same :class:`PairReport`, so a figure
reads the same wherever it is shown. A section the loaded data cannot fill says why
instead of showing zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from bilateral.errors import BilateralError, NotAvailableError
from bilateral.reference.countries import Country, countries
from bilateral.report import charts, figures
from bilateral.report.verdicts import check_text
from bilateral.store import Store

CHART_KINDS = ("series", "partners", "structure", "dependence", "mirror")

HEADLINE_COLUMNS = (
    "turnover",
    "exports",
    "imports",
    "balance",
    "turnover_growth",
    "partner_share_turnover",
    "partner_rank_turnover",
    "partner_rank_exports",
    "partner_rank_imports",
)


@dataclass
class Section:
    """One part of the report: a chart and/or a table, or the reason it is empty."""

    kind: str
    title: str
    chart: alt.TopLevelMixin | None = None
    table: pd.DataFrame | None = None
    missing: str | None = None
    note: str = ""


@dataclass
class PairReport:
    """Everything shown about ``reporter`` and ``partner`` in ``year``."""

    reporter: Country
    partner: Country
    year: int
    source: str | None
    profile: dict[str, Any]
    headline: pd.DataFrame
    sections: dict[str, Section]
    notes: dict[str, list[str]]
    catalogue: list[dict[str, object]]
    claims: dict[str, Any] | None = None
    made_on: str = field(default_factory=lambda: date.today().isoformat())

    @property
    def title(self) -> str:
        return f"{self.reporter.name_en} and {self.partner.name_en}, {self.year}"


def resolve_country(text: str) -> Country:
    """A country from a code or an English or Russian name (UnknownCountryError otherwise)."""
    return countries().resolve(text)


def check_source(store: Store, source: str | None) -> None:
    if source is not None and source not in store.sources():
        held = ", ".join(store.sources()) or "nothing yet"
        raise NotAvailableError(f"Source '{source}' is not in the store; it holds {held}.")


def headline_table(profile: dict[str, Any]) -> pd.DataFrame:
    """One row per source and reporting country, one column per headline indicator."""
    records = [r for r in profile["indicators"] if r["name"] in HEADLINE_COLUMNS]
    if not records:
        return pd.DataFrame(columns=["source", "reported_by", *HEADLINE_COLUMNS])
    frame = pd.DataFrame(records).pivot_table(
        index=["source", "reported_by"], columns="name", values="value", aggfunc="first"
    )
    present = [c for c in HEADLINE_COLUMNS if c in frame.columns]
    return frame[present].reset_index()


def _series_section(series: pd.DataFrame, report_title: str) -> Section:
    title = "Turnover, exports and imports over the years"
    if series.empty:
        return Section("series", title, missing="No source in the store has this pair.")
    return Section("series", title, chart=charts.series_chart(series, report_title))


def _partners_section(
    store: Store, reporter: Country, partner: Country, year: int, source: str | None
) -> Section:
    title = f"{reporter.name_en}'s largest partners in {year}, by turnover"
    ranking = figures.partner_ranking(store, reporter.code, year, "turnover", source)
    if ranking.empty:
        return Section(
            "partners",
            title,
            missing=f"No source in the store publishes {reporter.name_en}'s own partner "
            f"figures for {year}.",
        )
    return Section(
        "partners",
        title,
        chart=charts.partners_chart(ranking, partner.code, title),
        table=ranking[ranking["rank"] <= 15],
    )


def _mirror_section(series: pd.DataFrame, reporter: Country, partner: Country) -> Section:
    title = "Mirror statistics: each flow as the exporter and the importer report it"
    mirror = figures.mirror_table(series, reporter.code, partner.code)
    gaps = figures.mirror_gaps(mirror)
    if mirror.empty:
        return Section("mirror", title, missing="No source in the store has this pair.")
    note = ""
    if gaps.empty:
        held = sorted(set(mirror["source"] + " (" + mirror["reported_by"] + ")"))
        note = (
            "Only one side's statistics of each flow are in the store ("
            + ", ".join(held)
            + "); ingest the other country's statistics to compare the two."
        )
    return Section(
        "mirror",
        title,
        chart=charts.mirror_chart(mirror, title),
        table=gaps if not gaps.empty else None,
        note=note,
    )


def _product_section(kind: str, title: str, store: Store, source: str | None) -> Section:
    """Structure and dependence need product-level (HS) figures; say so when there are none."""
    held = [source] if source else store.sources()
    return Section(
        kind,
        title,
        missing="Needs product-level (HS) trade figures, which the loaded data lacks: "
        + (", ".join(held) if held else "the store is empty")
        + " (totals by partner only).",
    )


def gather(
    store: Store,
    reporter: str,
    partner: str,
    year: int,
    *,
    source: str | None = None,
    text: str | None = None,
) -> PairReport:
    """Read every figure of the report from ``store`` (and check ``text`` when given)."""
    a, b = resolve_country(reporter), resolve_country(partner)
    if a.code == b.code:
        raise BilateralError(f"Reporter and partner are both {a.name_en}; choose two countries.")
    check_source(store, source)
    profile = figures.pair_profile(store, a.code, b.code, year, source)
    series = figures.pair_series(store, a.code, b.code, source)
    report_title = f"{a.name_en} - {b.name_en} trade, by source"
    sections = {
        "series": _series_section(series, report_title),
        "partners": _partners_section(store, a, b, year, source),
        "structure": _product_section(
            "structure", f"What {a.name_en} and {b.name_en} trade", store, source
        ),
        "dependence": _product_section(
            "dependence", f"{a.name_en}'s suppliers of key product groups", store, source
        ),
        "mirror": _mirror_section(series, a, b),
    }
    used = sorted({r["source"] for r in profile["indicators"]})
    catalogue = [e.as_dict() for e in store.catalogue() if e.source in used]
    return PairReport(
        reporter=a,
        partner=b,
        year=year,
        source=source,
        profile=profile,
        headline=headline_table(profile),
        sections=sections,
        notes={s: store.notes(s) for s in used if store.notes(s)},
        catalogue=catalogue,
        claims=check_text(store, text) if text is not None else None,
    )


def chart_of(report: PairReport, kind: str) -> alt.TopLevelMixin:
    """The chart of one section, or NotAvailableError saying why there is none."""
    if kind not in CHART_KINDS:
        raise BilateralError(f"Unknown chart '{kind}'; choose one of {', '.join(CHART_KINDS)}.")
    section = report.sections[kind]
    if section.chart is None:
        raise NotAvailableError(f"No {kind} chart for {report.title}: {section.missing}")
    return section.chart
