"""The tables the report and the dashboard draw, taken from the indicators and the profile.

Each function runs one indicator (:mod:`bilateral.indicators`) on the store and returns a
pandas table shaped for a chart or a table of the report: no figure is computed here, so
the page shows exactly what ``bilateral profile`` and the Python API give.

``statistics_of`` says whose statistics a figure is: a country's code, or 'reconciled'.
Money in USD, shares in percent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from bilateral import answers, engine
from bilateral.answers.currency import profile_in_currency
from bilateral.errors import NotAvailableError, not_one_of
from bilateral.indicators.dependence import supplier_shares
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.structure import composition
from bilateral.reference.countries import countries
from bilateral.reference.products import product_groups
from bilateral.store import Store

FLOWS = ("turnover", "exports", "imports")
#: Product groups whose suppliers the report shows (reference/data/product_groups.csv).
KEY_GROUPS = ("food", "grain", "wheat", "barley", "poultry_meat", "sugar", "fermented_milk")
SERIES_COLUMNS = ["source", "statistics_of", "year", "flow", "value_usd"]


def country_name(code: str) -> str:
    country = countries().by_code.get(code)
    return country.name_en if country else code


def direction(exporter: str, importer: str) -> str:
    """'KAZ → RUS', kept on one line."""
    return f"{exporter}\u00a0→\u00a0{importer}"


def pair_series(
    store: Store, reporter: str, partner: str, source: str | None = None
) -> pd.DataFrame:
    """Every year's turnover, exports, imports and balance of ``reporter`` with ``partner``.

    A long table ``source, statistics_of, year, flow, value_usd`` from
    :func:`bilateral.answers.every_flow` (what ``bilateral series`` prints). A flow a
    source does not publish is absent, never zero; turnover and balance only where both
    flows come from the same statistics.
    """
    every = answers.every_flow(store, reporter, partner, source=source)
    frames = [series.to_pandas().assign(flow=flow) for flow, series in every.items()]
    long = pd.concat([f for f in frames if not f.empty] or [pd.DataFrame()], ignore_index=True)
    if long.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    long["year"] = long["year"].astype(int)
    long["order"] = long["flow"].map({"turnover": 0, "exports": 1, "imports": 2, "balance": 3})
    long = long.sort_values(["source", "statistics_of", "year", "order"])
    return long[SERIES_COLUMNS].reset_index(drop=True)


def partner_ranking(
    store: Store, reporter: str, year: int, flow: str = "turnover", source: str | None = None
) -> pd.DataFrame:
    """``reporter``'s partner countries in ``year`` ranked by ``flow``, per source.

    The countries of :func:`bilateral.answers.partners` (what ``bilateral partners``
    prints): ``source, statistics_of, partner, partner_name, value_usd, share, rank,
    world_basis, note`` (why a share or rank is not available: a partial partner table,
    or a member state of an aggregate reporter).
    """
    if flow not in FLOWS:
        raise not_one_of("flow", flow, FLOWS)
    columns = ["source", "statistics_of", "partner", "partner_name", "value_usd", "share", "rank"]
    columns += ["world_basis", "note"]
    try:
        frame = answers.partners(store, reporter, year, flow=flow, source=source).to_pandas()
    except NotAvailableError:
        return pd.DataFrame(columns=columns)
    frame = frame[frame["kind"] == "country"]
    return frame[columns].reset_index(drop=True)


def pair_profile(
    store: Store,
    reporter: str,
    partner: str,
    year: int,
    source: str | None = None,
    currency: str = "USD",
) -> dict[str, Any]:
    """``bilateral profile --format json``: every indicator, per source, with provenance.

    Money in ``currency`` (:func:`bilateral.answers.currency.profile_in_currency`), which
    the answer names, so a reader of the JSON never has to guess.
    """
    built = profile_in_currency(engine.profile(store, reporter, partner, year, source), currency)
    return {**built.to_dict(), "currency": currency}


def mirror(store: Store, reporter: str, partner: str, source: str | None = None) -> pd.DataFrame:
    """Both flows in every year, as the exporter, the importer and reconcilers report them.

    :func:`bilateral.indicators.mirror.mirror_table` with a ``direction`` label; a side
    nobody reports is null, and so is any gap that needs it.
    """
    both = mirror_table(store.flows(source), reporter, partner, totals=store.totals(source))
    frame = store.execute(both)
    if not frame.empty:
        frame["direction"] = [
            direction(x, m) for x, m in zip(frame["exporter"], frame["importer"], strict=True)
        ]
        frame = frame.sort_values(["flow", "year"]).reset_index(drop=True)
    return frame


def mirror_gaps(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`mirror` where both the exporter's and the importer's figure exist."""
    if table.empty:
        return table
    both = table["by_exporter_value_usd"].notna() & table["by_importer_value_usd"].notna()
    return table[both].reset_index(drop=True)


def mirror_sides(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`mirror` as one row per reported figure, for charts:
    ``direction, year, side (exporter | importer | reconciled), source, value_usd``."""
    parts = []
    for side, prefix in (
        ("exporter", "by_exporter"),
        ("importer", "by_importer"),
        ("reconciled", "reconciled"),
    ):
        if table.empty:
            break
        part = table[["direction", "year", f"{prefix}_source", f"{prefix}_value_usd"]]
        part = part.rename(
            columns={f"{prefix}_source": "source", f"{prefix}_value_usd": "value_usd"}
        )
        parts.append(part.dropna(subset=["value_usd"]).assign(side=side))
    columns = ["direction", "year", "side", "source", "value_usd"]
    if not parts:
        return pd.DataFrame(columns=columns)
    long = pd.concat(parts, ignore_index=True).drop_duplicates()
    long["year"] = long["year"].astype(int)
    return long[columns].sort_values(["direction", "year", "side"]).reset_index(drop=True)


def structure(
    store: Store, reporter: str, partner: str, year: int, source: str | None = None
) -> pd.DataFrame:
    """What each flow between the two is made of, by HS section, per source.

    :func:`bilateral.indicators.structure.composition` for exports (reporter -> partner)
    and imports: ``flow, source, statistics_of, classification, product (section),
    product_name, value_usd, share, rank``. Empty where no source has HS detail.
    """
    parts = []
    for flow, exporter, importer in (
        ("exports", reporter, partner),
        ("imports", partner, reporter),
    ):
        frame = store.execute(
            composition(store.flows(), exporter, importer, year, "section", source=source)
        )
        parts.append(frame.assign(flow=flow))
    frame = pd.concat(parts, ignore_index=True)
    columns = ["flow", "source", "statistics_of", "classification", "product", "product_name"]
    columns += ["value_usd", "share", "rank"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.rename(columns={"code": "product", "description": "product_name"})
    return frame.sort_values(["flow", "source", "rank"])[columns].reset_index(drop=True)


def dependence(
    store: Store,
    reporter: str,
    year: int,
    groups: Sequence[str] = KEY_GROUPS,
    source: str | None = None,
) -> pd.DataFrame:
    """Each supplier's share of ``reporter``'s imports of the key product groups.

    :func:`bilateral.indicators.dependence.supplier_shares`: ``source, statistics_of,
    group, group_name, supplier, supplier_name, value_usd, share, rank, hhi, caveat``.
    An extract that lists only large partners (FAOSTAT) carries its caveat.
    """
    known = product_groups()
    selections = [known[g] for g in groups]
    frame = store.execute(supplier_shares(store.flows(), reporter, selections, year, source=source))
    columns = ["source", "statistics_of", "group", "group_name", "supplier", "supplier_name"]
    columns += ["value_usd", "share", "rank", "hhi", "caveat"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.rename(
        columns={"product": "group", "product_name": "group_name", "partner": "supplier"}
    )
    frame["supplier_name"] = frame["supplier"].map(country_name)
    order = {g: i for i, g in enumerate(groups)}
    frame["order"] = frame["group"].map(order)
    frame = frame.sort_values(["order", "source", "rank", "supplier"])
    return frame[columns].reset_index(drop=True)
