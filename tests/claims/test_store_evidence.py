"""Evidence read from canonical flow rows: statistics told apart, products by HS and FAO item.

The rows are written by hand in the canonical schema (bilateral.schema) and queried on
DuckDB through Ibis, as the store does: BNS-like totals reported by Kazakhstan, FCS-like
mirror totals reported by Russia, BACI-like HS 6-digit rows (reconciled) and FAOSTAT-like
item rows from an extract that keeps partners above 5%.
"""

from __future__ import annotations

import ibis
import pytest

from bilateral.claims.evidence import APPROXIMATE, BROADER, EXACT_MATCH
from bilateral.claims.model import Product
from bilateral.claims.store_evidence import StoreEvidence
from bilateral.indicators.flows import total_rows
from bilateral.schema import flow_table

EXTRACT_NOTE = (
    "FAOSTAT extract lists only partners with at least a 5% share of the reporter's trade"
)


def row(
    source,
    exporter,
    importer,
    reported_by,
    value,
    *,
    year=2022,
    classification="TOTAL",
    product="TOTAL",
    month=None,
):
    return dict(
        source=source,
        release="1",
        year=year,
        month=month,
        exporter=exporter,
        importer=importer,
        reported_by=reported_by,
        classification=classification,
        product=product,
        value_usd=value,
    )


ROWS = [
    # Kazakhstan's statistics (BNS-like): exports and imports with Russia and China, world totals
    row("kz_bns", "KAZ", "RUS", "exporter", 9.0e9),
    row("kz_bns", "RUS", "KAZ", "importer", 18.0e9),
    row("kz_bns", "KAZ", "CHN", "exporter", 13.0e9),
    row("kz_bns", "CHN", "KAZ", "importer", 11.0e9),
    row("kz_bns", "KAZ", "WLD", "exporter", 85.0e9),
    row("kz_bns", "WLD", "KAZ", "importer", 51.0e9),
    row("kz_bns", "KAZ", "CIS", "exporter", 20.0e9),  # an aggregate: never a partner
    row("kz_bns", "RUS", "KAZ", "importer", 1.0e9, month=3),  # monthly: not an annual figure
    # Russia's statistics of the same flows (FCS-like mirror)
    row("ru_fcs", "RUS", "KAZ", "exporter", 17.0e9),
    row("ru_fcs", "KAZ", "RUS", "importer", 8.5e9),
    # reconciled HS 6-digit flows into Kazakhstan (BACI-like)
    row("baci", "RUS", "KAZ", "reconciled", 300e6, classification="HS22", product="100119"),
    row("baci", "RUS", "KAZ", "reconciled", 20e6, classification="HS22", product="100390"),
    row("baci", "RUS", "KAZ", "reconciled", 10e6, classification="HS22", product="040310"),
    row("baci", "RUS", "KAZ", "reconciled", 50e6, classification="HS22", product="270900"),
    row("baci", "RUS", "KAZ", "reconciled", 2e9, classification="HS22", product="720711"),
    row("baci", "CHN", "KAZ", "reconciled", 1e6, classification="HS22", product="100119"),
    # FAOSTAT-like extract: Kazakhstan's imports by FAO item
    row("faostat", "RUS", "KAZ", "importer", 330e6, classification="FAO", product="Wheat"),
    row(
        "faostat",
        "RUS",
        "KAZ",
        "importer",
        200e6,
        classification="FAO",
        product="Dairy products and egg products",
    ),
    row(
        "faostat",
        "BLR",
        "KAZ",
        "importer",
        120e6,
        classification="FAO",
        product="Dairy products and egg products",
    ),
]


class TableStore:
    """What StoreEvidence uses of a Store: flows(), totals(), execute() and notes()."""

    def __init__(self, rows, notes):
        self.table = ibis.memtable(flow_table(rows, file_sha256="hand"))
        self.backend = ibis.duckdb.connect()
        self._notes = notes

    def flows(self, source=None, years=None, resolved=True):
        return self.table  # one file: its rows as stored are its resolved rows

    def totals(self, source=None):
        return total_rows(self.table)  # as the store's summaries hold them

    def execute(self, expr):
        return self.backend.execute(expr)

    def notes(self, source):
        return self._notes.get(source, [])


@pytest.fixture(scope="module")
def evidence():
    return StoreEvidence(TableStore(ROWS, {"faostat": [EXTRACT_NOTE]}))  # type: ignore[arg-type]


def test_bilateral_figures_come_per_statistics(evidence):
    figures = {
        (f.source, f.reported_by): f.value
        for f in evidence.bilateral("KAZ", "RUS", "turnover", 2022)
    }
    # monthly row left out; turnover only where one source's statistics give both flows
    assert figures == {("kz_bns", "KAZ"): 27.0e9, ("ru_fcs", "RUS"): 25.5e9}
    imports = {
        (f.source, f.reported_by): f.value
        for f in evidence.bilateral("KAZ", "RUS", "imports", 2022)
    }
    # BACI's HS 6-digit rows are a complete matrix: their sum is its total (2.38 bn)
    assert imports == pytest.approx(
        {("kz_bns", "KAZ"): 18.0e9, ("ru_fcs", "RUS"): 17.0e9, ("baci", "reconciled"): 2.38e9}
    )


def test_partner_table_has_countries_and_the_printed_world_total(evidence):
    [table] = evidence.partners("KAZ", "exports", 2022)
    assert (table.source, table.reported_by) == ("kz_bns", "KAZ")
    assert dict(table.values) == {"RUS": 9.0e9, "CHN": 13.0e9}
    assert (table.total, table.threshold) == (85.0e9, None)


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        pytest.param(
            Product("wheat", ("1001",)),
            {("baci", EXACT_MATCH): 300e6, ("faostat", EXACT_MATCH): 330e6},
            id="wheat-hs-and-fao-item",
        ),
        pytest.param(
            Product("barley", ("1003",)), {("baci", EXACT_MATCH): 20e6}, id="barley-hs-only"
        ),
        pytest.param(
            Product("fermented dairy products", ("0403",)),
            {("baci", EXACT_MATCH): 10e6, ("faostat", BROADER): 200e6},
            id="fao-group-is-broader",
        ),
        pytest.param(  # the BACI-like rows hold 3 of food's 200-odd headings: an extract
            Product("food", tuple(f"{n:02d}" for n in range(1, 25))),
            {("faostat", APPROXIMATE): 530e6},
            id="food-chapters",
        ),
    ],
)
def test_products_by_hs_prefix_and_fao_item(evidence, product, expected):
    figures = evidence.bilateral("KAZ", "RUS", "imports", 2022, product)
    assert {(f.source, f.match): f.value for f in figures} == pytest.approx(expected)


def test_a_chapter_needs_half_its_headings_in_a_source():
    """Chapter 10 (cereals) has eight HS 2022 headings: a source whose rows reach four of
    them answers for the chapter; one that holds two (an extract of wheat and barley,
    like Comtrade's files of one or two headings) does not, for levels, partner tables
    and months alike."""
    cereals = Product("cereals", ("10",))
    wide = [
        row("baci", "RUS", "KAZ", "reconciled", 10e6, classification="HS22", product=code)
        for code in ("100119", "100390", "100490", "100590")
    ]
    narrow = [
        row("comtrade", "RUS", "KAZ", "importer", 10e6, classification="HS", product=code, month=m)
        for code in ("1001", "1003")
        for m in range(1, 13)
    ]
    evidence = StoreEvidence(TableStore(wide + narrow, {}))  # type: ignore[arg-type]
    assert [f.source for f in evidence.bilateral("KAZ", "RUS", "imports", 2022, cereals)] == [
        "baci"
    ]
    assert [t.source for t in evidence.partners("KAZ", "imports", 2022, cereals)] == ["baci"]
    assert evidence.months("KAZ", "RUS", "imports", 2022, (1, 6), cereals) == []
    wheat = Product("wheat", ("1001",))
    assert {f.source for f in evidence.months("KAZ", "RUS", "imports", 2022, (1, 6), wheat)} == {
        "comtrade"
    }


def test_a_group_over_months_is_its_members_rows_where_the_source_has_no_group_row():
    """Comext lists each member state's exports to Belarus, not the EU27's: the EU27's
    exports over months are the members' rows summed (a member's missing cell counts as
    nothing), and only when every month of the span is there."""
    rows = [
        row("comext_cn8", member, "BLR", "exporter", value, month=m)
        for member, value in (("DEU", 2e6), ("FRA", 1e6))
        for m in (3, 4)
    ] + [row("comext_cn8", "ITA", "BLR", "exporter", 5e6, month=5)]
    evidence = StoreEvidence(TableStore(rows, {}))  # type: ignore[arg-type]
    [figure] = evidence.months("EU27", "BLR", "exports", 2022, (3, 4))
    assert (figure.source, figure.reported_by, figure.value) == ("comext_cn8", "EU27", 6e6)
    assert "2 member states" in figure.note
    assert evidence.months("EU27", "BLR", "exports", 2022, (3, 5))[0].value == 11e6
    assert evidence.months("EU27", "BLR", "exports", 2022, (3, 6)) == []


def test_an_extract_partner_table_carries_its_threshold(evidence):
    tables = evidence.partners("KAZ", "imports", 2022, Product("dairy", ("0403",)))
    fao = next(t for t in tables if t.source == "faostat")
    assert (fao.threshold, fao.total, fao.match) == (0.05, None, BROADER)
    assert dict(fao.values) == {"RUS": 200e6, "BLR": 120e6}
    baci = next(t for t in tables if t.source == "baci")
    assert (baci.reported_by, dict(baci.values)) == ("reconciled", {"RUS": 10e6})


def test_composition_by_chapter(evidence):
    [composition] = evidence.composition("KAZ", "RUS", "imports", 2022)
    assert composition.source == "baci"
    assert dict(composition.chapters) == pytest.approx(
        {"10": 320e6, "04": 10e6, "27": 50e6, "72": 2e9}
    )


def test_a_world_sum_over_an_extract_is_a_lower_bound(evidence):
    [figure] = [
        f
        for f in evidence.bilateral("KAZ", "WLD", "imports", 2022, Product("wheat", ("1001",)))
        if f.source == "faostat"
    ]
    assert (figure.value, figure.at_least) == (330e6, True)


def test_years_with_data(evidence):
    assert evidence.years("KAZ", "RUS") == [2022]
    assert evidence.years("KAZ", "RUS", Product("sugar", ("1701",))) == []


def counted(value, units, unit="u", month=1, partner="KAZ"):
    return dict(
        row("comtrade", "GEO", partner, "exporter", value, year=2023, month=month),
        classification="HS",
        product="8703",
        quantity=units,
        quantity_unit=unit,
    )


def test_a_count_of_goods_is_summed_only_where_every_row_counts_units():
    """Georgia's car exports: two months counted in units give a count; a month weighed
    in kilograms leaves the count unknown (never a sum of cars and kilograms)."""
    cars = Product("cars", ("8703",))
    units = StoreEvidence(TableStore([counted(10e6, 600), counted(12e6, 700, month=2)], {}))
    [figure] = units.months("GEO", "KAZ", "exports", 2023, (1, 2), cars)  # type: ignore[arg-type]
    assert (figure.value, figure.units) == (22e6, 1300)
    mixed = StoreEvidence(
        TableStore([counted(10e6, 600), counted(12e6, 9000, unit="kg", month=2)], {})
    )
    [figure] = mixed.months("GEO", "KAZ", "exports", 2023, (1, 2), cars)  # type: ignore[arg-type]
    assert (figure.value, figure.units) == (22e6, None)


def test_the_world_over_months_is_the_sum_of_partner_rows():
    cars = Product("cars", ("8703",))
    rows = [counted(10e6, 600), counted(5e6, 300, partner="RUS"), counted(1e6, 50, month=2)]
    evidence = StoreEvidence(TableStore(rows, {}))  # type: ignore[arg-type]
    [figure] = evidence.months("GEO", "WLD", "exports", 2023, (1, 2), cars)
    assert figure.value == 16e6 and "sum over partner countries" in figure.note


def test_goods_over_months_rank_among_partners_and_count_zero_rows_as_nothing():
    """Comtrade lists every partner of a product: Georgia's car exports over January-
    February are a complete table (the world is its sum); a row of zero value without
    units (a mode of transport unused) leaves the world's count of cars intact."""
    cars = Product("cars", ("8703",))
    unused = dict(counted(0.0, None, unit=None, partner="ARM"))
    rows = [counted(10e6, 600), counted(5e6, 300, partner="RUS", month=2), unused]
    evidence = StoreEvidence(TableStore(rows, {}))  # type: ignore[arg-type]
    [table] = evidence.partners("GEO", "exports", 2023, cars, span=(1, 2))
    assert (table.source, table.partial) == ("comtrade", False)
    assert table.values == {"KAZ": 10e6, "RUS": 5e6, "ARM": 0.0}
    assert table.total == 15e6
    [world] = evidence.months("GEO", "WLD", "exports", 2023, (1, 2), cars)
    assert world.units == 900


def test_goods_over_months_in_an_extract_of_partners_give_no_share():
    """Comext CN8 holds seven partners (coverage.PRODUCT_TABLES): a table of them is
    partial, so a share of it is no share of the reporter's trade in the goods."""
    listed = Product("goods under EU export sanctions", ("84713000",), "CN8")
    rows = [
        dict(row("comext_cn8", "DEU", partner, "exporter", value, month=1),
             classification="CN8", product="84713000")
        for partner, value in (("KAZ", 4e6), ("RUS", 1e6))
    ]  # fmt: skip
    evidence = StoreEvidence(TableStore(rows, {}))  # type: ignore[arg-type]
    [table] = evidence.partners("DEU", "exports", 2022, listed, span=(1, 1))
    assert (table.source, table.partial, table.total) == ("comext_cn8", True, None)


def test_the_products_a_text_names_are_read_together_with_the_same_answers(monkeypatch):
    """With the text's products expected (check_text does this), a reporter's trade in
    each and its shares among partners come from one query per flow and year: the
    answers are those of one query per product."""
    from bilateral.backends import question_sql

    asked: list[str] = []
    run = question_sql.execute

    def counted(question):
        asked.append(question.build.__name__)
        return run(question)

    monkeypatch.setattr(question_sql, "execute", counted)
    products = [
        Product("wheat", ("1001",)),
        Product("barley", ("1003",)),
        Product("fermented dairy products", ("0403",)),
        Product("steel", ("7207",)),
    ]
    answers = {}
    for expecting in (False, True):
        evidence = StoreEvidence(TableStore(ROWS, {"faostat": [EXTRACT_NOTE]}))  # type: ignore[arg-type]
        if expecting:
            evidence.expect(products)
        asked.clear()
        answers[expecting] = [
            (
                evidence.bilateral("KAZ", "RUS", "imports", 2022, product),
                evidence.partners("KAZ", "imports", 2022, product),
                evidence.bilateral("KAZ", "WLD", "imports", 2022, product),
            )
            for product in products
        ]
        counts = {name: asked.count(name) for name in ("group_values", "supplier_shares")}
        if expecting:
            assert counts == {"group_values": 1, "supplier_shares": 1}
        else:  # one per product, and one more for the FAO grouping dairy products fall in
            assert counts == {"group_values": 5, "supplier_shares": 5}
    assert answers[True] == answers[False]
    wheat = answers[True][0]
    assert {(f.source, f.value) for f in wheat[0]} == {("baci", 300e6), ("faostat", 330e6)}
