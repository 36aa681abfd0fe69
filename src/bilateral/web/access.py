"""The server's one door to the store: opened read-only, one query at a time.

The web app never writes: :class:`ReadOnlyStore` opens the store with ``read_only=True``
and offers only questions. The DuckDB connection behind Ibis is not meant to be shared
by threads at once, and FastAPI runs plain endpoints in a thread pool, so every query
takes a lock. Assembled views are cached per question and per catalogue version: each
question first asks the store whether an ingest committed a newer version since (see
:meth:`bilateral.store.Store.refresh`); if so the caches are dropped and the question is
answered from the new version. A question under way keeps the version it started with,
whose files an ingest keeps (see :mod:`bilateral.store.versions`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from bilateral import answers
from bilateral.answers.currency import in_currency
from bilateral.answers.sanctions import COMEXT, Period, sanctions_lens
from bilateral.errors import BilateralError, NotAvailableError
from bilateral.reference.countries import Country, countries, normalise_name
from bilateral.report import contents, figures
from bilateral.report.html import render_html
from bilateral.report.tables import HEADLINE_COLUMNS, SECTION_COLUMNS, column_dicts, priced
from bilateral.report.verdicts import Checker, check_text
from bilateral.store import Store


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain JSON values (NaN becomes null, numpy numbers Python ones)."""
    result: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return result


def country_entry(country: Country) -> dict[str, Any]:
    return {
        "code": country.code,
        "name_en": country.name_en,
        "name_ru": country.name_ru,
        "is_aggregate": country.is_aggregate,
    }


class ReadOnlyStore:
    """Answers the API's questions from a store it can only read."""

    def __init__(self, path: str | Path | None, checker: Checker | None = None) -> None:
        self.store = Store.open(path, read_only=True)
        self._checker = checker or check_text
        self._lock = threading.RLock()
        self._report = lru_cache(maxsize=32)(self._gather)
        self._profile_of = lru_cache(maxsize=64)(self._profile)

    def _locked(self, call: Callable[[], Any]) -> Any:
        with self._lock:
            if self.store.refresh():
                self._report.cache_clear()
                self._profile_of.cache_clear()
            return call()

    def code(self, text: str) -> str:
        return contents.resolve_country(text).code

    def profile(
        self, reporter: str, partner: str, year: int, source: str | None, currency: str = "USD"
    ) -> Any:
        a, b = self.code(reporter), self.code(partner)
        return self._locked(lambda: self._profile_of(a, b, year, source, currency))

    def _profile(
        self, a: str, b: str, year: int, source: str | None, currency: str
    ) -> dict[str, Any]:
        contents.check_source(self.store, source)
        self.check_year(year, source)
        return figures.pair_profile(self.store, a, b, year, source, currency)

    def check_year(self, year: int, source: str | None) -> None:
        """A year no source holds is answered at once (404), without running indicators."""
        held = self.store.years(source)
        if year not in held:
            where = source or "any source in the store"
            span = f"; it holds {held[0]}-{held[-1]}" if held else "; the store is empty"
            raise NotAvailableError(f"No figures for {year} in {where}{span}.")

    def series(
        self,
        reporter: str,
        partner: str,
        source: str | None,
        flow: str | None = None,
        start: int | None = None,
        end: int | None = None,
        currency: str = "USD",
    ) -> list[dict[str, Any]]:
        """:func:`bilateral.answers.series` rows of one flow, or of every flow."""

        def run() -> list[dict[str, Any]]:
            every = answers.every_flow(
                self.store, reporter, partner, start=start, end=end, source=source
            )
            wanted = [flow] if flow else list(every)
            converted = {name: in_currency(every[name], currency) for name in wanted}
            rows = [
                {**row, "flow": name, "currency": currency}
                for name in wanted
                for row in converted[name].rows()
            ]
            return sorted(rows, key=lambda r: (r["source"], r["statistics_of"], r["year"]))

        result: list[dict[str, Any]] = self._locked(run)
        return result

    def partners(
        self,
        reporter: str,
        year: int,
        flow: str,
        source: str | None,
        top: int | None = None,
        currency: str = "USD",
    ) -> list[dict[str, Any]]:
        """:func:`bilateral.answers.partners` rows: countries ranked, aggregates apart."""

        def run() -> list[dict[str, Any]]:
            contents.check_source(self.store, source)
            self.check_year(year, source)
            result = answers.partners(
                self.store, reporter, year, flow=flow, top=top, source=source, currency=currency
            )
            return [{**row, "currency": currency} for row in result.rows()]

        result: list[dict[str, Any]] = self._locked(run)
        return result

    def products(
        self,
        reporter: str,
        partner: str,
        year: int,
        *,
        level: str = "chapter",
        flow: str | None = None,
        top: int | None = None,
        source: str | None = None,
        currency: str = "USD",
    ) -> dict[str, Any]:
        """:func:`bilateral.answers.products`: the answer, metadata and rows."""

        def run() -> dict[str, Any]:
            return answers.products(
                self.store,
                reporter,
                partner,
                year,
                level=level,
                flow=flow,
                top=top,
                source=source,
                currency=currency,
            ).to_dict()

        result: dict[str, Any] = self._locked(run)
        return result

    def report(
        self, reporter: str, partner: str, year: int, source: str | None, currency: str = "USD"
    ) -> contents.PairReport:
        a, b = self.code(reporter), self.code(partner)
        report: contents.PairReport = self._locked(
            lambda: self._report(a, b, year, source, currency)
        )
        return report

    def _gather(
        self, a: str, b: str, year: int, source: str | None, currency: str
    ) -> contents.PairReport:
        contents.check_source(self.store, source)
        self.check_year(year, source)
        return contents.gather(self.store, a, b, year, source=source, currency=currency)

    def view(
        self, reporter: str, partner: str, year: int, source: str | None, currency: str = "USD"
    ) -> dict[str, Any]:
        report = self.report(reporter, partner, year, source, currency)
        sections = [
            {
                "kind": s.kind,
                "title": s.title,
                "spec": s.chart.to_dict() if s.chart is not None else None,
                "rows": records(s.table) if s.table is not None and not s.table.empty else None,
                "columns": column_dicts(priced(SECTION_COLUMNS.get(s.kind, ()), currency)),
                "missing": s.missing,
                "note": s.note,
            }
            for s in report.sections.values()
        ]
        return {
            "reporter": country_entry(report.reporter),
            "partner": country_entry(report.partner),
            "year": report.year,
            "source": report.source,
            "currency": report.currency,
            "title": report.title,
            "headline": [
                {**row, "view": f"{row['source']} ({row['statistics_of']})"}
                for row in records(report.headline)
            ],
            "not_available": report.not_available,
            "headline_columns": column_dicts(priced(HEADLINE_COLUMNS, currency)),
            "sections": sections,
            "notes": report.notes,
        }

    def report_html(
        self, reporter: str, partner: str, year: int, source: str | None, currency: str = "USD"
    ) -> str:
        return render_html(self.report(reporter, partner, year, source, currency))

    def sanctions(
        self,
        partner: str,
        list_name: str,
        start: str | None,
        end: str | None,
        currency: str = "EUR",
    ) -> dict[str, Any]:
        """``bilateral sanctions PARTNER --format json`` for a built-in list of goods."""
        if (start is None) != (end is None):
            raise BilateralError("Give 'from' and 'to' together (e.g. from=2021-01&to=2022-11).")
        period = Period.parse(start, end) if start and end else None
        code = self.code(partner)
        if COMEXT not in self.store.sources():
            raise NotAvailableError(
                f"The store holds no Comext rows of EU exports to {code}; the sanctions lens "
                "reads the Comext CN8 downloads."
            )
        payload: dict[str, Any] = self._locked(
            lambda: sanctions_lens(self.store, code, list_name, period, currency).payload()
        )
        return payload

    def check(self, text: str) -> dict[str, Any]:
        result: dict[str, Any] = self._locked(lambda: self._checker(self.store, text))
        return result

    def sources(self) -> list[dict[str, Any]]:
        def run() -> list[dict[str, Any]]:
            found: dict[str, dict[str, Any]] = {}
            for entry in self.store.catalogue():
                item = found.setdefault(
                    entry.source,
                    {"source": entry.source, "releases": [], "years": set(), "notes": []},
                )
                item["releases"].append(entry.release)
                if entry.year_min is not None and entry.year_max is not None:
                    item["years"].update(range(entry.year_min, entry.year_max + 1))
                item["notes"] = self.store.notes(entry.source)
            return [{**item, "years": sorted(item["years"])} for item in found.values()]

        result: list[dict[str, Any]] = self._locked(run)
        return result


def matching_countries(query: str | None, limit: int) -> list[dict[str, Any]]:
    """Countries and aggregates whose code, English or Russian name contains ``query``.

    Names match from the start first ("Rus" finds Russia before Belarus), then anywhere.
    """
    everyone = sorted(countries(), key=lambda c: (c.is_aggregate, c.name_en))
    if not query:
        return [country_entry(c) for c in everyone][:limit]
    wanted = normalise_name(query)
    if not wanted:
        return []
    starts, contains = [], []
    for country in everyone:
        names = [normalise_name(n) for n in (country.name_en, country.name_ru) if n]
        if country.code.casefold() == wanted or any(n.startswith(wanted) for n in names):
            starts.append(country)
        elif any(wanted in n for n in names):
            contains.append(country)
    return [country_entry(c) for c in [*starts, *contains][:limit]]
