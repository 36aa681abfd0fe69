"""Every indicator of a pair in a year, per source: the profile, and the same as one grid.

``profile(store, "KAZ", "RUS", 2022)`` wraps :func:`bilateral.engine.profile`: its
records are the answer (``to_dict()`` is ``bilateral profile --format json``, unchanged).
:meth:`PairProfile.grid` lays them out as people compare sources: indicators as rows,
sources (and whose statistics) as columns, the gap between the first two figures of a
row with its reason, the sources that hold nothing for the pair named once, and every
"not available" record kept for those who ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilateral import engine
from bilateral.answers.currency import check_currency, profile_in_currency
from bilateral.answers.gaps import Side, gap_reason
from bilateral.answers.result import Answer
from bilateral.engine import Profile, Record
from bilateral.store import Store

#: Indicators that compare two sources: their value is itself a gap.
COMPARISONS = ("mirror_gap", "mirror_gap_pct")
_SIDE_ORDER = {"own": 0, "mirror": 1, "reconciled": 2}


@dataclass(frozen=True)
class Column:
    """A grid column: one source and whose statistics its figures are."""

    source: str
    statistics_of: str
    side: str  # own | mirror | reconciled

    @property
    def key(self) -> str:
        return f"{self.source}:{self.statistics_of}"

    @property
    def heading(self) -> str:
        whose = "reconciled" if self.side == "reconciled" else f"{self.statistics_of}'s"
        return f"{self.source} ({whose})"


@dataclass
class GridRow:
    """One indicator (and product or group) across the columns."""

    indicator: str
    product: str
    unit: str
    cells: dict[str, Record] = field(default_factory=dict)
    gap: float | None = None
    #: percent (of the first figure), points (of two percentages), places (of two ranks),
    #: or for a comparison's own value (a mirror gap) its unit: USD or percent
    gap_unit: str = ""
    gap_reason: str = ""


@dataclass
class Grid:
    """:class:`PairProfile` as one table; ``missing`` maps source -> reason -> labels."""

    columns: list[Column]
    rows: list[GridRow]
    empty_sources: list[str]
    missing: dict[str, dict[str, list[str]]]

    def missing_count(self, source: str) -> int:
        return sum(len(labels) for labels in self.missing.get(source, {}).values())


def _statistics_of(record: Record, reporter: str) -> str:
    """Whose statistics a record is: its detail says so; reconciled figures are
    'reconciled'; otherwise the reporter's, as the profile's indicators read them."""
    whose = record.detail.get("statistics_of")
    if isinstance(whose, str) and whose:
        return whose
    return "reconciled" if record.reported_by == "reconciled" else reporter


def _flow(name: str) -> str:
    for flow in ("turnover", "exports", "imports", "balance"):
        if name.startswith(flow):
            return flow
    if name.startswith(("supplier", "partner_share_imports")):
        return "imports"
    if name.startswith("destination"):
        return "exports"
    return "turnover"


def _comparison_reason(record: Record) -> str:
    detail = record.detail
    exporter, importer = detail.get("exporter"), detail.get("importer")
    text = (
        f"{importer}'s imports ({detail.get('by_importer_source')}) less {exporter}'s exports "
        f"({detail.get('by_exporter_source')})"
    )
    expected = detail.get("cif_fob_expected")
    if expected is True:
        text += "; the sign CIF/FOB valuation explains"
    elif expected is False:
        text += "; the opposite of what CIF/FOB valuation explains"
    return text


@dataclass(frozen=True, kw_only=True)
class PairProfile(Answer):
    """A profile as an answer: ``table`` is one row per record (:data:`bilateral.engine.
    records.RECORD_SCHEMA`), ``profile`` the records themselves."""

    reporter: str
    partner: str
    year: int
    profile: Profile

    def to_dict(self) -> dict[str, Any]:
        """``bilateral profile --format json``: reporter, partner, year, sources, indicators."""
        return self.profile.to_dict()

    def grid(self) -> Grid:
        """The records as one table: see :class:`Grid`."""
        reporter, partner = self.reporter, self.partner
        columns: dict[str, Column] = {}
        rows: dict[tuple[str, str], GridRow] = {}
        missing: dict[str, dict[str, list[str]]] = {}
        held: set[str] = set()
        for record in self.profile.records:
            product = record.product or record.group or ""
            if record.name in COMPARISONS:  # one per flow
                product = str(record.detail.get("flow") or "")
            label = record.name + (f" ({product})" if product else "")
            if record.value is None:
                why = (record.note or "").replace(f"not available in {record.source}: ", "")
                names = missing.setdefault(record.source, {}).setdefault(why, [])
                if label not in names:
                    names.append(label)
                continue
            row = rows.setdefault(
                (record.name, product), GridRow(record.name, product, record.unit)
            )
            if record.name in COMPARISONS:
                held.update(record.source.split("+"))
                row.gap = float(record.value)
                row.gap_unit = record.unit
                row.gap_reason = _comparison_reason(record)
                continue
            held.add(record.source)
            whose = _statistics_of(record, reporter)
            side = (
                "reconciled" if whose == "reconciled" else "own" if whose == reporter else "mirror"
            )
            column = Column(record.source, whose, side)
            columns.setdefault(column.key, column)
            row.cells.setdefault(column.key, record)
        # the columns holding the pair's totals first, then the fullest
        filled = {key: sum(key in row.cells for row in rows.values()) for key in columns}
        totals = {key for (name, _), row in rows.items() if name == "turnover" for key in row.cells}
        ordered = sorted(
            columns.values(),
            key=lambda c: (_SIDE_ORDER[c.side], c.key not in totals, -filled[c.key], c.key),
        )
        for row in rows.values():
            self._gap(row, ordered, reporter, partner)
        empty = [s for s in self.profile.sources if s not in held]
        return Grid(ordered, list(rows.values()), empty, missing)

    @staticmethod
    def _gap(row: GridRow, columns: list[Column], reporter: str, partner: str) -> None:
        """The gap of a row's second figure from its first, with the reason."""
        found = [(c, row.cells[c.key]) for c in columns if c.key in row.cells]
        if len(found) < 2 or row.indicator in COMPARISONS:
            return
        (first_column, first), (second_column, second) = found[:2]
        a, b = float(first.value or 0), float(second.value or 0)
        if row.unit in ("USD", "EUR"):
            if not a:
                return
            row.gap, row.gap_unit = 100.0 * (b - a) / abs(a), "percent"
        elif row.unit == "percent":
            row.gap, row.gap_unit = b - a, "points"
        elif row.unit == "rank":
            row.gap, row.gap_unit = b - a, "places"
        else:
            return

        def side(column: Column, record: Record) -> Side:
            basis = record.detail.get("basis")
            return Side(
                column.source,
                column.statistics_of,
                basis=basis if isinstance(basis, str) else None,
                release=record.release,
            )

        row.gap_reason = gap_reason(
            _flow(row.indicator),
            reporter,
            partner,
            side(first_column, first),
            side(second_column, second),
            b - a,
        )
        currencies = [first.detail.get("growth_currency"), second.detail.get("growth_currency")]
        if None not in currencies and currencies[0] != currencies[1]:
            row.gap_reason = (
                f"{row.gap_reason}; growth in {currencies[0]} ({first_column.source}) against "
                f"{currencies[1]} ({second_column.source}), each in its publisher's currency: "
                "the exchange rate's move is part of the gap"
            )


def profile(
    store: Store,
    reporter: str,
    partner: str,
    year: int,
    *,
    source: str | None = None,
    user_groups: Path | None = None,
    currency: str = "USD",
) -> PairProfile:
    """Every indicator the store supports for ``reporter`` and ``partner`` in ``year``,
    per source (:func:`bilateral.engine.build_profile` says which and how).

    A figure a source cannot give is a record with a null value and a note saying why,
    never zero. Money in ``currency`` (USD, or EUR at the ECB's annual average rate:
    :func:`bilateral.answers.currency.profile_in_currency`), shares and growth in percent.
    """
    check_currency(currency)
    built = engine.profile(store, reporter, partner, year, source, user_groups=user_groups)
    built = profile_in_currency(built, currency)
    return PairProfile(
        table=built.to_arrow(),
        currency=currency,
        sources=tuple(built.sources),
        reporter=built.reporter,
        partner=built.partner,
        year=built.year,
        profile=built,
    )
