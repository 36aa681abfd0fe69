"""What each source's partner tables hold, and so what a share or a rank over them means.

A share needs a denominator: the reporter's trade with the whole world. A table either
holds every partner of the reporter (complete: the world is its printed total, or the sum
of every partner row, unspecified partners included) or only some (partial: an extract of
chosen partners). Over a partial table a share is a share of a subset and a rank a rank
among the few listed, so both are "not available", with the reason, unless the source
prints the reporter's world total (then the share is of that total; the rank still is not
available). Aggregate reporters' own members are never their partners: the EU27's world is
its extra-EU trade, and its trade with member states is intra-EU trade, reported apart.

:data:`TOTAL_TABLES` covers total trade (:mod:`bilateral.indicators.partners`),
:data:`PRODUCT_TABLES` product rows (:mod:`bilateral.indicators.dependence`). A source
listed in neither is taken as complete. ``docs/indicators.md`` has the same table in prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import ibis
import ibis.expr.types as ir

from bilateral.reference.countries import EU27, countries


@dataclass(frozen=True)
class PartnerTable:
    """A source's partner table for some or all of its reporters.

    ``complete``: every partner of the reporter is listed (an absent partner traded
    nothing); ``upper_bounds``: a partial table whose shares are still given, as upper
    bounds with a caveat. ``world``: what the reporter's world total is. ``why``: for a
    partial table, why shares and ranks over it are not available. ``reporters``: the
    reporters this entry is about; empty for every reporter of the source not named in
    another entry.
    """

    source: str
    complete: bool
    world: str
    why: str = ""
    reporters: tuple[str, ...] = ()
    upper_bounds: bool = False


TOTAL_TABLES: tuple[PartnerTable, ...] = (
    PartnerTable(
        "kz_bns",
        True,
        "the printed total ('Всего'), which ingest checks against the sum of the partner rows",
    ),
    PartnerTable(
        "ru_fcs",
        False,
        "the printed total of Russia's trade (94itog)",
        why="FCS publishes Russia's main partners (96stran) and the CIS countries (94itog), "
        "not every partner, so a rank among them is not Russia's rank",
    ),
    PartnerTable(
        "eurostat",
        True,
        "extra-EU trade: the sum of every partner row outside the EU27, Comext's unspecified "
        "partners, stores and provisions and high seas included; member states are not "
        "partners (intra-EU trade, reported apart)",
        reporters=(EU27,),
    ),
    PartnerTable(
        "eurostat",
        False,
        "not held",
        why="the Eurostat files hold member states' exports to Kazakhstan and Russia only",
    ),
    PartnerTable(
        "comext_cn8",
        False,
        "not held",
        why="the Comext extract holds seven partners (Armenia, Belarus, Georgia, Kazakhstan, "
        "Kyrgyzstan, Russia, Uzbekistan)",
    ),
    PartnerTable(
        "armstat",
        True,
        "the sum of every partner row of the year's twelve monthly tables, partners without "
        "an ISO code included ('Unknown country', 'EU countries not specified'); a partner "
        "absent from a month traded nothing that month",
    ),
    PartnerTable("baci", True, "the sum over the world matrix's partners"),
    PartnerTable(
        "comtrade",
        False,
        "the printed World row when the download holds one",
        why="a Comtrade download of total trade holds the partners that were asked for "
        "(the China 2010 response: two)",
    ),
)

PRODUCT_TABLES: tuple[PartnerTable, ...] = (
    PartnerTable(
        "comtrade",
        True,
        "the sum of every partner row of the reporter's product (the monthly extracts "
        "list every partner; one absent from a month traded nothing that month)",
    ),
    PartnerTable("baci", True, "the sum over the world matrix's partners"),
    PartnerTable(
        "faostat_bulk",
        True,
        "the sum of every partner the reporter declared for the item (FAOSTAT's bulk file; "
        "FAO's areas that are not one country are not stored, and the notes count them)",
    ),
    PartnerTable(
        "faostat",
        False,
        "the sum of the listed partners, each with at least 5% of the item: every share "
        "is an upper bound (the caveat says so)",
        why="the FAOSTAT extract lists only partners with at least a 5% share",
        upper_bounds=True,
    ),
    PartnerTable(
        "comext_cn8",
        False,
        "not held",
        why="the Comext extract holds seven partners (Armenia, Belarus, Georgia, Kazakhstan, "
        "Kyrgyzstan, Russia, Uzbekistan)",
    ),
)


def table_for(tables: Sequence[PartnerTable], source: str, reporter: str) -> PartnerTable | None:
    """The entry of ``tables`` for a source and reporter (None: not listed, complete)."""
    named = [t for t in tables if t.source == source and reporter in t.reporters]
    rest = [t for t in tables if t.source == source and not t.reporters]
    found = named or rest
    return found[0] if found else None


def lists_every_partner(tables: Sequence[PartnerTable], source: str, reporter: str) -> bool:
    """:func:`is_complete` for one source and reporter in Python (a source not listed is)."""
    entry = table_for(tables, source, reporter)
    return entry is None or entry.complete


def _entries(tables: Sequence[PartnerTable]) -> list[PartnerTable]:
    """Entries for named reporters first, so that they win over a source's default."""
    return sorted(tables, key=lambda t: not t.reporters)


def _matches(t: PartnerTable, source: ir.StringValue, reporter: ir.StringValue) -> ir.BooleanValue:
    if t.reporters:
        return (source == t.source) & reporter.isin(list(t.reporters))
    return source == t.source


def is_complete(
    tables: Sequence[PartnerTable], source: ir.StringValue, reporter: ir.StringValue
) -> ir.BooleanValue:
    """True where the source's partner table for the reporter is complete."""
    return ibis.cases(
        *((_matches(t, source, reporter), ibis.literal(t.complete)) for t in _entries(tables)),
        else_=ibis.literal(True),
    )


def why_partial(
    tables: Sequence[PartnerTable], source: ir.StringValue, reporter: ir.StringValue
) -> ir.StringValue:
    """Why the source's partner table for the reporter is partial; null where complete."""
    return ibis.cases(
        *(
            (_matches(t, source, reporter), ibis.literal(t.why) if t.why else ibis.null(str))
            for t in _entries(tables)
        ),
        else_=ibis.null(str),
    )


@cache
def unspecified_partners() -> tuple[tuple[str, str], ...]:
    """(code, within) of every unspecified partner: rows that are not one country but
    belong in a reporter's world ('Unknown country', high seas, Channel Islands); within
    is the aggregate such a partner lies inside ("EU countries not specified": EU27)."""
    return tuple(sorted((c.code, c.within) for c in countries() if c.kind == "unspecified"))


def members_of(reporter: str | None) -> tuple[str, ...]:
    """An aggregate reporter's member states (never its partners); () for a country."""
    if reporter is None:
        return ()
    country = countries().by_code.get(reporter)
    return country.members if country is not None and country.is_aggregate else ()


def unspecified_for(reporter: str | None) -> list[str]:
    """The unspecified partners that belong in ``reporter``'s world: all of them, less
    those inside the reporter when it is an aggregate (intra-EU 'not specified')."""
    return [code for code, within in unspecified_partners() if not reporter or within != reporter]
