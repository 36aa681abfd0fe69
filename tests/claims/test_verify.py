"""Verdicts against hand-made evidence: sources, years, extracts, groupings, missing data.

Each case is a sentence and the figures a source would give; the figures are invented
and small so that the expected verdict can be worked out by hand.
"""

from __future__ import annotations

import pytest

from bilateral.claims.evidence import BROADER, Composition, Figure, PartnerTable
from bilateral.claims.model import Product
from bilateral.claims.parse import parse_text
from bilateral.claims.verify import check

BN = 1e9


class HandEvidence:
    """Evidence written out in a test: figures keyed by what the verifier asks."""

    def __init__(
        self,
        bilateral: dict[tuple[str, str, str, int], list[Figure]] | None = None,
        partners: dict[tuple[str, str, int, str | None], list[PartnerTable]] | None = None,
        composition: dict[tuple[str, str, str, int], list[Composition]] | None = None,
        years: list[int] | None = None,
        months: dict[tuple[str, str, str, int, tuple[int, int]], list[Figure]] | None = None,
        month_partners: dict[tuple[str, str, int, tuple[int, int]], list[PartnerTable]]
        | None = None,
    ) -> None:
        self._bilateral = bilateral or {}
        self._month_partners = month_partners or {}
        self._months = months or {}
        self._partners = partners or {}
        self._composition = composition or {}
        self._years = years or []
        self.asked: list[tuple[object, ...]] = []

    def bilateral(self, reporter, partner, flow, year, product=None):
        self.asked.append(("bilateral", reporter, partner, flow, year))
        if product is not None:
            return []
        return self._bilateral.get((reporter, partner, flow, year), [])

    def partners(self, reporter, flow, year, product=None, span=None):
        if span is not None:
            return self._month_partners.get((reporter, flow, year, span), [])
        key = (reporter, flow, year, product.codes[0] if product else None)
        return self._partners.get(key, [])

    def composition(self, reporter, partner, flow, year):
        return self._composition.get((reporter, partner, flow, year), [])

    def years(self, reporter, partner, product=None):
        return self._years

    def months(self, reporter, partner, flow, year, span, product=None):
        if product is not None:
            return []
        return self._months.get((reporter, partner, flow, year, span), [])

    def last_month(self, reporter, partner, year, product=None):
        spans = [k[4] for k in self._months if k[:2] == (reporter, partner) and k[3] == year]
        return max((last for _, last in spans), default=None)


def kaz(source: str, year: int, value: float, reported_by: str = "KAZ") -> Figure:
    return Figure(source, reported_by, year, value)


def checked(text: str, evidence: HandEvidence):
    parsed = parse_text(text, subject="KAZ", partner="RUS")
    return check(parsed, evidence)


TURNOVER = {
    ("KAZ", "RUS", "turnover", 2022): [
        kaz("kz_bns", 2022, 26.97 * BN),
        kaz("ru_fcs", 2022, 24.0 * BN, "RUS"),
    ],
    ("KAZ", "RUS", "turnover", 2021): [
        kaz("kz_bns", 2021, 24.62 * BN),
        kaz("ru_fcs", 2021, 24.5 * BN, "RUS"),
    ],
}


def test_own_statistics_decide_and_a_disagreeing_mirror_is_named():
    [result] = checked(
        "Trade between Kazakhstan and Russia reached $27 billion in 2022.", HandEvidence(TURNOVER)
    )
    assert result.verdict == "supported"
    assert [(e.source, e.reported_by, e.value) for e in result.evidence] == [
        ("kz_bns", "KAZ", 26.97 * BN),
        ("ru_fcs", "RUS", 24.0 * BN),
    ]
    assert "Sources disagree: ru_fcs (Russia's figures)" in result.explanation
    assert "(contradicted)" in result.explanation


def test_a_cited_source_decides():
    text = (
        "According to the Federal Customs Service, trade with Kazakhstan reached "
        "$27 billion in 2022."
    )
    [result] = checked(text, HandEvidence(TURNOVER))
    assert result.claim.source_hint == "ru_fcs"
    assert result.verdict == "contradicted"
    assert result.evidence[0].source == "ru_fcs"


def test_growth_is_computed_within_one_source():
    [growth] = checked("Trade with Russia grew by more than 10% in 2022.", HandEvidence(TURNOVER))
    # kz_bns: 26.97 / 24.62 - 1 = +9.5%; ru_fcs: 24.0 / 24.5 - 1 = -2.0%
    assert growth.verdict == "close"
    assert [(e.source, round(e.value, 1)) for e in growth.evidence] == [
        ("kz_bns", 9.5),
        ("ru_fcs", -2.0),
    ]


def test_an_average_annual_rate_is_the_compound_rate_over_the_span():
    evidence = HandEvidence(
        {
            ("KAZ", "RUS", "turnover", 2022): [kaz("kz_bns", 2022, 26.0 * BN)],
            ("KAZ", "RUS", "turnover", 2018): [kaz("kz_bns", 2018, 18.0 * BN)],
        }
    )
    [rate] = checked(
        "Trade between Kazakhstan and Russia grew at an average annual rate of 9.6% in "
        "2018-2022.",
        evidence,
    )
    # (26 / 18) ** (1 / 4) - 1 = 9.63% a year; over the four years it is +44.4%
    assert rate.verdict == "supported", rate.explanation
    assert rate.evidence[0].value == pytest.approx(100 * ((26 / 18) ** 0.25 - 1), abs=1e-4)
    assert "x1.44 over 4 years, +9.6% a year (compound)" in rate.explanation


@pytest.mark.parametrize(
    ("level_2022", "verdict"),
    [(26.0, "supported"), (23.0, "contradicted")],
    ids=["above-every-year-before", "below-2021"],
)
def test_an_all_time_high_ranks_the_year_among_the_years_before(level_2022, verdict):
    levels = {2019: 19.0, 2020: 17.5, 2021: 24.6, 2022: level_2022, 2023: 30.0}
    evidence = HandEvidence(
        {("KAZ", "RUS", "turnover", y): [kaz("kz_bns", y, v * BN)] for y, v in levels.items()},
        years=sorted(levels),
    )
    text = "In 2022 trade between Kazakhstan and Russia rose to an all-time high of $26 billion."
    [record] = [r for r in checked(text, evidence) if r.claim.measure == "record"]
    assert record.claim.stated.text == "all-time high"
    assert record.verdict == verdict, record.explanation
    # ranked against 2019-2021 only: 2023's higher level came later
    assert "against the 3 years 2019-2021 before it (highest of those: 2021" in record.explanation


MAIN_PARTNERS = {  # a table of main partners over months, without a World row
    ("KAZ", "turnover", 2022, (1, 6)): [
        PartnerTable(
            "ru_fcs",
            "KAZ",
            2022,
            "turnover",
            {"CHN": 12 * BN, "RUS": 11 * BN, "ITA": 7 * BN, "NLD": 3 * BN},
            partial=True,
        )
    ]
}


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("In January-June 2022 Italy was Kazakhstan's second largest trading partner.",
         "contradicted"),  # listed third: the partners left out can only push it down
        ("In January-June 2022 Italy was Kazakhstan's third largest trading partner.",
         "not checkable"),  # a partner left out may be larger
        ("In January-June 2022 Italy ranked behind Russia in Kazakhstan's trade.",
         "supported"),  # two listed partners compare exactly
        ("In January-June 2022 Italy accounted for 20% of Kazakhstan's trade.",
         "not checkable"),  # no share of a table without its world
    ],
    ids=["rank-above-the-floor", "rank-at-the-floor", "comparison", "share"],
)  # fmt: skip
def test_a_table_of_main_partners_gives_a_rank_floor_and_no_share(text, verdict):
    [result] = checked(text, HandEvidence(month_partners=MAIN_PARTNERS))
    assert result.verdict == verdict, result.explanation
    if result.claim.measure == "share":
        assert "ru_fcs lists only some partners (the main ones" in result.explanation


TRADE_PARTNERS = {
    ("KAZ", "turnover", 2022, None): [
        PartnerTable(
            "kz_bns",
            "KAZ",
            2022,
            "turnover",
            {"RUS": 26.97 * BN, "CHN": 24.20 * BN, "ITA": 15 * BN},
            135.5 * BN,
        )
    ],
    ("KAZ", "turnover", 2023, None): [
        PartnerTable(
            "kz_bns",
            "KAZ",
            2023,
            "turnover",
            {"RUS": 27.05 * BN, "CHN": 30.06 * BN, "ITA": 16 * BN},
            139.6 * BN,
        )
    ],
}
DATED = "On November 9, 2023, the leaders met.\n"


def test_candidate_years_that_disagree_are_spelt_out():
    text = (
        DATED
        + "In terms of trade turnover with Kazakhstan, Russia is only slightly inferior to China."
    )
    [result] = checked(text, HandEvidence(partners=TRADE_PARTNERS))
    assert result.verdict == "supported"
    assert result.year == 2023
    assert result.explanation.startswith("Supported for 2023; contradicted for 2022.")
    assert "Russia $27.05 bn (2nd), China $30.06 bn (1st): Russia 10.0% below" in result.explanation
    assert "Russia $26.97 bn (1st), China $24.20 bn (2nd): Russia 11.4% above" in result.explanation


def test_candidate_years_that_agree_are_both_named():
    [result] = checked(
        DATED + "Russia accounts for almost 20% of Kazakhstan's trade.",
        HandEvidence(partners=TRADE_PARTNERS),
    )
    assert result.verdict == "supported"
    assert result.explanation.startswith("Supported for 2022 and 2023.")
    assert [round(e.value, 2) for e in result.evidence] == [19.90, 19.38]


WHEAT = Product("wheat", ("1001",))
EXTRACT = {
    ("KAZ", "imports", 2022, "1001"): [
        PartnerTable("faostat", "KAZ", 2022, "imports", {"RUS": 330.6e6}, None, 0.05, "Wheat")
    ],
    ("KAZ", "imports", 2022, "0403"): [
        PartnerTable(
            "faostat",
            "KAZ",
            2022,
            "imports",
            {"RUS": 198.6e6, "BLR": 122.4e6, "KGZ": 29.1e6},
            None,
            0.05,
            "Dairy products and egg products",
            BROADER,
        )
    ],
}


def test_an_extract_share_is_a_bracket():
    [result] = checked(
        "In 2022, 98% of imported wheat came from Russia.", HandEvidence(partners=EXTRACT)
    )
    assert result.verdict == "supported"
    assert "the only partner listed" in result.explanation
    assert "at most 100.0%" in result.explanation and "at least 95.0%" in result.explanation


def test_a_broader_grouping_is_indicative_only():
    [result] = checked(
        "In 2022, more than 60% of fermented dairy products came from Russia.",
        HandEvidence(partners=EXTRACT),
    )
    assert result.verdict == "not checkable"
    assert result.evidence[0].value == pytest.approx(100 * 198.6 / 350.1, abs=0.01)
    assert "groups the goods as 'Dairy products and egg products'" in result.explanation
    assert "indicative only" in result.explanation


def test_a_rank_and_a_share_from_a_full_table():
    text = "In 2022 Russia was the largest trading partner of Kazakhstan, with a share of 19.9%."
    rank, share = checked(text, HandEvidence(partners=TRADE_PARTNERS))
    assert (rank.claim.indicator, rank.verdict, rank.evidence[0].value) == (
        "partner_rank_turnover",
        "supported",
        1.0,
    )
    assert (share.claim.indicator, share.verdict) == ("partner_share_turnover", "supported")


def test_a_product_rank_from_a_composition_by_chapter():
    composition = {
        ("KAZ", "RUS", "imports", 2022): [
            Composition(
                "baci",
                "reconciled",
                2022,
                "imports",
                {"10": 1.0 * BN, "04": 0.5 * BN, "27": 2.0 * BN},
            )
        ]
    }
    text = "Food occupies the first place in Kazakh imports from Russia (2022)."
    [result] = checked(text, HandEvidence(composition=composition))
    assert result.verdict == "contradicted"
    assert "food ranks 2nd" in result.explanation
    assert "1st Mineral products $2.00 bn" in result.explanation


def test_no_data_for_the_year_is_told_from_no_data_at_all():
    [later] = checked(
        "Trade with Russia reached $30 billion in 2030.", HandEvidence(TURNOVER, years=[2021, 2022])
    )
    assert later.verdict == "no data"
    assert later.explanation == "No data for 2030: the loaded data cover 2021-2022 for this figure."
    [nothing] = checked("In 2022, 70% of sugar came from Russia.", HandEvidence())
    assert nothing.verdict == "not checkable"
    assert "Kazakhstan's imports of sugar (HS 1701) by partner country" in nothing.explanation


def test_an_undated_claim_is_judged_on_the_latest_year():
    [result] = checked(
        "Trade with Russia reached $27 billion.", HandEvidence(TURNOVER, years=[2021, 2022])
    )
    assert (result.verdict, result.year) == ("supported", 2022)
    assert "judged on 2022, the latest year with data" in result.explanation


def test_a_figure_in_euro_from_dollar_statistics_is_converted_at_the_ecb_rate():
    # BNS's $26.97 bn at the ECB's 2022 average of 1.0530 USD per EUR: EUR 25.61 bn,
    # outside "EUR 25 billion" (24.5-25.5) by less than the 5% close band
    [result] = checked("Trade with Russia reached €25 billion in 2022.", HandEvidence(TURNOVER))
    assert result.verdict == "close"
    assert result.evidence[0].value == pytest.approx(26.97 * BN / 1.053)
    assert "ECB's 2022 average of 1.0530 USD per EUR" in result.explanation
    assert "EUR 25.61 bn" in result.explanation


def test_a_figure_in_euro_is_judged_in_euro_where_the_publisher_publishes_in_euro():
    months = {
        ("KAZ", "RUS", "turnover", 2022, (1, 12)): [
            Figure("eurostat", "KAZ", 2022, 26.0 * BN, original=25.02 * BN, currency="EUR")
        ]
    }
    bilateral = {("KAZ", "RUS", "turnover", 2022): [kaz("eurostat", 2022, 26.0 * BN)]}
    evidence = HandEvidence(bilateral, months=months)
    [result] = checked("Trade with Russia reached €25 billion in 2022.", evidence)
    assert result.verdict == "supported"
    assert result.evidence[0].value == pytest.approx(25.02 * BN)
    assert "converted" not in result.explanation


def test_a_figure_in_a_currency_without_rates_is_not_checked():
    text = "Trade with Russia reached 2 trillion roubles in 2022."
    [result] = checked(text, HandEvidence(TURNOVER))
    assert result.verdict == "not checkable"
    assert "stated in RUB" in result.explanation


def test_a_figure_for_part_of_a_year_is_judged_on_the_sum_of_its_months():
    months = {
        ("KAZ", "RUS", "imports", 2022, (1, 9)): [kaz("armstat", 2022, 12.4 * BN)],
        ("KAZ", "RUS", "imports", 2021, (1, 9)): [kaz("armstat", 2021, 10.0 * BN)],
    }
    text = "In January-September 2022 imports from Russia rose by 24% to $12.4 billion."
    growth, level = checked(text, HandEvidence(months=months))
    assert (growth.verdict, level.verdict) == ("supported", "supported")
    assert "January-September 2022" in growth.explanation
    assert growth.as_json()["period"] == "January-September 2022"


def test_a_figure_for_part_of_a_year_without_monthly_data_is_not_checkable():
    text = "In the first half of 2022 trade with Russia reached $13 billion."
    [result] = checked(text, HandEvidence(TURNOVER))
    assert result.verdict == "not checkable"
    assert "part of a year" in result.explanation


def test_months_beyond_the_last_month_held_are_no_data():
    """The pair's monthly rows end at November: July-December is not in the store yet."""
    months = {("KAZ", "RUS", "imports", 2022, (1, 11)): [kaz("armstat", 2022, 11.0 * BN)]}
    text = "In July-December 2022 imports from Russia reached $7 billion."
    [result] = checked(text, HandEvidence(TURNOVER, months=months))
    assert result.verdict == "no data"
    assert "end at November 2022" in result.explanation


def test_months_after_the_year_the_monthly_rows_end_are_no_data():
    """The pair's monthly rows end with December 2021: January-September 2022 is past
    them (no data), not a period no source publishes (not checkable)."""
    months = {("KAZ", "RUS", "imports", 2021, (1, 12)): [kaz("armstat", 2021, 11.0 * BN)]}
    text = "In January-September 2022 imports from Russia reached $7 billion."
    [result] = checked(text, HandEvidence(TURNOVER, months=months))
    assert result.verdict == "no data"
    assert "end at December 2021" in result.explanation


def test_a_sum_over_an_extract_is_a_lower_bound():
    evidence = HandEvidence(
        {("KAZ", "RUS", "exports", 2022): [Figure("faostat", "KAZ", 2022, 4.4 * BN, at_least=True)]}
    )
    [result] = checked("Kazakhstan's exports to Russia reached $6 billion in 2022.", evidence)
    assert result.verdict == "not checkable"
    assert "at least" in result.explanation


def test_uncheckable_claims_name_the_data_that_would_check_them():
    [result] = checked(
        "Russian direct investments in Kazakhstan exceeded $20 billion.", HandEvidence()
    )
    assert result.verdict == "not checkable"
    assert result.explanation.startswith(
        "Not checkable with the loaded data: a figure on direct investment"
    )
    assert "foreign direct investment statistics by partner country" in result.explanation


def test_json_has_exactly_the_documented_keys():
    [result] = checked("Trade with Russia reached $27 billion in 2022.", HandEvidence(TURNOVER))
    document = result.as_json()
    assert list(document) == [
        "text",
        "indicator",
        "reporter",
        "partner",
        "product",
        "year",
        "year_basis",
        "period",
        "stated",
        "verdict",
        "evidence",
        "explanation",
    ]
    assert list(document["stated"]) == ["value", "unit", "hedge", "text"]
    assert document["stated"]["text"] == "$27 billion"
    assert list(document["evidence"][0]) == ["source", "reported_by", "year", "value"]


def test_exports_without_a_partner_are_judged_both_ways():
    # "exports rose by 40%" in a text about Kazakhstan and Russia: to Russia, or to the world
    bilateral = {
        ("KAZ", "RUS", "exports", 2022): [kaz("kz_bns", 2022, 11.0 * BN)],
        ("KAZ", "RUS", "exports", 2021): [kaz("kz_bns", 2021, 10.0 * BN)],
        ("KAZ", "WLD", "exports", 2022): [kaz("kz_bns", 2022, 84.0 * BN)],
        ("KAZ", "WLD", "exports", 2021): [kaz("kz_bns", 2021, 60.0 * BN)],
    }
    [result] = checked("In 2022 exports rose by 40%.", HandEvidence(bilateral))
    assert (result.verdict, result.claim.partner) == ("supported", "WLD")
    assert "Read with Russia as the partner: contradicted" in result.explanation


BALANCE = {
    ("KAZ", "RUS", "balance", 2022): [kaz("kz_bns", 2022, -9.0 * BN)],
    ("KAZ", "RUS", "balance", 2021): [kaz("kz_bns", 2021, -7.5 * BN)],
}


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Kazakhstan's trade deficit with Russia was $9 billion in 2022.", "supported"),
        ("Kazakhstan's trade deficit with Russia widened by 20% in 2022.", "supported"),
        ("Kazakhstan's trade surplus with Russia was $9 billion in 2022.", "contradicted"),
        ("Kazakhstan's trade deficit with Russia narrowed by 20% in 2022.", "contradicted"),
    ],
    ids=["deficit", "deficit-growth", "surplus-is-not-a-deficit", "deficit-narrowed"],
)
def test_a_deficit_is_the_balance_with_its_sign_turned(text, verdict):
    """Balance = exports - imports (-9 bn here); a deficit of 9 bn is that balance, and
    its growth from 7.5 bn is +20%."""
    [result] = checked(text, HandEvidence(BALANCE))
    assert result.verdict == verdict, result.explanation


GROUPED = {
    ("KAZ", "WLD", "turnover", 2021): [kaz("kz_bns", 2021, 100.0 * BN)],
    ("KAZ", "WLD", "turnover", 2020): [kaz("kz_bns", 2020, 90.0 * BN)],
    ("KAZ", "CHN", "turnover", 2021): [kaz("kz_bns", 2021, 20.0 * BN)],
    ("KAZ", "CHN", "turnover", 2020): [kaz("kz_bns", 2020, 10.0 * BN)],
    ("KAZ", "RUS", "turnover", 2021): [kaz("kz_bns", 2021, 25.0 * BN)],
    ("KAZ", "RUS", "turnover", 2020): [
        kaz("kz_bns", 2020, 20.0 * BN),
        kaz("ru_fcs", 2020, 21.0 * BN, "RUS"),
    ],
}


@pytest.mark.parametrize(
    ("text", "verdict", "value"),
    [
        # the world less Russia, the text's partner: 100 - 25 = 75 bn
        ("In 2021 Kazakhstan's trade with Russia rose by 25%, while its trade with other "
         "countries came to $75 billion.", "supported", 75.0 * BN),
        # China and Russia summed, from one source only: 45 bn
        ("In 2021 Kazakhstan's trade with China and Russia together came to $45 billion.",
         "supported", 45.0 * BN),
    ],
    ids=["other-countries", "partners-summed"],
)  # fmt: skip
def test_partners_combined_within_one_source(text, verdict, value):
    results = checked(text, HandEvidence(GROUPED))
    [result] = [r for r in results if r.claim.stated.unit == "USD"]
    assert result.verdict == verdict, result.explanation
    assert [e.value for e in result.evidence] == [value]


CHINA_2022 = {("KAZ", "CHN", "turnover", 2022): [kaz("kz_bns", 2022, 24.2 * BN)]}


@pytest.mark.parametrize(
    ("text", "held", "verdict"),
    [
        # the trade of the pair, whose figure unsaid: China's customs may print $31.2 bn
        ("In 2022 trade between Kazakhstan and China reached $31.2 billion.", CHINA_2022,
         "not checkable"),
        # Kazakhstan's own trade: the BNS figure is the one the text states
        ("In 2022 Kazakhstan's trade with China reached $31.2 billion.", CHINA_2022,
         "contradicted"),
        # both countries' statistics held: neither bears the figure out
        ("In 2022 trade between Kazakhstan and China reached $31.2 billion.",
         {("KAZ", "CHN", "turnover", 2022): [
             kaz("kz_bns", 2022, 24.2 * BN), kaz("cn_customs", 2022, 25.0 * BN, "CHN")]},
         "contradicted"),
    ],
    ids=["between-one-side-held", "owned-by-the-reporter", "between-both-sides-held"],
)  # fmt: skip
def test_trade_between_two_countries_is_refuted_only_by_both_sides(text, held, verdict):
    [result] = check(
        parse_text(text, subject="KAZ", partner="CHN"), HandEvidence(held, years=[2022])
    )
    assert result.verdict == verdict, result.explanation
    if verdict == "not checkable":
        assert "China's" in result.explanation and "may be China's" in result.explanation
