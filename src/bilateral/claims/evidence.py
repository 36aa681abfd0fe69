"""What the verifier needs to know from the data, as a small interface.

The verifier asks five questions, each per source (a claim is judged source by source):

* :meth:`Evidence.bilateral` - a reporter's flow with one partner (or ``WLD``) in a year,
  optionally for a product: turnover, export and import levels, and growth from two years;
* :meth:`Evidence.partners` - the reporter's flow with every partner: shares, ranks and
  comparisons between partners (for a product: supplier shares);
* :meth:`Evidence.composition` - a flow by HS chapter: the rank of a product group;
* :meth:`Evidence.months` - a flow summed over months of a year, from monthly sources
  (in the publisher's currency too): figures for part of a year;
* :meth:`Evidence.years` - which years the data covers, to tell "no data for that year"
  from "not checkable at all".

Anything answering these questions can back the claim checker: the store through the
indicator functions (:mod:`bilateral.claims.store_evidence`), or a handful of figures
written by hand in a test. Money is in US dollars.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bilateral.claims.model import Product

EXACT_MATCH = "exact"
BROADER = "broader"  # the source's product contains the claim's and more ("dairy and eggs")
APPROXIMATE = "approximate"  # a different grouping of about the same goods (FAO vs HS 01-24)


@dataclass(frozen=True)
class Figure:
    """One value from one source.

    ``reported_by`` is the country whose statistics these are (ISO alpha-3), or
    ``reconciled`` for harmonised data such as BACI. ``at_least`` marks a sum over an
    extract that leaves out small items: the true value may be larger.
    """

    source: str
    reported_by: str
    year: int
    value: float
    at_least: bool = False
    product_label: str = ""  # what the source calls the product, if not the claim's
    match: str = EXACT_MATCH
    note: str = ""
    original: float | None = None  # the value in the publisher's currency, if not USD
    currency: str = "USD"  # the publisher's currency
    units: float | None = None  # how many goods, where every row counts them in units ("u")


@dataclass(frozen=True)
class PartnerTable:
    """A reporter's flow with each partner country in a year, from one source.

    ``values`` maps partner ISO alpha-3 codes (countries only) to US dollars. ``total`` is
    the reporter's flow with the world when the source states it. ``threshold`` is set when
    the source lists only partners above that share of the total (0.05 for an extract that
    keeps partners with at least 5%): shares are then upper bounds. ``partial`` marks a table
    of main partners without a World row (FCS's monthly ``96stran``): it has no share, and
    a rank in it is a floor, since a partner left out may rank above.
    """

    source: str
    reported_by: str
    year: int
    flow: str
    values: Mapping[str, float]
    total: float | None = None
    threshold: float | None = None
    product_label: str = ""
    match: str = EXACT_MATCH
    note: str = ""
    partial: bool = False


@dataclass(frozen=True)
class Composition:
    """A reporter's flow with a partner by HS chapter ('01'..'97') in a year, from one source."""

    source: str
    reported_by: str
    year: int
    flow: str
    chapters: Mapping[str, float] = field(default_factory=dict)
    note: str = ""


class Evidence(Protocol):
    """The data a claim is checked against; see the module docstring."""

    def bilateral(
        self, reporter: str, partner: str, flow: str, year: int, product: Product | None = None
    ) -> list[Figure]:
        """The reporter's ``flow`` (turnover, exports, imports) with ``partner``, per source."""
        ...

    def partners(
        self,
        reporter: str,
        flow: str,
        year: int,
        product: Product | None = None,
        span: tuple[int, int] | None = None,
    ) -> list[PartnerTable]:
        """The reporter's ``flow`` with every partner, per source that has the breakdown;
        with ``span`` (first, last month), summed over those months of ``year``."""
        ...

    def composition(self, reporter: str, partner: str, flow: str, year: int) -> list[Composition]:
        """The reporter's ``flow`` with ``partner`` by HS chapter, per source."""
        ...

    def years(
        self, reporter: str, partner: str | None, product: Product | None = None
    ) -> list[int]:
        """Years for which some source covers the reporter (with the partner, for the product)."""
        ...

    def months(
        self,
        reporter: str,
        partner: str,
        flow: str,
        year: int,
        span: tuple[int, int],
        product: Product | None = None,
    ) -> list[Figure]:
        """The reporter's ``flow`` with ``partner`` summed over the months ``span`` (first,
        last) of ``year``, per source that publishes every one of those months, with the
        value in the publisher's currency beside the US dollars."""
        ...

    def last_month(
        self, reporter: str, partner: str, year: int, product: Product | None = None
    ) -> int | None:
        """The last month of ``year`` for which a monthly source holds the reporter's own
        figures of the pair's trade (in the product, if one is named; None: no monthly
        source holds them that year)."""
        ...


class NoEvidence:
    """Evidence with nothing in it: every trade claim comes out 'not checkable'."""

    def bilateral(
        self, reporter: str, partner: str, flow: str, year: int, product: Product | None = None
    ) -> list[Figure]:
        return []

    def partners(
        self,
        reporter: str,
        flow: str,
        year: int,
        product: Product | None = None,
        span: tuple[int, int] | None = None,
    ) -> list[PartnerTable]:
        return []

    def composition(self, reporter: str, partner: str, flow: str, year: int) -> list[Composition]:
        return []

    def years(
        self, reporter: str, partner: str | None, product: Product | None = None
    ) -> list[int]:
        return []

    def months(
        self,
        reporter: str,
        partner: str,
        flow: str,
        year: int,
        span: tuple[int, int],
        product: Product | None = None,
    ) -> list[Figure]:
        return []

    def last_month(
        self, reporter: str, partner: str, year: int, product: Product | None = None
    ) -> int | None:
        return None
