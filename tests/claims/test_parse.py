"""Reading claims from texts: the November 2023 article and texts in other phrasings.

The article is ../shared/articles/kz-ru-2023-11-visit.txt (issue 4); the other texts are
small files under tests/cases/claims/, one theme each.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bilateral.claims.document import split_sentences
from bilateral.claims.parse import parse_text

CASES = Path(__file__).parents[1] / "cases" / "claims"
ARTICLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "articles" / "kz-ru-2023-11-visit.txt"
)
INFERRED = "inferred from the text's date (2023-11-09)"


def article() -> str:
    if not ARTICLE.exists():
        pytest.skip(f"article not available: {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def row(claim):
    product = claim.product.codes if claim.product else None
    if product and len(product) > 3:
        product = (product[0], product[-1])  # a chapter range: first and last
    return (
        claim.indicator,
        claim.reporter,
        claim.partner,
        product,
        claim.candidate_years,
        claim.stated.value,
        claim.stated.high,
        claim.stated.hedge,
    )


# indicator, reporter, partner, product codes, candidate years, stated value, high, hedge
ARTICLE_CLAIMS = [
    ("agreements_signed_years", None, None, None, (), 10.0, None, "exact"),
    ("turnover_growth", "KAZ", "RUS", None, (2022,), 10.0, None, "more than"),
    ("turnover", "KAZ", "RUS", None, (2022,), 27e9, None, "exact"),
    ("direct_investment_value", "RUS", None, None, (), 20e9, None, "more than"),
    ("foreign_companies_share", "KAZ", "RUS", None, (), 50.0, None, "almost"),
    ("joint_projects_count", None, None, None, (), 60.0, None, "more than"),
    ("joint_projects_value", None, None, None, (), 27e9, None, "more than"),
    ("partner_rank_imports", "KAZ", "RUS", None, (2022, 2023), 1.0, None, "exact"),
    ("partner_rank_exports", "KAZ", "RUS", None, (2022, 2023), 3.0, None, "exact"),
    ("partner_share_turnover", "KAZ", "RUS", None, (2022, 2023), 20.0, None, "almost"),
    ("partner_comparison_turnover", "KAZ", "RUS", None, (2022, 2023), None, None, "slightly below"),
    ("oil_export_routes_share", "KAZ", None, None, (), 75.0, None, "up to"),
    ("product_rank_imports", "KAZ", "RUS", ("01", "24"), (2022,), 1.0, None, "exact"),
    ("imports", "KAZ", "RUS", ("01", "24"), (2022,), 2e9, None, "about"),
    ("exports", "KAZ", "WLD", ("01", "24"), (2022,), 6e9, None, "exact"),
    ("local_seed_supply_share", None, None, None, (), 10.0, None, "up to"),
    ("partner_share_imports", "KAZ", "RUS", ("1001",), (2022,), 98.0, None, "exact"),
    ("partner_share_imports", "KAZ", "RUS", ("1003",), (2022,), 98.0, None, "exact"),
    ("partner_share_imports", "KAZ", "RUS", ("0207",), (2022,), 80.0, 90.0, "range"),
    ("partner_share_imports", "KAZ", "RUS", ("1701",), (2022,), 70.0, None, "exact"),
    ("partner_share_imports", "KAZ", "RUS", ("0403",), (2022,), 60.0, None, "more than"),
    ("forum_participation_count", None, None, None, (), 30.0, None, "exact"),
    ("agreements_signed_value", None, None, None, (), 100e6, None, "more than"),
    ("agreements_signed_years", "RUS", "KAZ", None, (), 3.0, None, "exact"),
]


def test_the_article_claims_in_order():
    parsed = parse_text(article())
    assert (parsed.subject, parsed.partner, parsed.date) == ("KAZ", "RUS", "2023-11-09")
    assert [row(c) for c in parsed.claims] == ARTICLE_CLAIMS


@pytest.mark.parametrize(
    ("indicator", "basis"),
    [
        pytest.param("turnover_growth", "stated", id="in-2022"),
        pytest.param("partner_rank_imports", INFERRED, id="present-tense-from-the-date"),
        pytest.param("imports", "stated", id="according-to-2022-data"),
        pytest.param("exports", "context: 2022 is stated earlier in the paragraph", id="paragraph"),
    ],
)
def test_the_article_says_how_each_year_was_found(indicator, basis):
    claim = next(c for c in parse_text(article()).claims if c.indicator == indicator)
    assert claim.year_basis.startswith(basis)


def test_the_article_attributes_the_bns_sentence_and_its_paragraph_to_the_bns():
    parsed = parse_text(article())
    cited = {c.indicator for c in parsed.claims if c.source_hint == "kz_bns"}
    # the sentence that names the BNS, and the comparison that follows it in its paragraph
    assert cited == {
        "partner_rank_imports",
        "partner_rank_exports",
        "partner_share_turnover",
        "partner_comparison_turnover",
        "oil_export_routes_share",
    }


def test_the_comparison_names_china():
    claim = next(c for c in parse_text(article()).claims if c.indicator.startswith("partner_comp"))
    assert claim.other == "CHN"
    assert claim.stated.text == "only slightly inferior to"


_NUMBER_WORDS = re.compile(
    r"\d|%|\$|\b(one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|"
    r"hundred|thousand|million|billion|half|third|quarter|fifth|largest|first|second|"
    r"inferior|behind|ahead|overtook)\b",
    re.IGNORECASE,
)


def test_every_quantitative_sentence_of_the_article_is_accounted_for():
    """A sentence with a number, a number word or a rank word holds a claim or says why not."""
    text = article()
    parsed = parse_text(text)
    claimed = {c.text for c in parsed.claims}
    skipped = {s.text: s.reason for s in parsed.skipped}
    not_measures = {
        # ordinals in names and events, not measures of the relationship
        "Thus, an important item on the agenda of the negotiations was Rosatom’s proposal to "
        "build the first nuclear power plant in Kazakhstan.",
        "This characteristic of the Russian-Kazakh partnership was reflected even in the "
        "program of Vladimir Putin’s visit: for example, the leaders of the two countries did "
        "not ignore the XIX Forum of Interregional Cooperation between Kazakhstan and Russia, "
        "which was taking place simultaneously with the visit of the Russian president in the "
        "city of Kostanay.",
        "During the joint statement of the leaders of the two countries, the media also "
        "mentioned the prospects of creating production facilities in Kazakhstan for "
        "assembling Russian cars, as well as increasing the transit of Russian oil to China "
        "through the territory of Kazakhstan.",
    }
    quantitative = [s for _, s in split_sentences(text) if _NUMBER_WORDS.search(s)]
    assert len(quantitative) == 17
    for sentence in quantitative:
        assert sentence in claimed or sentence in skipped or sentence in not_measures, sentence
    assert skipped == {
        "On November 9, 2023, President of the Russian Federation Vladimir Putin visited the "
        "Republic of Kazakhstan.": "only a date or a year"
    }


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        pytest.param(
            "headlines.txt",
            [
                ("turnover_growth", "KAZ", "RUS", None, (2022,), 9.5, None, "exact"),
                ("turnover", "KAZ", "RUS", None, (2022,), 27e9, None, "exact"),
                ("partner_comparison_turnover", "KAZ", "CHN", None, (2023,), None, None, "above"),
                ("partner_rank_turnover", "KAZ", "CHN", None, (2023,), 1.0, None, "exact"),
                ("exports_growth", "KAZ", "CHN", None, (2023,), 12.0, None, "exact"),
                ("exports", "KAZ", "CHN", None, (2023,), 14.7e9, None, "exact"),
                ("imports_growth", "KAZ", "RUS", None, (2023,), -5.8, None, "exact"),
            ],
            id="headlines",
        ),
        pytest.param(
            "shares_and_ranks.txt",
            [
                ("partner_share_turnover", "KAZ", "RUS", None, (2023, 2024), 20.0, None, "about"),
                ("partner_rank_turnover", "KAZ", "CHN", None, (2023, 2024), 2.0, None, "exact"),
                ("partner_rank_exports", "KAZ", "ITA", None, (2023, 2024), 1.0, None, "exact"),
                ("partner_share_imports", "KAZ", "RUS", None, (2021,), 40.0, None, "more than"),
                ("partner_rank_imports", "KAZ", "DEU", None, (2023,), 3.0, None, "exact"),
                ("imports", "KAZ", "DEU", None, (2023,), 3e9, None, "about"),
            ],
            id="shares-and-ranks",
        ),
        pytest.param(
            "relative_years.txt",
            [
                ("imports_growth", "KAZ", "RUS", None, (2023,), -6.0, None, "about"),
                ("imports", "KAZ", "RUS", None, (2023,), 16.8e9, None, "exact"),
                ("turnover", "KAZ", "CHN", None, (2023,), 31e9, None, "exact"),
                ("turnover_growth", "KAZ", "CHN", None, (2023,), 25.0, None, "almost"),
                ("turnover_growth", "KAZ", "RUS", None, (2024,), 3.0, None, "exact"),
                ("forecast_or_target_value", "KAZ", "RUS", None, (), 30e9, None, "exact"),
            ],
            id="relative-years",
        ),
        pytest.param(
            "phrasings.txt",
            [
                ("turnover", "KAZ", "RUS", None, (2022,), 26.97e9, None, "exact"),
                ("turnover_growth", "KAZ", "RUS", None, (2022,), 9.5, None, "exact"),
                ("partner_rank_turnover", "KAZ", "CHN", None, (2022,), 2.0, None, "exact"),
                ("exports_growth", "KAZ", "RUS", None, (2022,), 29.5, None, "exact"),
                ("exports", "KAZ", "RUS", None, (2022,), 9.1e9, None, "exact"),
                ("imports", "KAZ", "RUS", None, (2022,), 17.9e9, None, "exact"),
                ("partner_share_imports", "KAZ", "RUS", None, (2023,), 27.9, None, "exact"),
                ("partner_share_imports", "KAZ", "RUS", None, (2022,), 35.1, None, "exact"),
                (
                    "turnover_growth",
                    "KAZ",
                    "CHN",
                    None,
                    (2023,),
                    pytest.approx(70.0),
                    None,
                    "exact",
                ),
                ("exports", "KAZ", "WLD", None, (2022,), 84.6e9, None, "exact"),
                ("exports_growth", "KAZ", "WLD", None, (2022,), 40.0, None, "exact"),
            ],
            id="phrasings",
        ),
        pytest.param(
            "not_trade.txt",
            [
                ("direct_investment_value", "RUS", "KAZ", None, (), 17e9, None, "more than"),
                ("foreign_companies_count", "RUS", "KAZ", None, (), 7000.0, None, "about"),
                ("agreements_signed_count", None, None, None, (), 15.0, None, "exact"),
                ("agreements_signed_value", None, None, None, (), 1.5e9, None, "exact"),
                ("national_accounts_share", None, None, None, (), 5.1, None, "exact"),
            ],
            id="not-trade",
        ),
    ],
)
def test_other_phrasings(case, expected):
    parsed = parse_text((CASES / case).read_text(encoding="utf-8"))
    assert [row(c) for c in parsed.claims] == expected


def test_growth_since_a_year_is_measured_from_it():
    parsed = parse_text((CASES / "phrasings.txt").read_text(encoding="utf-8"))
    since, compared = [c for c in parsed.claims if c.indicator.endswith("_growth")][2:]
    # undated: the year is the last one stated earlier in the text (2023, line 5)
    assert (since.base_year, since.year, since.stated.text) == (2019, 2023, "1.7 times")
    assert (compared.base_year, compared.year) == (2021, 2022)


def test_a_figure_for_part_of_a_year_says_so():
    parsed = parse_text((CASES / "relative_years.txt").read_text(encoding="utf-8"))
    partial = next(c for c in parsed.claims if "nine months" in c.text)
    assert partial.months is not None
    assert (partial.months.first, partial.months.last) == (1, 9)
    assert partial.months.label(2024) == "January-September 2024"


@pytest.mark.parametrize(
    ("text", "subject", "partner", "expected"),
    [
        pytest.param(
            "Trade reached $5 billion in 2022.", "KGZ", "UZB", ("KGZ", "UZB"), id="override-pair"
        ),
        pytest.param(
            "Exports to China rose 20% to $13.2 billion in 2022.",
            "KAZ",
            None,
            ("KAZ", "CHN"),
            id="to-partner",
        ),
    ],
)
def test_the_pair_can_be_given(text, subject, partner, expected):
    claims = parse_text(text, subject=subject, partner=partner).claims
    assert {(c.reporter, c.partner) for c in claims} == {expected}


def test_will_about_a_year_already_over_is_that_year_s_figure():
    said = "By the end of 2023, Kazakhstan's exports to Georgia will rise by 40%."
    dated_after, dated_before = f"Date: 2024-02-10\n\n{said}", f"Date: 2023-06-01\n\n{said}"
    [over] = parse_text(dated_after).claims
    [ahead] = parse_text(dated_before).claims
    assert (over.measure, over.year, over.partner) == ("growth", 2023, "GEO")
    assert (ahead.measure, ahead.kind) == ("uncheckable", "forecast or target")


def test_a_country_named_as_a_direction_is_the_partner_of_the_flow_spoken_of():
    text = (
        "Armenia's exports grew by 20% in 2023; most of the rise came from the Chinese "
        "direction - by 2.1 times."
    )
    direction = [c for c in parse_text(text).claims if c.stated.text == "2.1 times"]
    assert [(c.flow, c.reporter, c.partner) for c in direction] == [("exports", "ARM", "CHN")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "In 2022 Russia supplied 35% of Kazakhstan's imports.",
            [("partner_share_imports", "KAZ", "RUS", 35.0, "exact")],
            id="supplied-a-share",
        ),
        pytest.param(
            "Wheat supplied by Russia made up 98% of Kazakhstan's wheat imports in 2022.",
            [("partner_share_imports", "KAZ", "RUS", 98.0, "exact")],
            id="supplied-by",
        ),
        pytest.param(
            "In 2022 Russia supplied more than a third of everything Kazakhstan bought "
            "abroad and remained its largest source of imports, although it was only the "
            "third destination for Kazakh exports.",
            [
                ("partner_share_imports", "KAZ", "RUS", 33.333, "more than"),
                ("partner_rank_imports", "KAZ", "RUS", 1.0, "exact"),
                ("partner_rank_exports", "KAZ", "RUS", 3.0, "exact"),
            ],
            id="bought-abroad-source-of-imports",
        ),
        pytest.param(
            "Kazakhstan's trade with Russia topped $26 billion in 2022.",
            [("turnover", "KAZ", "RUS", 26e9, "more than")],
            id="topped",
        ),
        pytest.param(
            "In 2022 trade between Armenia and Russia exceeded the $5 billion mark.",
            [("turnover", "ARM", "RUS", 5e9, "more than")],
            id="exceeded-the-mark",
        ),
        pytest.param(
            "In 2019 trade between Armenia and Russia passed $2 billion for the first time.",
            [("turnover", "ARM", "RUS", 2e9, "more than")],
            id="passed",
        ),
    ],
)
def test_who_supplies_and_who_buys(text, expected):
    """Our own sentences, written after the phrasings of officials' statements on
    Kazakhstan-Russia trade: the country that supplies is the partner, the one that buys
    the reporter."""
    claims = parse_text(text).claims
    found = [(c.indicator, c.reporter, c.partner, c.stated.value, c.stated.hedge) for c in claims]
    assert found == expected


def test_the_same_months_of_a_year_are_the_base_of_the_change():
    text = (
        "In January-May 2023, trade between Armenia and Russia climbed 86% on the same "
        "months of 2022 to $2.3 billion."
    )
    claims = parse_text(text).claims
    assert [(c.indicator, c.year, c.base_year) for c in claims] == [
        ("turnover_growth", 2023, 2022),
        ("turnover", 2023, None),
    ]


def test_a_diplomat_s_figures_are_his_country_s():
    text = (
        "Russia is Armenia's biggest trading partner, a Russian diplomat said.\n\n"
        "Trade between the two countries passed $5 billion last year, he said."
    )
    claims = parse_text(text).claims
    assert [(c.indicator, c.source_hint) for c in claims if c.measure == "level"] == [
        ("turnover", "stats:RUS")
    ]


def test_a_comparison_naming_no_flow_goes_on_with_the_goods_of_the_pair_before():
    text = (
        "Georgia sells many used cars to its neighbours.\n\nIn 2023 Georgia exported 900 "
        "cars to Armenia. Armenia is not the main buyer. It ranks behind Kazakhstan."
    )
    [compared] = [c for c in parse_text(text).claims if c.measure == "comparison"]
    assert (compared.flow, compared.reporter, compared.partner, compared.other) == (
        "exports",
        "GEO",
        "ARM",
        "KAZ",
    )
    assert compared.product is not None and compared.product.codes == ("8703",)


def test_an_average_annual_rate_is_a_compound_rate_between_the_span_s_ends():
    text = (
        "Georgia's exports to Armenia grew at an average annual rate of 9.5% in 2012-2019, "
        "while from 2019 to 2023 this rate rose to 21%."
    )
    rates = [c for c in parse_text(text).claims if c.measure == "growth"]
    assert [(c.per_year, c.base_year, c.year, c.stated.value) for c in rates] == [
        (True, 2012, 2019, 9.5),
        (True, 2019, 2023, 21.0),
    ]
    assert {(c.flow, c.reporter, c.partner) for c in rates} == {("exports", "GEO", "ARM")}


@pytest.mark.parametrize(
    ("text", "reporter"),
    [
        ("Armenia and Russia trade more every year. Exports from the South Caucasus country "
         "to Russia rose by 20% in 2023.", "ARM"),
        ("Kazakhstan and Russia trade more every year. Exports from the Central Asian "
         "republic to Russia rose by 20% in 2023.", "KAZ"),
        # neither country of the pair lies in the region: the words name no one
        ("Kazakhstan and Russia trade more every year. Exports from the Baltic state to "
         "Russia rose by 20% in 2023.", "KAZ"),
    ],
    ids=["south-caucasus", "central-asian", "not-in-the-pair"],
)  # fmt: skip
def test_a_region_s_epithet_is_the_country_of_the_pair_in_that_region(text, reporter):
    [growth] = [c for c in parse_text(text).claims if c.measure == "growth"]
    assert (growth.reporter, growth.partner) == (reporter, "RUS")


def test_the_number_of_goods_makes_a_bare_count_and_its_growth_units():
    text = (
        "Armenia's car trade with Georgia is booming. In 2023 the number of cars brought "
        "into Armenia from Georgia tripled, to 12,400."
    )
    claims = [c for c in parse_text(text).claims if c.product is not None]
    read = [(c.measure, c.flow, c.reporter, c.partner, c.stated.unit, c.counted) for c in claims]
    assert read == [
        ("growth", "imports", "ARM", "GEO", "%", True),
        ("level", "imports", "ARM", "GEO", "units", False),
    ]
