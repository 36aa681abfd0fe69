"""What a report on two countries holds: headline figures, charts, tables and verdicts.

:func:`gather` reads everything once from the store (the profile and a few indicators
over all years); the HTML report, ``bilateral chart`` and the dashboard all draw from the
same :class:`PairReport`, so a figure reads the same wherever it is shown. A section the
loaded data cannot fill says why, in the profile's own words, instead of showing zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import altair as alt
import pandas as pd

from bilateral.answers.currency import check_currency, frame_in_currency
from bilateral.answers.inputs import check_source
from bilateral.errors import BilateralError, NotAvailableError
from bilateral.reference.countries import Country, countries
from bilateral.report import charts, figures, sanctions
from bilateral.report.verdicts import check_text
from bilateral.store import Store

CHART_KINDS = ("series", "partners", "structure", "dependence", "mirror")

HEADLINE_NAMES = (
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
    not_available: list[str]
    sections: dict[str, Section]
    notes: dict[str, list[str]]
    catalogue: list[dict[str, object]]
    claims: dict[str, Any] | None = None
    currency: str = "USD"
    made_on: str = field(default_factory=lambda: date.today().isoformat())

    @property
    def title(self) -> str:
        return f"{self.reporter.name_en} and {self.partner.name_en}, {self.year}"


def resolve_country(text: str) -> Country:
    """A country from a code or an English or Russian name (UnknownCountryError otherwise)."""
    return countries().resolve(text)


def statistics_of(record: dict[str, Any]) -> str:
    """Whose statistics a profile record is (a country, or 'reconciled')."""
    detail = record.get("detail") or {}
    return str(detail.get("statistics_of") or record.get("reported_by") or "")


def headline_table(profile: dict[str, Any]) -> pd.DataFrame:
    """One row per source and country whose statistics it is; one column per indicator."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for record in profile["indicators"]:
        if record["name"] in HEADLINE_NAMES and record["value"] is not None:
            key = (record["source"], statistics_of(record))
            rows.setdefault(key, {"source": key[0], "statistics_of": key[1]})
            rows[key][record["name"]] = record["value"]
    columns = ["source", "statistics_of", *HEADLINE_NAMES]
    return pd.DataFrame(list(rows.values()), columns=columns)


def notes_for(profile: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """The distinct 'not available in ...' notes of the records with these names."""
    found: dict[str, None] = {}
    for record in profile["indicators"]:
        if record["name"] in names and record["value"] is None and record.get("note"):
            found.setdefault(str(record["note"]), None)
    return list(found)


def sentence(text: str) -> str:
    """'not available in x: why' -> 'Not available in x: why.'"""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def has_values(profile: dict[str, Any], names: tuple[str, ...]) -> bool:
    """Whether any record of these names has a value (else the family has no data here)."""
    return any(r["name"] in names and r["value"] is not None for r in profile["indicators"])


def sources_used(profile: dict[str, Any], series: pd.DataFrame) -> list[str]:
    """Every source that gave a figure to the report (mirror records name two: 'a+b')."""
    named = {r["source"] for r in profile["indicators"] if r["value"] is not None}
    named |= set(series["source"])
    return sorted({part for name in named for part in str(name).split("+")})


def _series_section(series: pd.DataFrame, title: str, currency: str) -> Section:
    heading = "Turnover, exports and imports over the years"
    if series.empty:
        return Section("series", heading, missing="No source in the store has this pair.")
    return Section("series", heading, chart=charts.series_chart(series, title, currency))


def _partners_section(
    store: Store,
    reporter: Country,
    partner: Country,
    year: int,
    source: str | None,
    currency: str,
) -> Section:
    title = f"{reporter.name_en}'s largest partners in {year}, by turnover"
    ranking = figures.partner_ranking(store, reporter.code, year, "turnover", source)
    ranking = frame_in_currency(ranking, ["value_usd"], currency, year)
    if ranking.empty:
        return Section(
            "partners",
            title,
            missing=f"No source in the store has {reporter.name_en}'s own statistics by "
            f"partner for {year}.",
        )
    return Section(
        "partners",
        title,
        chart=charts.partners_chart(ranking, partner.code, title, currency=currency),
        table=ranking[ranking["rank"] <= 15],
    )


def _structure_section(
    store: Store,
    a: Country,
    b: Country,
    year: int,
    source: str | None,
    profile: dict[str, Any],
    currency: str,
) -> Section:
    title = f"What {a.name_en} and {b.name_en} trade, by HS section"
    names = ("exports_by_section", "imports_by_section")
    held = has_values(profile, names)
    frame = figures.structure(store, a.code, b.code, year, source) if held else pd.DataFrame()
    frame = frame_in_currency(frame, ["value_usd"], currency, year)
    if frame.empty:
        why = notes_for(profile, names)
        return Section("structure", title, missing="; ".join(why) or "No HS product detail.")
    return Section(
        "structure",
        title,
        chart=charts.structure_chart(frame, title, currency=currency),
        table=frame[frame["rank"] <= 12],
    )


def _dependence_section(
    store: Store,
    a: Country,
    b: Country,
    year: int,
    source: str | None,
    profile: dict[str, Any],
    currency: str,
) -> Section:
    title = f"{a.name_en}'s suppliers of key product groups, {year}"
    held = has_values(profile, ("supplier_share", "supplier_share_hhi"))
    frame = figures.dependence(store, a.code, year, source=source) if held else pd.DataFrame()
    frame = frame_in_currency(frame, ["value_usd"], currency, year)
    if frame.empty:
        why = notes_for(profile, ("supplier_share",))
        return Section("dependence", title, missing="; ".join(why) or "No product detail.")
    caveats = sorted({str(c) for c in frame["caveat"].dropna()})
    shown = set(frame["source"])
    missing = [
        str(r["note"])
        for r in profile["indicators"]
        if r["name"] == "supplier_share"
        and r["value"] is None
        and r["source"] in shown
        and r.get("group") in figures.KEY_GROUPS
        and r.get("note")
        and r["group"] not in set(frame["group"])
    ]
    return Section(
        "dependence",
        title,
        chart=charts.dependence_chart(frame, title),
        table=frame[frame["rank"] <= 5],
        note=" ".join(sentence(text) for text in [*caveats, *missing]),
    )


MIRROR_MONEY = ("by_exporter_value_usd", "by_importer_value_usd", "reconciled_value_usd", "gap_usd")


def _mirror_section(
    store: Store, a: Country, b: Country, source: str | None, currency: str
) -> Section:
    title = "Mirror statistics: each flow as the exporter and the importer report it"
    table = frame_in_currency(figures.mirror(store, a.code, b.code, source), MIRROR_MONEY, currency)
    sides = figures.mirror_sides(table)
    if sides.empty:
        return Section("mirror", title, missing="No source in the store has this pair.")
    gaps = figures.mirror_gaps(table)
    note = ""
    if gaps.empty:
        held = sorted(set(sides["source"] + " (" + sides["side"] + "s)"))
        note = (
            "Only one side of each flow is in the store ("
            + ", ".join(held)
            + "); ingest the other country's statistics to compare the two."
        )
    return Section(
        "mirror",
        title,
        chart=charts.mirror_chart(sides, title, currency=currency),
        table=gaps if not gaps.empty else None,
        note=note,
    )


def _sanctions_section(store: Store, b: Country, year: int, currency: str) -> Section:
    title = f"Sanctions lens: EU exports of listed goods to {b.name_en}"
    try:
        lens = sanctions.report_lens(store, b.code, year, currency)
    except NotAvailableError as error:
        return Section("sanctions", title, missing=str(error))
    chart_title = f"EU exports to {b.name_en}: listed and other goods, monthly index"
    return Section(
        "sanctions",
        title,
        chart=sanctions.index_chart(lens, chart_title),
        table=sanctions.change_table(lens),
        note=sanctions.lens_note(lens),
    )


def gather(
    store: Store,
    reporter: str,
    partner: str,
    year: int,
    *,
    source: str | None = None,
    text: str | None = None,
    currency: str = "USD",
) -> PairReport:
    """Read every figure of the report from ``store`` (and check ``text`` when given).

    Money in ``currency``: USD, or EUR at the ECB's annual average of each figure's year
    (the sanctions lens at each month's rate), so the page speaks one currency.
    Raises NotAvailableError when no source has the pair's totals in ``year`` (saying
    which years it has), UnknownCountryError for a name the reference does not know.
    """
    a, b = resolve_country(reporter), resolve_country(partner)
    if a.code == b.code:
        raise BilateralError(f"Reporter and partner are both {a.name_en}; choose two countries.")
    check_source(store, source)
    check_currency(currency)
    series = figures.pair_series(store, a.code, b.code, source)
    if year not in set(series["year"]):
        held = sorted(set(series["year"]))
        where = f"in {source}" if source else "in the store"
        span = f"; it has {a.code}-{b.code} for {held[0]}-{held[-1]}" if held else ""
        raise NotAvailableError(f"No figures for {a.code}-{b.code} in {year} {where}{span}.")
    profile = figures.pair_profile(store, a.code, b.code, year, source, currency)
    priced = frame_in_currency(series, ["value_usd"], currency)
    sections = {
        "series": _series_section(priced, f"{a.name_en} - {b.name_en} trade, by source", currency),
        "partners": _partners_section(store, a, b, year, source, currency),
        "structure": _structure_section(store, a, b, year, source, profile, currency),
        "dependence": _dependence_section(store, a, b, year, source, profile, currency),
        "mirror": _mirror_section(store, a, b, source, currency),
        "sanctions": _sanctions_section(store, b, year, currency),
    }
    headline = headline_table(profile)
    used = sources_used(profile, series)
    return PairReport(
        reporter=a,
        partner=b,
        year=year,
        source=source,
        profile=profile,
        headline=headline,
        not_available=[
            str(r["note"])
            for r in profile["indicators"]
            if r["name"] == "turnover"
            and r["value"] is None
            and r.get("note")
            and r["source"] not in set(headline["source"])
        ],
        sections=sections,
        notes={s: store.notes(s) for s in used if store.notes(s)},
        catalogue=[e.as_dict() for e in store.catalogue() if e.source in used],
        claims=check_text(store, text) if text is not None else None,
        currency=currency,
    )


def chart_of(report: PairReport, kind: str) -> alt.TopLevelMixin:
    """The chart of one section, or NotAvailableError saying why there is none."""
    if kind not in CHART_KINDS:
        raise BilateralError(f"Unknown chart '{kind}'; choose one of {', '.join(CHART_KINDS)}.")
    section = report.sections[kind]
    if section.chart is None:
        raise NotAvailableError(f"No {kind} chart for {report.title}: {section.missing}")
    return section.chart
