"""The report's sanctions lens: EU exports of listed goods to the partner, year on year.

Reads :func:`bilateral.answers.sanctions.sanctions_lens` (the same figures ``bilateral
sanctions`` prints) for the report's partner and year: the same months of the year
before and the report's year, up to the latest month the store holds. When the store
has no Comext rows for the partner in that year the section says so in one line.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from bilateral.answers.sanctions import COMEXT, Period, SanctionsLens, latest_period, sanctions_lens
from bilateral.errors import NotAvailableError
from bilateral.indicators.sanctions import ALL_TIERS
from bilateral.report.charts import WIDTH
from bilateral.store import Store

LIST = "eu-cn8"
LINE_COLOURS = {"listed": "#c0504d", "other": "#1f4e79"}


def report_period(store: Store, partner: str, year: int) -> Period:
    """Jan..latest month of ``year`` against the same months of the year before."""
    latest = latest_period(store, partner)
    if latest.current_year < year:
        raise NotAvailableError(
            f"The store's Comext rows of EU exports to {partner} end in "
            f"{latest.current_year}-{latest.last_month:02d}, before {year}."
        )
    if latest.current_year > year:
        return Period(year - 1, year, 1, 12)
    return latest


def report_lens(store: Store, partner: str, year: int, currency: str = "USD") -> SanctionsLens:
    """The lens on EU exports to ``partner`` in ``year``, or NotAvailableError saying why not.

    Money in the report's ``currency``, so that one page speaks one currency."""
    if COMEXT not in store.sources():
        raise NotAvailableError(
            f"No sanctions lens: the store holds no Comext CN8 rows of EU exports to {partner} "
            "(ingest the Comext downloads: bilateral ingest PATH/comext-cn8)."
        )
    return sanctions_lens(
        store, partner, LIST, report_period(store, partner, year), currency=currency
    )


def index_chart(lens: SanctionsLens, title: str) -> alt.Chart:
    """Listed and other goods month by month, indexed to the base year's monthly mean."""
    rows = [
        {
            "month": f"{r['year']}-{r['month']:02d}",
            "goods": goods,
            "index": r[f"{goods}_index"],
            "value_usd": r[goods],
        }
        for r in lens.index
        for goods in LINE_COLOURS
    ]
    frame = pd.DataFrame(rows, columns=["month", "goods", "index", "value_usd"])
    frame["millions"] = frame["value_usd"] / 1e6
    goods = list(LINE_COLOURS)
    return (
        alt.Chart(frame, title=title, width=WIDTH, height=260)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T", title="Month", axis=alt.Axis(format="%Y-%m")),
            y=alt.Y("index:Q", title=f"Index, {lens.period.base_year} monthly mean = 100"),
            color=alt.Color(
                "goods:N",
                title="Goods",
                scale=alt.Scale(domain=goods, range=[LINE_COLOURS[g] for g in goods]),
            ),
            tooltip=[
                alt.Tooltip("month:N", title="Month"),
                alt.Tooltip("goods:N", title="Goods"),
                alt.Tooltip("index:Q", title="Index", format=",.1f"),
                alt.Tooltip("millions:Q", title=f"{lens.currency} m", format=",.2f"),
            ],
        )
    )


def change_table(lens: SanctionsLens) -> pd.DataFrame:
    """Listed, other and all goods in both periods, with the change and the exposure."""
    change = lens.change
    share = {r["period"]: r["share_pct"] for r in lens.exposure if r["tier"] == ALL_TIERS}
    period = lens.period
    base, current = period.label(period.base_year), period.label(period.current_year)
    rows = [
        {
            "goods": goods,
            "base_period": base,
            "base_usd": change.get(f"{key}_base"),
            "current_period": current,
            "current_usd": change.get(f"{key}_current"),
            "change_pct": change.get(f"{key}_change_pct"),
        }
        for goods, key in (("listed", "listed"), ("other", "other"), ("all", "total"))
    ]
    frame = pd.DataFrame(rows)
    frame["base_share"] = [share.get(base) if r["goods"] == "listed" else None for r in rows]
    frame["current_share"] = [share.get(current) if r["goods"] == "listed" else None for r in rows]
    return frame


def lens_note(lens: SanctionsLens) -> str:
    gap = lens.change.get("gap_pp")
    said = (
        f"Listed goods changed {gap:+,.1f} percentage points against other goods. "
        if gap is not None
        else ""
    )
    return (
        f"{said}{lens.product_list.title}; EU27 member states' exports as they report them "
        f"(Eurostat Comext DS-045409, {', '.join(lens.releases)}); "
        + "; ".join(lens.notes[:1])
        + "."
    )
