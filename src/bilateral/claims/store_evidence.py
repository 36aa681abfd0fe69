"""Evidence from the store: the figures the verifier asks for, per source and statistics.

Each question becomes one Ibis expression over the canonical flow table, run on the
store's engine. A figure is labelled with the country whose statistics it is (the
exporter for rows reported by the exporter, the importer for rows reported by the
importer) or ``reconciled``, so mirror figures stand apart from a country's own.

Products: HS rows (BACI, Comtrade) are selected by code prefix; FAOSTAT rows by the FAO
items that lie within the claim's HS codes (``reference/fao_items.py``), which count as the
same product. When no item matches, a FAO grouping that holds the product among other
goods (``claims/data/fao_groupings.tsv``: "Dairy products and egg products" for fermented
milk) is returned marked *broader* or *approximate*, as indicative evidence.

A source whose notes say it lists only partners above a share ("at least a 5% share") is
an extract: its partner tables carry that threshold, and a sum over its partners is a
lower bound. Annual figures only (rows without a month).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from bilateral.claims.evidence import (
    BROADER,
    EXACT_MATCH,
    Composition,
    Figure,
    PartnerTable,
)
from bilateral.claims.lexicon import DATA_DIR, expand_codes
from bilateral.claims.model import Product
from bilateral.reference.countries import countries
from bilateral.reference.fao_items import fao_item_hs, fao_items_for_hs
from bilateral.store import Store

WORLD = "WLD"
_THRESHOLD = re.compile(r"at least a (\d+(?:\.\d+)?)% share")


@dataclass(frozen=True)
class _Selection:
    """How a source's rows are picked for a product, and how well they match it."""

    hs_prefixes: tuple[str, ...]
    fao_items: tuple[str, ...]  # ("*",) for every FAO item
    fao_match: str
    fao_label: str
    note: str = ""


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


def _selection(product: Product) -> _Selection:
    items: list[str] = []
    for code in product.codes:
        found = fao_items_for_hs(code)
        if not found:
            items = []
            break
        items.extend(i for i in found if i not in items)
    if items:
        notes = {m.note for m in fao_item_hs() if m.item in items and m.note}
        return _Selection(
            product.codes, tuple(items), EXACT_MATCH, ", ".join(items), "; ".join(sorted(notes))
        )
    grouping = _fao_groupings().get(product.codes)
    if grouping is not None:
        group_items, relation, why = grouping
        label = "all FAO agricultural items" if group_items == ("*",) else ", ".join(group_items)
        return _Selection(product.codes, group_items, relation, label, why)
    return _Selection(product.codes, (), EXACT_MATCH, "")


def _statistics_of(t: ir.Table) -> ir.StringValue:
    return ibis.cases(
        (t.reported_by == "exporter", t.exporter),
        (t.reported_by == "importer", t.importer),
        else_=ibis.literal("reconciled"),
    )


class StoreEvidence:
    """The :class:`~bilateral.claims.evidence.Evidence` of a store's canonical flows."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._thresholds: dict[str, float | None] = {}

    # -- helpers ----------------------------------------------------------------------
    def _annual(self) -> ir.Table:
        flows = self.store.flows()
        flows = flows.filter(flows.month.isnull())
        return flows.mutate(statistics_of=_statistics_of(flows))

    def _run(self, expr: ir.Table) -> pd.DataFrame:
        return self.store.execute(expr)

    def threshold(self, source: str) -> float | None:
        """The share below which the source leaves partners out, from its ingest notes."""
        if source not in self._thresholds:
            found = None
            for note in self.store.notes(source):
                match = _THRESHOLD.search(note)
                if match:
                    found = float(match.group(1)) / 100
            self._thresholds[source] = found
        return self._thresholds[source]

    def _products(
        self, t: ir.Table, product: Product | None
    ) -> list[tuple[ir.Table, str, str, str]]:
        """(rows, match, label, note) for each way the product can be read from the store."""
        if product is None:
            return [(t.filter(t.classification == "TOTAL"), EXACT_MATCH, "", "")]
        selection = _selection(product)
        hs = t.classification.startswith("HS")
        prefix = ibis.or_(*(t["product"].startswith(code) for code in selection.hs_prefixes))
        chapters = tuple(c for c in selection.hs_prefixes if len(c) == 2)
        if chapters:
            prefix = prefix | (t.classification.isin(["HS_CHAPTER"]) & t["product"].isin(chapters))
        ways = [(t.filter(hs & prefix), EXACT_MATCH, "", "")]
        if selection.fao_items:
            fao = t.classification == "FAO"
            if selection.fao_items != ("*",):
                fao = fao & t["product"].isin(list(selection.fao_items))
            ways.append((t.filter(fao), selection.fao_match, selection.fao_label, selection.note))
        return ways

    # -- the four questions --------------------------------------------------------------
    def bilateral(
        self, reporter: str, partner: str, flow: str, year: int, product: Product | None = None
    ) -> list[Figure]:
        t = self._annual()
        t = t.filter(t.year == year)
        if partner == WORLD and product is not None:
            return self._world_sum(t, reporter, flow, year, product)
        between = ((t.exporter == reporter) & (t.importer == partner)) | (
            (t.exporter == partner) & (t.importer == reporter)
        )
        figures = []
        for rows, match, label, note in self._products(t.filter(between), product):
            sides = rows.filter(rows.statistics_of.isin([reporter, partner, "reconciled"]))
            outgoing = sides.exporter == reporter
            grouped = sides.group_by(["source", "statistics_of"]).aggregate(
                exports=sides.value_usd.sum(where=outgoing),
                imports=sides.value_usd.sum(where=~outgoing),
            )
            for row in self._run(grouped).itertuples():
                value = _flow_value(row, flow)
                if value is not None:
                    figures.append(
                        Figure(
                            row.source, row.statistics_of, year, value, False, label, match, note
                        )
                    )
        return figures

    def _world_sum(
        self, t: ir.Table, reporter: str, flow: str, year: int, product: Product
    ) -> list[Figure]:
        """The reporter's trade in a product with the world: its world row, or a sum."""
        side = t.exporter == reporter if flow == "exports" else t.importer == reporter
        if flow == "turnover":
            side = (t.exporter == reporter) | (t.importer == reporter)
        t = t.filter(side & t.statistics_of.isin([reporter, "reconciled"]))
        figures = []
        for rows, match, label, note in self._products(t, product):
            other = ibis.ifelse(rows.exporter == reporter, rows.importer, rows.exporter)
            rows = rows.mutate(other=other)
            grouped = rows.group_by(["source", "statistics_of"]).aggregate(
                world=rows.value_usd.sum(where=rows.other == WORLD),
                countries=rows.value_usd.sum(where=rows.other != WORLD),
            )
            for row in self._run(grouped).itertuples():
                if pd.notna(row.world):
                    figures.append(
                        Figure(
                            row.source,
                            row.statistics_of,
                            year,
                            float(row.world),
                            False,
                            label,
                            match,
                            note,
                        )
                    )
                elif pd.notna(row.countries):
                    extract = self.threshold(row.source) is not None
                    figures.append(
                        Figure(
                            row.source,
                            row.statistics_of,
                            year,
                            float(row.countries),
                            extract,
                            label,
                            match,
                            note,
                        )
                    )
        return figures

    def partners(
        self, reporter: str, flow: str, year: int, product: Product | None = None
    ) -> list[PartnerTable]:
        t = self._annual()
        t = t.filter((t.year == year) & t.statistics_of.isin([reporter, "reconciled"]))
        if flow == "exports":
            t = t.filter(t.exporter == reporter)
        elif flow == "imports":
            t = t.filter(t.importer == reporter)
        else:
            t = t.filter((t.exporter == reporter) | (t.importer == reporter))
        tables = []
        index = countries().by_code
        for rows, match, label, note in self._products(t, product):
            rows = rows.mutate(
                other=ibis.ifelse(rows.exporter == reporter, rows.importer, rows.exporter)
            )
            grouped = rows.group_by(["source", "statistics_of", "other"]).aggregate(
                value=rows.value_usd.sum(), flows=rows.exporter.nunique()
            )
            frame = self._run(grouped)
            for (source, statistics), part in frame.groupby(["source", "statistics_of"]):
                values: dict[str, float] = {}
                total = None
                for item in part.itertuples():
                    if item.other == WORLD:
                        total = float(item.value)
                        continue
                    country = index.get(item.other)
                    if country is None or country.is_aggregate or item.other == reporter:
                        continue
                    values[item.other] = float(item.value)
                if not values:
                    continue
                threshold = self.threshold(str(source))
                tables.append(
                    PartnerTable(
                        str(source),
                        str(statistics),
                        year,
                        flow,
                        values,
                        None if threshold else total,
                        threshold,
                        label,
                        match,
                        note,
                    )
                )
        return tables

    def composition(self, reporter: str, partner: str, flow: str, year: int) -> list[Composition]:
        t = self._annual()
        exporter, importer = (reporter, partner) if flow == "exports" else (partner, reporter)
        t = t.filter(
            (t.year == year)
            & (t.exporter == exporter)
            & (t.importer == importer)
            & t.classification.startswith("HS")
            & t.statistics_of.isin([reporter, partner, "reconciled"])
        )
        t = t.mutate(chapter=t["product"].substr(0, 2))
        grouped = t.group_by(["source", "statistics_of", "chapter"]).aggregate(
            value=t.value_usd.sum()
        )
        result: dict[tuple[str, str], dict[str, float]] = {}
        for row in self._run(grouped).itertuples():
            result.setdefault((row.source, row.statistics_of), {})[row.chapter] = float(row.value)
        return [
            Composition(source, statistics, year, flow, chapters)
            for (source, statistics), chapters in result.items()
        ]

    def years(
        self, reporter: str, partner: str | None, product: Product | None = None
    ) -> list[int]:
        t = self._annual()
        mine = (t.exporter == reporter) | (t.importer == reporter)
        if partner is not None:
            mine = mine & ((t.exporter == partner) | (t.importer == partner))
        found: set[int] = set()
        for rows, match, _, _ in self._products(t.filter(mine), product):
            if match != EXACT_MATCH:
                continue
            found.update(int(y) for y in self._run(rows.select("year").distinct())["year"])
        return sorted(found)


def _flow_value(row: Any, flow: str) -> float | None:
    exports = None if pd.isna(row.exports) else float(row.exports)
    imports = None if pd.isna(row.imports) else float(row.imports)
    if flow == "exports":
        return exports
    if flow == "imports":
        return imports
    if exports is None or imports is None:
        return None  # turnover needs both flows from the same statistics
    return exports + imports


__all__ = ["BROADER", "StoreEvidence"]
