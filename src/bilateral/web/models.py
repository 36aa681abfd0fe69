"""The shapes of the JSON API's answers, as the OpenAPI document publishes them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Indicator(BaseModel):
    """One number with its provenance; a null value carries a note saying why."""

    model_config = ConfigDict(extra="allow")

    name: str
    value: float | None = Field(
        description="Money in the profile's currency (the unit), percent for shares and growth"
    )
    unit: str
    source: str = Field(description="The source, or 'a+b' for a comparison of two")
    reported_by: str | None = Field(description="exporter, importer, both, or reconciled")
    year: int | None
    product: str | None = None
    group: str | None = None
    release: str | None = None
    note: str | None = Field(None, description="'not available in <source>: why' when null")
    detail: dict[str, Any] = Field(default_factory=dict)


class Profile(BaseModel):
    """``bilateral profile --format json``: every indicator of a pair in a year, per source."""

    model_config = ConfigDict(extra="allow")

    reporter: str
    partner: str
    year: int
    currency: str = Field("USD", description="The currency of money records: USD or EUR")
    sources: list[str] = Field(default_factory=list)
    indicators: list[Indicator]


class PartnerRow(BaseModel):
    """One partner of the reporter in one source's view (``bilateral partners --format
    json`` rows): countries ranked, aggregates (World, CIS, EU27, ...) listed apart."""

    source: str
    statistics_of: str = Field(description="The reporter, or 'reconciled'")
    reported_by: str | None = Field(
        None, description="exporter, importer, exporter+importer, or reconciled"
    )
    year: int | None = None
    flow: str | None = Field(None, description="turnover, exports or imports")
    partner: str
    partner_name: str
    kind: str = Field(
        "country",
        description="country (ranked), or an aggregate listed apart and never ranked: "
        "total (the world), group (CIS, EAEU, EU27, continents) or unspecified",
    )
    value_usd: float | None
    share: float | None = Field(description="Percent of the reporter's trade with the world")
    rank: int | None = Field(description="Null when the source's partner table is partial")
    n_partners: int | None = None
    previous_value_usd: float | None = Field(None, description="The year before, USD")
    growth_pct: float | None = Field(None, description="Percent change on the year before")
    growth_currency: str | None = Field(
        None, description="The currency growth_pct is measured in: the publisher's (EUR for "
        "Eurostat and Comext) unless money was converted to another"
    )
    growth_usd_pct: float | None = Field(None, description="The change in converted dollars")
    previous_share: float | None = None
    previous_rank: int | None = None
    rank_change: int | None = Field(
        None, description="previous_rank - rank: positive when the partner moved up"
    )
    world_usd: float | None = Field(None, description="The reporter's trade with the world")
    world_basis: str | None = Field(
        description="'WLD row' (printed total), 'sum of partners' (every partner row of a "
        "complete table), or null when the store does not hold the reporter's world"
    )
    note: str | None = Field(default=None, description="Why share or rank is not available")
    currency: str = Field("USD", description="The currency of the *_usd columns: USD or EUR")


class SeriesRow(BaseModel):
    """One year of one flow as one source and one country's statistics give it
    (``bilateral series --format json`` rows, in the long form)."""

    source: str
    statistics_of: str = Field(description="Whose statistics: a country code, or 'reconciled'")
    side: str | None = Field(
        None, description="own (the reporter's), mirror (the partner's) or reconciled"
    )
    year: int
    flow: str = Field(description="turnover, exports, imports or balance, seen from the reporter")
    value_usd: float | None = Field(
        description="In the row's currency; null in EUR for a year before the euro (1999)"
    )
    reported_by: str | None = None
    valuation: str | None = Field(None, description="FOB, CIF, reconciled, or both flows'")
    change_usd: float | None = Field(
        None, description="Change on the year before, in the answer's currency"
    )
    change: float | None = Field(
        None, description="Change on the year before in change_currency (the publisher's)"
    )
    change_currency: str | None = Field(
        None, description="The currency change is stated in: the publisher's (EUR for "
        "Eurostat and Comext) unless money was converted to another"
    )
    growth_pct: float | None = Field(
        None, description="Percent change on the year before (null for balance)"
    )
    growth_currency: str | None = Field(
        None, description="The currency growth_pct is measured in: the publisher's (EUR for "
        "Eurostat and Comext) unless money was converted to another"
    )
    growth_usd_pct: float | None = Field(None, description="The change in converted dollars")
    release: str | None = None
    basis: str | None = Field(None, description="What the total is: TOTAL, a sum of months...")
    gap_usd: float | None = Field(
        None, description="This figure less the reporter's own statistics' in the same year"
    )
    gap_pct: float | None = Field(None, description="gap_usd in percent of the reporter's figure")
    gap_reason: str | None = Field(
        None, description="Why the two differ: CIF/FOB, reconciliation, coverage, revision"
    )
    currency: str = Field("USD", description="The currency of the *_usd columns: USD or EUR")


class ProductRow(BaseModel):
    """One product of one flow in one source's view (``bilateral products --format json``
    rows), ranked by value within its source, statistics and flow."""

    source: str
    statistics_of: str = Field(description="Whose statistics: a country code, or 'reconciled'")
    reported_by: str | None = None
    classification: str | None = Field(None, description="HS92, HS22, CN8, FAO, ...")
    year: int
    flow: str = Field(description="The reporter's exports (to the partner) or imports (from it)")
    exporter: str
    importer: str
    level: str = Field(description="section, chapter, heading, hs6, or item (FAOSTAT)")
    rank: int = Field(description="1 = the largest product of the flow in this view")
    code: str = Field(description="HS section, chapter, heading or subheading, or FAO item")
    description: str | None = None
    value: float = Field(description="In the answer's currency")
    share: float | None = Field(None, description="Percent of total")
    total: float | None = Field(None, description="What share is of, in the answer's currency")
    share_of: str | None = Field(
        None, description="The source's own total of the flow, or the sum of the products it lists"
    )
    n_codes: int | None = None
    world: float | None = Field(
        None, description="The reporter's trade with the world in the product, same currency"
    )
    partner_share: float | None = Field(
        None, description="The partner's percent of the reporter's world trade in the product"
    )
    partner_share_note: str | None = Field(None, description="Why partner_share is not available")


class ProductView(BaseModel):
    source: str
    statistics_of: str
    flow: str
    holds: str = Field(description="Which products the source holds")
    basis: str = Field(
        "", description="The source's currency, valuation, partner attribution and tables"
    )


class Products(BaseModel):
    """What the reporter exports to and imports from the partner, by product, per
    product-level source (``bilateral products --format json``)."""

    reporter: str
    partner: str
    year: int
    level: str
    flows: list[str]
    top: int | None = None
    currency: str = Field(description="The currency of value, total and world: USD or EUR")
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    views: list[ProductView] = Field(default_factory=list)
    rows: list[ProductRow]


class CountryEntry(BaseModel):
    code: str
    name_en: str
    name_ru: str
    is_aggregate: bool


class SourceEntry(BaseModel):
    source: str
    releases: list[str]
    years: list[int]
    notes: list[str]


class CheckRequest(BaseModel):
    """A text to check, as pasted (at most 256 KB of request body)."""

    text: str = Field(examples=["Bilateral turnover in 2022 reached $27 billion."])

    @field_validator("text")
    @classmethod
    def unicode_text(cls, text: str) -> str:
        """JSON can spell half of a UTF-16 pair ("\\ud800") that is no character at all."""
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"character {exc.start + 1} is a lone UTF-16 surrogate "
                f"(\\u{ord(text[exc.start]):04x}), not a character; expected Unicode text"
            ) from None
        return text


class CheckResult(BaseModel):
    """The claim checker's JSON: one entry per quantitative claim found."""

    model_config = ConfigDict(extra="allow")

    claims: list[dict[str, Any]]


class Column(BaseModel):
    """How a table column is headed and printed: kind is text, money, percent, rank or yesno."""

    key: str
    heading: str
    kind: str


class Section(BaseModel):
    """One part of the dashboard: a Vega-Lite spec and/or table rows, or why it is empty."""

    kind: str
    title: str
    spec: dict[str, Any] | None
    rows: list[dict[str, Any]] | None
    columns: list[Column]
    missing: str | None
    note: str


class View(BaseModel):
    """Everything the dashboard draws for a pair and a year."""

    reporter: CountryEntry
    partner: CountryEntry
    year: int
    source: str | None
    currency: str = Field("USD", description="The currency of every money figure: USD or EUR")
    title: str
    headline: list[dict[str, Any]]
    headline_columns: list[Column]
    not_available: list[str]
    sections: list[Section]
    notes: dict[str, list[str]]
