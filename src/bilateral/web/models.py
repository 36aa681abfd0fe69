"""The shapes of the JSON API's answers, as the OpenAPI document publishes them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Indicator(BaseModel):
    """One number with its provenance (further fields, e.g. product, may follow)."""

    model_config = ConfigDict(extra="allow")

    name: str
    value: float | None = Field(description="USD for money, percent for shares and growth")
    unit: str
    source: str
    reported_by: str = Field(description="The country whose statistics these are, or reconciled")
    year: int


class Profile(BaseModel):
    """``bilateral profile --format json``: every indicator of a pair in a year, per source."""

    model_config = ConfigDict(extra="allow")

    reporter: str
    partner: str
    year: int
    indicators: list[Indicator]


class PartnerRow(BaseModel):
    source: str
    reported_by: str
    partner: str
    partner_name: str
    value_usd: float | None
    share: float | None = Field(description="Percent of the reporter's trade with the world")
    rank: int


class SeriesRow(BaseModel):
    source: str
    reported_by: str
    year: int
    flow: str = Field(description="turnover, exports, imports or balance, seen from the reporter")
    value_usd: float


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
    title: str
    headline: list[dict[str, Any]]
    headline_columns: list[Column]
    sections: list[Section]
    notes: dict[str, list[str]]
