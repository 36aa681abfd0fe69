"""Evidence from the store: the figures the verifier asks for, through the indicator functions.

Each question is answered by an indicator of ``bilateral.indicators`` run on the store's
engine, so a claim is checked with exactly the numbers ``bilateral profile`` shows:

* a pair's totals: :func:`~bilateral.indicators.flows.pair_totals` (per source and per the
  country whose statistics they are, so mirror figures stand apart);
* a reporter's partners, shares and ranks: :func:`~bilateral.indicators.partners.partner_ranking`;
  for a product, :func:`~bilateral.indicators.dependence.supplier_shares` and
  :func:`~bilateral.indicators.dependence.destination_shares`;
* a product's trade with one partner: :func:`~bilateral.indicators.structure.group_values`;
* a flow by HS chapter: :func:`~bilateral.indicators.structure.composition`;
* sums over months, the months a source published: :mod:`bilateral.claims.evidence_queries`.

Each is asked as a :class:`~bilateral.backends.question_sql.Question`, so that a new
process runs the SQL an earlier one compiled without building anything, and the products
a text names are read together (:meth:`StoreEvidence.expect`).

Products: the claim's HS codes, with the FAO items that lie within them
(``reference/fao_items.py``: FAOSTAT's Wheat for HS 1001), count as the same product.
Where no FAO item matches, a FAO grouping that holds the product among other goods
(``claims/data/fao_groupings.tsv``: "Dairy products and egg products" for fermented milk)
is read too and marked *broader* or *approximate*: indicative evidence only.

A source whose partner list is cut at a share (the FAOSTAT extract keeps partners with at
least 5%) gives partner tables with that threshold and world sums that are lower bounds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from bilateral.backends import compiled, question_sql
from bilateral.backends.question_sql import Question
from bilateral.claims import evidence_queries as queries
from bilateral.claims.evidence import EXACT_MATCH, Composition, Figure, PartnerTable
from bilateral.claims.lexicon import DATA_DIR, expand_codes
from bilateral.claims.model import Product
from bilateral.indicators.coverage import PRODUCT_TABLES, TOTAL_TABLES, lists_every_partner
from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.flows import pair_totals
from bilateral.indicators.partners import partner_ranking
from bilateral.indicators.structure import composition, group_values
from bilateral.reference.countries import WORLD
from bilateral.reference.countries import countries as countries_index
from bilateral.reference.fao_items import fao_item_hs, fao_items_for_hs
from bilateral.reference.products import ProductSelection, hs_nomenclature
from bilateral.schema import CONSIGNMENT, TOTAL
from bilateral.store import Store

EVERY_FAO_ITEM = "*"
_THRESHOLD = re.compile(r"at least a (\d+(?:\.\d+)?)% share")
#: The part of a group's HS headings a source's rows must reach to answer for the group.
_HEADINGS_HELD = 0.5


@dataclass(frozen=True)
class _Reading:
    """One way of reading a claim's product from the store, and how well it matches."""

    selection: ProductSelection
    match: str
    label: str  # what the source calls the goods, when not the claim's product
    note: str


@cache
def _fao_groupings() -> dict[tuple[str, ...], tuple[tuple[str, ...], str, str]]:
    groupings: dict[tuple[str, ...], tuple[tuple[str, ...], str, str]] = {}
    with open(DATA_DIR / "fao_groupings.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            hs, items, relation, why = line.rstrip("\n").split("\t")[:4]
            groupings[expand_codes(hs)] = (tuple(items.split("|")), relation, why)
    return groupings


def _threshold(text: object) -> float | None:
    """The share in "lists only partners with at least a 5% share" (0.05), if said."""
    match = _THRESHOLD.search(text) if isinstance(text, str) else None
    return float(match.group(1)) / 100 if match else None


class StoreEvidence:
    """The :class:`~bilateral.claims.evidence.Evidence` of a store, through its indicators."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._fao_items: tuple[str, ...] | None = None
        self._rankings: dict[tuple[str, int], pd.DataFrame] = {}
        self._totals: dict[tuple[str, str], pd.DataFrame] = {}
        self._reporter_flows: dict[str, ir.Table] = {}
        self._published: dict[tuple[str, int, str, tuple[str, ...]], set[int]] = {}
        self._extracts: dict[tuple[str, ...], set[str]] = {}
        self._expected: list[Product] = []
        #: rows by product: (query, reporter, countries, year) -> {selection: rows}
        self._by_products: dict[
            tuple[str, str, tuple[str, ...], int], dict[ProductSelection, pd.DataFrame]
        ] = {}

    def expect(self, products: Iterable[Product]) -> None:
        """The products a text's claims name: a reporter's trade in them and its shares of
        them among its partners are then read in one query per flow and year, not one per
        product (a text about food trade names a dozen)."""
        self._expected = list(dict.fromkeys(products))

    def _flows(self, reporter: str) -> ir.Table:
        """The rows with ``reporter`` on either side, cached on the engine once per check:
        every question about a claim concerns the reporter's trade."""
        if reporter not in self._reporter_flows:
            flows = self.store.flows()
            mine = flows.filter((flows.exporter == reporter) | (flows.importer == reporter))
            with suppress(NotImplementedError):  # an engine that cannot cache reads the store
                mine = compiled.kept(mine)
            self._reporter_flows[reporter] = mine
        return self._reporter_flows[reporter]

    def _ask(self, build: Callable[..., ir.Table], *args: Any, **keywords: Any) -> pd.DataFrame:
        """``build(*args, **keywords)`` run on the engine its tables live on (the store's,
        where the reporter's rows are kept), as a question: the SQL an earlier process
        compiled for the same one, else built and compiled here
        (:mod:`bilateral.backends.question_sql`)."""
        question = Question(build, args, keywords=tuple(sorted(keywords.items())))
        return question_sql.execute(question)

    def _ranking(self, reporter: str, year: int) -> pd.DataFrame:
        """partner_ranking for one reporter and year, run once per check (ranks, shares,
        comparisons and world totals all read it)."""
        key = (reporter, year)
        if key not in self._rankings:
            self._rankings[key] = self._ask(
                partner_ranking, self._flows(reporter), reporter, year, totals=self.store.totals()
            )
        return self._rankings[key]

    def _pair_totals(self, reporter: str, partner: str) -> pd.DataFrame:
        """pair_totals over every year, run once per pair (levels and growth read it)."""
        key = (reporter, partner)
        if key not in self._totals:
            self._totals[key] = self._ask(
                pair_totals, self._flows(reporter), reporter, partner, totals=self.store.totals()
            )
        return self._totals[key]

    def _threshold(self, source: str, caveat: object = None) -> float | None:
        """The share below which a source leaves partners out: its caveat, else its notes."""
        found = _threshold(caveat)
        if found is None:
            for note in self.store.notes(source):
                found = found or _threshold(note)
        return found

    def _every_fao_item(self) -> tuple[str, ...]:
        if self._fao_items is None:
            # the store's rows as stored: a revision adds no item (Store.flows)
            items = self._ask(queries.fao_items, self.store.flows(resolved=False))
            self._fao_items = tuple(sorted(items["product"]))
        return self._fao_items

    def _readings(self, product: Product, every_item: bool = True) -> Iterator[_Reading]:
        """The product as HS codes plus the FAO items inside them; else a FAO grouping
        (not the grouping of every FAO item unless ``every_item`` or they were found
        before: finding them is a query of its own)."""
        items: list[str] = []
        for code in product.codes:
            found = fao_items_for_hs(code)
            if not found:
                items = []
                break
            items.extend(i for i in found if i not in items)
        notes = "; ".join(sorted({m.note for m in fao_item_hs() if m.item in items and m.note}))
        yield _Reading(
            ProductSelection(product.label, product.label, product.codes, tuple(items)),
            EXACT_MATCH,
            ", ".join(items) if items else "",
            notes,
        )
        grouping = _fao_groupings().get(product.codes)
        if items or grouping is None:
            return
        group_items, relation, why = grouping
        if group_items == (EVERY_FAO_ITEM,):
            if not every_item and self._fao_items is None:
                return
            group_items, label = self._every_fao_item(), "all FAO agricultural items"
        else:
            label = ", ".join(group_items)
        if group_items:
            yield _Reading(ProductSelection(label, label, (), group_items), relation, label, why)

    def _partner_shares(
        self, flow: str, reporter: str, selection: ProductSelection, year: int
    ) -> pd.DataFrame:
        """The reporter's shares of the goods among its partners in ``year``:
        destination_shares for exports, else supplier_shares (see :meth:`_by_product`)."""
        shares = destination_shares if flow == "exports" else supplier_shares
        return self._by_product(shares, "product", reporter, (reporter,), selection, year)

    def _by_product(
        self,
        build: Callable[..., ir.Table],
        column: str,
        reporter: str,
        countries: tuple[str, ...],
        selection: ProductSelection,
        year: int,
    ) -> pd.DataFrame:
        """``build(flows, *countries, [selection], year)`` on the reporter's rows, read in
        one query with the other products the text names (:meth:`expect`): each
        product's rows are told apart by ``column``, which holds the selection's label,
        so a batch holds one selection per label."""
        frames = self._by_products.setdefault((build.__name__, reporter, countries, year), {})
        if selection not in frames:
            batch = {selection.label: selection}
            for product in self._expected:
                for reading in self._readings(product, every_item=False):
                    if reading.selection not in frames:
                        batch.setdefault(reading.selection.label, reading.selection)
            frame = self._ask(build, self._flows(reporter), *countries, list(batch.values()), year)
            for label, chosen in batch.items():
                frames[chosen] = frame[frame[column] == label].reset_index(drop=True)
        return frames[selection]

    def _extracts_of(self, codes: tuple[str, ...]) -> set[str]:
        """Sources whose HS rows hold only a few of a group's headings: an extract of
        one or two headings (Comtrade's cars and smartphones) is not "machinery (HS
        84-85)". A source counts as holding the group when its rows reach at least half
        of the HS 2022 headings under it (an HS 1992 table lacks the later ones)."""
        if codes not in self._extracts:
            wider = tuple(c for c in codes if len(c) < 4)  # chapters, not headings
            needed = {
                code
                for code, hs in hs_nomenclature().items()
                if hs.level == 4 and wider and code.startswith(wider)
            }
            self._extracts[codes] = set()
            if needed:
                rows = self.store.flows(resolved=False)  # as stored: the same headings
                held = self._ask(queries.headings_held, rows, codes)
                self._extracts[codes] = {
                    str(row.source)
                    for row in held.itertuples()
                    if row.headings < len(needed) * _HEADINGS_HELD
                }
        return self._extracts[codes]

    def _whole(self, figures: list[Figure], product: Product) -> list[Figure]:
        extracts = self._extracts_of(product.codes)
        return [f for f in figures if f.source not in extracts]

    # -- the four questions --------------------------------------------------------------
    def bilateral(
        self, reporter: str, partner: str, flow: str, year: int, product: Product | None = None
    ) -> list[Figure]:
        if product is None:
            if partner == WORLD:
                return self._world_totals(reporter, flow, year)
            totals = self._pair_totals(reporter, partner)
            frame = totals[totals["year"] == year]
            found = [
                Figure(row.source, row.statistics_of, year, float(getattr(row, flow)))
                for row in frame.itertuples()
                if pd.notna(getattr(row, flow))
            ]
            held = {figure.source for figure in found}
            return found + self._members_summed(reporter, partner, flow, year, held)
        if partner == WORLD:
            return self._world_product(reporter, flow, year, product)
        figures = []
        for reading in self._readings(product):
            values: dict[tuple[str, str], dict[str, float]] = {}
            for direction in ("exports", "imports") if flow == "turnover" else (flow,):
                exporter, importer = (
                    (reporter, partner) if direction == "exports" else (partner, reporter)
                )
                found = self._by_product(
                    group_values, "group", reporter, (exporter, importer), reading.selection, year
                )
                for row in found.itertuples():
                    key = (row.source, row.statistics_of)
                    values.setdefault(key, {})[direction] = float(row.value_usd)
            for (source, statistics), by_flow in values.items():
                if flow == "turnover" and len(by_flow) < 2:
                    continue  # turnover needs both flows from the same statistics
                figures.append(
                    Figure(
                        source,
                        statistics,
                        year,
                        sum(by_flow.values()),
                        False,
                        reading.label,
                        reading.match,
                        reading.note,
                    )
                )
        return self._whole(figures, product)

    def _members_summed(
        self, reporter: str, group: str, flow: str, year: int, held: set[str]
    ) -> list[Figure]:
        """A group of countries (the EU27, the CIS) as a partner where a source lists its
        members but not the group: the sum of the members' rows, from sources whose partner
        tables are complete (a partial table would leave members out)."""
        members = countries_index().members(group)
        if not members:
            return []
        ranking = self._ranking(reporter, year)
        rows = ranking[(ranking["flow"] == flow) & ranking["partner"].isin(members)]
        figures = []
        for (source, statistics), part in rows.groupby(["source", "statistics_of"]):
            if source in held or not lists_every_partner(TOTAL_TABLES, str(source), reporter):
                continue
            note = f"the sum of {len(part)} member countries' rows"
            value = float(part["value_usd"].sum())
            figures.append(Figure(str(source), str(statistics), year, value, note=note))
        return figures

    def _world_totals(self, reporter: str, flow: str, year: int) -> list[Figure]:
        """The reporter's trade with the world: its source's world row or sum of partners."""
        ranking = self._ranking(reporter, year)
        ranking = ranking[ranking["flow"] == flow]
        world = ranking.groupby(["source", "statistics_of", "world_basis"], as_index=False)[
            "world_usd"
        ].max()
        figures = [
            Figure(
                row.source,
                row.statistics_of,
                year,
                float(row.world_usd),
                note="" if row.world_basis == "WLD row" else "the sum over partner countries",
            )
            for row in world.itertuples()
            if pd.notna(row.world_usd)
        ]
        return figures + self._world_rows(reporter, flow, year, {f.source for f in figures})

    def _world_rows(self, reporter: str, flow: str, year: int, held: set[str]) -> list[Figure]:
        """A source's own world row where it lists no partner country that year (FCS's
        2023 release prints the world and the continents only), and the world balance,
        which the partner ranking does not hold."""
        totals = self._pair_totals(reporter, WORLD)
        frame = totals[(totals["year"] == year) & ~totals["source"].isin(held)]
        if flow not in frame.columns:
            return []
        return [
            Figure(row.source, row.statistics_of, year, float(getattr(row, flow)))
            for row in frame.itertuples()
            if pd.notna(getattr(row, flow))
        ]

    def _world_product(self, reporter: str, flow: str, year: int, product: Product) -> list[Figure]:
        """The reporter's trade in a product with the world (a lower bound from an extract)."""
        figures = []
        for reading in self._readings(product):
            frame = self._partner_shares(flow, reporter, reading.selection, year)
            world = frame.groupby(
                ["source", "statistics_of", "world_basis", "caveat"], dropna=False, as_index=False
            ).agg(world=("world_usd", "max"))
            for row in world.itertuples():
                extract = self._threshold(row.source, row.caveat) is not None
                at_least = extract and row.world_basis != "WLD row"
                figures.append(
                    Figure(
                        row.source,
                        row.statistics_of,
                        year,
                        float(row.world),
                        at_least,
                        reading.label,
                        reading.match,
                        reading.note,
                    )
                )
        return self._whole(figures, product)

    def partners(
        self,
        reporter: str,
        flow: str,
        year: int,
        product: Product | None = None,
        span: tuple[int, int] | None = None,
    ) -> list[PartnerTable]:
        if span is not None:
            return self._month_partners(reporter, flow, year, span, product)
        if product is None:
            ranking = self._ranking(reporter, year)
            frame = ranking[ranking["flow"] == flow]
            return self._tables(frame, flow, year, None, "", EXACT_MATCH, "")
        tables = []
        for reading in self._readings(product):
            frame = self._partner_shares(flow, reporter, reading.selection, year)
            tables.extend(
                self._tables(
                    frame, flow, year, "caveat", reading.label, reading.match, reading.note
                )
            )
        extracts = self._extracts_of(product.codes)
        return [t for t in tables if t.source not in extracts]

    def _tables(
        self,
        frame: pd.DataFrame,
        flow: str,
        year: int,
        caveat_column: str | None,
        label: str,
        match: str,
        note: str,
    ) -> list[PartnerTable]:
        tables = []
        for (source, statistics), part in frame.groupby(["source", "statistics_of"]):
            caveat = (
                part[caveat_column].dropna().iloc[0]
                if caveat_column and part[caveat_column].notna().any()
                else None
            )
            threshold = self._threshold(str(source), caveat)
            world = part["world_usd"].dropna()
            tables.append(
                PartnerTable(
                    str(source),
                    str(statistics),
                    year,
                    flow,
                    {
                        str(p): float(v)
                        for p, v in zip(part["partner"], part["value_usd"], strict=True)
                    },
                    None if threshold or world.empty else float(world.iloc[0]),
                    threshold,
                    label,
                    match,
                    note,
                )
            )
        return tables

    def composition(self, reporter: str, partner: str, flow: str, year: int) -> list[Composition]:
        exporter, importer = (reporter, partner) if flow == "exports" else (partner, reporter)
        frame = self._ask(composition, self._flows(reporter), exporter, importer, year, "chapter")
        return [
            Composition(
                str(source),
                str(statistics),
                year,
                flow,
                {str(c): float(v) for c, v in zip(part["code"], part["value_usd"], strict=True)},
            )
            for (source, statistics), part in frame.groupby(["source", "statistics_of"])
        ]

    def months(
        self,
        reporter: str,
        partner: str,
        flow: str,
        year: int,
        span: tuple[int, int],
        product: Product | None = None,
    ) -> list[Figure]:
        if partner == WORLD:
            return self._world_months(reporter, flow, year, span, product)
        first, last = span
        directions = ("exports", "imports") if flow == "turnover" else (flow,)
        sums = self._ask(
            queries.month_sums,
            self._flows(reporter),
            reporter,
            partner,
            directions,
            year,
            span,
            product,
        )
        found: dict[tuple[str, str], dict[str, tuple[float, float, str]]] = {}
        units: dict[tuple[str, str], float | None] = {}
        frame = sums.sort_values("annual")  # annual rows, if any, win
        for row in frame.itertuples():
            found.setdefault((row.source, row.statistics_of), {})[row.direction] = (
                float(row.usd),
                float(row.original),
                str(row.currency),
            )
            units[(row.source, row.statistics_of)] = (
                float(row.units) if product is not None and not row.uncounted else None
            )
        annual_rows = {(row.source, row.statistics_of) for row in frame.itertuples() if row.annual}
        figures = []
        for (source, statistics), by_direction in sorted(found.items()):
            if len(by_direction) < len(directions):
                continue  # turnover needs both flows from the same statistics
            published = self._months_published(source, year, statistics, product)
            if (source, statistics) not in annual_rows and not set(
                range(first, last + 1)
            ) <= published:
                continue
            currencies = {currency for _, _, currency in by_direction.values()}
            currency = currencies.pop() if len(currencies) == 1 else "USD"
            usd = sum(v for v, _, _ in by_direction.values())
            original = sum(o for _, o, _ in by_direction.values())
            figures.append(
                Figure(
                    source,
                    statistics,
                    year,
                    usd,
                    note=""
                    if (source, statistics) in annual_rows or first == last
                    else f"the sum of months {first}-{last}",
                    original=original if currency != "USD" else None,
                    currency=currency,
                    units=units.get((source, statistics)) if len(directions) == 1 else None,
                )
            )
        held = {f.source for f in figures}  # a source with the members' rows, not the group's
        figures += [
            f
            for f in self._members_months(reporter, partner, directions, year, span, product)
            if f.source not in held
        ]
        return figures if product is None else self._whole(figures, product)

    def _members_months(
        self,
        group: str,
        partner: str,
        directions: tuple[str, ...],
        year: int,
        span: tuple[int, int],
        product: Product | None = None,
    ) -> list[Figure]:
        """A group's trade over months as its members' own rows summed, from a source that
        lists the member states but not the group (Comext: each member's exports to
        Belarus), and only where every month of the span is there for each flow."""
        members = countries_index().members(group)
        if not members:
            return []
        first, last = span
        sums = self._ask(
            queries.members_month_sums,
            self.store.flows(years=[year]),
            tuple(members),
            partner,
            directions,
            year,
            span,
            product,
        )
        figures = []
        for source, part in sums.groupby("source"):
            if set(part["direction"]) != set(directions) or len(part) != len(directions):
                continue  # turnover needs both flows; one currency per flow
            if (part["months"] < last - first + 1).any():
                continue
            currencies = set(part["currency"].dropna())
            currency = str(currencies.pop()) if len(currencies) == 1 else "USD"
            figures.append(
                Figure(
                    str(source),
                    group,
                    year,
                    float(part["usd"].sum()),
                    note=f"the sum of {int(part['members'].max())} member states' rows"
                    + ("" if first == last else f", months {first}-{last}"),
                    original=float(part["original"].sum()) if currency != "USD" else None,
                    currency=currency,
                )
            )
        return figures

    def _world_months(
        self,
        reporter: str,
        flow: str,
        year: int,
        span: tuple[int, int],
        product: Product | None,
    ) -> list[Figure]:
        """The reporter's trade with the world over months: the sum of its own monthly
        partner rows (a printed World row counted alone), from sources whose monthly
        tables list every partner ("cars brought in $990.9 million in January-June")."""
        if flow not in ("exports", "imports"):
            return []
        first, last = span
        tables = TOTAL_TABLES if product is None else PRODUCT_TABLES
        sums = self._ask(
            queries.world_month_sums, self._flows(reporter), reporter, flow, year, span, product
        )
        figures = []
        for source, part in sums.groupby("source"):
            if not set(range(first, last + 1)) <= self._months_published(
                str(source), year, reporter, product
            ):
                continue
            printed = part[part["world_row"]]
            chosen = printed if not printed.empty else part
            if printed.empty and not lists_every_partner(tables, str(source), reporter):
                continue
            units = (  # a count of goods, where every row of the period counts units
                float(chosen["units"].sum())
                if product is not None and not chosen["uncounted"].sum()
                else None
            )
            summed = f"the sum over partner countries of months {first}-{last}"
            note = "" if not printed.empty else summed
            usd = float(chosen["usd"].sum())
            figures.append(Figure(str(source), reporter, year, usd, note=note, units=units))
        return figures if product is None else self._whole(figures, product)

    def _month_partners(
        self,
        reporter: str,
        flow: str,
        year: int,
        span: tuple[int, int],
        product: Product | None = None,
    ) -> list[PartnerTable]:
        """The reporter's own partner tables summed over months: the world is the printed
        World row, else, where the monthly table holds every partner (an absent partner
        traded nothing), the sum of every partner row. A table of main partners with a
        World row (FCS's 96stran) gives shares; without one, a share of it would be a share
        of an extract. Goods are counted once, on the reporter's first basis, from sources
        that hold the goods' headings (not an extract of a few of them)."""
        if product is not None:
            tables = self._month_partner_tables(reporter, flow, year, span, TOTAL, "", product)
            extracts = self._extracts_of(product.codes)
            return [t for t in tables if t.source not in extracts]
        tables = self._month_partner_tables(reporter, flow, year, span, TOTAL, "")
        if flow in ("imports", "turnover"):
            tables += self._month_partner_tables(
                reporter, flow, year, span, CONSIGNMENT, "imports by country of consignment"
            )
        return tables

    def _month_partner_tables(
        self,
        reporter: str,
        flow: str,
        year: int,
        span: tuple[int, int],
        imports_basis: str,
        basis_note: str,
        product: Product | None = None,
    ) -> list[PartnerTable]:
        """The partner tables of :meth:`_month_partners` with imports counted on one basis:
        ``TOTAL`` (by origin where a publisher counts both), or Armstat's second count by
        country of consignment, a reading of its own: a share stated on either basis is
        one the publisher printed."""
        first, last = span
        sums = self._ask(
            queries.month_partner_sums,
            self._flows(reporter),
            reporter,
            flow,
            year,
            span,
            imports_basis,
            product,
        )
        index = countries_index()
        tables = []
        note = "; ".join(filter(None, [basis_note, f"the sum of months {first}-{last}"]))
        for source, part in sums.groupby("source"):
            if not set(range(first, last + 1)) <= self._months_published(
                str(source), year, reporter, product
            ):
                continue
            if imports_basis != TOTAL and not part["on_basis"].sum():
                continue  # the source counts imports once
            values = {str(p): float(v) for p, v in zip(part["partner"], part["usd"], strict=True)}
            world = values.pop(WORLD, None)
            partial = False
            if world is None:
                complete = TOTAL_TABLES if product is None else PRODUCT_TABLES
                if lists_every_partner(complete, str(source), reporter):
                    world = sum(values.values())
                else:  # some partners only: no share of them; a rank in them is a floor
                    partial = True
            countries_only = {
                code: value
                for code, value in values.items()
                if (country := index.by_code.get(code)) is not None and not country.is_aggregate
            }
            tables.append(
                PartnerTable(
                    str(source),
                    reporter,
                    year,
                    flow,
                    countries_only,
                    world,
                    note=note,
                    partial=partial,
                )
            )
        return tables

    def last_month(
        self, reporter: str, partner: str, year: int, product: Product | None = None
    ) -> int | None:
        """The reporter's own rows, or its members' for a group (Comext lists member
        states): a partner's mirror rows that go on later are not the reporter's."""
        sides = (reporter, *countries_index().members(reporter))
        found = self._ask(
            queries.last_month,
            self.store.flows(years=[year], resolved=False),  # the same months as stored
            sides,
            None if partner == WORLD else partner,
            year,
            product,
        )["last"]
        return None if found.empty or pd.isna(found.iloc[0]) else int(found.iloc[0])

    def _months_published(
        self, source: str, year: int, reporter: str, product: Product | None = None
    ) -> set[int]:
        """The months of ``year`` for which ``source`` holds ``reporter``'s own rows of the
        goods: one source may carry several countries' statistics and several extracts
        (Comtrade: Georgia's cars reach November 2023, Armenia's stop at October while
        its smartphones go on), and a month only another country or another extract
        covers is not one the figure's rows cover."""
        key = (source, year, reporter, product.codes if product else ())
        if key not in self._published:
            months = self._ask(
                queries.months_published,
                self.store.flows(source, years=[year], resolved=False),  # the same months
                reporter,
                year,
                product,
            )
            self._published[key] = {int(m) for m in months["month"]}
        return self._published[key]

    def years(
        self, reporter: str, partner: str | None, product: Product | None = None
    ) -> list[int]:
        if partner == reporter:
            return []
        if product is None and partner is not None and partner != WORLD:
            return sorted({int(y) for y in self._pair_totals(reporter, partner)["year"]})
        selection = next(self._readings(product)).selection if product is not None else None
        found = self._ask(queries.years_of, self._flows(reporter), reporter, partner, selection)
        return sorted({int(y) for y in found["year"]})
