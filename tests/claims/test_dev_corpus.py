"""The development corpus (../shared/articles/dev) against its labels (tests/cases/claims/dev).

Each label states the verdict a careful analyst gives a claim and the figure it rests on,
decided from the publishers' files (the label's ``rests_on`` names file, sheet and row).
These tests check that every label points into its text, that each kind of claim the
checker was weak on (growth phrasings, changes as amounts, ranks among a group, reporter
and direction, euro, months, context, cited statistics) is read from real sentences of the
corpus, and that the verdict and the figure on a set of those claims equal the labels.
``bench/claims_eval.py`` measures the whole corpus.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from bilateral.claims import check_text, parse_text
from bilateral.claims.model import CheckedClaim, Claim, verdict_token
from bilateral.store import Store
from tests.conftest import shared

pytestmark = pytest.mark.shared_data

LABELS = Path(__file__).parents[1] / "cases" / "claims" / "dev"
KINDS = {"level", "growth", "change", "share", "rank", "comparison", "not_checkable"}
VERDICTS = {"supported", "close", "contradicted", "not_checkable", "no_data"}


def corpus(name: str) -> str:
    path = shared().parent / "articles" / "dev" / name
    if not path.exists():
        pytest.skip(f"development corpus not available: {path}")
    return path.read_text(encoding="utf-8")


@cache
def labels_of(name: str) -> list[dict]:
    data = tomllib.loads((LABELS / name.replace(".txt", ".toml")).read_text(encoding="utf-8"))
    return data["claim"]


def label(name: str, sentence: str, figure: str) -> dict:
    [found] = [c for c in labels_of(name) if sentence in c["sentence"] and c["figure"] == figure]
    return found


@pytest.mark.parametrize("path", sorted(LABELS.glob("*.toml")), ids=lambda p: p.stem[:2])
def test_every_label_points_into_its_text(path):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["text"] == path.stem + ".txt"
    text = " ".join(corpus(data["text"]).split())
    assert data["claim"], "a text without labelled claims"
    for claim in data["claim"]:
        sentence = " ".join(claim["sentence"].split())
        assert text.count(sentence) == 1, f"not once in the text: {sentence!r}"
        assert claim["figure"] in claim["sentence"], claim["figure"]
        assert claim["kind"] in KINDS, claim["kind"]
        assert claim["verdict"] in VERDICTS, claim["verdict"]
        assert claim["rests_on"].strip(), "a label must say what it rests on"
        numeric = any(ch.isdigit() for ch in claim["figure"])
        if numeric and claim["verdict"] in ("supported", "close", "contradicted"):
            assert "value" in claim, f"a judged label states the true figure: {claim['figure']}"


def parsed_claim(name: str, sentence: str, figure: str) -> Claim:
    claims = [
        c
        for c in parse_text(corpus(name), name=name).claims
        if sentence in c.text and figure in c.stated.text
    ]
    assert claims, f"no claim {figure!r} in {sentence!r}"
    return claims[0]


@pytest.mark.parametrize(
    ("name", "sentence", "figure", "expected"),
    [
        pytest.param(
            "14-kz-ru-2018-azernews.txt",
            "This was 7.2 percent higher than the year before.",
            "7.2 percent",
            ("turnover_growth", "KAZ", "RUS", 2018),
            id="growth-higher-than-the-year-before-flow-from-the-paragraph",
        ),
        pytest.param(
            "03-uz-kz-wheat-trade-2022.txt",
            "a 29.8% y/y expansion",
            "29.8%",
            ("turnover_growth", "UZB", "KAZ", 2022),
            id="growth-y/y-expansion",
        ),
        pytest.param(
            "36-am-ru-exports-2022-2023-bne.txt",
            "exports to Russia tripled in 2022",
            "tripled",
            ("exports_growth", "ARM", "RUS", 2022),
            id="growth-tripled",
        ),
        pytest.param(
            "03-uz-kz-wheat-trade-2022.txt",
            "Imports of Kazakh goods by Uzbekistan",
            "$3.7bn",
            ("imports", "UZB", "KAZ", 2022),
            id="direction-imports-of-kazakh-goods-by-uzbekistan",
        ),
        pytest.param(
            "10-kz-fr-2021.txt",
            "Among the countries of the European Union, it is the third largest trade partner.",
            "third largest",
            ("partner_rank_turnover", "KAZ", "FRA", 2021),
            id="rank-among-the-eu",
        ),
        pytest.param(
            "15-ru-kz-2018-putin-forum.txt",
            "Trade grew by 4.5% last year",
            "4.5%",
            ("turnover_growth", "KAZ", "RUS", 2018),
            id="last-year-from-the-date-header",
        ),
        pytest.param(
            "12-kz-eu-2022-eximtutor.txt",
            "exceeded the 2021 level by 27.6 percent",
            "27.6 percent",
            ("turnover_growth", "EU27", "KAZ", 2022),
            id="growth-exceeded-the-base-year-level-by",
        ),
        pytest.param(
            "12-kz-eu-2022-eximtutor.txt",
            "exceeded the 2021 level by 27.6 percent",
            "$40 billion",
            ("turnover", "EU27", "KAZ", 2022),
            id="level-in-a-sentence-naming-the-base-year",
        ),
        pytest.param(
            "04-kg-kz-2023.txt",
            "on the 2022 figures",
            "$770.215 million",
            ("imports", "KGZ", "KAZ", 2022),
            id="level-in-brackets-after-the-base-year",
        ),
        pytest.param(
            "27-am-kz-kg-eu-ru-moscowtimes.txt",
            "Kazakhstan raised its imports from the EU",
            "42.2%",
            ("imports_growth", "KAZ", "EU27", 2023),
            id="growth-raised-imports-from-the-eu-by",
        ),
        pytest.param(
            "34-am-ru-smartphones.txt",
            "With the United States and the European Union imposing",
            "main",
            ("partner_rank_turnover", "ARM", "RUS", 2022),
            id="with-at-the-start-is-not-a-partner",
        ),
        pytest.param(
            "34-am-ru-smartphones.txt",
            "almost tripled in 2022",
            "almost tripled",
            ("exports_growth", "ARM", "RUS", 2022),
            id="the-clause-year-before-the-sentence-latest",
        ),
        pytest.param(
            "38-am-cn-ranks-2017-factcheck.txt",
            "China also comes after Switzerland",
            "13.6%",
            ("partner_share_exports", "ARM", "CHE", 2017),
            id="share-of-a-partner-listed-in-brackets",
        ),
        pytest.param(
            "26-eu-ru-neighbours-berneunion.txt",
            "by 116% to Kazakhstan",
            "116%",
            ("exports_growth", "EU27", "KAZ", 2022),
            id="growth-in-a-list-goes-on-with-the-flow-and-reporter",
        ),
        pytest.param(
            "37-am-cn-2020.txt",
            "it rose by 2 percent to $965 million",
            "$965 million",
            ("turnover", "ARM", "CHN", 2020),
            id="it-is-the-trade-named-before-not-the-exports-after",
        ),
        pytest.param(
            "19-ru-tr-2021.txt",
            "having soared by nearly 60% last year",
            "nearly 60%",
            ("turnover_growth", "RUS", "TUR", 2021),
            id="last-year-in-the-clause-before-a-year-in-the-sentence",
        ),
        pytest.param(
            "24-eu-ru-8m-2024.txt",
            "EU countries' exports into Russia",
            "2.5 bn euro",
            ("exports", "EU27", "RUS", 2024),
            id="exports-into",
        ),
        pytest.param(
            "39-am-ir-2023.txt",
            "a decrease of 2.5% was recorded",
            "2.5%",
            ("turnover_growth", "ARM", "IRN", 2023),
            id="a-bare-change-continues-the-paragraph-s-flow",
        ),
        pytest.param(
            "39-am-ir-2023.txt",
            "rose by 0.9% on the previous year",
            "0.9%",
            ("turnover_growth", "ARM", "IRN", 2024),
            id="the-year-after-the-base-the-sentence-names",
        ),
        pytest.param(
            "22-ru-totals-2023-afp.txt",
            "Russia's exports of goods to Europe dropped by 68%",
            "68%",
            ("exports_growth", "RUS", "EUROPE", 2023),
            id="a-continent-the-customs-office-publishes",
        ),
        pytest.param(
            "22-ru-totals-2023-afp.txt",
            "imports from countries of the Asian continent",
            "29.2%",
            ("imports_growth", "RUS", "ASIA", 2023),
            id="countries-of-the-asian-continent",
        ),
        pytest.param(
            "22-ru-totals-2023-afp.txt",
            "decreased according to the same data, by 12.3%",
            "12.3%",
            ("imports_growth", "RUS", "EUROPE", 2023),
            id="a-source-set-off-between-the-verb-and-the-figure",
        ),
        pytest.param(
            "22-ru-totals-2023-afp.txt",
            "chief buyer of Russian energy, rose by 5.6%",
            "5.6%",
            ("exports_growth", "RUS", "ASIA", 2023),
            id="goods-in-a-relative-clause-describe-the-partner",
        ),
        pytest.param(
            "18-ru-cn-8m-2021.txt",
            "trade with other countries shrank",
            "16.6%",
            ("turnover_growth", "RUS", "WLD-CHN", 2020),
            id="other-countries-than-the-partner",
        ),
        pytest.param(
            "18-ru-cn-8m-2021.txt",
            "China's share of Russia's trade in the first eight months",
            "17.7%",
            ("partner_share_turnover", "RUS", "CHN", 2021),
            id="the-share-of-the-flow-named-before-the-figure",
        ),
        pytest.param(
            "22-ru-totals-2023-afp.txt",
            "a drop of 58.5 percent from 2022",
            "$140 billion",
            ("balance", "RUS", "WLD", 2023),
            id="a-trade-surplus-and-from-a-base-year",
        ),
        pytest.param(
            "38-am-cn-ranks-2017-factcheck.txt",
            "seventh largest trade partner rather than the second",
            "seventh",
            ("partner_rank_exports", "ARM", "CHN", 2017),
            id="rank-qualified-by-a-share-of-exports",
        ),
        pytest.param(
            "38-am-cn-ranks-2017-factcheck.txt",
            "holds only fifth position here",
            "fifth",
            ("partner_rank_imports", "ARM", "CHN", 2017),
            id="rank-qualified-by-a-share-of-imports",
        ),
        pytest.param(
            "38-am-cn-ranks-2017-factcheck.txt",
            "On the import side, Russia is Armenia's largest partner",
            "largest",
            ("partner_rank_imports", "ARM", "RUS", 2017),
            id="rank-on-the-import-side",
        ),
        pytest.param(
            "40-am-exports-ru-uae-hk-2021-2024.txt",
            "exports of Armenian goods there rising 7.2 times",
            "7.2 times",
            ("exports_growth", "ARM", "ARE", 2024),
            id="exports-there-to-the-country-named-before",
        ),
        pytest.param(
            "33-ge-tj-cars-h1-2023.txt",
            "these car exports were worth",
            "$15.842 million",
            ("exports", "GEO", "TJK", 2023),
            id="these-exports-are-the-trade-named-before",
        ),
        pytest.param(
            "33-ge-tj-cars-h1-2023.txt",
            "these car exports were worth",
            "$3.894 million",
            ("exports", "GEO", "TJK", 2022),
            id="when-the-figure-was-the-year-before",
        ),
        pytest.param(
            "23-de-kz-ru-10m-2023-reuters.txt",
            "Kazakhstan took the most",
            "2.8 billion euros",
            ("exports", "DEU", "KAZ", 2023),
            id="the-country-that-took-the-exports",
        ),
        pytest.param(
            "02-kz-uz-2021-pm-talks.txt",
            "had grown by 33%",
            "$4.3 billion",
            ("turnover", "UZB", "KAZ", 2021),
            id="a-growth-and-its-level-in-brackets",
        ),
        pytest.param(
            "27-am-kz-kg-eu-ru-moscowtimes.txt",
            "Armenia's total trade turnover with the EU rose",
            "40.2%",
            ("turnover_growth", "ARM", "EU27", 2023),
            id="whose-turnover-as-the-text-says",
        ),
        pytest.param(
            "04-kg-kz-2023.txt",
            "Last year Kyrgyzstan's exports to Kazakhstan came to",
            "$455.702 million",
            ("exports", "KGZ", "KAZ", 2023),
            id="last-year-with-a-base-year-set-against",
        ),
        pytest.param(
            "18-ru-cn-8m-2021.txt",
            "above the record of $111 billion set in pre-pandemic 2019",
            "$111 billion",
            ("turnover", "RUS", "CHN", 2019),
            id="a-record-set-in-a-year-beside-a-forecast",
        ),
    ],
)
def test_the_corpus_phrasings_are_read(name, sentence, figure, expected):
    claim = parsed_claim(name, sentence, figure)
    assert (claim.indicator, claim.reporter, claim.partner, claim.year) == expected


@pytest.mark.parametrize(
    ("name", "sentence", "figure", "unplaced"),
    [
        ("10-kz-fr-2021.txt", "Kazakhstan makes up 90 percent", "90 percent", "Central Asia"),
        ("01-kz-cn-2022-chinese-customs.txt", "for plastics and rubber", "45%", "plastics"),
        ("21-de-ru-2021-destatis.txt", "Crude oil and natural gas made up", "59%", "crude oil"),
        ("34-am-ru-smartphones.txt", "97 percent of the items", "97 percent", "items"),
        ("27-am-kz-kg-eu-ru-moscowtimes.txt", "in the past year and a half", "49%",
         "past year and a half"),
        ("27-am-kz-kg-eu-ru-moscowtimes.txt", "going up from $931 million", "$931 million",
         "the year the rise or fall starts from"),
        ("18-ru-cn-8m-2021.txt", "a record $12 billion per month", "$12 billion",
         "per month"),
    ],
    ids=["a-region", "goods-after-the-figure", "goods-before-a-share",
         "items", "a-spell-of-time", "the-start-of-a-change", "per-month"],
)  # fmt: skip
def test_words_a_reading_leaves_out_are_noted(name, sentence, figure, unplaced):
    """A figure that may be about a region, the rest of the world or goods the reading does
    not take is never called contradicted (see the label's rests_on)."""
    claim = parsed_claim(name, sentence, figure)
    assert claim.unplaced == unplaced


@pytest.mark.parametrize(
    ("name", "sentence", "figure", "kind"),
    [
        ("07-kz-tr-2021.txt", "the sides had agreed to lift trade revenues", "$5 billion",
         "forecast or target"),
        ("18-ru-cn-8m-2021.txt", "REC estimates that by year-end turnover will exceed",
         "$130 billion", "forecast or target"),
    ],
    ids=["agreed-to-lift-to", "will-exceed"],
)  # fmt: skip
def test_targets_and_forecasts_are_not_checked(name, sentence, figure, kind):
    claim = parsed_claim(name, sentence, figure)
    assert (claim.measure, claim.kind) == ("uncheckable", kind)


def test_a_growth_without_a_flow_takes_the_flow_of_the_sentence_before():
    """'Armenia's exports came to $3 billion in 2021 and $5.4 billion in 2022 ... he said
    growth in 2022 was about 79%': the exports' growth (the checker reads it with the world
    and with Russia, named in the clause after, as the partner)."""
    claim = parsed_claim(
        "40-am-exports-ru-uae-hk-2021-2024.txt", "he said growth in 2022 was", "about 79%"
    )
    assert (claim.indicator, claim.reporter, claim.year) == ("exports_growth", "ARM", 2022)


def test_the_first_two_thirds_of_the_year_are_its_first_eight_months():
    claim = parsed_claim("03-uz-kz-wheat-trade-2022.txt", "over the first two-thirds", "half")
    assert claim.months is not None and claim.months.span == (1, 8)


def test_approached_is_a_figure_not_reached():
    claim = parsed_claim(
        "13-kz-cn-ru-2022-bloomberg.txt", "approached 24 billion US dollars", "24 billion"
    )
    assert claim.stated.hedge == "almost"


def test_such_products_after_this_year_leave_the_goods_out():
    claim = parsed_claim("30-ru-cn-agri-2020.txt", "a figure almost 3 times more", "3 times")
    assert claim.unplaced == "such products"


@pytest.mark.parametrize(
    ("sentence", "figure", "partner"),
    [
        ("Shipments of such goods to Russia collapsed by 71%.", "71%", "RUS"),
        ("total exports of goods of these types", "€500 million", "BLR+ARM+GEO+KAZ+UZB+KGZ"),
        ("whereas in November 2022 it tripled", "tripled", "BLR+ARM+GEO+KAZ+UZB+KGZ"),
    ],
    ids=["such-goods", "goods-of-these-types", "it-goes-on-with-the-clause-before"],
)
def test_goods_referred_to_are_the_goods_named_before(sentence, figure, partner):
    """'goods covered by anti-Russian sanctions' (the EU's export-sanctioned CN8 codes, the
    shipped eu-cn8 list), then 'such goods', 'goods of these types' and 'it'."""
    claim = parsed_claim("29-eu-sanctioned-goods-euromonitor.txt", sentence, figure)
    assert claim.product is not None
    assert (claim.product.classification, claim.reporter, claim.partner) == (
        "CN8",
        "EU27",
        partner,
    )
    assert len(claim.product.codes) > 2000 and claim.unplaced is None


def test_partners_in_a_list_are_summed_over_the_period_of_that_year():
    """'Yet over the same period in 2022, to countries neighbouring Russia like Belarus,
    Armenia, Kazakhstan, Georgia, Uzbekistan and Kyrgyzstan, exports of European goods grew
    by the same 48%': the six together, in March-November 2022 (the period named before),
    not a base year of 2022."""
    claim = parsed_claim(
        "29-eu-sanctioned-goods-euromonitor.txt", "Yet over the same period in 2022", "48%"
    )
    assert (claim.indicator, claim.reporter, claim.partner, claim.year, claim.base_year) == (
        "exports_growth",
        "EU27",
        "BLR+ARM+KAZ+GEO+UZB+KGZ",
        2022,
        None,
    )
    assert claim.months is not None and claim.months.span == (3, 11)


def test_a_rank_among_a_group_is_counted_among_its_members():
    claim = parsed_claim("17-ru-by-2019-2020.txt", "ranks first among", "first")
    assert (claim.reporter, claim.partner, claim.among) == ("RUS", "BLR", "CIS")


def test_the_reporting_period_of_the_headline_carries_to_later_sentences():
    claim = parsed_claim("24-eu-ru-8m-2024.txt", "fell 17.8% over the reporting period", "17.8%")
    assert claim.months is not None
    assert (claim.months.first, claim.months.last) == (1, 8)
    assert (claim.reporter, claim.partner, claim.flow) == ("EU27", "RUS", "exports")


def test_the_period_the_lead_names_goes_on_through_the_report():
    claim = parsed_claim(
        "23-de-kz-ru-10m-2023-reuters.txt", "exports to Russia dropped by 39.1%", "39.1%"
    )
    assert claim.months is not None
    assert (claim.months.first, claim.months.last) == (1, 10)


def test_an_undated_text_speaks_of_the_year_and_months_it_names_later():
    """The fact-check's first claim comes before any year; the text names one period,
    January-April 2017, which covers its claims on 2017."""
    claim = parsed_claim(
        "38-am-cn-ranks-2017-factcheck.txt", "China was Armenia's second largest", "second"
    )
    assert claim.year == 2017 and claim.months is not None
    assert (claim.months.first, claim.months.last) == (1, 4)


def test_the_month_of_an_event_is_not_the_period_of_the_figures():
    """'the 11th sanctions package ..., adopted in June 2023' names no figure's period; the
    report's figures cover January-June, named later."""
    claim = parsed_claim("32-ge-cars-h1-2023-interfax.txt", "Sales of cars brought in", "$990.9")
    assert claim.months is not None
    assert (claim.months.first, claim.months.last) == (1, 6)
    assert (claim.reporter, claim.partner, claim.flow) == ("GEO", "WLD", "exports")


def test_vehicles_in_a_report_on_cars_are_the_cars():
    claim = parsed_claim("32-ge-cars-h1-2023-interfax.txt", "13,916 vehicles valued", "$235.8")
    assert claim.product is not None and claim.product.codes == ("8703",)


def test_a_head_of_state_named_alone_states_his_country_s_figures():
    claim = parsed_claim("15-ru-kz-2018-putin-forum.txt", "Trade grew by 4.5% last year", "4.5%")
    assert claim.source_hint == "stats:RUS"


def test_an_official_s_figures_stay_in_the_paragraphs_that_quote_him():
    """The Russian deputy prime minister is quoted first; the last paragraph cites
    'preliminary data' without him, so its figure is nobody's in particular."""
    quoted = parsed_claim("17-ru-by-2019-2020.txt", "which dropped by 17%", "17%")
    unquoted = parsed_claim("17-ru-by-2019-2020.txt", "Preliminary data show", "28.5%")
    assert (quoted.source_hint, unquoted.source_hint) == ("stats:RUS", None)


def test_a_part_of_the_figure_before_shares_its_partner_and_period():
    claims = [
        c
        for c in parse_text(corpus("05-kz-af-2022.txt")).claims
        if "Of that $343 million" in c.text
    ]
    assert [c.stated.text for c in claims] == ["slightly over $334 million"]
    assert claims[0].partner == "AFG" and claims[0].unplaced == "past six months"


def test_one_figure_for_two_periods_is_two_claims():
    claims = [
        c
        for c in parse_text(corpus("34-am-ru-smartphones.txt")).claims
        if "doubled both last year" in c.text and c.stated.text == "doubled"
    ]
    periods = [(c.year, c.months.span if c.months else None) for c in claims]
    assert periods == [(2022, None), (2023, (1, 4))]


def test_the_same_period_after_a_whole_year_is_that_year():
    """'in 2023 Iran became ... In the same period Iran was Armenia's 8th largest export
    partner': the period is 2023, not the eight months the text named a paragraph before;
    '8th largest' is one rank, not a second claim of first place."""
    sentence = "In the same period Iran was Armenia's 8th largest export partner"
    claims = [c for c in parse_text(corpus("39-am-ir-2023.txt")).claims if sentence in c.text]
    assert [(c.stated.text, c.year, c.months) for c in claims] == [
        ("8th largest", 2023, None),
        ("1.1%", 2023, None),
    ]


def test_these_countries_are_the_partners_named_together_before():
    """'The UAE and Hong Kong accounted for 34% ..., while approximately 42% were
    attributable to Russia. ... about 75% of Armenia's exports last year went to these
    countries, and ... if they are excluded, exports to all other countries fell by 12%'."""
    name = "40-am-exports-ru-uae-hk-2021-2024.txt"
    share = parsed_claim(name, "went to these countries", "about 75%")
    rest = parsed_claim(name, "if they are excluded", "12%")
    assert (share.indicator, share.partner) == ("partner_share_exports", "ARE+HKG+RUS")
    assert (rest.indicator, rest.partner, rest.unplaced) == (
        "exports_growth",
        "WLD-ARE+HKG+RUS",
        None,
    )


def test_a_country_after_a_list_of_partners_is_below_each():
    sentence = "China also comes after Switzerland (13.6%) and Bulgaria (13%)"
    claims = [
        c
        for c in parse_text(corpus("38-am-cn-ranks-2017-factcheck.txt")).claims
        if sentence in c.text and c.indicator == "partner_comparison_exports"
    ]
    assert [(c.partner, c.other, c.stated.text, c.stated.hedge) for c in claims] == [
        ("CHN", "CHE", "after Switzerland", "below"),
        ("CHN", "BGR", "Bulgaria", "below"),
        ("CHN", "DEU", "after Germany", "below"),
        ("CHN", "GEO", "Georgia", "below"),
        ("CHN", "IRQ", "after Iraq", "below"),
    ]
    assert all(c.months is not None and c.months.span == (1, 4) for c in claims)


def test_ranks_without_a_single_place():
    """'one of the largest' is a place among the first ten, 'top three' among the first
    three; 'will soon become the main partner' is a forecast; 'the main partner, Russia'
    ranks Russia; 'among the main partners' ranks nobody."""
    vague = parsed_claim("09-kz-de-2022.txt", "one of the largest trading partners", "largest")
    top = parsed_claim("40-am-exports-ru-uae-hk-2021-2024.txt", "joined Armenia's top", "top")
    assert (vague.partner, vague.stated.value, vague.stated.hedge) == ("DEU", 10.0, "up to")
    assert (top.partner, top.stated.value, top.stated.hedge) == ("ARE", 3.0, "up to")
    name = "13-kz-cn-ru-2022-bloomberg.txt"
    coming = parsed_claim(name, "China will soon become the main", "main")
    beside = parsed_claim(name, "catch up with the main partner, Russia", "main")
    assert (coming.measure, coming.kind) == ("uncheckable", "forecast or target")
    assert (beside.measure, beside.partner, beside.year) == ("rank", "RUS", 2022)
    among = [
        c
        for c in parse_text(corpus("38-am-cn-ranks-2017-factcheck.txt")).claims
        if "Among the main partners" in c.text and c.measure == "rank"
    ]
    assert among == []
    leading = parsed_claim("06-kz-it-2018-2020.txt", "A leading trade partner", "leading")
    assert (leading.partner, leading.stated.value, leading.stated.hedge) == ("ITA", 10.0, "up to")


def test_figureless_statements_are_claims_about_a_sign():
    """'exports and imports declined', 'imports from Iran rose significantly in 2019,
    climbed further in 2021', 'imports exceeded exports', 'an export surplus': each a
    flow's growth, or a balance, above or below zero."""

    def signs(name, sentence):
        return [
            (c.indicator, c.reporter, c.partner, c.year, c.stated.hedge, c.stated.value)
            for c in parse_text(corpus(name)).claims
            if sentence in c.text and not any(ch.isdigit() for ch in c.stated.text)
        ]

    assert signs("37-am-cn-2020.txt", "total exports and imports declined") == [
        ("exports_growth", "ARM", "WLD", 2020, "less than", 0.0),
        ("imports_growth", "ARM", "WLD", 2020, "less than", 0.0),
    ]
    assert signs("39-am-ir-2023.txt", "imports from Iran rose significantly") == [
        ("imports_growth", "ARM", "IRN", 2019, "more than", 0.0),
        ("imports_growth", "ARM", "IRN", 2021, "more than", 0.0),
    ]
    assert signs("21-de-ru-2021-destatis.txt", "In 2021 imports exceeded exports") == [
        ("balance", "DEU", "RUS", 2021, "less than", 0.0)
    ]
    assert signs("21-de-ru-2021-destatis.txt", "achieved an export surplus") == [
        ("balance", "DEU", "RUS", 2020, "more than", 0.0)
    ]
    growth = parsed_claim("39-am-ir-2023.txt", "imports from Iran rose significantly", "rose")
    assert growth.base_span is None  # on the year before, not over "the past 10 years"


def test_a_share_stated_for_a_span_of_years_holds_in_each():
    claims = [
        c
        for c in parse_text(corpus("36-am-ru-exports-2022-2023-bne.txt")).claims
        if c.stated.text == "40-44%"
    ]
    assert [(c.indicator, c.partner, c.year) for c in claims] == [
        ("partner_share_exports", "RUS", 2022),
        ("partner_share_exports", "RUS", 2023),
    ]


def test_the_country_in_a_text_about_the_eu_is_the_other_one():
    """'The EU has invested $160 billion in Kazakhstan, which makes it the largest
    investment partner. It is the country's largest trading partner too.': a rank in
    investment is not one in trade, and 'the country' is Kazakhstan, not the EU."""
    name = "12-kz-eu-2022-eximtutor.txt"
    investment = parsed_claim(name, "the largest investment partner", "largest")
    trade = parsed_claim(name, "It is the country's largest trading partner", "largest")
    assert (investment.measure, investment.kind) == ("uncheckable", "direct investment")
    assert (trade.indicator, trade.reporter, trade.partner) == (
        "partner_rank_turnover",
        "KAZ",
        "EU27",
    )


def test_a_part_year_figure_names_its_months():
    text = "16-kz-ru-11m-2021.txt"
    claim = parsed_claim(text, "in the first 11 months of 2021", "$21.8bn")
    assert claim.months is not None and claim.months.label(2021) == "January-November 2021"


def test_a_country_statistics_office_cited_makes_the_figure_that_country_s():
    claim = parsed_claim(
        "04-kg-kz-2023.txt", "Figures from Kyrgyzstan's State Statistical Committee", "$1.317"
    )
    assert claim.source_hint == "stats:KGZ"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("corpus-store"))
    store.ingest(
        [
            shared("kz-bns"),
            shared("ru-fcs"),
            shared("armstat"),
            shared("eurostat"),
            shared("comtrade"),
        ]
    )
    return store


@pytest.fixture(scope="module")
def checked(store):
    results: dict[str, list[CheckedClaim]] = {}

    def check(name: str) -> list[CheckedClaim]:
        if name not in results:
            results[name] = check_text(corpus(name), store, name=name)[1]
        return results[name]

    return check


@pytest.mark.parametrize(
    ("name", "sentence", "figure"),
    [
        # kz-bns 2019 workbook, sheet '12_2018', Italy: exports 11,734,254.8 thousand USD
        ("06-kz-it-2018-2020.txt", "put trade in 2018 at an impressive", "$11.7 billion"),
        # kz-bns 2023 workbook, sheet '2023', row 87 'Республика Корея', column B
        ("08-kz-kr-2023.txt", "trade turnover between the two countries exceeded", "$6 billion"),
        # France third among EU members in Kazakhstan's 2021 trade (kz-bns 2022 workbook)
        ("10-kz-fr-2021.txt", "it is the third largest trade partner", "third largest"),
        # Armstat monthly file, 2020: China 13.58% of Armenia's trade, every partner row summed
        ("37-am-cn-2020.txt", "13.6 percent", "13.6 percent"),
        # Eurostat EU27 -> RUS monthly, January-August 2024: EUR 21.65 bn, -17.8% y/y in euro
        ("24-eu-ru-8m-2024.txt", "fell 17.8% over the reporting period", "21.6 bn euro"),
        ("24-eu-ru-8m-2024.txt", "fell 17.8% over the reporting period", "17.8%"),
        # FCS 94itog 2019: Belarus first among the CIS in Russia's trade
        ("17-ru-by-2019-2020.txt", "ranks first among", "first"),
        # Armstat monthly file, January-August 2023: Iran export + import_origin 453,550.52 of
        # 12,089,930.68 thousand USD summed over every partner row: 3.7515%
        ("39-am-ir-2023.txt", "against 3.7% in the corresponding period of 2023", "3.7%"),
        # Kyrgyz statistics, not held: BNS's mirror figure ($1.69 bn) cannot contradict it
        ("04-kg-kz-2023.txt", "Figures from Kyrgyzstan's State Statistical Committee",
         "$1.317 billion"),
        # Destatis (national concept) against Eurostat's figure for Germany (Community
        # concept): comext-cn8/eu_total_trade_4630244_spreadsheet.xlsx cannot refute it
        ("21-de-ru-2021-destatis.txt", "Imports from the Russian Federation were worth",
         "33.1 billion euros"),
        # a Kazakh official's figure: Russia's FCS (96stran, Jan-Nov 2021) is a mirror
        ("16-kz-ru-11m-2021.txt", "grew by 30% in the first 11 months", "$21.8bn"),
        # a Russian official's figure: FCS 94itog sheets '2020'/'2019' rows 9 + 18, -15.44%
        ("17-ru-by-2019-2020.txt", "which dropped by 17%", "17%"),
        # the lead's "January to October period": Eurostat monthly DEU -> RUS, 2023-01..10
        ("23-de-kz-ru-10m-2023-reuters.txt", "exports to Russia dropped by 39.1%",
         "7.6 billion euros"),
        # Armstat 2020: Armenia's imports from the 27 EU members, each partner row summed
        ("37-am-cn-2020.txt", "falling to around", "around $1.3 billion"),
        # FCS fcs_strany_122023.xlsx sheet '1' row 8 'ЕВРОПА', exports 2023 in USD over the
        # ECB's 2023 mean; "climbing up to" is the level reached, not a ceiling
        ("22-ru-totals-2023-afp.txt", "dropped by 68%, to 78.8 billion euros",
         "78.8 billion euros"),
        ("22-ru-totals-2023-afp.txt", "climbing up to 174 billion euros", "174 billion euros"),
        # FCS 94itog/96stran 2020 and 2019: Russia's world turnover less China's, -16.5%
        ("18-ru-cn-8m-2021.txt", "trade with other countries shrank", "16.6%"),
        # the same sheet, row 6 'Весь мир': the world balance, which no partner table holds
        ("22-ru-totals-2023-afp.txt", "a drop of 58.5 percent from 2022", "58.5 percent"),
        # Armstat monthly file, January-April 2017, export + import_origin per partner: China
        # 154,376 thousand USD, second after Russia (the undated text's one period)
        (
            "38-am-cn-ranks-2017-factcheck.txt",
            "China was Armenia's second largest",
            "second largest",
        ),
        # the same months, import_consignment: Georgia 73,869.62 of 1,085,023.02 = 6.81%
        # (2.21% by origin): the figure fits Armstat's count by consignment
        ("38-am-cn-ranks-2017-factcheck.txt", "then Georgia (6.2%)", "6.2%"),
        # Armstat 2024-01: export to 'United Arab Emirates' 335,269.89 thousand USD
        (
            "40-am-exports-ru-uae-hk-2021-2024.txt",
            "exports of Armenian goods there",
            "$335 million",
        ),
        # Armstat 2023 and 2022 exports: the world (every partner row) less the UAE, Hong Kong
        # and Russia: 2,119.0 m against 2,396.5 m, -11.58%
        ("40-am-exports-ru-uae-hk-2021-2024.txt", "if they are excluded", "12%"),
        # Armstat January-April 2017 exports: China 30,692.34 against Iraq 35,897.07 thousand
        # USD, 14.5% below: a comparison over the months the text names
        ("38-am-cn-ranks-2017-factcheck.txt", "and even after Iraq", "after Iraq"),
        # comtrade_georgia_hs8703_monthly.csv, Export, partner KAZ, 2023 months 1-6: Qty
        # (unit u) summed, 13,916 cars; "vehicles" in a report on cars are the cars
        ("32-ge-cars-h1-2023-interfax.txt", "13,916 vehicles valued", "13,916 vehicles"),
        # the same file, partner KGZ: 5,840 units ("and 5,840 vehicles to Kyrgyzstan")
        ("32-ge-cars-h1-2023-interfax.txt", "5,840 vehicles to Kyrgyzstan", "5,840 vehicles"),
        # comtrade_armenia_hs8703_monthly.csv, Export, 2022 months 1-11, every partner row:
        # 176,226,449 USD, not $217 m ("up from $217 million in the corresponding period a
        # year earlier": the year before's level); its 2023 rows end at October, so the
        # $533 m of January-November 2023 is not judged on Georgia's November rows
        ("35-am-car-reexports-2023.txt", "up from $217 million", "$217 million"),
        # Armstat 2023, Iran: export less import_origin summed over the months, -$503.4 m:
        # "a negative balance" holds
        ("39-am-ir-2023.txt", "shows a negative balance", "negative balance"),
        # comtrade_georgia_hs8703_monthly.csv, Export, 2023 months 1-6, every partner row
        # summed (no World row): 990,864,429.64 USD
        ("32-ge-cars-h1-2023-interfax.txt", "Sales of cars brought in", "$990.9 million"),
        # ru-fcs/96stran.xlsx: Russia's monthly partner rows (column E 'Турция') end with
        # December 2021; January-September 2022 is past them: no data, not "not checkable"
        ("19-ru-tr-2021.txt", "Between January and September, he said", "$47 billion"),
        # comtrade_georgia_hs8703_monthly.csv, Export, partner TJK, months 1-6, Qty: 1,435 cars
        # in 2023 against 603 in 2022, x2.38: a growth of a count is one of units, not dollars
        ("33-ge-tj-cars-h1-2023.txt", "which is 2.3 times more", "2.3 times"),
        # Armstat exports to Russia, months 1-4: 2023 1,140,468.69 over 2022 285,162.45
        # thousand USD, x4.0; "they" go on with the clause before's exports from Armenia
        ("34-am-ru-smartphones.txt", "in January-April 2023 they nearly quadrupled",
         "nearly quadrupled"),
        # Armstat 2020, every partner row summed: the EU's 27 members 18.11% of Armenia's
        # trade; "the latter" is the EU the sentence before spoke of
        ("37-am-cn-2020.txt", "The latter made up", "18 percent"),
        # Armstat exports, every partner row summed, months 1-2: 2024 2,585,562.14 over 2023
        # 1,025,372.96 thousand USD, x2.52: "by more than twice"; Armenia's economy's exports,
        # no partner named: the world, with the text's partner as the other reading
        ("40-am-exports-ru-uae-hk-2021-2024.txt", "by more than twice", "more than twice"),
        # EU27 -> RUS January-August 2024: the exports are held to 2024-08, the imports
        # never: turnover is not checkable, not "no data"
        ("24-eu-ru-8m-2024.txt", "was down 27.9% year-on-year", "27.9%"),
        # Eurostat EU27 -> KGZ: 2022 1,170,905,952 over 2021 263,239,032 EUR, +344.8%: "will
        # rise by 300%" of a year that was over when the text (March 2023) was written
        ("28-eu-kg-2022-dual-use.txt", "EU exports of goods to Kyrgyzstan will rise", "300%"),
        # Comtrade Georgia HS 8703 exports, months 1-6 of 2023: Russia 52,513,558 USD below
        # Kazakhstan 235,744,650; "it ranks behind" goes on with the car exports named before
        ("32-ge-cars-h1-2023-interfax.txt", "It ranks behind Kazakhstan", "behind"),
        # Armstat exports to the UAE: 2023 2,224,341.13 over 2022 534,145.31 thousand USD,
        # x4.16; "the UAE direction" of the exports the sentence speaks of
        ("40-am-exports-ru-uae-hk-2021-2024.txt", "by 4.3 times", "4.3 times"),
        # Armstat exports to Russia: 2010 160,507.77, 2020 680,337.83, 2023 3,540,192.10
        # thousand USD: compound yearly rates 15.54% (2010-2020) and 73.29% (2020-2023)
        ("36-am-ru-exports-2022-2023-bne.txt", "at an average annual rate", "18.6%"),
        ("36-am-ru-exports-2022-2023-bne.txt", "this rate jumped sharply", "64%"),
        # BNS 2022 sheet: 'Страны ЕС' row 22 less the United Kingdom (row 34), which the
        # 2021 and 2022 sheets still count in it: 40,028,729.43 over 28,909,272.23 (2021)
        ("11-kz-eu-2022-astanatimes.txt", "which is 38% higher", "38%"),
        # FCS 96stran, the 29 main partners, January-July 2018 (rows 163-169 of 'Экспорт'
        # and 'Импорт'): South Korea 8th; partners left out can only rank it lower
        ("20-ru-kr-7m-2018.txt", "sixth largest trading partner", "sixth"),
        # Comtrade Armenia HS 8703 imports, Armenia's own rows, Qty (unit u) over 2022:
        # 42,293 cars, against 7,362 in 2021 (x5.74): "the number of cars brought into the
        # South Caucasus country" is Armenia's count of cars imported
        ("35-am-car-reexports-2023.txt", "the number of cars brought into", "nearly six-fold"),
        ("35-am-car-reexports-2023.txt", "the number of cars brought into", "almost 45,300"),
        # Armstat exports to Russia summed per year 2007-2023: 2023's 3,540,192.10 thousand
        # USD is the highest, ahead of 2022's 2,462,777.22
        ("36-am-ru-exports-2022-2023-bne.txt", "to an all-time high of", "all-time high"),
    ],
    ids=["level-bns", "exceeded-bns", "rank-among-eu", "share-armstat", "level-euro-months",
         "growth-euro-months", "rank-among-cis", "share-over-months", "mirror-never-contradicts",
         "national-office-against-eurostat", "an-official-states-his-country-s-figure",
         "the-other-side-s-official", "the-lead-s-period", "the-eu-as-its-members-summed",
         "a-continent-in-euro", "climbing-up-to", "other-countries", "the-world-balance",
         "undated-text-s-period", "imports-by-consignment", "exports-there",
         "the-world-less-a-group", "comparison-over-months", "cars-counted",
         "cars-counted-per-partner-in-a-list", "up-from-a-year-earlier",
         "a-balance-without-a-figure", "world-over-months-as-partner-sum",
         "months-after-the-last-year-held", "growth-of-a-count", "they-go-on-with-the-pair",
         "the-latter", "more-than-twice-with-no-partner", "a-flow-never-held-in-months",
         "a-forecast-of-a-year-already-over", "behind-goes-on-with-the-goods-over-months",
         "a-country-as-a-direction", "an-average-annual-rate", "this-rate-over-another-span",
         "the-eu-without-the-uk", "a-rank-among-main-partners-over-months",
         "the-number-of-cars-grows-in-units", "the-south-caucasus-country-s-count",
         "an-all-time-high"],
)  # fmt: skip
def test_verdicts_equal_the_labels(checked, name, sentence, figure):
    expected = label(name, sentence, figure)
    [result] = [
        r for r in checked(name) if sentence in r.claim.text and figure in r.claim.stated.text
    ][:1]
    assert verdict_token(result.verdict) == expected["verdict"], result.explanation
    if expected["verdict"] in ("supported", "close", "contradicted"):
        values = [e.value for e in result.evidence if e.year == result.year]
        assert values[0] == pytest.approx(expected["value"], rel=1e-3), result.explanation


def test_months_a_reporter_has_not_published_are_not_judged(checked):
    """Armenia's car rows in Comtrade end at October 2023 (Georgia's, in the same source,
    reach November): January-November 2023 is not judged at all."""
    name = "35-am-car-reexports-2023.txt"
    [result] = [r for r in checked(name) if r.claim.stated.text == "almost $533 million"]
    assert (result.claim.reporter, result.claim.partner) == ("ARM", "WLD")
    assert result.claim.months is not None and result.claim.months.span == (1, 11)
    assert verdict_token(result.verdict) == "no_data", result.explanation
    assert "end at October 2023" in result.explanation
