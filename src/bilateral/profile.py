"""The bilateral profile: every indicator for a pair of countries and a year, per source,
each number with its provenance.

A profile is a list of records ``{name, value, unit, source, reported_by, year, product,
group, release, note, detail}``. Money is in USD, shares and growth in percent. Where a
source lacks the year or the detail an indicator needs, the record says so in ``note``
("not available in kz_bns: ...") and its value is null: never zero, and never a figure
silently taken from another source.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from bilateral.errors import NotAvailableError
from bilateral.indicators.dependence import PARTNER_CAVEATS, destination_shares, supplier_shares
from bilateral.indicators.flows import HS_REVISIONS, WORLD_MATRIX_SOURCES, growth, pair_totals
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.partners import partner_rank
from bilateral.indicators.rows import FAO, stack
from bilateral.indicators.specialisation import rca, trade_complementarity, trade_intensity
from bilateral.indicators.structure import composition, group_values
from bilateral.reference.countries import countries
from bilateral.reference.products import product_groups

Execute = Callable[[ir.Expr], pd.DataFrame]

#: Product groups every profile looks at (see reference/data/product_groups.csv).
PROFILE_GROUPS = (
    "food",
    "grain",
    "wheat",
    "barley",
    "poultry_meat",
    "sugar",
    "fermented_milk",
    "cars",
)
#: Names of the records of the first profile (issue 2): always present, per source.
CORE_NAMES = (
    "turnover",
    "exports",
    "imports",
    "balance",
    "turnover_growth",
    "partner_share_turnover",
    "partner_share_exports",
    "partner_share_imports",
    "partner_rank_turnover",
    "partner_rank_exports",
    "partner_rank_imports",
)
RECORD_FIELDS = (
    "name",
    "value",
    "unit",
    "source",
    "reported_by",
    "year",
    "product",
    "group",
    "release",
    "note",
    "detail",
)
TOP_RCA_PRODUCTS = 5


@dataclass
class Record:
    """One number of a profile, with where it came from."""

    name: str
    value: float | int | None
    unit: str
    source: str
    reported_by: str | None
    year: int | None
    product: str | None = None
    group: str | None = None
    release: str | None = None
    note: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {key: _plain(value) for key, value in asdict(self).items()}


def _plain(value: Any) -> Any:
    """JSON-ready: NaN and NA become None, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


@dataclass
class Profile:
    """A bilateral dossier: records for a reporter, a partner and a year."""

    reporter: str
    partner: str
    year: int
    sources: list[str]
    records: list[Record]

    def find(self, name: str, **fields: Any) -> list[Record]:
        """Records of that name whose fields equal the given ones (source='kz_bns', ...)."""
        return [
            r
            for r in self.records
            if r.name == name and all(getattr(r, k) == v for k, v in fields.items())
        ]

    def value(self, name: str, **fields: Any) -> float | int | None:
        """The value of the one record that matches; an error if none or several do."""
        found = self.find(name, **fields)
        if len(found) != 1:
            raise LookupError(f"{len(found)} records named {name} match {fields}")
        return found[0].value

    def to_records(self) -> list[dict[str, Any]]:
        return [r.as_dict() for r in self.records]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "year": self.year,
            "sources": self.sources,
            "indicators": self.to_records(),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_pandas(self) -> pd.DataFrame:
        """One row per record; ``detail`` stays a dict."""
        return pd.DataFrame(self.to_records(), columns=list(RECORD_FIELDS))

    def to_arrow(self) -> pa.Table:
        """One row per record; ``detail`` as a JSON string so the schema stays flat."""
        rows = self.to_records()
        for row in rows:
            row["detail"] = json.dumps(row["detail"], ensure_ascii=False)
            row["value"] = None if row["value"] is None else float(row["value"])
        schema = pa.schema(
            [
                ("name", pa.string()),
                ("value", pa.float64()),
                ("unit", pa.string()),
                ("source", pa.string()),
                ("reported_by", pa.string()),
                ("year", pa.int32()),
                ("product", pa.string()),
                ("group", pa.string()),
                ("release", pa.string()),
                ("note", pa.string()),
                ("detail", pa.string()),
            ]
        )
        return pa.Table.from_pylist(rows, schema=schema)


@dataclass
class _Coverage:
    """What a source holds, to say why an indicator is not available in it."""

    source: str
    years: list[int]
    classifications: set[str]

    def missing(self, year: int, what: str) -> str:
        if year not in self.years:
            span = f"{min(self.years)}-{max(self.years)}" if self.years else "no years"
            return f"not available in {self.source}: it holds {span}, not {year}"
        return f"not available in {self.source}: {what}"

    @property
    def has_products(self) -> bool:
        return bool(self.classifications & ({FAO, *HS_REVISIONS, "CN8"}))

    @property
    def has_hs_products(self) -> bool:
        return any(c.startswith("HS") for c in self.classifications)

    @property
    def is_matrix(self) -> bool:
        return self.source in WORLD_MATRIX_SOURCES


def _coverage(flows: ir.Table, execute: Execute) -> dict[str, _Coverage]:
    summary = execute(flows.select("source", "year", "classification").distinct())
    found: dict[str, _Coverage] = {}
    for source, rows in summary.groupby("source"):
        found[str(source)] = _Coverage(
            source=str(source),
            years=sorted(int(y) for y in rows["year"].unique()),
            classifications={str(c) for c in rows["classification"].unique()},
        )
    return found


def _rows(frame: pd.DataFrame, **equal: Any) -> list[dict[str, Any]]:
    mask = pd.Series(True, index=frame.index)
    for column, value in equal.items():
        mask &= frame[column] == value
    return [{k: _plain(v) for k, v in row.items()} for row in frame[mask].to_dict("records")]


def _combined(exports_by: str | None, imports_by: str | None) -> str | None:
    if exports_by == imports_by:
        return exports_by
    if exports_by and imports_by:
        return f"{exports_by}+{imports_by}"
    return exports_by or imports_by


class _Builder:
    """Collects the records of one profile, family by family."""

    def __init__(
        self,
        flows: ir.Table,
        execute: Execute,
        a: str,
        b: str,
        year: int,
        coverage: dict[str, _Coverage],
        groups: Sequence[str],
        user_groups: Path | None,
    ) -> None:
        self.flows, self.execute, self.a, self.b, self.year = flows, execute, a, b, year
        self.coverage = coverage
        self.sources = sorted(coverage)
        all_groups = product_groups(user_groups)
        self.groups = [all_groups[g] for g in groups]
        self.records: list[Record] = []

    def add(self, name: str, value: Any, unit: str, source: str, **fields: Any) -> None:
        fields.setdefault("year", self.year)
        fields.setdefault("reported_by", None)
        self.records.append(Record(name, _plain(value), unit, source, **fields))

    def unavailable(self, names: Iterable[str], unit: str, source: str, why: str, **fields: Any) -> None:
        for name in names:
            self.add(name, None, unit, source, note=self.coverage[source].missing(self.year, why), **fields)

    # ------------------------------------------------------------------ flows
    def flows_family(self) -> None:
        recent = self.flows.filter(self.flows.year.isin([self.year - 1, self.year]))
        totals = growth(pair_totals(recent, self.a, self.b))
        totals = totals.filter(totals.year == self.year)
        frame = self.execute(totals)
        for source in self.sources:
            rows = _rows(frame, source=source)
            if not rows:
                why = (
                    f"no total flows between {self.a} and {self.b} in {self.year}"
                    if self.coverage[source].classifications & {"TOTAL"}
                    or self.coverage[source].is_matrix
                    else "it holds product detail only, not total trade"
                )
                self.unavailable(("turnover", "exports", "imports", "balance"), "USD", source, why)
                self.unavailable(("turnover_growth",), "percent", source, why)
                continue
            for row in rows:
                detail = {"statistics_of": row["statistics_of"], "basis": row["basis"]}
                common = {"release": row["release"], "detail": detail}
                by_exports, by_imports = row["reported_by_exports"], row["reported_by_imports"]
                both = _combined(by_exports, by_imports)
                self.add("exports", row["exports"], "USD", source, reported_by=by_exports, **common)
                self.add("imports", row["imports"], "USD", source, reported_by=by_imports, **common)
                for name in ("turnover", "balance"):
                    note = None
                    if row[name] is None:
                        note = (
                            f"not available in {source}: {row['statistics_of']}'s statistics "
                            "report only one of the two flows"
                        )
                    self.add(name, row[name], "USD", source, reported_by=both, note=note, **common)
                for flow in ("turnover", "exports", "imports"):
                    value = row[f"{flow}_growth"]
                    note = None
                    if value is None:
                        note = (
                            f"not available in {source}: no {flow} for {self.year - 1} "
                            f"in {row['statistics_of']}'s statistics"
                        )
                    self.add(
                        f"{flow}_growth",
                        value,
                        "percent",
                        source,
                        reported_by=both if flow == "turnover" else row[f"reported_by_{flow}"],
                        release=row["release"],
                        note=note,
                        detail={**detail, "previous": row[f"{flow}_previous"], "previous_year": self.year - 1},
                    )

    # ------------------------------------------------------------------ partners
    def partners_family(self) -> None:
        frame = self.execute(partner_rank(self.flows, self.a, self.b, self.year))
        for source in self.sources:
            rows = _rows(frame, source=source)
            if not rows:
                why = (
                    f"it has no {self.a} statistics by partner in {self.year}"
                    if not self.coverage[source].is_matrix
                    else f"no trade between {self.a} and {self.b} in {self.year}"
                )
                self.unavailable((f"partner_share_{f}" for f in ("turnover", "exports", "imports")), "percent", source, why)
                self.unavailable((f"partner_rank_{f}" for f in ("turnover", "exports", "imports")), "rank", source, why)
                continue
            for row in rows:
                detail = {
                    "statistics_of": row["statistics_of"],
                    "value_usd": row["value_usd"],
                    "world_usd": row["world_usd"],
                    "world_basis": row["world_basis"],
                    "n_partners": row["n_partners"],
                    "partner_above": row["partner_above"],
                    "gap_above_usd": row["gap_above_usd"],
                    "gap_above_pct": row["gap_above_pct"],
                    "partner_below": row["partner_below"],
                    "gap_below_usd": row["gap_below_usd"],
                    "gap_below_pct": row["gap_below_pct"],
                }
                flow = row["flow"]
                self.add(f"partner_share_{flow}", row["share"], "percent", source, reported_by=row["reported_by"], detail=detail)
                self.add(f"partner_rank_{flow}", row["rank"], "rank", source, reported_by=row["reported_by"], detail=detail)
            present = {row["flow"] for row in rows}
            for flow in sorted({"turnover", "exports", "imports"} - present):
                why = f"{self.b} is not listed among {self.a}'s {flow} partners"
                self.unavailable((f"partner_share_{flow}",), "percent", source, why)
                self.unavailable((f"partner_rank_{flow}",), "rank", source, why)

    # ------------------------------------------------------------------ structure
    def _product_sources(self, hs_only: bool = False) -> list[str]:
        return [
            s
            for s in self.sources
            if (self.coverage[s].has_hs_products if hs_only else self.coverage[s].has_products)
        ]

    def _first_revision(self, frame: pd.DataFrame) -> pd.DataFrame:
        """One HS revision per source, the earliest present: the one totals are summed from."""
        if frame.empty:
            return frame
        order = {name: i for i, name in enumerate(HS_REVISIONS)}
        rank = frame["classification"].map(lambda c: order.get(c, len(order)))
        first = rank.groupby(frame["source"]).transform("min")
        return frame[rank == first]

    def structure_family(self) -> None:
        pairs = (("exports", self.a, self.b), ("imports", self.b, self.a))
        by_section = stack(
            *(
                composition(self.flows, x, m, self.year, "section").mutate(flow=ibis.literal(flow))
                for flow, x, m in pairs
            )
        )
        frame = self._first_revision(self.execute(by_section))
        for source in self.sources:
            if not self.coverage[source].has_hs_products:
                self.unavailable(
                    ("exports_by_section", "imports_by_section"), "USD", source, "it has no HS product detail"
                )
                continue
            for flow, _, _ in pairs:
                rows = _rows(frame, source=source, flow=flow)
                if not rows:
                    self.unavailable((f"{flow}_by_section",), "USD", source, f"no HS detail of {flow} in {self.year}")
                for row in rows:
                    self.add(
                        f"{flow}_by_section",
                        row["value_usd"],
                        "USD",
                        source,
                        reported_by=row["reported_by"],
                        product=row["code"],
                        detail={
                            "description": row["description"],
                            "share": row["share"],
                            "rank": row["rank"],
                            "classification": row["classification"],
                            "statistics_of": row["statistics_of"],
                        },
                    )
        values = stack(
            *(
                group_values(self.flows, x, m, self.groups, self.year).mutate(flow=ibis.literal(flow))
                for flow, x, m in pairs
            )
        )
        frame = self._first_revision(self.execute(values))
        for source in self._product_sources():
            for flow, _, _ in pairs:
                for group in self.groups:
                    rows = _rows(frame, source=source, flow=flow, group=group.label)
                    if not rows:
                        self.unavailable(
                            (f"{flow}_of_group",), "USD", source, f"no rows for {group.label} in {self.year}", group=group.label
                        )
                    for row in rows:
                        self.add(
                            f"{flow}_of_group",
                            row["value_usd"],
                            "USD",
                            source,
                            reported_by=row["reported_by"],
                            group=group.label,
                            detail={
                                "group_name": group.name,
                                "share_of_flow": row["share"],
                                "flow_total_usd": row["total_usd"],
                                "classification": row["classification"],
                                "statistics_of": row["statistics_of"],
                            },
                        )

    # ------------------------------------------------------------------ dependence
    def dependence_family(self) -> None:
        for name, function, flow in (
            ("supplier_share", supplier_shares, "imports"),
            ("destination_share", destination_shares, "exports"),
        ):
            shares = function(self.flows, self.a, self.groups, self.year)
            frame = self._first_revision(self.execute(shares))
            for source in self._product_sources():
                caveat = PARTNER_CAVEATS.get(source)
                for group in self.groups:
                    rows = _rows(frame, source=source, product=group.label)
                    if not rows:
                        self.unavailable(
                            (name,), "percent", source,
                            f"no {flow} of {group.label} by {self.a} in {self.year}", group=group.label,
                        )
                        continue
                    top = min(rows, key=lambda r: r["rank"])
                    mine = [r for r in rows if r["partner"] == self.b]
                    detail: dict[str, Any] = {
                        "flow": flow,
                        "hhi": top["hhi"],
                        "n_partners": top["n_partners"],
                        "top_partner": top["partner"],
                        "top_share": top["share"],
                        "world_usd": top["world_usd"],
                        "world_basis": top["world_basis"],
                        "classification": top["classification"],
                    }
                    if caveat:
                        detail["caveat"] = caveat
                    if mine:
                        row = mine[0]
                        detail.update(rank=row["rank"], value_usd=row["value_usd"])
                        self.add(name, row["share"], "percent", source, reported_by=row["reported_by"], group=group.label, detail=detail)
                    elif self.coverage[source].is_matrix:
                        detail.update(value_usd=0.0)
                        self.add(
                            name, 0.0, "percent", source, reported_by=top["reported_by"], group=group.label,
                            note=f"{self.b} has no {flow} row for {group.label} in {source}'s complete matrix",
                            detail=detail,
                        )
                    else:
                        self.add(
                            name, None, "percent", source, reported_by=top["reported_by"], group=group.label,
                            note=f"not available in {source}: {self.b} is not listed among the partners",
                            detail=detail,
                        )
                    self.add(f"{name}_hhi", top["hhi"], "index", source, reported_by=top["reported_by"], group=group.label, detail=detail)

    # ------------------------------------------------------------------ mirror
    def mirror_family(self) -> None:
        frame = self.execute(mirror_table(self.flows, self.a, self.b, self.year))
        for flow in ("exports", "imports"):
            rows = _rows(frame, flow=flow)
            pairs = [r for r in rows if r["by_exporter_source"] and r["by_importer_source"]]
            if not pairs:
                by_x = sorted({r["by_exporter_source"] for r in rows if r["by_exporter_source"]})
                by_m = sorted({r["by_importer_source"] for r in rows if r["by_importer_source"]})
                note = (
                    f"not available: {flow} {self.year} reported by the exporter in "
                    f"{', '.join(by_x) or 'no source'}, by the importer in {', '.join(by_m) or 'no source'}"
                )
                for name, unit in (("mirror_gap", "USD"), ("mirror_gap_pct", "percent")):
                    self.add(name, None, unit, "+".join(by_x + by_m) or "none", note=note, detail={"flow": flow})
                continue
            for row in pairs:
                source = f"{row['by_exporter_source']}+{row['by_importer_source']}"
                detail = {
                    "flow": flow,
                    "exporter": row["exporter"],
                    "importer": row["importer"],
                    "by_exporter_source": row["by_exporter_source"],
                    "by_exporter_value_usd": row["by_exporter_value_usd"],
                    "by_exporter_valuation": row["by_exporter_valuation"],
                    "by_importer_source": row["by_importer_source"],
                    "by_importer_value_usd": row["by_importer_value_usd"],
                    "by_importer_valuation": row["by_importer_valuation"],
                    "reconciled_source": row["reconciled_source"],
                    "reconciled_value_usd": row["reconciled_value_usd"],
                    "cif_fob_expected": row["cif_fob_expected"],
                }
                self.add("mirror_gap", row["gap_usd"], "USD", source, reported_by="importer-exporter", detail=detail)
                self.add("mirror_gap_pct", row["gap_pct"], "percent", source, reported_by="importer-exporter", detail=detail)

    # ------------------------------------------------------------------ specialisation
    def specialisation_family(self) -> None:
        names = ("trade_intensity", "trade_complementarity", "rca")
        matrix = [s for s in self.sources if self.coverage[s].is_matrix]
        for source in self.sources:
            if source not in matrix:
                self.unavailable(
                    names, "index", source, "it is not a complete world matrix of products (BACI is)"
                )
        if not matrix:
            return
        pairs = ((self.a, self.b), (self.b, self.a))
        intensity = self.execute(
            stack(*(trade_intensity(self.flows, x, m, self.year) for x, m in pairs))
        )
        complementarity = self._first_revision(
            self.execute(stack(*(trade_complementarity(self.flows, x, m, self.year) for x, m in pairs)))
        )
        advantage = rca(self.flows, self.year)
        advantage = self._first_revision(
            self.execute(advantage.filter(advantage.exporter.isin([self.a, self.b])))
        )
        for source in matrix:
            for x, m in pairs:
                detail = {"exporter": x, "importer": m}
                for name, frame, column in (
                    ("trade_intensity", intensity, "intensity"),
                    ("trade_complementarity", complementarity, "complementarity"),
                ):
                    rows = _rows(frame, source=source, exporter=x, importer=m)
                    if rows:
                        self.add(name, rows[0][column], "index", source, reported_by="reconciled", detail=detail)
                    else:
                        self.unavailable((name,), "index", source, f"no {x} -> {m} trade in {self.year}", detail=detail)
                mine = advantage[(advantage.source == source) & (advantage.exporter == x)]
                for row in _rows(mine.nlargest(TOP_RCA_PRODUCTS, "value_usd")):
                    self.add(
                        "rca",
                        row["rca"],
                        "index",
                        source,
                        reported_by="reconciled",
                        product=row["product"],
                        detail={
                            "exporter": x,
                            "exports_usd": row["value_usd"],
                            "classification": row["classification"],
                            "why": f"one of {x}'s {TOP_RCA_PRODUCTS} largest exports",
                        },
                    )


def build_profile(
    flows: ir.Table,
    execute: Execute | None,
    a: str,
    b: str,
    year: int,
    source: str | None = None,
    *,
    groups: Sequence[str] = PROFILE_GROUPS,
    user_groups: Path | None = None,
) -> Profile:
    """Every indicator the data supports for ``a`` and ``b`` in ``year``, per source.

    Parameters
    ----------
    flows
        The canonical flow table (``store.flows()``), revisions resolved.
    execute
        Runs an Ibis expression and returns pandas (``store.execute``); None: the
        expression's own backend.
    a, b
        Countries: codes or names in English or Russian ("KAZ", "Россия").
    year
        The year of the profile (growth compares it with the year before).
    source
        Only this source; an error if the table holds nothing from it.
    groups, user_groups
        Product groups for the structure and dependence families.

    Returns
    -------
    Profile
        Records for the families flows, partners, structure, dependence, mirror and
        specialisation; a record whose source lacks the year or the detail has a null
        value and a note "not available in <source>: why".
    """
    index = countries()
    a_code, b_code = index.resolve(a).code, index.resolve(b).code
    run: Execute = execute or (lambda expr: expr.to_pandas())
    coverage = _coverage(flows, run)
    if source is not None:
        if source not in coverage:
            held = ", ".join(sorted(coverage)) or "nothing"
            raise NotAvailableError(
                f"No data from source '{source}' in the store (it holds: {held}). "
                "Ingest its files first, or leave out --source."
            )
        flows = flows.filter(flows.source == source)
        coverage = {source: coverage[source]}
    if not coverage:
        raise NotAvailableError("The store is empty: ingest some files first (bilateral ingest).")
    builder = _Builder(flows, run, a_code, b_code, year, coverage, groups, user_groups)
    builder.flows_family()
    builder.partners_family()
    builder.structure_family()
    builder.dependence_family()
    builder.mirror_family()
    builder.specialisation_family()
    return Profile(a_code, b_code, year, builder.sources, builder.records)
