"""Vocabularies: countries, demonyms, products to HS codes, figures with their hedges."""

from __future__ import annotations

import pytest

from bilateral.claims.lexicon import DATA_DIR, expand_codes, hs_descriptions, lexicon
from bilateral.claims.quantities import find_quantities, find_ranks
from bilateral.claims.tokens import number_step, number_value, tokenize
from bilateral.reference.countries import countries
from bilateral.reference.lists import load_list
from bilateral.reference.products import product_groups


def mentions(text: str) -> list[tuple[str, str]]:
    tokens = tokenize(text)
    return [
        (m.code, " ".join(t.text for t in tokens[m.start : m.end]))
        for m in lexicon().countries_in(text, tokens)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "President of the Russian Federation Vladimir Putin visited the Republic of "
            "Kazakhstan.",
            [("RUS", "the Russian Federation"), ("KAZ", "the Republic of Kazakhstan")],
            id="formal-names",
        ),
        pytest.param(
            "Kazakhstan-Russia trade", [("KAZ", "Kazakhstan"), ("RUS", "Russia")], id="hyphen-pair"
        ),
        pytest.param(
            "Kazakh imports from Russia", [("KAZ", "Kazakh"), ("RUS", "Russia")], id="adjective"
        ),
        pytest.param("the South Korean KHNP", [("KOR", "South Korean")], id="two-word-adjective"),
        pytest.param("Kazakhstan’s oil exports", [("KAZ", "Kazakhstan")], id="curly-possessive"),
        pytest.param("Can we Are Per", [], id="three-letter-words-are-not-codes"),
        pytest.param(
            "GDP and FDI in the USA and the UK", [("USA", "USA"), ("GBR", "UK")], id="abbreviations"
        ),
        pytest.param("Total trade with Other Asia", [], id="loose-aggregates-ignored"),
        # continents are partners in customs tables (FCS prints Europe and Asia) ...
        pytest.param("Total trade with Asia", [("ASIA", "Asia")], id="continent"),
        # ... but not inside a region's name
        pytest.param("trade with Central Asia and South America", [], id="regions-not-continents"),
        pytest.param("trade with the EAEU", [("EAEU", "EAEU")], id="named-aggregate"),
        pytest.param("the people of Kazakhstan", [("KAZ", "Kazakhstan")], id="lowercase-glue"),
    ],
)
def test_countries_in_a_sentence(text, expected):
    assert mentions(text) == expected


def test_adjectives_are_told_from_names():
    tokens = tokenize("Russian and Kazakh agriculture in Kazakhstan")
    how = [
        m.how
        for m in lexicon().countries_in("Russian and Kazakh agriculture in Kazakhstan", tokens)
    ]
    assert how == ["adjective", "adjective", "name"]


def test_every_demonym_names_a_known_country():
    index = countries()
    for line in (DATA_DIR / "demonyms.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        word, code = line.split("\t")[:2]
        assert code in index.by_code, f"demonyms.tsv: '{word}' names unknown code {code}"


def test_every_product_code_is_in_the_hs_nomenclature():
    """products.tsv maps words to HS 2022 codes; each must exist in hs2022.csv."""
    known = hs_descriptions()
    for line in (DATA_DIR / "products.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        phrase, spec = line.split("\t")[:2]
        if spec.startswith("list:"):  # a shipped list of CN8 codes ('sanctioned goods')
            assert load_list(spec.removeprefix("list:")).entries, phrase
            continue
        for code in expand_codes(spec):
            assert code in known, f"products.tsv: '{phrase}' maps to {code}, not an HS 2022 code"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "imported wheat and barley", [("wheat", ("1001",)), ("barley", ("1003",))], id="grains"
        ),
        pytest.param("poultry meat", [("poultry meat", ("0207",))], id="poultry-longest-match"),
        pytest.param(
            "fermented dairy products", [("fermented dairy products", ("0403",))], id="fermented"
        ),
        pytest.param("sugar", [("sugar", ("1701",))], id="sugar"),
        pytest.param("fertilizers", [("fertilizers", ("31",))], id="fertilizers"),
        pytest.param("assembling Russian cars", [("cars", ("8703",))], id="cars"),
        pytest.param("food", [("food", tuple(f"{n:02d}" for n in range(1, 25)))], id="food-01-24"),
        pytest.param(
            "oats and rye", [("oats", ("1004",)), ("rye", ("1002",))], id="hs-heading-names"
        ),
        pytest.param("a table of matches", [], id="ordinary-words-are-not-products"),
    ],
)
def test_products_to_hs_codes(text, expected):
    found = [(p.label, p.codes) for _, _, p in lexicon().products_in(tokenize(text))]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "value", "step"),
    [
        pytest.param("26,972,021.4", 26972021.4, 0.1, id="thousands-separators"),
        pytest.param("27", 27.0, 1.0, id="integer"),
        pytest.param("70", 70.0, 10.0, id="trailing-zero"),
        pytest.param("19.90", 19.9, 0.01, id="decimals-kept"),
        pytest.param("27,5", 27.5, 0.1, id="decimal-comma"),
    ],
)
def test_numbers(text, value, step):
    assert number_value(text) == pytest.approx(value)
    assert number_step(text) == pytest.approx(step)


@pytest.mark.parametrize(
    ("text", "kind", "value", "high", "unit", "hedge"),
    [
        pytest.param(
            "increased by more than 10%", "percent", 10, None, "%", "more than", id="more-than-pct"
        ),
        pytest.param(
            "reached $27 billion", "money", 27e9, None, "USD", "exact", id="dollar-billion"
        ),
        pytest.param("about two billion dollars", "money", 2e9, None, "USD", "about", id="words"),
        pytest.param(
            "has exceeded $20 billion", "money", 20e9, None, "USD", "more than", id="exceeded"
        ),
        pytest.param("80-90% of poultry meat", "percent", 80, 90, "%", "range", id="range"),
        pytest.param(
            "between 80 and 90 percent", "percent", 80, 90, "%", "range", id="between-and"
        ),
        pytest.param("(up to 75%)", "percent", 75, None, "%", "up to", id="up-to"),
        pytest.param(
            "does not exceed 10%", "percent", 10, None, "%", "up to", id="does-not-exceed"
        ),
        pytest.param(
            "almost a fifth of trade", "percent", 20, None, "%", "almost", id="fraction-hedged"
        ),
        pytest.param(
            "a quarter of imports", "percent", 25, None, "%", "about", id="fraction-about"
        ),
        pytest.param("up 9.5% to $27bn", "percent", 9.5, None, "%", "exact", id="up-is-not-up-to"),
        pytest.param("US$1.2 bn", "money", 1.2e9, None, "USD", "exact", id="us-dollar-sign"),
        pytest.param("USD 450 million", "money", 450e6, None, "USD", "exact", id="usd-code"),
        pytest.param("€5m", "money", 5e6, None, "EUR", "exact", id="euro-short-scale"),
        pytest.param(
            "some 7,000 joint ventures", "count", 7000, None, "joint ventures", "about", id="count"
        ),
        pytest.param("grew 1.5 times", "multiple", 1.5, None, "times", "exact", id="multiple"),
        pytest.param(
            "exceeding last year's by more than twice",
            "multiple",
            2,
            None,
            "times",
            "more than",
            id="by-more-than-twice",
        ),
        pytest.param("in 2021-2022", "year", 2021, 2022, "", "exact", id="year-range"),
    ],
)
def test_figures_with_hedges(text, kind, value, high, unit, hedge):
    figures = [q for q in find_quantities(tokenize(text)) if q.kind not in ("date",)]
    assert len(figures) >= 1
    first = figures[0]
    assert (first.kind, first.unit, first.hedge) == (kind, unit, hedge)
    assert first.value == pytest.approx(value)
    assert first.high == (pytest.approx(high) if high is not None else None)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("On November 9, 2023, he visited", id="date"),
        pytest.param("the leaders of the two countries", id="the-two"),
        pytest.param("in the 21st century", id="ordinal"),
        pytest.param("the first half of 2023", id="half-of-a-year"),
        pytest.param("exports were twice as large as imports", id="twice-as-large-as"),
        pytest.param("the leaders met twice", id="twice-an-event"),
    ],
)
def test_not_figures(text):
    kinds = {q.kind for q in find_quantities(tokenize(text))}
    assert not kinds & {"percent", "money", "count", "multiple"}


@pytest.mark.parametrize(
    ("text", "ranks"),
    [
        pytest.param(
            "the largest partner of the republic in imports and the third in exports",
            [1, 3],
            id="elliptic",
        ),
        pytest.param("China ranks second among partners", [2], id="ranks-second"),
        pytest.param("the third largest supplier", [3], id="third-largest"),
        pytest.param("occupy the first place in the commodity structure", [1], id="first-place"),
        pytest.param("the first nuclear power plant", [], id="not-a-rank"),
        pytest.param("one of the largest partners", [1], id="vague"),
    ],
)
def test_ranks(text, ranks):
    found = find_ranks(tokenize(text))
    assert [r.rank for r in found] == ranks
    if "one of the" in text:
        assert found[0].vague


@pytest.mark.parametrize(
    ("phrase", "group"),
    [
        ("food", "food"),
        ("cereals", "cereals"),
        ("wheat", "wheat"),
        ("barley", "barley"),
        ("maize", "maize"),
        ("poultry meat", "poultry_meat"),
        ("sugar", "sugar"),
        ("fermented dairy products", "fermented_milk"),
        ("dairy products", "dairy"),
        ("meat", "meat"),
        ("seeds", "seeds_for_sowing"),
        ("fertilizers", "fertilizers"),
        ("mineral fuels", "mineral_fuels"),
        ("crude oil", "crude_oil"),
        ("natural gas", "natural_gas"),
        ("metals", "metals"),
        ("machinery", "machinery"),
        ("cars", "cars"),
        ("vehicles", "vehicles"),
        ("smartphones", "smartphones"),
    ],
)
def test_products_agree_with_the_indicators_product_groups(phrase, group):
    """A word and the indicators' group of the same name select the same HS codes."""
    product = lexicon().products.get(phrase)
    assert product is not None
    shipped = product_groups()[group].hs_prefixes
    assert set(product.codes) == set(shipped)
