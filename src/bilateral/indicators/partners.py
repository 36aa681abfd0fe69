"""A country's trade partners: values, shares of its trade with the world, ranks, and how
far each partner is from the one above and the one below.

Read from the reporter's own statistics (exports it reports as exporter, imports it
reports as importer) or from reconciled figures (BACI); a partner's statistics of the
same trade are mirror figures and belong to :mod:`bilateral.indicators.mirror`.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from bilateral.indicators.coverage import (
    TOTAL_TABLES,
    is_complete,
    members_of,
    unspecified_for,
    why_partial,
)
from bilateral.indicators.flows import totals_where
from bilateral.indicators.ratios import percent
from bilateral.indicators.rows import flow_sides, is_country, stack, statistics_of
from bilateral.reference.countries import WORLD

#: The code of a source's own world-total row.
RANKED_FLOWS = ("turnover", "exports", "imports")


def _reporter_rows(flows: ir.Table, reporter: str | None, totals: ir.Table | None) -> ir.Table:
    """Each reporter's totals with each partner, from its own or reconciled statistics.

    Every total row is read from both sides at once (joined with the two flows, not read
    twice): as exports of its exporter and as imports of its importer, kept where that
    country's own statistics or reconciled ones report it.
    """

    def involved(t: ir.Table) -> ir.BooleanValue:
        if reporter is None:
            return ibis.literal(True)
        return (t.exporter == reporter) | (t.importer == reporter)

    t = totals_where(flows, involved, totals).cross_join(flow_sides())
    exports = t.flow == "exports"
    t = t.mutate(
        statistics_of=statistics_of(t),
        reporter=ibis.ifelse(exports, t.exporter, t.importer),
        partner=ibis.ifelse(exports, t.importer, t.exporter),
    )
    own_or_reconciled = (t.statistics_of == t.reporter) | (t.statistics_of == "reconciled")
    wanted = (t.reporter == reporter) if reporter is not None else is_country(t.reporter)
    mine = t.filter(wanted & own_or_reconciled & (t.partner != t.reporter))
    return mine.select(
        "source", "year", "statistics_of", "reporter", "partner", "flow", "value_usd"
    )


def partner_ranking(
    flows: ir.Table,
    reporter: str | None,
    year: int | None = None,
    *,
    source: str | None = None,
    totals: ir.Table | None = None,
) -> ir.Table:
    """The reporter's partner countries ranked by turnover, exports and imports.

    Parameters
    ----------
    flows
        The canonical flow table.
    reporter
        Country code whose trade is ranked (ISO alpha-3); None ranks the partners of
        every country in one query (every reporter's rows, ``reporter`` telling whose).
    year, source
        Optional filters; without them every year and source is ranked separately.
    totals
        The annual totals of ``flows``, if already computed
        (:func:`bilateral.indicators.flows.pair_flows` says more).

    Returns
    -------
    Table
        One row per source, statistics, year, flow and partner: value_usd, world_usd
        (the reporter's total of that flow with the world), world_basis ('WLD row' when
        the source prints its own world total, 'sum of partners' when it sums every
        partner row of a complete table, unspecified partners included, 'sum of partners
        outside EU27' for an aggregate reporter, null when the store does not hold it),
        share (percent of world_usd), rank (1 = largest; ties share a rank), n_partners,
        and the neighbours partner_above / value_above / gap_above_usd / gap_above_pct
        (how far the value is below the partner above, in percent of that partner's
        value) and partner_below / value_below / gap_below_usd / gap_below_pct (how far
        it is above the partner below, in percent of that partner's value); note says
        why share or rank is null. ``reported_by`` is 'exporter' for exports, 'importer'
        for imports and 'exporter+importer' for turnover from the reporter's own
        statistics, 'reconciled' for reconciled ones.

    What each source's partner table holds is :data:`bilateral.indicators.coverage.
    TOTAL_TABLES`. Over a partial table (an extract of some partners) the rank and its
    neighbours are null, and so is the share unless the source prints the reporter's
    world total; ``note`` gives the reason. Aggregates (WLD, CIS, EU27, ...) and
    unspecified partners ('Unknown country', high seas) are never ranked, but
    unspecified partners are part of the world. An aggregate reporter's member states are
    not its partners: their rows are listed apart, with a null share and rank and a note
    (intra-EU trade). A partner listed for one flow only, in a complete table, is taken
    as having no trade in the other flow: a blank means none recorded (as in BNS tables,
    whose printed turnover is then the one flow). Otherwise a missing flow is unknown and
    the partner's turnover too. Values in USD, shares in percent.
    """
    if year is not None:
        flows = flows.filter(flows.year == year)
        totals = totals.filter(totals.year == year) if totals is not None else None
    if source is not None:
        flows = flows.filter(flows.source == source)
        totals = totals.filter(totals.source == source) if totals is not None else None
    rows = _reporter_rows(flows, reporter, totals)
    keys = ["source", "statistics_of", "year", "reporter"]
    members = list(members_of(reporter))

    printed = rows.filter(rows.partner == WORLD)
    printed = printed.group_by(keys).aggregate(
        wld_exports=printed.value_usd.sum(where=printed.flow == "exports"),
        wld_imports=printed.value_usd.sum(where=printed.flow == "imports"),
    )
    # the world: every partner row that is a country or an unspecified partner, less an
    # aggregate reporter's own members (EU27: extra-EU trade)
    in_world = is_country(rows.partner) | rows.partner.isin(unspecified_for(reporter))
    if members:
        in_world = in_world & ~rows.partner.isin(members)
    partners = rows.filter(in_world)
    summed = partners.group_by(keys).aggregate(
        sum_exports=partners.value_usd.sum(where=partners.flow == "exports"),
        sum_imports=partners.value_usd.sum(where=partners.flow == "imports"),
    )
    complete = is_complete(TOTAL_TABLES, summed.source, summed.reporter)
    # an aggregate's printed world row would hold its trade with its own members
    use_printed = ibis.literal(not members)
    world_x = ibis.ifelse(use_printed, printed.wld_exports, ibis.null("float64"))
    world_m = ibis.ifelse(use_printed, printed.wld_imports, ibis.null("float64"))
    nothing = ibis.null("float64")
    world = summed.left_join(printed, keys).select(
        *keys,
        complete=complete,
        why=why_partial(TOTAL_TABLES, summed.source, summed.reporter),
        world_exports=ibis.coalesce(world_x, ibis.ifelse(complete, summed.sum_exports, nothing)),
        world_imports=ibis.coalesce(world_m, ibis.ifelse(complete, summed.sum_imports, nothing)),
        basis_exports=_basis(world_x, complete, members, reporter),
        basis_imports=_basis(world_m, complete, members, reporter),
    )

    countries = rows.filter(is_country(rows.partner))
    per_partner = countries.group_by([*keys, "partner"]).aggregate(
        exports=countries.value_usd.sum(where=countries.flow == "exports"),
        imports=countries.value_usd.sum(where=countries.flow == "imports"),
        n_exports=countries.value_usd.count(where=countries.flow == "exports"),
        n_imports=countries.value_usd.count(where=countries.flow == "imports"),
    )
    p = per_partner.join(world, keys)
    # Within a complete partner table, a flow the partner is not listed for is zero.
    exports_or_zero = ibis.ifelse(
        (p.n_exports == 0) & p.complete & p.world_exports.notnull(), ibis.literal(0.0), p.exports
    )
    imports_or_zero = ibis.ifelse(
        (p.n_imports == 0) & p.complete & p.world_imports.notnull(), ibis.literal(0.0), p.imports
    )
    own = p.statistics_of != "reconciled"
    long = [
        p.select(
            *keys,
            "partner",
            "complete",
            "why",
            flow=ibis.literal(flow),
            reported_by=ibis.ifelse(own, own_label, "reconciled"),
            value_usd=value,
            world_usd=world_value,
            world_basis=basis,
        )
        for flow, own_label, value, world_value, basis in (
            (
                "turnover",
                "exporter+importer",
                exports_or_zero + imports_or_zero,
                p.world_exports + p.world_imports,
                ibis.cases(
                    (p.basis_exports.isnull() | p.basis_imports.isnull(), ibis.null(str)),
                    (p.basis_exports == p.basis_imports, p.basis_exports),
                    else_=ibis.literal("mixed"),
                ),
            ),
            ("exports", "exporter", p.exports, p.world_exports, p.basis_exports),
            ("imports", "importer", p.imports, p.world_imports, p.basis_imports),
        )
    ]
    stacked = stack(*long)
    stacked = stacked.filter(stacked.value_usd.notnull())
    if members:
        apart = stacked.filter(stacked.partner.isin(members))
        stacked = stacked.filter(~stacked.partner.isin(members))
    group = [*keys, "flow"]
    by_value = ibis.window(group_by=group, order_by=ibis.desc("value_usd"))  # ties share a rank
    in_order = ibis.window(group_by=group, order_by=[ibis.desc("value_usd"), "partner"])
    whole = ibis.window(group_by=group)
    known = stacked.complete
    no_rank = ibis.null("int64")
    no_text = ibis.null(str)
    ranked = stacked.mutate(
        share=percent(stacked.value_usd, stacked.world_usd),
        rank=ibis.ifelse(known, (ibis.rank().over(by_value) + 1).cast("int64"), no_rank),
        n_partners=ibis.ifelse(known, stacked.partner.count().over(whole), no_rank),
        partner_above=ibis.ifelse(known, stacked.partner.lag().over(in_order), no_text),
        value_above=ibis.ifelse(known, stacked.value_usd.lag().over(in_order), nothing),
        partner_below=ibis.ifelse(known, stacked.partner.lead().over(in_order), no_text),
        value_below=ibis.ifelse(known, stacked.value_usd.lead().over(in_order), nothing),
        note=ibis.ifelse(
            known,
            no_text,
            ibis.ifelse(stacked.world_usd.isnull(), "share and rank", "rank")
            .concat(" not available in ")
            .concat(stacked.source)
            .concat(": ")
            .concat(stacked.why),
        ),
    )
    if members:
        intra = f"intra-{reporter} trade: a member state of {reporter} is not one of its partners"
        ranked = stack(
            ranked,
            apart.mutate(
                world_usd=nothing,
                world_basis=no_text,
                share=nothing,
                rank=no_rank,
                n_partners=no_rank,
                partner_above=no_text,
                value_above=nothing,
                partner_below=no_text,
                value_below=nothing,
                note=ibis.literal(intra),
            ),
        )
    return ranked.mutate(
        gap_above_usd=ranked.value_above - ranked.value_usd,
        gap_above_pct=percent(ranked.value_above - ranked.value_usd, ranked.value_above),
        gap_below_usd=ranked.value_usd - ranked.value_below,
        gap_below_pct=percent(ranked.value_usd - ranked.value_below, ranked.value_below),
    ).select(
        "source",
        "statistics_of",
        "reported_by",
        "year",
        "reporter",
        "partner",
        "flow",
        "value_usd",
        "world_usd",
        "world_basis",
        "share",
        "rank",
        "n_partners",
        "partner_above",
        "value_above",
        "gap_above_usd",
        "gap_above_pct",
        "partner_below",
        "value_below",
        "gap_below_usd",
        "gap_below_pct",
        "note",
    )


def aggregate_partners(
    flows: ir.Table,
    reporter: str,
    year: int | None = None,
    *,
    source: str | None = None,
    totals: ir.Table | None = None,
) -> ir.Table:
    """The reporter's trade with partners that are not one country: the world (WLD),
    groups (CIS, EAEU, EU27, continents) and unspecified partners ('Unknown country').

    They are never ranked among countries (:func:`partner_ranking` leaves them out); this
    lists them apart, from the reporter's own statistics or reconciled ones.

    Returns
    -------
    Table
        source, statistics_of, reported_by, year, reporter, partner, flow ('turnover',
        'exports', 'imports'), value_usd.

    A flow the source does not print for the aggregate has no row; turnover exists only
    where both flows are printed (never a sum with an unknown). Values in USD.
    """
    if year is not None:
        flows = flows.filter(flows.year == year)
        totals = totals.filter(totals.year == year) if totals is not None else None
    if source is not None:
        flows = flows.filter(flows.source == source)
        totals = totals.filter(totals.source == source) if totals is not None else None
    rows = _reporter_rows(flows, reporter, totals)
    rows = rows.filter(~is_country(rows.partner))
    keys = ["source", "statistics_of", "year", "reporter", "partner"]
    per = rows.group_by(keys).aggregate(
        exports=rows.value_usd.sum(where=rows.flow == "exports"),
        imports=rows.value_usd.sum(where=rows.flow == "imports"),
    )
    own = per.statistics_of != "reconciled"
    long = stack(
        *(
            per.select(
                "source",
                "statistics_of",
                reported_by=ibis.ifelse(own, label, "reconciled"),
                year=per.year,
                reporter=per.reporter,
                partner=per.partner,
                flow=ibis.literal(flow),
                value_usd=value,
            )
            for flow, label, value in (
                ("turnover", "exporter+importer", per.exports + per.imports),
                ("exports", "exporter", per.exports),
                ("imports", "importer", per.imports),
            )
        )
    )
    return long.filter(long.value_usd.notnull())


def _basis(
    printed: ir.FloatingValue, complete: ir.BooleanValue, members: list[str], reporter: str | None
) -> ir.StringValue:
    """world_basis: the printed world row, the sum of partners, or null (not held)."""
    summed = f"sum of partners outside {reporter}" if members else "sum of partners"
    return ibis.cases(
        (printed.notnull(), ibis.literal("WLD row")),
        (complete, ibis.literal(summed)),
        else_=ibis.null(str),
    )


def partner_rank(
    flows: ir.Table,
    reporter: str,
    partner: str,
    year: int | None = None,
    *,
    source: str | None = None,
    totals: ir.Table | None = None,
) -> ir.Table:
    """The rows of :func:`partner_ranking` for one partner: its value, share, rank and
    neighbours in each flow ("Russia is second, 3% below China"). Same nulls and units."""
    ranking = partner_ranking(flows, reporter, year, source=source, totals=totals)
    return ranking.filter(ranking.partner == partner)
