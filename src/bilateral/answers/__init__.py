"""Answers: one function per question a user asks, each returning one typed result.

Every result is a frozen dataclass holding an Arrow table and the metadata needed to read
it (currency, sources, notes, the question's parameters), with ``to_pandas()``,
``to_dict()`` and ``to_json()``. The command line, the JSON API and the report call these
functions alike and only render what they return:

- :func:`series`: every year of a pair's flow, one view per source and side, with growth
  and the gaps between sources and their reasons;
- :func:`partners`: a country's partners ranked per source, with shares, rank changes on
  the year before, and aggregates (World, CIS, EU27, ...) listed apart;
- :func:`products`: what A exports to and imports from B by product, per product-level
  source, with each product's share of the flow and B's share of A's world trade in it;
- :func:`profile`: every indicator of a pair in a year, per source, and the same as one
  grid (indicators by sources);
- :func:`sanctions_lens`: EU exports of listed goods to a partner against other goods, and
  the routes they may take around sanctions.
"""

from bilateral.answers.partners import Partners, partners
from bilateral.answers.products import Products, products
from bilateral.answers.profile import PairProfile, profile
from bilateral.answers.result import Answer
from bilateral.answers.sanctions import SanctionsLens, sanctions_lens
from bilateral.answers.series import Series, every_flow, series

__all__ = [
    "Answer",
    "PairProfile",
    "Partners",
    "Products",
    "SanctionsLens",
    "Series",
    "every_flow",
    "partners",
    "products",
    "profile",
    "sanctions_lens",
    "series",
]
