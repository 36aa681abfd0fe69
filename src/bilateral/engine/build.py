"""Assemble a profile: resolve the countries, see what each source holds, run every
indicator family and collect its records."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis.expr.types as ir
import pandas as pd

from bilateral.engine.context import (
    Context,
    Execute,
    Fetch,
    coverage,
    fetch_through,
    fetching_prepared,
)
from bilateral.engine.detail import dependence_records, specialisation_records, structure_records
from bilateral.engine.records import Profile, Record
from bilateral.engine.totals import flow_records, mirror_records, partner_records
from bilateral.errors import NotAvailableError, pair_of_one_country
from bilateral.reference.countries import countries
from bilateral.reference.products import product_groups
from bilateral.store.summaries import Summaries

if TYPE_CHECKING:
    from bilateral.store import Store

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
#: Names of the records of the first profile: always present, for every source.
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
FAMILIES = (
    flow_records,
    partner_records,
    structure_records,
    dependence_records,
    mirror_records,
    specialisation_records,
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
    holdings: pd.DataFrame | None = None,
    summaries: Summaries | None = None,
    fetch: Fetch | None = None,
) -> Profile:
    """Every indicator the data supports for ``a`` and ``b`` in ``year``, per source.

    Parameters
    ----------
    flows
        The canonical flow table (``store.flows()``), revisions resolved. Only ``year``
        and the year before are read: a table of those two years is enough
        (``store.flows(years=...)``, as :func:`profile` passes).
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
        Product groups for the structure and dependence families, and a CSV of the
        user's own (columns group, name, hs_codes, note).
    holdings
        What the table holds (source, year, classification), if known without a query:
        :meth:`bilateral.store.Store.holdings`.
    summaries
        Annual totals and the world matrix's sums of ``flows``, if already computed
        (:meth:`bilateral.store.Store.summaries`); the same figures, read from far fewer
        rows.
    fetch
        Runs an Ibis expression and returns Arrow (``store.arrow``), used instead of
        ``execute`` when given: a profile wants plain rows, and pandas in between
        costs about a tenth of a warm profile on DuckDB.

    Returns
    -------
    Profile
        Records of the families flows, partners, structure, dependence, mirror and
        specialisation; a record whose source lacks the year or the detail has a null
        value and a note "not available in <source>: why". Every name of
        :data:`CORE_NAMES` is there for every source.
    """
    index = countries()
    a_code, b_code = index.resolve(a).code, index.resolve(b).code
    if a_code == b_code:
        raise pair_of_one_country(a_code)
    if fetch is None:
        fetch = fetch_through(execute) if execute else (lambda expr: expr.to_pyarrow())
    held = coverage(flows, fetch, holdings)
    if source is not None:
        if source not in held:
            names = ", ".join(sorted(held)) or "nothing"
            raise NotAvailableError(
                f"No data from source '{source}' in the store (it holds: {names}). "
                "Ingest its files first, or leave out --source."
            )
        flows = flows.filter(flows.source == source)
        summaries = summaries.of_source(source) if summaries is not None else None
        held = {source: held[source]}
    if not held:
        raise NotAvailableError("The store is empty: ingest some files first (bilateral ingest).")
    known = product_groups(user_groups)
    ctx = Context(
        flows,
        fetching_prepared(fetch),
        a_code,
        b_code,
        year,
        held,
        [known[g] for g in groups],
        summaries or Summaries(),
    )
    records = []
    for family in FAMILIES:
        ctx.records = []
        family(ctx)
        records += _in_order(ctx.records, ctx.sources)
    return Profile(a_code, b_code, year, ctx.sources, records)


def _in_order(records: list[Record], sources: list[str]) -> list[Record]:
    """A family's records by name, then source (in the profile's order of sources); the
    records of one name and source keep the order their query gave (largest first, ...).
    Engines return a query's rows in any order unless told: this makes it one."""
    position = {source: i for i, source in enumerate(sources)}
    return sorted(records, key=lambda r: (r.name, position.get(r.source, len(position))))


def profile(
    store: Store, a: str, b: str, year: int, source: str | None = None, **options: Any
) -> Profile:
    """Every indicator for a pair and a year, per source, from ``store``: :func:`build_profile`
    of the store's flows of ``year`` and the year before, with its holdings and summaries
    (options: groups, user_groups)."""
    span = (year - 1, year)  # the profile's growth reads the year before, nothing else
    options.setdefault("holdings", store.holdings())
    options.setdefault("summaries", store.summaries(years=span))
    options.setdefault("fetch", store.arrow)
    return build_profile(store.flows(years=span), store.execute, a, b, year, source, **options)
