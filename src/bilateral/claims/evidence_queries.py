"""The queries :mod:`bilateral.claims.store_evidence` asks the store, each a function of
its inputs only.

A claim check asks a few dozen such questions, and building their Ibis expressions costs
more than DuckDB spends on the data. Written as functions of plain arguments, each is a
:class:`~bilateral.backends.question_sql.Question`: a new process finds the SQL an
earlier one compiled for the same question and builds nothing. What the answers mean
(figures, partner tables, notes) stays in ``store_evidence``.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from bilateral.claims.model import Product
from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.partners import partner_ranking
from bilateral.indicators.rows import FAO
from bilateral.indicators.structure import group_values
from bilateral.reference.countries import WORLD
from bilateral.reference.products import ProductSelection
from bilateral.schema import TOTAL


def goods(flows: ir.Table, product: Product | None) -> ir.BooleanValue:
    """The rows of the goods: the totals without a product; a list's CN8 rows for a list of
    CN8 codes; else the product's HS rows (never CN8 or FAO rows, which overlap them)."""
    if product is None:
        return flows.classification == TOTAL
    codes = flows.product.isin(list(product.codes))
    if product.classification == "CN8":
        return codes & (flows.classification == "CN8")
    return codes & ~flows.classification.isin(["CN8", FAO, TOTAL])


def reported_by(
    flows: ir.Table,
    sides: list[str],
    partner: str | None = None,
    directions: tuple[str, ...] = ("exports", "imports"),
) -> ir.BooleanValue:
    """The rows ``sides`` report themselves in ``directions`` (with ``partner`` only, when
    one is given): a partner's mirror rows of the same trade are not theirs."""
    conditions = []
    for direction in directions:
        if direction == "exports":
            own = flows.exporter.isin(sides) & (flows.reported_by == "exporter")
            conditions.append(own if partner is None else own & (flows.importer == partner))
        else:
            own = flows.importer.isin(sides) & (flows.reported_by == "importer")
            conditions.append(own if partner is None else own & (flows.exporter == partner))
    return ibis.or_(*conditions)


def _uncounted(rows: ir.Table, counted: ir.BooleanValue) -> ir.IntegerScalar:
    """Rows of value that count no units: a count of goods over them would fall short
    (a row of zero value, as Comtrade prints for a mode of transport unused, counts none)."""
    return ((~counted.fill_null(False)) & (rows.value_usd > 0)).cast("int64").sum()


def fao_items(flows: ir.Table) -> ir.Table:
    """Every FAO item the store holds."""
    return flows.filter(flows.classification == FAO).select("product").distinct()


def headings_held(flows: ir.Table, codes: tuple[str, ...]) -> ir.Table:
    """How many HS headings under ``codes`` each source's HS rows reach."""
    rows = flows.filter(
        ~flows.classification.isin(["CN8", FAO, TOTAL]),
        ibis.or_(*(flows.product.startswith(c) for c in codes)),
    )
    return rows.group_by("source").aggregate(headings=rows.product.substr(0, 4).nunique())


def month_sums(
    flows: ir.Table,
    reporter: str,
    partner: str,
    directions: tuple[str, ...],
    year: int,
    span: tuple[int, int],
    product: Product | None,
) -> ir.Table:
    """The pair's trade over the months of ``span`` (a source's annual rows too, for the
    whole year) per source, statistics, direction and currency, with the units counted."""
    first, last = span
    pair = [
        (flows.exporter == reporter) & (flows.importer == partner)
        if direction == "exports"
        else (flows.exporter == partner) & (flows.importer == reporter)
        for direction in directions
    ]
    in_span = flows.month.notnull() & (flows.month >= first) & (flows.month <= last)
    if (first, last) == (1, 12):  # a source's annual rows, else its twelve months
        in_span = in_span | flows.month.isnull()
    rows = flows.filter(flows.year == year, in_span, goods(flows, product), ibis.or_(*pair))
    rows = rows.mutate(
        statistics_of=ibis.cases(
            (rows.reported_by == "exporter", rows.exporter),
            (rows.reported_by == "importer", rows.importer),
            else_="reconciled",
        ),
        direction=ibis.cases((rows.exporter == reporter, "exports"), else_="imports"),
        annual=rows.month.isnull(),
    )
    counted = rows.quantity_unit == "u"
    return rows.group_by(["source", "statistics_of", "direction", "currency", "annual"]).aggregate(
        usd=rows.value_usd.sum(),
        original=rows.value_original.sum(),
        units=counted.ifelse(rows.quantity, 0).sum(),
        uncounted=_uncounted(rows, counted),
    )


def members_month_sums(
    flows: ir.Table,
    members: tuple[str, ...],
    partner: str,
    directions: tuple[str, ...],
    year: int,
    span: tuple[int, int],
    product: Product | None,
) -> ir.Table:
    """A group's members' own rows with ``partner`` over the months of ``span``, summed
    per source, direction and currency, with how many months and members they cover."""
    first, last = span
    rows = flows.filter(
        flows.year == year,
        flows.month.notnull(),
        flows.month >= first,
        flows.month <= last,
        goods(flows, product),
        reported_by(flows, list(members), partner, directions),
    )
    rows = rows.mutate(direction=ibis.cases((rows.importer == partner, "exports"), else_="imports"))
    return rows.group_by(["source", "direction", "currency"]).aggregate(
        usd=rows.value_usd.sum(),
        original=rows.value_original.sum(),
        months=rows.month.nunique(),
        members=rows.exporter.nunique() + rows.importer.nunique() - 1,
    )


def world_month_sums(
    flows: ir.Table,
    reporter: str,
    flow: str,
    year: int,
    span: tuple[int, int],
    product: Product | None,
) -> ir.Table:
    """The reporter's own monthly rows of ``flow`` over ``span``, summed per source, its
    printed World row apart from the partner rows."""
    first, last = span
    own = (
        (flows.exporter == reporter) & (flows.reported_by == "exporter")
        if flow == "exports"
        else (flows.importer == reporter) & (flows.reported_by == "importer")
    )
    rows = flows.filter(
        own,
        goods(flows, product),
        flows.year == year,
        flows.month.notnull(),
        flows.month >= first,
        flows.month <= last,
    )
    partner = rows.importer if flow == "exports" else rows.exporter
    rows = rows.mutate(world_row=partner == WORLD)
    counted = rows.quantity_unit == "u"
    return rows.group_by(["source", "world_row"]).aggregate(
        usd=rows.value_usd.sum(),
        units=counted.ifelse(rows.quantity, 0).sum(),
        uncounted=_uncounted(rows, counted),
    )


def month_partner_sums(
    flows: ir.Table,
    reporter: str,
    flow: str,
    year: int,
    span: tuple[int, int],
    imports_basis: str,
    product: Product | None,
) -> ir.Table:
    """The reporter's own monthly rows over ``span`` summed per source and partner,
    imports counted on ``imports_basis``, with how many rows are on that basis."""
    first, last = span
    exported = goods(flows, product)
    imported = exported if product is not None else flows.classification == imports_basis
    sides = []
    if flow in ("exports", "turnover"):
        sides.append((flows.exporter == reporter) & (flows.reported_by == "exporter") & exported)
    if flow in ("imports", "turnover"):
        sides.append((flows.importer == reporter) & (flows.reported_by == "importer") & imported)
    rows = flows.filter(
        flows.year == year,
        flows.month.notnull(),
        flows.month >= first,
        flows.month <= last,
        ibis.or_(*sides),
    )
    rows = rows.mutate(
        partner=ibis.cases((rows.exporter == reporter, rows.importer), else_=rows.exporter)
    )
    return rows.group_by(["source", "partner"]).aggregate(
        usd=rows.value_usd.sum(),
        on_basis=(rows.classification == imports_basis).cast("int64").sum(),
    )


def last_month(
    flows: ir.Table, sides: tuple[str, ...], partner: str | None, year: int, product: Product | None
) -> ir.Table:
    """The last month of ``year`` in the rows ``sides`` report of the goods."""
    own = reported_by(flows, list(sides), partner)
    rows = flows.filter(own, flows.year == year, flows.month.notnull(), goods(flows, product))
    return rows.aggregate(last=rows.month.max())


def months_published(
    flows: ir.Table, reporter: str, year: int, product: Product | None
) -> ir.Table:
    """The months of ``year`` with ``reporter``'s own rows of the goods ("reconciled":
    the rows a source reconciled)."""
    own = (
        reported_by(flows, [reporter])
        if reporter != "reconciled"
        else flows.reported_by == "reconciled"
    )
    rows = flows.filter(flows.year == year, flows.month.notnull(), own, goods(flows, product))
    return rows.select("month").distinct()


def years_of(
    flows: ir.Table,
    reporter: str,
    partner: str | None,
    selection: ProductSelection | None,
) -> ir.Table:
    """The years with the reporter's trade: in its partner ranking without a product,
    else in its shares of the product (with the world) or its trade in it with
    ``partner``."""
    if selection is None:
        expr = partner_ranking(flows, reporter).select("year")
    elif partner is None or partner == WORLD:
        expr = (
            supplier_shares(flows, reporter, [selection])
            .select("year")
            .union(destination_shares(flows, reporter, [selection]).select("year"))
        )
    else:
        expr = (
            group_values(flows, partner, reporter, [selection])
            .select("year")
            .union(group_values(flows, reporter, partner, [selection]).select("year"))
        )
    return expr.distinct()
