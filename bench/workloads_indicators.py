"""The workloads through bilateral's own API: ``bilateral.profile`` and the indicator functions.

This is what a user of bilateral runs today:

- profile: ``bilateral.profile(store, a, b, year)``, every family the data supports;
- partners: ``partner_ranking(flows, None, year, totals=...)``: every country's partners
  in one call, from the annual totals the store keeps;
- dependence: ``supplier_shares(flows, a, None, year)``: every HS6 code ``a`` imports;
- rca: ``rca(flows, year, country_products=...)`` for every exporter and product, from
  each country's exports of each product, which the store keeps.
"""

from __future__ import annotations

from typing import Any

import bilateral
from bilateral.indicators.dependence import supplier_shares
from bilateral.indicators.partners import partner_ranking
from bilateral.indicators.specialisation import rca


def run(name: str, store: Any, source: str, a: str, b: str, year: int) -> dict[str, float]:
    """Run the workload on the store's engine; return its summary (see ``summaries``)."""
    import summaries

    flows = store.flows(source)
    if name == "profile":
        return summaries.of_profile(bilateral.profile(store, a, b, year, source), a, b)
    if name == "rca":
        sums = store.summaries().country_products
        advantage = rca(flows, year, source=source, country_products=sums)
        return summaries.of_rca(store.execute(advantage))
    if name == "dependence":
        shares = store.execute(supplier_shares(flows, a, None, year, source=source))
        return summaries.of_supplier_shares(shares)
    if name == "partners":
        ranking = partner_ranking(flows, None, year, source=source, totals=store.totals(source))
        rankings = store.execute(ranking)
        return summaries.of_partner_rankings(rankings)
    raise ValueError(f"unknown workload {name!r}")
