"""What A sells to B and buys from B, product by product, per product-level source.

``products(store, "KAZ", "RUS", 2022, level="chapter")`` answers "what does Kazakhstan
trade with Russia?": per product-level source (BACI, Comtrade, Comext CN8, FAOSTAT) and
whose statistics, the products of each flow ranked by value, each one's share of the
pair's flow, and B's share of A's trade with the world in that product (Russia's share of
Kazakhstan's exports of it) where the source's product partner table is complete
(:data:`bilateral.indicators.coverage.PRODUCT_TABLES`); elsewhere that share is "not
available", with the reason. The breakdown is
:func:`bilateral.indicators.structure.composition`, the partner share
:func:`bilateral.indicators.dependence.supplier_shares` and
:func:`~bilateral.indicators.dependence.destination_shares`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa

from bilateral.answers.currency import check_currency
from bilateral.answers.inputs import check_source
from bilateral.answers.result import Answer
from bilateral.errors import BilateralError, NotAvailableError
from bilateral.indicators.coverage import PRODUCT_TABLES, table_for
from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.structure import composition
from bilateral.questions import PRODUCT_FLOWS, PRODUCT_SOURCES
from bilateral.questions import PRODUCT_LEVELS as LEVELS
from bilateral.reference.countries import countries
from bilateral.reference.exchange_rates import convert
from bilateral.reference.products import ProductSelection, chapter_sections
from bilateral.reference.source_basis import basis_of
from bilateral.schema import TOTAL
from bilateral.store import Store

FLOWS = PRODUCT_FLOWS
#: What each product-level source holds: said with every answer, because a source that
#: holds only some products gives shares of those products, not of all trade.
HOLDS: Mapping[str, str] = {
    "baci": "every HS 6-digit product of the world matrix (reconciled figures)",
    "comtrade": "the HS 6-digit rows of the downloads ingested (a download asked for some "
    "commodities holds only those)",
    "comext_cn8": "only the CN8 codes on the EU's list of export sanctions on Russia, "
    "exports of EU member states to seven partners, published in euro",
    "faostat": "agricultural items only (FAO's items, not HS codes: the level does not "
    "apply), and per item only partners with at least a 5% share",
    "faostat_bulk": "agricultural items only (FAO's items, not HS codes: the level does "
    "not apply), every partner each reporter declared",
}

SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("statistics_of", pa.string()),
        ("reported_by", pa.string()),
        ("classification", pa.string()),
        ("year", pa.int32()),
        ("flow", pa.string()),
        ("exporter", pa.string()),
        ("importer", pa.string()),
        ("level", pa.string()),
        ("rank", pa.int64()),
        ("code", pa.string()),
        ("description", pa.string()),
        ("value", pa.float64()),
        ("share", pa.float64()),
        ("total", pa.float64()),
        ("share_of", pa.string()),
        ("n_codes", pa.int64()),
        ("world", pa.float64()),
        ("partner_share", pa.float64()),
        ("partner_share_note", pa.string()),
    ]
)


@dataclass(frozen=True)
class ProductView:
    """One breakdown: a source, whose statistics, a flow; what the source holds."""

    source: str
    statistics_of: str
    flow: str
    holds: str
    basis: str = ""  # currency, valuation, partner attribution and tables of the source

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "statistics_of": self.statistics_of,
            "flow": self.flow,
            "holds": self.holds,
            "basis": self.basis,
        }


@dataclass(frozen=True, kw_only=True)
class Products(Answer):
    """A's trade with B by product in ``year``: one row per source, statistics, flow and
    product (see :data:`SCHEMA`), ranked by value within each (1 = largest; ties share a
    rank). ``flow`` is A's: exports (A to B) or imports (A from B). ``share`` is the
    product's percent of ``total`` (``share_of`` says what that total is: the source's
    own total of the pair's flow, or the sum of the products it lists); ``partner_share``
    is B's percent of A's trade with the world in the product (``world``), null with
    ``partner_share_note`` saying why where the source cannot give it. Money in
    ``currency``."""

    reporter: str
    partner: str
    year: int
    level: str
    flows: tuple[str, ...]
    top: int | None
    views: tuple[ProductView, ...]

    def of(self, source: str, statistics_of: str, flow: str) -> list[dict[str, Any]]:
        """The ranked rows of one breakdown."""
        return [
            r
            for r in self.rows()
            if (r["source"], r["statistics_of"], r["flow"]) == (source, statistics_of, flow)
        ]


def _selection(code: str, description: str | None, level: str, rows: str) -> ProductSelection:
    """The product a breakdown's code stands for, as the dependence indicators read it."""
    name = description if isinstance(description, str) and description else code
    if rows == "FAO":
        return ProductSelection(code, name, (), (code,))
    if level == "section":
        chapters = tuple(c for c, s in chapter_sections().items() if s == code)
        return ProductSelection(code, name, chapters)
    return ProductSelection(code, name, (code,))


def _totals(store: Store, a: str, b: str, year: int, sources: list[str]) -> dict[tuple, float]:
    """(source, reported_by, flow) -> the source's own total of the pair's flow."""
    totals = store.totals()
    if totals is None:
        return {}
    t = totals.filter(
        (totals.year == year)
        & totals.source.isin(sources)
        & (totals.classification == TOTAL)
        & (
            ((totals.exporter == a) & (totals.importer == b))
            | ((totals.exporter == b) & (totals.importer == a))
        )
    )
    frame = store.execute(t.select("source", "reported_by", "exporter", "value_usd"))
    return {
        (r.source, r.reported_by, "exports" if r.exporter == a else "imports"): r.value_usd
        for r in frame.itertuples()
        if pd.notna(r.value_usd)
    }


def _partial_years(store: Store, a: str, b: str, year: int, sources: list[str]) -> list[str]:
    """Notes on sources holding only some months of the year for the pair: monthly
    figures are summed to a year only when all twelve are there."""
    flows = store.flows(years=(year,))
    t = flows.filter(
        flows.source.isin(sources)
        & flows.month.notnull()
        & (
            ((flows.exporter == a) & (flows.importer == b))
            | ((flows.exporter == b) & (flows.importer == a))
        )
    )
    frame = store.execute(t.group_by("source").aggregate(months=t.month.nunique()))
    return [
        f"{r.source} holds {r.months} months of {year} for {a} and {b}: an incomplete year is "
        "not summed (unknown, not a partial sum)"
        for r in frame.itertuples()
        if r.months < 12
    ]


def _partner_shares(
    store: Store,
    a: str,
    b: str,
    year: int,
    flow: str,
    source: str,
    selections: list[ProductSelection],
) -> dict[tuple[str, str], tuple[float | None, float | None]]:
    """(statistics_of, code) -> (A's world trade in the product, B's percent of it)."""
    if not selections:
        return {}
    shares = destination_shares if flow == "exports" else supplier_shares
    t = shares(store.flows(years=(year,)), a, selections, year, source=source)
    frame = store.execute(t.filter(t.partner == b))
    return {
        (r.statistics_of, r.product): (
            None if pd.isna(r.world_usd) else float(r.world_usd),
            None if pd.isna(r.share) else float(r.share),
        )
        for r in frame.itertuples()
    }


def _why_no_partner_share(source: str, a: str, b: str, statistics_of: str) -> str | None:
    """Why B's share of A's world trade in a product is not available, or None."""
    entry = table_for(PRODUCT_TABLES, source, a)
    if entry is not None and not entry.complete:
        return f"not available in {source}: {entry.why}"
    if statistics_of not in (a, "reconciled"):
        return (
            f"not available in {b}'s statistics: {a}'s trade with the world in the product "
            f"is in {a}'s statistics"
        )
    return None


def products(
    store: Store,
    a: str,
    b: str,
    year: int,
    *,
    level: str = "chapter",
    flow: str | None = None,
    top: int | None = None,
    source: str | None = None,
    currency: str = "USD",
) -> Products:
    """What ``a`` exports to and imports from ``b`` in ``year``, by product, per source.

    Parameters
    ----------
    store
        The store to ask.
    a, b
        Codes or names (KAZ, Россия, 398): ``a``'s exports to and imports from ``b``.
    year
        The year (monthly figures count only where all twelve months are held).
    level
        section, chapter, heading or hs6 (FAOSTAT's items are items at every level).
    flow
        exports or imports; both when absent.
    top
        Only the first ``top`` products of each breakdown.
    source
        One product-level source only (baci, comtrade, comext_cn8, faostat).
    currency
        USD or EUR: money converted at the ECB's annual average rate of ``year``.

    Returns
    -------
    Products
        One row per source, statistics, flow and product, ranked.

    A product a source lists no rows for is absent: no trade in a complete source (BACI),
    unknown in an extract (FAOSTAT, Comext CN8). Money in ``currency``, shares in percent.
    """
    if level not in LEVELS:
        raise BilateralError(f"Unknown level '{level}'; choose one of {', '.join(LEVELS)}.")
    if flow is not None and flow not in FLOWS:
        raise BilateralError(f"Unknown flow '{flow}'; choose one of {', '.join(FLOWS)}.")
    if top is not None and top < 1:
        raise BilateralError(f"--top must be at least 1, not {top}.")
    check_currency(currency)
    if source is not None and source not in PRODUCT_SOURCES:
        raise BilateralError(
            f"Source '{source}' holds no products; choose one of {', '.join(PRODUCT_SOURCES)}."
        )
    resolve = countries().resolve
    a, b = resolve(a).code, resolve(b).code
    check_source(store, source)
    held = [s for s in PRODUCT_SOURCES if s in store.sources() and source in (None, s)]
    if not held:
        raise NotAvailableError(
            f"The store holds no product-level source ({', '.join(PRODUCT_SOURCES)}); "
            "ingest BACI, Comtrade, FAOSTAT or Comext CN8 files first."
        )
    flows = store.flows(years=(year,))
    chosen = [flow] if flow else list(FLOWS)
    totals = _totals(store, a, b, year, held)
    rows: list[dict[str, Any]] = []
    views: list[ProductView] = []
    for kind in sorted({PRODUCT_SOURCES[s] for s in held}):
        sources = [s for s in held if PRODUCT_SOURCES[s] == kind]
        for f in chosen:
            exporter, importer = (a, b) if f == "exports" else (b, a)
            parts = [
                composition(flows, exporter, importer, year, LEVELS[level], source=s, rows=kind)
                for s in sources
            ]
            expr = parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=False)
            frame = store.execute(expr)
            frame = frame.sort_values(["source", "statistics_of", "rank", "code"], kind="stable")
            if top is not None:
                frame = frame.groupby(["source", "statistics_of"], sort=False).head(top)
            for (src, whose), part in frame.groupby(["source", "statistics_of"], sort=True):
                basis = basis_of(src)
                statement = basis.statement(currency) if basis is not None else ""
                views.append(ProductView(src, whose, f, HOLDS[src], statement))
                why = _why_no_partner_share(src, a, b, whose)
                world = (
                    {}
                    if why
                    else _partner_shares(
                        store,
                        a,
                        b,
                        year,
                        f,
                        src,
                        [_selection(r.code, r.description, level, kind) for r in part.itertuples()],
                    )
                )
                reported_by = part["reported_by"].iloc[0]
                printed = totals.get((src, reported_by, f))
                for r in part.itertuples():
                    world_usd, partner_share = world.get((whose, r.code), (None, None))
                    note = why
                    if note is None and partner_share is None:
                        note = f"not available in {src}: no rows of {a}'s world trade in it"
                    total = printed if printed else float(r.total_usd)
                    rows.append(
                        {
                            "source": src,
                            "statistics_of": whose,
                            "reported_by": reported_by,
                            "classification": r.classification,
                            "year": year,
                            "flow": f,
                            "exporter": exporter,
                            "importer": importer,
                            "level": "item" if kind == "FAO" else level,
                            "rank": int(r.rank),
                            "code": r.code,
                            "description": r.description
                            if isinstance(r.description, str)
                            else None,
                            "value": convert(float(r.value_usd), year, currency),
                            "share": 100.0 * float(r.value_usd) / total if total else None,
                            "total": convert(total, year, currency),
                            "share_of": (
                                f"{src}'s total of the flow"
                                if printed
                                else f"the sum of the products {src} lists"
                            ),
                            "n_codes": int(r.n_codes),
                            "world": convert(world_usd, year, currency),
                            "partner_share": partner_share,
                            "partner_share_note": note,
                        }
                    )
    partial = _partial_years(store, a, b, year, held)
    if not rows:
        where = f"in {source}" if source else f"in {', '.join(held)}"
        why = "".join(f"; {p}" for p in partial)
        raise NotAvailableError(
            f"No product rows of {a}'s trade with {b} in {year} {where}{why}. "
            "Try another year or source (bilateral sources lists what the store holds)."
        )
    shown = list(dict.fromkeys(v.source for v in views))
    notes = [f"{s} holds {HOLDS[s]}" for s in shown]
    empty = [s for s in held if s not in shown]
    if empty:
        notes.append(f"No product rows for {a} and {b} in {year} in: {', '.join(empty)}")
    notes += partial
    missing = [s for s in PRODUCT_SOURCES if s not in store.sources()]
    if missing and source is None:
        notes.append(f"Not in the store: {', '.join(missing)}")
    return Products(
        table=pa.Table.from_pylist(rows, schema=SCHEMA),
        currency=currency,
        sources=tuple(shown),
        notes=tuple(notes),
        reporter=a,
        partner=b,
        year=year,
        level=level,
        flows=tuple(chosen),
        top=top,
        views=tuple(views),
    )
