"""Which rows of the flow table an indicator reads.

Every indicator starts here: annual figures (monthly ones summed only when the year is
complete), the country whose statistics a row is, the codes that are aggregates rather
than countries, and the rows that make up a product or group. All functions take and
return Ibis expressions; nothing is executed.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir

from bilateral.reference.countries import countries
from bilateral.reference.products import ProductSelection, resolve_products
from bilateral.sources.comtrade import TOTAL_TRANSPORT

#: The columns indicators work with, after :func:`annual`.
ANNUAL_COLUMNS = (
    "source",
    "release",
    "year",
    "exporter",
    "importer",
    "reported_by",
    "classification",
    "product",
    "valuation",
    "value_usd",
)
#: An observation, less its value: the key under which monthly figures add up to a year.
OBSERVATION = (
    "source",
    "year",
    "exporter",
    "importer",
    "reported_by",
    "classification",
    "product",
    "valuation",
)
#: The transport_mode of rows that total all modes (Comtrade's 'TOTAL MOT').
TOTAL_MODE = TOTAL_TRANSPORT
#: Classification of FAOSTAT rows; their product is a FAO item name.
FAO = "FAO"


def stack(*tables: ir.Table) -> ir.Table:
    """UNION ALL of tables with the same columns; a column that is NOT NULL in one table
    (Parquet written with the canonical schema) and nullable in another still stacks."""
    schemas = [t.schema() for t in tables]
    if all(schema == schemas[0] for schema in schemas):
        return ibis.union(*tables, distinct=False)  # nothing to loosen: a smaller query
    loose = [
        t.cast({name: dtype.copy(nullable=True) for name, dtype in schema.items()})
        for t, schema in zip(tables, schemas, strict=True)
    ]
    return ibis.union(*loose, distinct=False)


@cache
def aggregate_codes() -> tuple[str, ...]:
    """Codes of partner aggregates (WLD, CIS, EAEU, EU27, continents...): never ranked as
    countries, never summed with them."""
    return tuple(sorted(c.code for c in countries() if c.is_aggregate))


_REFERENCE_TABLES: dict[str, ir.Table] = {}
_REFERENCE_LOCK = threading.Lock()


def reference_table(
    columns: Mapping[str, Sequence[Any]], schema: Mapping[str, str] | None = None
) -> ir.Table:
    """A small in-memory table (codes and names, product groups) named after its content.

    Ibis names an in-memory table at random, so each process would write different SQL
    for the same question; named after what it holds, the table gets the same name, and
    the question the same SQL, in every process (compiled SQL is kept across processes:
    :class:`bilateral.backends.compiled.SQLCache`). The same content gives the very same table.

    >>> reference_table({"flow": ["exports", "imports"]}).get_name()
    'bilateral_ref_7eb167a86cc8f879efd0'
    """
    content = json.dumps(
        [[[name, list(values)] for name, values in columns.items()], dict(schema or {})],
        ensure_ascii=False,
    )
    name = "bilateral_ref_" + hashlib.sha256(content.encode()).hexdigest()[:20]
    with _REFERENCE_LOCK:
        if name not in _REFERENCE_TABLES:
            op = ibis.memtable(dict(columns), schema=dict(schema) if schema else None).op()
            assert isinstance(op, ops.InMemoryTable)
            named = ops.InMemoryTable(name=name, schema=op.schema, data=op.data)
            _REFERENCE_TABLES[name] = named.to_expr()
        return _REFERENCE_TABLES[name]


@cache
def flow_sides() -> ir.Table:
    """A ``flow`` column of two rows, 'exports' and 'imports': joined with a table, it
    reads each row once from both sides (one table for the whole process, so that the
    same question makes the same query)."""
    return reference_table({"flow": ["exports", "imports"]}, schema={"flow": "string"})


def all_modes(flows: ir.Table) -> ir.Table:
    """One row per observation and month across modes of transport (Comtrade ships flows
    by mode): the publisher's all-modes total where given, else the sum of the modes,
    unknown (null) if a mode's value is. Rows without a mode pass unchanged."""
    plain = flows.filter(flows.transport_mode.isnull()).select(*ANNUAL_COLUMNS, "month")
    moded = flows.filter(flows.transport_mode.notnull())
    is_total = (moded.transport_mode == TOTAL_MODE).cast("int8")
    keys = [*OBSERVATION, "month"]
    moded = moded.mutate(_total=is_total, _has_total=is_total.max().over(group_by=keys))
    moded = moded.filter((moded._total == 1) | (moded._has_total == 0))
    collapsed = moded.group_by(keys).aggregate(
        release=moded.release.max(),
        value_usd=ibis.ifelse(
            moded.value_usd.count() == moded.count(), moded.value_usd.sum(), ibis.null("float64")
        ),
    )
    return stack(plain, collapsed.select(*ANNUAL_COLUMNS, "month"))


def annual(flows: ir.Table) -> ir.Table:
    """Annual observations, with the columns of :data:`ANNUAL_COLUMNS` and ``months``.

    Modes of transport are first combined (:func:`all_modes`). Rows without a month are
    annual figures and pass unchanged. Monthly rows of an observation that has no annual
    row are summed to the year when all twelve months are there with a value; an
    incomplete year is left out (unknown, not a partial sum). ``months`` is 12 for such
    sums, 0 for figures published as annual.
    """
    flows = all_modes(flows)
    yearly = flows.filter(flows.month.isnull()).select(
        *ANNUAL_COLUMNS, months=ibis.literal(0, type="int64")
    )
    monthly = flows.filter(flows.month.notnull())
    summed = (
        monthly.group_by(list(OBSERVATION))
        .aggregate(
            release=monthly.release.max(),
            value_usd=monthly.value_usd.sum(),
            months=monthly.month.nunique().cast("int64"),
            values=monthly.value_usd.count(),
        )
        .filter(lambda t: (t.months == 12) & (t["values"] == 12))
    )
    # null-safe: an observation without a valuation still has its annual row found
    same = [summed[k].identical_to(yearly[k]) for k in OBSERVATION]
    summed = summed.anti_join(yearly, same).select(*ANNUAL_COLUMNS, "months")
    return stack(yearly, summed)


def statistics_of(table: ir.Table) -> ir.StringValue:
    """The country whose statistics a row is: the exporter for rows reported by the
    exporter, the importer for rows reported by the importer; 'reconciled' for figures
    such as BACI's that reconcile both reports."""
    return ibis.cases(
        (table.reported_by == "exporter", table.exporter),
        (table.reported_by == "importer", table.importer),
        else_=table.reported_by,
    )


def between(flows: ir.Table, a: str, b: str) -> ir.BooleanValue:
    """Rows of either flow between a and b."""
    return ((flows.exporter == a) & (flows.importer == b)) | (
        (flows.exporter == b) & (flows.importer == a)
    )


def is_country(code: ir.StringValue) -> ir.BooleanValue:
    """True for a country code, false for an aggregate (WLD, CIS, EU27, ...).

    Written as "three letters and not one of the few three-letter aggregates" because
    engines test a long ``NOT IN`` list row by row: on a year of BACI this form costs half
    as much, and codes of another length are still checked against the full list.
    """
    three = [c for c in aggregate_codes() if len(c) == 3]
    other = [c for c in aggregate_codes() if len(c) != 3]
    is_three = code.length() == 3
    return (is_three & ~code.isin(three)) | (~is_three & ~code.isin(other))


def selection_of(product: str | ProductSelection) -> ProductSelection:
    """Accept a group name, an HS code, a FAO item name or a ready selection."""
    return product if isinstance(product, ProductSelection) else resolve_products(product)


def selections_of(
    products: str | ProductSelection | Sequence[str | ProductSelection],
) -> list[ProductSelection]:
    """One product or several, as selections."""
    if isinstance(products, str | ProductSelection):
        return [selection_of(products)]
    return [selection_of(p) for p in products]


def label_names(label: ir.StringValue, selections: Sequence[ProductSelection]) -> ir.StringValue:
    """The human name of each selection label (wheat -> Wheat and meslin)."""
    return ibis.cases(*((label == s.label, ibis.literal(s.name)) for s in selections), else_=label)


@cache
def _match_tables(selections: tuple[ProductSelection, ...]) -> tuple[ir.Table, ir.Table]:
    """(group, length, code) for every HS prefix (its length) and FAO item (length 0) of
    the selections, and the distinct lengths. One pair of tables per set of selections
    for the whole process, so that the same question makes the same query."""
    rows = [(s.label, len(p), p) for s in selections for p in s.hs_prefixes]
    rows += [(s.label, 0, item) for s in selections for item in s.fao_items]
    match = reference_table(
        {
            "_group": [r[0] for r in rows],
            "_match_length": [r[1] for r in rows],
            "_code": [r[2] for r in rows],
        },
        schema={"_group": "string", "_match_length": "int64", "_code": "string"},
    )
    found = sorted({r[1] for r in rows})
    lengths = reference_table({"_length": found}, schema={"_length": "int64"})
    return match, lengths


def product_rows(
    table: ir.Table, products: str | ProductSelection | Sequence[str | ProductSelection]
) -> ir.Table:
    """The rows of ``table`` that make up a product or group (or several), with ``group``
    (the selection's label) and ``prefix`` (the HS prefix or FAO item matched) columns.

    HS rows (any ``HS..`` or ``CN8`` classification) match when their code starts with one
    of the selection's prefixes; FAO rows when their item is one of its FAO items. To count
    nothing twice when a source ships a code and its subdivisions (Comext: a heading and
    its CN8 codes), only the most aggregated rows under each prefix are kept, per source,
    year, flow and reporting side: they are the complete figure for that prefix. A row
    can belong to several groups (wheat is in grain and in food). No row matches an
    empty selection (absent, not zero).
    """
    selections = tuple(selections_of(products))
    match, lengths = _match_tables(selections)
    prefixes = [p for s in selections for p in s.hs_prefixes]
    if all(len(p) >= 2 for p in prefixes):
        # only rows in the selections' HS chapters (and FAO rows) are cut and joined:
        # one test per row, where the join below makes a row of every prefix length
        chapters = sorted({p[:2] for p in prefixes})
        table = table.filter(
            (table.classification == FAO) | table.product.substr(0, 2).isin(chapters)
        )
    # "code starts with a prefix" as an equality, so that the engine joins by hashing
    # rather than testing every row against every prefix: each row is cut to each
    # prefix length the selections use (length 0: a FAO item, matched whole)
    t = table.cross_join(lengths)
    is_hs = t.classification.startswith("HS") | (t.classification == "CN8")
    item = t._length == 0
    t = t.filter((item & (t.classification == FAO)) | (~item & is_hs))
    t = t.mutate(_key=ibis.ifelse(item, t.product, t.product.substr(0, t._length)))
    matched = t.join(match, [t._key == match._code, t._length == match._match_length])
    matched = matched.mutate(group=matched._group, prefix=matched._code).drop(
        "_group", "_code", "_match_length", "_length", "_key"
    )
    keys = [
        "source",
        "classification",
        "year",
        "exporter",
        "importer",
        "reported_by",
        "group",
        "prefix",
    ]
    # the coarsest level under each prefix, by aggregation and join (a window over
    # these eight columns cost engines more; no key is ever null)
    leveled = matched.mutate(_level=matched.product.length())
    coarsest = leveled.group_by(keys).aggregate(_coarsest=leveled._level.min())
    kept = leveled.join(
        coarsest,
        [*(leveled[k] == coarsest[k] for k in keys), leveled._level == coarsest._coarsest],
    )
    return kept.select(*matched.columns)
