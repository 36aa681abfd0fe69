"""The workloads through bilateral's own API: ``Store.profile`` and the indicator functions.

This is what a user of bilateral runs today:

- profile: ``store.profile(a, b, year)``, every family the data supports;
- partners: ``partner_ranking(flows, reporter, year)`` for every country in the year
  (the function ranks one reporter's partners per call);
- dependence: ``supplier_shares(flows, a, products, year)`` with every HS6 code ``a``
  imports (listing them is part of the job);
- rca: ``rca(flows, year)`` for every exporter and product.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from bilateral.indicators.dependence import supplier_shares
from bilateral.indicators.partners import partner_ranking
from bilateral.indicators.rows import aggregate_codes
from bilateral.indicators.specialisation import rca


def run(name: str, store: Any, source: str, a: str, b: str, year: int) -> dict[str, float]:
    """Run the workload on the store's engine; return its summary (see ``summaries``)."""
    import summaries

    flows = store.flows(source)
    if name == "profile":
        return summaries.of_profile(store.profile(a, b, year, source), a, b)
    if name == "rca":
        return summaries.of_rca(store.execute(rca(flows, year, source=source)))
    if name == "dependence":
        imported = flows.filter((flows.importer == a) & (flows.year == year))
        codes = sorted(store.execute(imported.select("product").distinct())["product"])
        shares = store.execute(supplier_shares(flows, a, codes, year, source=source))
        return summaries.of_supplier_shares(shares)
    if name == "partners":
        year_flows = flows.filter(flows.year == year)
        reporters = store.execute(year_flows.select(country=year_flows.exporter).distinct())
        aggregates = set(aggregate_codes())
        rankings = [
            store.execute(partner_ranking(flows, country, year, source=source)).assign(
                country=country
            )
            for country in sorted(reporters["country"])
            if country not in aggregates
        ]
        return summaries.of_partner_rankings(pd.concat(rankings, ignore_index=True))
    raise ValueError(f"unknown workload {name!r}")
