"""A country's partners, ranked per source, with shares and the change on the year before.

``partners(store, "KAZ", 2022)`` answers "who does Kazakhstan trade with, and who moved?":
per source (and whose statistics), the partner countries ranked by the flow, their shares
of the reporter's trade with the world, their rank and value the year before; aggregates
(World, CIS, EAEU, EU27, continents) and unspecified partners are listed apart, never
ranked among countries. What a source's partner table holds decides whether a share and a
rank exist (:mod:`bilateral.indicators.coverage`); where not, ``note`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from bilateral.answers.currency import check_currency, in_currency
from bilateral.answers.inputs import check_source
from bilateral.answers.result import Answer
from bilateral.errors import BilateralError, NotAvailableError
from bilateral.indicators.partners import aggregate_partners, partner_ranking
from bilateral.questions import PARTNER_FLOWS
from bilateral.reference.countries import countries
from bilateral.reference.source_basis import growth_in_publishers_currency
from bilateral.store import Store

FLOWS = PARTNER_FLOWS

SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("statistics_of", pa.string()),
        ("reported_by", pa.string()),
        ("year", pa.int32()),
        ("flow", pa.string()),
        ("partner", pa.string()),
        ("partner_name", pa.string()),
        ("kind", pa.string()),  # country | total | group | unspecified
        ("value_usd", pa.float64()),
        ("share", pa.float64()),
        ("rank", pa.int64()),
        ("n_partners", pa.int64()),
        ("previous_value_usd", pa.float64()),
        ("growth_pct", pa.float64()),
        ("growth_currency", pa.string()),
        ("growth_usd_pct", pa.float64()),
        ("previous_share", pa.float64()),
        ("previous_rank", pa.int64()),
        ("rank_change", pa.int64()),
        ("world_usd", pa.float64()),
        ("world_basis", pa.string()),
        ("note", pa.string()),
    ]
)


@dataclass(frozen=True)
class PartnerTable:
    """One source's view of the reporter's partners: whose statistics, and whether its
    partner table is complete (shares and ranks exist) or why not."""

    source: str
    statistics_of: str
    ranked: bool
    why: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "statistics_of": self.statistics_of,
            "ranked": self.ranked,
            "why": self.why,
        }


@dataclass(frozen=True, kw_only=True)
class Partners(Answer):
    """The reporter's partners in ``year`` by ``flow``: one row per source, statistics and
    partner (see :data:`SCHEMA`). Countries come first, ranked (1 = largest; ties share a
    rank), then the aggregates of the same view with ``rank`` null. ``rank_change`` is
    previous_rank - rank: positive when the partner moved up. Money in ``currency``,
    shares and growth in percent."""

    reporter: str
    year: int
    flow: str
    top: int | None
    tables: tuple[PartnerTable, ...]

    def of(self, source: str, statistics_of: str, kind: str = "country") -> list[dict[str, Any]]:
        """The rows of one view: its countries (``kind='country'``) or everything else."""
        return [
            r
            for r in self.rows()
            if (r["source"], r["statistics_of"]) == (source, statistics_of)
            and ((r["kind"] == "country") == (kind == "country"))
        ]


def _name(code: str) -> str:
    country = countries().by_code.get(code)
    return country.name_en if country else code


def _kind(code: str) -> str:
    country = countries().by_code.get(code)
    return country.kind if country is not None and country.is_aggregate else "country"


def _top(frame: pd.DataFrame, top: int | None) -> pd.DataFrame:
    """The first ``top`` countries of each view (by rank, by value where unranked)."""
    if top is None or frame.empty:
        return frame
    return frame.groupby(["source", "statistics_of"], sort=False, group_keys=False).head(top)


def partners(
    store: Store,
    reporter: str,
    year: int,
    *,
    flow: str = "turnover",
    top: int | None = None,
    source: str | None = None,
    currency: str = "USD",
) -> Partners:
    """``reporter``'s partners in ``year`` ranked by ``flow``, per source and statistics.

    Parameters
    ----------
    store
        The store to ask.
    reporter
        Code or name (KAZ, Казахстан, 398).
    year
        The year; the year before gives each partner's previous rank, value and share.
    flow
        turnover, exports or imports.
    top
        Only the first ``top`` countries of each view (aggregates are always listed).
    source
        One source only; every source when absent.
    currency
        USD or EUR: money at the ECB's annual average rate of its year, growth
        recomputed from the converted amounts (shares and ranks do not change).

    Returns
    -------
    Partners
        One row per view and partner, countries ranked first, then aggregates.

    A partner absent the year before has null previous figures (its rank change is
    unknown, not a jump). Values in ``currency``, shares in percent of the reporter's
    world.
    """
    check_currency(currency)
    if flow not in FLOWS:
        raise BilateralError(f"Unknown flow '{flow}'; choose one of {', '.join(FLOWS)}.")
    if top is not None and top < 1:
        raise BilateralError(f"--top must be at least 1, not {top}.")
    a = countries().resolve(reporter).code
    check_source(store, source)
    flows, totals = store.flows(years=(year - 1, year)), store.totals()
    ranked = [partner_ranking(flows, a, y, source=source, totals=totals) for y in (year, year - 1)]
    both = ranked[0].union(ranked[1], distinct=False)
    frame = store.execute(both.filter(both.flow == flow))
    apart = [
        aggregate_partners(flows, a, y, source=source, totals=totals) for y in (year, year - 1)
    ]
    groups = apart[0].union(apart[1], distinct=False)
    aggregates = store.execute(groups.filter(groups.flow == flow))
    aggregates_before = aggregates[aggregates["year"] == year - 1]
    aggregates = aggregates[aggregates["year"] == year]

    now = frame[frame["year"] == year].copy()
    if now.empty and aggregates.empty:
        where = f"in {source}" if source else "in any source of the store"
        raise NotAvailableError(f"No partner table of {a} for {year} {where}.")
    keys = ["source", "statistics_of", "partner"]
    before = frame[frame["year"] == year - 1][[*keys, "value_usd", "share", "rank"]]
    before = before.rename(
        columns={
            "value_usd": "previous_value_usd",
            "share": "previous_share",
            "rank": "previous_rank",
        }
    )
    now = now.merge(before, on=keys, how="left")
    now["kind"] = "country"
    now = now.sort_values(
        ["source", "statistics_of", "rank", "value_usd", "partner"],
        ascending=[True, True, True, False, True],
        na_position="last",
    )
    now = _top(now, top)

    previous = {
        (r["source"], r["statistics_of"], r["partner"]): r["value_usd"]
        for r in aggregates_before.to_dict("records")
    }
    world = now.drop_duplicates(["source", "statistics_of"]).set_index(["source", "statistics_of"])[
        ["world_usd", "world_basis", "note"]
    ]
    aggregates = aggregates.sort_values(["source", "statistics_of", "value_usd"], ascending=False)
    apart_rows = []
    for row in aggregates.to_dict("records"):
        view = (row["source"], row["statistics_of"])
        known = world.loc[view] if view in world.index else None
        world_usd = None if known is None or pd.isna(known["world_usd"]) else known["world_usd"]
        share = 100.0 * row["value_usd"] / world_usd if world_usd else None
        note = None
        if share is None:
            note = (
                f"share not available in {row['source']}: the store does not hold the world total"
            )
        apart_rows.append(
            {
                **row,
                "kind": _kind(row["partner"]),
                "share": share,
                "world_usd": world_usd,
                "world_basis": None if known is None else known["world_basis"],
                "previous_value_usd": previous.get((*view, row["partner"])),
                "note": note,
            }
        )
    rows: list[dict[str, Any]] = []
    views = sorted(
        {*zip(now["source"], now["statistics_of"], strict=True)}
        | {(r["source"], r["statistics_of"]) for r in apart_rows}
    )
    tables = []
    for view in views:
        mine = now[(now["source"] == view[0]) & (now["statistics_of"] == view[1])]
        ranked_rows = mine.to_dict("records")
        why = next((r["note"] for r in ranked_rows if isinstance(r["note"], str)), None)
        tables.append(PartnerTable(view[0], view[1], bool(mine["rank"].notna().any()), why))
        rows.extend(ranked_rows)
        rows.extend(r for r in apart_rows if (r["source"], r["statistics_of"]) == view)
    for row in rows:
        row["year"] = year
        row["partner_name"] = _name(row["partner"])
        for column in ("rank", "previous_rank", "n_partners"):
            value = row.get(column)
            row[column] = None if value is None or pd.isna(value) else int(value)
        for column in ("share", "previous_value_usd", "previous_share", "world_usd"):
            value = row.get(column)
            row[column] = None if value is None or pd.isna(value) else float(value)
        previous = row["previous_value_usd"]
        growth_usd = 100.0 * (row["value_usd"] / previous - 1.0) if previous else None
        stated, stated_in = growth_in_publishers_currency(row["source"], year, growth_usd)
        row["growth_pct"] = stated
        row["growth_currency"] = stated_in if stated is not None else None
        row["growth_usd_pct"] = growth_usd
        row["rank_change"] = (
            row["previous_rank"] - row["rank"]
            if row["rank"] is not None and row["previous_rank"] is not None
            else None
        )
        for column in ("note", "world_basis", "reported_by"):  # pandas' NaN for no text
            if isinstance(row.get(column), float):
                row[column] = None
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    notes = tuple(f"{t.source} ({t.statistics_of}'s statistics): {t.why}" for t in tables if t.why)
    answer = Partners(
        table=table,
        sources=tuple(dict.fromkeys(t.source for t in tables)),
        notes=notes,
        reporter=a,
        year=year,
        flow=flow,
        top=top,
        tables=tuple(tables),
    )
    return in_currency(answer, currency)
