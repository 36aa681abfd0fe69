"""The sanctions lens for one partner: EU exports of listed goods, and re-export routes.

Assembles the indicators of :mod:`bilateral.indicators.sanctions` over the store's Comext
rows (EU member states' exports, by CN8 code and in total) for one partner and a list of
goods, matching the list to the codes the store holds first and reporting what could not
be matched. The two periods compared are the same months of two years: ``--from 2021-01
--to 2022-11`` compares Jan-Nov 2021 with Jan-Nov 2022, and indexes every month of that
range to the monthly mean of 2021.

Money is in the publisher's currency by default: Comext publishes euro, and a change
across years in converted dollars carries the exchange rate's move. In US dollars each
month's euros are converted at that month's ECB average rate
(:func:`bilateral.reference.exchange_rates.usd_per_eur`), not the year's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from bilateral.backends import compiled
from bilateral.errors import BilateralError, NotAvailableError
from bilateral.indicators import sanctions as indicators
from bilateral.indicators.rows import reference_table
from bilateral.reference.countries import EU27, countries
from bilateral.reference.exchange_rates import (
    CURRENCIES,
    EUR_USD_MONTHLY_SOURCE,
    eur_usd_monthly,
)
from bilateral.reference.list_matching import ListMatch, match_list
from bilateral.reference.lists import ProductList, load_list
from bilateral.store import Store

COMEXT = "comext_cn8"
DETAIL = "CN8"
#: The currency Comext publishes.
PUBLISHED = "EUR"
#: The column the lens sums: each row's value in the lens's currency.
VALUE = "value_in_currency"
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """The same months (``first``..``last``) of a base year and a current year."""

    base_year: int
    current_year: int
    first_month: int
    last_month: int

    @classmethod
    def parse(cls, start: str, end: str) -> Period:
        """From ``--from 2021-01 --to 2022-11``: Jan-Nov 2021 against Jan-Nov 2022."""
        parsed = []
        for option, text in (("--from", start), ("--to", end)):
            found = _MONTH.match(text.strip())
            if not found or not 1 <= int(found.group(2)) <= 12:
                raise BilateralError(f"{option} '{text}': expected a month as YYYY-MM (2021-01).")
            parsed.append((int(found.group(1)), int(found.group(2))))
        (base, first), (current, last) = parsed
        if current <= base or last < first:
            raise BilateralError(
                f"--from {start} --to {end}: the lens compares the same months of two years, "
                "so --to must be in a later year and its month not before --from's "
                "(e.g. --from 2021-01 --to 2022-11 compares Jan-Nov 2021 with Jan-Nov 2022)."
            )
        return cls(base, current, first, last)

    @property
    def months(self) -> list[int]:
        return list(range(self.first_month, self.last_month + 1))

    def label(self, year: int) -> str:
        return f"{year}-{self.first_month:02d}..{year}-{self.last_month:02d}"


@dataclass
class SanctionsLens:
    """Everything the lens found for one partner, with where it came from."""

    partner: str
    partner_name: str
    product_list: ProductList
    period: Period
    change: dict[str, Any]
    exposure: list[dict[str, Any]]
    index: list[dict[str, Any]]
    match: ListMatch
    releases: list[str]
    notes: list[str] = field(default_factory=list)
    currency: str = PUBLISHED

    def payload(self) -> dict[str, Any]:
        """The whole result as plain data (JSON output)."""
        return {
            "partner": self.partner,
            "partner_name": self.partner_name,
            "list": {
                "name": self.product_list.name,
                "title": self.product_list.title,
                "codes": len(self.product_list.entries),
                "matched_codes": len(self.match.matched_codes()),
            },
            "flow": f"EU27 member states' exports to {self.partner} (reported by the exporters)",
            "source": {"source": COMEXT, "releases": self.releases, "detail": DETAIL},
            "currency": self.currency,
            "base_period": self.period.label(self.period.base_year),
            "current_period": self.period.label(self.period.current_year),
            "change": self.change,
            "exposure": self.exposure,
            "monthly_index": self.index,
            "unmatched": [u.__dict__ for u in self.match.unmatched],
            "notes": self.notes,
        }


def eu_exports(store: Store, partner: str) -> ir.Table:
    """EU member states' exports to ``partner`` in the store's Comext rows."""
    flows = store.flows(COMEXT)
    members = list(countries().members(EU27))
    return flows.filter(
        flows.exporter.isin(members)
        & (flows.importer == partner)
        & (flows.reported_by == "exporter")
    )


def latest_period(store: Store, partner: str) -> Period:
    """The latest month with a Comext total for ``partner``, against the same months before."""
    rows = eu_exports(store, partner)
    rows = rows.filter(rows.classification == "TOTAL")
    latest = store.execute(
        rows.select("year", "month").order_by([ibis.desc("year"), ibis.desc("month")]).limit(1)
    )
    if latest.empty:
        raise _no_data(partner)
    year, month = int(latest.year.iloc[0]), int(latest.month.iloc[0])
    return Period(year - 1, year, 1, month)


@cache
def _monthly_rates() -> ir.Table:
    """(year, month, USD per EUR) of every month the ECB history covers (one table for
    the whole process, so that the same question makes the same query)."""
    rates = eur_usd_monthly()
    return reference_table(
        {
            "_year": [y for y, _ in rates],
            "_month": [m for _, m in rates],
            "_usd_per_eur": list(rates.values()),
        },
        schema={"_year": "int64", "_month": "int64", "_usd_per_eur": "float64"},
    )


def _match_table(match: ListMatch) -> ir.Table:
    """The list's match table, named after its content (as the reference tables are), so
    that the lens's questions are the same SQL in every process and found compiled."""
    schema = ibis.Schema.from_pyarrow(match.table.schema)
    return reference_table(
        match.table.to_pydict(), schema={name: str(dtype) for name, dtype in schema.items()}
    )


def _kept(rows: ir.Table) -> ir.Table:
    """``rows`` kept in the engine (:func:`bilateral.backends.compiled.kept`), so that the
    Comext files are scanned once rather than once per question; an engine that cannot
    keep them reads the files each time, and an empty store's rows are in memory already."""
    if compiled.backend_of(rows) is None:
        return rows
    try:
        return compiled.kept(rows)
    except NotImplementedError:
        return rows


def in_currency(flows: ir.Table, currency: str) -> ir.Table:
    """Comext rows with :data:`VALUE`: the published euros, or for USD each month's euros
    at that month's ECB average rate (a month without a rate: null, unknown)."""
    if currency not in CURRENCIES:
        raise BilateralError(
            f"Unknown currency '{currency}'; choose one of {', '.join(CURRENCIES)}."
        )
    euros = ibis.ifelse(flows.currency == PUBLISHED, flows.value_original, ibis.null("float64"))
    if currency == PUBLISHED:
        return flows.mutate(**{VALUE: euros})
    rates = _monthly_rates()
    joined = flows.mutate(_euros=euros).left_join(
        rates, [flows.year.cast("int64") == rates._year, flows.month.cast("int64") == rates._month]
    )
    joined = joined.mutate(**{VALUE: joined._euros * joined._usd_per_eur})
    return joined.drop("_euros", "_year", "_month", "_usd_per_eur")


def sanctions_lens(
    store: Store,
    partner: str,
    list_spec: str = "eu-cn8",
    period: Period | None = None,
    currency: str = PUBLISHED,
) -> SanctionsLens:
    """The sanctions lens for EU exports to ``partner`` (a name or code) and a list of goods,
    money in ``currency``: EUR (as Comext publishes it, the default) or USD (each month at
    its ECB monthly average rate)."""
    country = countries().resolve(partner)
    product_list = load_list(list_spec)
    period = period or latest_period(store, country.code)
    flows = eu_exports(store, country.code)
    in_range = flows.filter(
        ((flows.year == period.base_year) & (flows.month >= period.first_month))
        | ((flows.year > period.base_year) & (flows.year < period.current_year))
        | ((flows.year == period.current_year) & (flows.month <= period.last_month))
    )
    # read once: the six questions below all ask about these rows
    in_range = in_currency(_kept(in_range), currency)
    products = store.execute(
        in_range.filter(in_range.classification == DETAIL)
        .select("classification", "product", "year")
        .distinct()
    )
    releases = store.execute(in_range.select("release").distinct()).release.tolist()
    if not releases:
        raise _no_data(country.code)
    match = match_list(product_list, products.itertuples(index=False, name=None))
    matches = _match_table(match)

    change = store.execute(
        indicators.listed_vs_other_change(
            in_range,
            matches,
            detail=DETAIL,
            base_year=period.base_year,
            current_year=period.current_year,
            months=period.months,
            value=VALUE,
        )
    )
    exposure_rows: list[dict[str, Any]] = []
    for year in (period.base_year, period.current_year):
        one = in_range.filter((in_range.year == year) & in_range.month.isin(period.months))
        frame = store.execute(indicators.exposure(one, matches, detail=DETAIL, value=VALUE))
        if not product_list.tiers():
            frame = frame[frame.tier == indicators.ALL_TIERS]
        frame.insert(0, "period", period.label(year))
        exposure_rows += _records(frame.drop(columns=["importer"]))
    index = store.execute(
        indicators.monthly_index(
            in_range, matches, detail=DETAIL, base_year=period.base_year, value=VALUE
        )
    )
    notes = [
        "values in euro, as Comext publishes them"
        if currency == PUBLISHED
        else f"values in USD converted from euro month by month at the {EUR_USD_MONTHLY_SOURCE}; "
        "a change across years carries the exchange rate's move (--currency EUR: none)",
        f"{len(match.unmatched)} of {len(product_list.entries)} list codes matched no "
        f"{DETAIL} code exported to {country.code} in the period (see 'unmatched')",
        *match.notes,
    ]
    if product_list.name != "eu-cn8":
        notes.append(
            "the Comext extract holds only the CN8 codes under EU export sanctions: a list "
            "code outside them is unmatched here, which does not mean it was not traded"
        )
    change_rows = _records(change.drop(columns=["importer"]))
    return SanctionsLens(
        partner=country.code,
        partner_name=country.name_en,
        product_list=product_list,
        period=period,
        change=change_rows[0] if change_rows else {},
        exposure=exposure_rows,
        index=_records(index.drop(columns=["importer"])),
        match=match,
        releases=sorted(releases),
        notes=notes,
        currency=currency,
    )


def reexport_route(
    store: Store,
    hub: str,
    product: str,
    destination: str = "RUS",
    origins: str = EU27,
    source: str | None = None,
) -> list[dict[str, Any]]:
    """Both legs of a re-export route through ``hub``, year by year, as the hub reports them.

    ``origins`` is an aggregate (EU27) or one country; ``product`` an exact code (8703).
    """
    index = countries()
    hub_code = index.resolve(hub).code
    origin = index.resolve(origins)
    members = list(origin.members) if origin.is_aggregate else [origin.code]
    frame = store.execute(
        indicators.reexport_signal(
            store.flows(source),
            hub=hub_code,
            origins=members,
            destination=index.resolve(destination).code,
            product=product,
        )
    )
    if frame.empty:
        raise NotAvailableError(
            f"The store holds no {product} rows reported by {hub_code} for imports from "
            f"{origin.code} or exports to {destination}. Ingest monthly Comtrade rows first."
        )
    return _records(frame)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (NaN -> None)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [
        {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        for row in clean.to_dict(orient="records")
    ]


def _no_data(partner: str) -> NotAvailableError:
    return NotAvailableError(
        f"The store holds no Comext rows of EU exports to {partner}. Ingest the Comext "
        "CN8 downloads first: bilateral ingest PATH/comext-cn8"
    )
