"""The workloads through bilateral's own API: ``Store.profile`` and the indicator functions.

This is what a user of bilateral runs today:

- profile: ``store.profile(a, b, year)``, every family the data supports;
- partners: ``partner_ranking(flows, None, year)``: every country's partners in one call;
- dependence: ``supplier_shares(flows, a, None, year)``: every HS6 code ``a`` imports;
- rca: ``rca(flows, year)`` for every exporter and product.
"""

from __future__ import annotations

from typing import Any

from bilateral.indicators.dependence import supplier_shares
from bilateral.indicators.partners import partner_ranking
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
        shares = store.execute(supplier_shares(flows, a, None, year, source=source))
        return summaries.of_supplier_shares(shares)
    if name == "partners":
        rankings = store.execute(partner_ranking(flows, None, year, source=source))
        return summaries.of_partner_rankings(rankings)
    raise ValueError(f"unknown workload {name!r}")
