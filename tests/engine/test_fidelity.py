"""Fidelity of every denominator (issue 19): world totals, shares and ranks computed in
the test straight from the published files in ../shared/data, with pandas and the csv
module, equal ours for every year each file holds.

Only partner labels are looked up in bilateral's country index (reference data, to join
on codes); which rows are countries, which are unspecified partners, which are an
aggregate reporter's members, and every sum, share and rank, are worked out here.

* Armstat: Armenia's world is every partner row of the year, "Unknown country", "EU
  countries not specified" and "Channel Islands" included (never ranked); a partner
  absent from a month traded nothing that month.
* Eurostat, EU27 annual: the world is extra-EU trade (every partner row but member
  states, Extra/Intra-EU27 totals and intra-EU unspecified partners).
* Comtrade: Armenia's and Georgia's monthly car (8703) and Armenia's smartphone
  (851713) tables: a partner's year is the sum of its months (total over modes where
  printed, else the modes' sum), the world every partner row, unspecified ones included.
* Partial tables (Eurostat member states' exports to KAZ/RUS, the Comext extract): no
  share and no rank, and a note saying why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import bilateral
from bilateral.answers.partners import partners
from bilateral.answers.series import series
from bilateral.formats import format_money
from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.partners import partner_rank, partner_ranking
from bilateral.reference.countries import countries
from bilateral.store import Store
from tests.conftest import shared
from tests.frames import assert_same

pytestmark = pytest.mark.shared_data

ARMSTAT = ("armstat", "armstat_trade_by_country_monthly.csv")
EU27_ANNUAL = ("eurostat", "eu27_exports_by_partner_annual_2010_2023.csv")
EU_MONTHLY = ("eurostat", "eu_member_exports_to_KAZ_monthly.csv")
COMTRADE = {
    ("ARM", "8703"): "comtrade_armenia_hs8703_monthly.csv",
    ("GEO", "8703"): "comtrade_georgia_hs8703_monthly.csv",
    ("ARM", "851713"): "comtrade_armenia_hs851713_monthly.csv",
}
COMEXT = ("comext-cn8", "22_4624885_spreadsheet.xlsx")
COMEXT_TOTALS = ("comext-cn8", "eu_total_trade_4630244_spreadsheet.xlsx")
#: Partner labels that are not one country, in the files below.
UNSPECIFIED_LABELS = {
    "Unknown country",
    "EU countries not specified",
    "Channel Islands",
    "High seas",
}
_NOTE = re.compile(r"\s*\((?:incl\.|from |depuis |à partir de ).*\)\s*$")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The files these tests read, ingested once (about 10 s)."""
    store = Store.open(tmp_path_factory.mktemp("fidelity") / "store")
    store.ingest(
        [
            shared(*ARMSTAT),
            shared(*EU27_ANNUAL),
            shared(*EU_MONTHLY),
            *(shared("comtrade", name) for name in COMTRADE.values()),
            shared(*COMEXT),
            shared(*COMEXT_TOTALS),
        ]
    )
    return store


def ranked(frame: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Rank 1 = largest value within each group; ties share the smaller rank."""
    frame = frame.copy()
    frame["rank"] = frame.groupby(group).value_usd.rank(method="min", ascending=False)
    return frame


# ------------------------------------------------------------------------------ Armstat


def armstat_expected() -> pd.DataFrame:
    """Armenia's partners per year and flow, from the CSV: value, world, share, rank."""
    raw = pd.read_csv(shared(*ARMSTAT), encoding="utf-8-sig")
    index = countries()
    raw["code"] = [index.resolve(name.strip()).code for name in raw.country]
    months = raw.groupby("year").month.nunique()
    raw = raw[raw.year.isin(months[months == 12].index)]
    unspecified = {index.resolve(label).code for label in UNSPECIFIED_LABELS}
    # by code: a partner renamed within a year ("Swaziland", "Eswatini") is one partner;
    # a month without a line adds nothing: no trade that month
    year = raw.groupby(["year", "code"], as_index=False)[["export", "import_origin"]].sum()
    year["turnover"] = year.export + year.import_origin
    long = year.melt(
        id_vars=["year", "code"],
        value_vars=["export", "import_origin", "turnover"],
        var_name="flow",
        value_name="value_usd",
    )
    long["flow"] = long.flow.map(
        {"export": "exports", "import_origin": "imports", "turnover": "turnover"}
    )
    long["value_usd"] *= 1000
    long["world_usd"] = long.groupby(["year", "flow"]).value_usd.transform("sum")
    long = long[~long.code.isin(unspecified)].rename(columns={"code": "partner"})
    long["share"] = 100 * long.value_usd / long.world_usd
    long = ranked(long, ["year", "flow"])
    long["n_partners"] = long.groupby(["year", "flow"]).partner.transform("count")
    return long


def test_armstat_every_year_world_shares_and_ranks(store):
    ours = store.execute(
        partner_ranking(store.flows(), "ARM", source="armstat", totals=store.totals())
    )
    expected = armstat_expected()
    assert_same(
        ours,
        expected,
        keys=["year", "flow", "partner"],
        columns=[
            "year",
            "flow",
            "partner",
            "value_usd",
            "world_usd",
            "share",
            "rank",
            "n_partners",
        ],
    )
    assert set(ours.world_basis) == {"sum of partners"}
    assert not {"_X", "EU_NES", "CHANNEL_ISLANDS"} & set(ours.partner)  # never ranked


def test_armstat_2022_russia(store):
    """Issue 19: 35.93% of $14.19 bn, first (was 36.48% of $13.98 bn over 100 partners)."""
    frame = store.execute(partner_rank(store.flows("armstat"), "ARM", "RUS", 2022))
    turnover = frame.set_index("flow").loc["turnover"]
    assert round(turnover.share, 2) == 35.93
    assert turnover["rank"] == 1
    assert round(turnover.world_usd / 1e9, 2) == 14.19


# ----------------------------------------------------------------------- Eurostat (EU27)


def eu27_expected() -> pd.DataFrame:
    raw = pd.read_csv(shared(*EU27_ANNUAL))
    index = countries()
    raw["code"] = [
        ("GNB" if label == "Guinea" and _french(raw, year) else None)
        or (index.find(label) or index.resolve(_NOTE.sub("", label))).code
        for label, year in zip(raw.partner, raw.year, strict=True)
    ]
    members = set(index.members("EU27"))
    totals = {"EXTRA_EU27", "INTRA_EU27"}
    intra_unspecified = {"STORES_INTRA_EU", "UNSPECIFIED_INTRA_EU", "SECRET_INTRA_EU"}
    extra = raw[~raw.code.isin(members | totals | intra_unspecified)].copy()
    rates = _usd_per_eur()
    extra["value_usd"] = extra.eu27_exports_eur * extra.year.map(rates)
    extra["world_usd"] = extra.groupby("year").value_usd.transform("sum")
    unspecified = {"STORES_EXTRA_EU", "UNSPECIFIED_EXTRA_EU", "SECRET_EXTRA_EU", "HIGH_SEAS"}
    countries_only = extra[~extra.code.isin(unspecified)]
    countries_only = countries_only.drop(columns="partner").rename(columns={"code": "partner"})
    countries_only["share"] = 100 * countries_only.value_usd / countries_only.world_usd
    return ranked(countries_only, ["year"])


def _french(raw: pd.DataFrame, year: int) -> bool:
    """A year's block is French-labelled when it names large partners in French (there,
    Comext's "Guinea" is Guinea-Bissau, beside "Guinée")."""
    french = {"Allemagne", "Royaume-Uni", "Etats-Unis", "Chine", "Russie, Fédération de"}
    labels = raw[raw.year == year].partner.map(lambda label: _NOTE.sub("", label))
    return bool(labels.isin(french).any())


def _usd_per_eur() -> dict[int, float]:
    """The ECB annual averages shipped with bilateral (the conversion is the reader's
    documented basis, checked against the ECB in test_eurostat)."""
    from bilateral.reference.exchange_rates import usd_per_eur

    return {year: usd_per_eur(year) for year in range(2010, 2024)}


def test_eu27_every_year_extra_eu_world_shares_and_ranks(store):
    ours = store.execute(
        partner_ranking(store.flows(), "EU27", source="eurostat", totals=store.totals())
    )
    ours = ours[ours.flow == "exports"]
    expected = eu27_expected()
    ranked_rows = ours[ours.note.isnull()]
    assert_same(
        ranked_rows,
        expected,
        keys=["year", "partner"],
        columns=["year", "partner", "value_usd", "world_usd", "share", "rank"],
        rtol=1e-6,
    )
    members = set(countries().members("EU27"))
    intra = ours[ours.note.notnull()]
    assert set(intra.partner) == members  # intra-EU trade, listed apart
    assert intra.share.isnull().all() and intra["rank"].isnull().all()


def test_eu27_2022_kazakhstan(store):
    """Issue 19: 0.41% of extra-EU exports, 33rd (was 0.15% and 58th among members too)."""
    frame = store.execute(partner_rank(store.flows("eurostat"), "EU27", "KAZ", 2022))
    exports = frame.set_index("flow").loc["exports"]
    assert round(exports.share, 2) == 0.41
    assert exports["rank"] == 33
    assert exports.n_partners == 212  # 213 partners outside the EU, one of them high seas
    assert round(exports.world_usd / 1e12, 2) == 2.65


# ------------------------------------------------------------------------------ Comtrade


def comtrade_expected(reporter: str, product: str) -> pd.DataFrame:
    raw = pd.read_csv(shared("comtrade", COMTRADE[reporter, product]), encoding="latin-1")
    # a UTF-8 byte-order mark read as Latin-1 sticks to the first (quoted) name
    raw.columns = [c.removeprefix("ï»¿").strip('"') for c in raw.columns]
    raw = raw[raw.commodity_code.astype(str) == product]
    raw["flow"] = raw.trade_code.map({"X": "exports", "M": "imports"})
    preferred = raw.fobvalue.where(raw.flow == "exports", raw.cifvalue)
    raw["value"] = preferred.where(preferred > 0, raw.trade_value_us)
    keys = ["year", "flow", "partner_iso", "month"]
    has_total = raw.groupby(keys).mot_desc.transform(lambda m: (m == "TOTAL MOT").any())
    raw = raw[~has_total | (raw.mot_desc == "TOTAL MOT")]  # the total where printed
    months = raw.groupby(["year", "flow"]).month.nunique()
    complete = months[months == 12].reset_index()[["year", "flow"]]
    raw = raw.merge(complete, on=["year", "flow"])
    year = raw.groupby(["year", "flow", "partner_iso"], as_index=False).value.sum()
    year["world_usd"] = year.groupby(["year", "flow"]).value.transform("sum")
    index = countries()
    kinds = {code: index.resolve(code) for code in set(year.partner_iso)}
    year = year[[not kinds[c].is_aggregate for c in year.partner_iso]]
    year = year.rename(columns={"partner_iso": "partner", "value": "value_usd"})
    year["share"] = 100 * year.value_usd / year.world_usd
    return ranked(year, ["year", "flow"])


@pytest.mark.parametrize(("reporter", "product"), list(COMTRADE))
def test_comtrade_every_year_product_shares(store, reporter, product):
    flows = store.flows("comtrade")
    ours = pd.concat(
        [
            store.execute(destination_shares(flows, reporter, product)),
            store.execute(supplier_shares(flows, reporter, product)),
        ]
    )
    expected = comtrade_expected(reporter, product)
    assert_same(
        ours,
        expected,
        keys=["year", "flow", "partner"],
        columns=["year", "flow", "partner", "value_usd", "world_usd", "share", "rank"],
        rtol=1e-9,
    )


def test_armenia_car_exports_2022_russia(store):
    """Issue 19: 94.22% over all 10 partners (was 99.03% over the 2 present every month)."""
    frame = store.execute(destination_shares(store.flows("comtrade"), "ARM", "8703", 2022))
    russia = frame[frame.partner == "RUS"].iloc[0]
    assert round(russia.share, 2) == 94.22
    assert russia.n_partners == 10
    imports = store.execute(supplier_shares(store.flows("comtrade"), "ARM", "8703", 2022))
    assert round(imports[imports.partner == "RUS"].share.item(), 3) == 1.968


# ---------------------------------------------------------------------- partial tables


def test_member_states_exports_have_no_share_or_rank(store):
    """Germany's exports in the files go to Kazakhstan and Russia only: no "#2, 5.12%"."""
    ours = store.execute(
        partner_ranking(store.flows(), None, source="eurostat", totals=store.totals())
    )
    members = ours[ours.reporter != "EU27"]
    assert len(members) > 0
    assert members.share.isnull().all() and members["rank"].isnull().all()
    assert members.note.str.contains("member states' exports to Kazakhstan and Russia").all()


def test_comext_extract_has_no_share_or_rank(store):
    ours = store.execute(
        partner_ranking(store.flows(), None, source="comext_cn8", totals=store.totals())
    )
    # mirrors (CN 7009) in the last of the 22 spreadsheets
    shares = store.execute(destination_shares(store.flows("comext_cn8"), "AUT", "7009"))
    for frame, note in ((ours, "note"), (shares, "caveat")):
        assert len(frame) > 0
        assert frame.share.isnull().all() and frame["rank"].isnull().all()
        assert frame[note].str.contains("seven partners").all()


def test_every_shared_source_is_described(store):
    """Every source with files in ../shared/data has its partner table described."""
    from bilateral.indicators.coverage import PRODUCT_TABLES, TOTAL_TABLES

    described = {t.source for t in (*TOTAL_TABLES, *PRODUCT_TABLES)}
    assert {"kz_bns", "ru_fcs", "eurostat", "faostat", "baci", "comtrade"} <= described
    assert {"comext_cn8", "armstat"} <= described
    assert Path(shared()).is_dir()


def test_growth_of_a_euro_publisher_is_stated_in_euro(store):
    """Issue 19: Germany's 2021 exports to Kazakhstan, +2.80% in converted dollars,
    -0.72% in euro, the publisher's currency. The euro growth is computed here from
    eurostat/eu_member_exports_to_KAZ_monthly.csv, rows REPORTER 'Germany (incl. German
    Democratic Republic 'DD' from 1991)', FLOW '2-EXPORT', VALUE_IN_EUR summed over the
    twelve months of 2021 and of 2020."""
    raw = pd.read_csv(shared(*EU_MONTHLY))
    germany = raw[raw.REPORTER.str.startswith("Germany") & (raw.FLOW == "2-EXPORT")]
    year = germany.period.str[:4].astype(int)
    euro = {y: float(germany[year == y].VALUE_IN_EUR.sum()) for y in (2020, 2021)}
    expected = 100.0 * (euro[2021] / euro[2020] - 1.0)
    built = bilateral.profile(store, "DEU", "KAZ", 2021, "eurostat")
    [growth] = built.find("exports_growth", source="eurostat")
    assert growth.value == pytest.approx(expected, abs=1e-6)
    assert round(expected, 2) == -0.72
    assert growth.detail["growth_currency"] == "EUR"
    assert round(growth.detail["growth_usd"], 2) == 2.80  # the dollar figure, labelled
    assert growth.detail["publisher_basis"].startswith("published in EUR, converted to USD")


def _germany_exports_in_euro() -> dict[int, float]:
    """eurostat/eu_member_exports_to_KAZ_monthly.csv: Germany's exports to Kazakhstan,
    VALUE_IN_EUR summed over each year's twelve months."""
    raw = pd.read_csv(shared(*EU_MONTHLY))
    germany = raw[raw.REPORTER.str.startswith("Germany") & (raw.FLOW == "2-EXPORT")]
    year = germany.period.str[:4].astype(int)
    return {y: float(germany[year == y].VALUE_IN_EUR.sum()) for y in (2020, 2021)}


def test_series_and_partners_state_a_euro_publisher_s_growth_in_euro(store):
    """The same rule in `series` and `partners`: Eurostat's growth in euro in a dollar
    table, marked as such, the dollar change kept beside it; in a euro table, the growth
    of the converted money (the same)."""
    euro = _germany_exports_in_euro()
    expected = 100.0 * (euro[2021] / euro[2020] - 1.0)
    rows = series(store, "DEU", "KAZ", flow="exports", start=2021, end=2021).table.to_pylist()
    [row] = [r for r in rows if r["source"] == "eurostat"]
    assert row["growth_pct"] == pytest.approx(expected, abs=1e-6)
    assert (row["growth_currency"], round(row["growth_usd_pct"], 2)) == ("EUR", 2.80)
    in_euro = series(store, "DEU", "KAZ", flow="exports", start=2021, end=2021, currency="EUR")
    [row] = [r for r in in_euro.table.to_pylist() if r["source"] == "eurostat"]
    assert (row["growth_currency"], row["growth_pct"]) == ("EUR", pytest.approx(expected, abs=1e-6))
    ranked = partners(store, "DEU", 2021, flow="exports", source="eurostat")
    [kazakhstan] = [r for r in ranked.table.to_pylist() if r["partner"] == "KAZ"]
    assert kazakhstan["growth_pct"] == pytest.approx(expected, abs=1e-6)
    assert kazakhstan["growth_currency"] == "EUR"
    armstat = series(store, "ARM", "RUS", flow="exports", start=2022, end=2022).table.to_pylist()
    assert {r["growth_currency"] for r in armstat if r["source"] == "armstat"} == {"USD"}


def test_series_states_a_euro_publisher_s_change_in_euro(store):
    """A change on the year before is the difference of the publisher's euro (the same
    CSV rows as above: Germany's exports to Kazakhstan, 2021 less 2020), not of converted
    dollars; the dollar change stays beside it, and a euro table states both in euro."""
    euro = _germany_exports_in_euro()
    rows = series(store, "DEU", "KAZ", flow="exports", start=2021, end=2021).table.to_pylist()
    [row] = [r for r in rows if r["source"] == "eurostat"]
    assert row["change_currency"] == "EUR"
    assert row["change"] == pytest.approx(euro[2021] - euro[2020], rel=1e-9)
    assert row["change_usd"] == pytest.approx(row["value_usd"] - row["previous_usd"])
    assert (row["change"] < 0) != (row["change_usd"] < 0)  # the rate's move flips the sign
    in_euro = series(store, "DEU", "KAZ", flow="exports", start=2021, end=2021, currency="EUR")
    [row] = [r for r in in_euro.table.to_pylist() if r["source"] == "eurostat"]
    assert row["change_currency"] == "EUR"
    assert row["change"] == pytest.approx(euro[2021] - euro[2020], rel=1e-9)
    armstat = series(store, "ARM", "RUS", flow="balance", start=2022, end=2022).table.to_pylist()
    [armenia] = [r for r in armstat if r["source"] == "armstat"]
    assert armenia["change_currency"] == "USD"
    assert armenia["change"] == pytest.approx(armenia["change_usd"])


def test_series_prints_a_balance_s_change_in_the_publisher_s_currency(store):
    """The terminal's change column and the CSV's column name the euro where the table
    is in dollars (Germany's balance with Kazakhstan from the Comext extract, 2021)."""
    from typer.testing import CliRunner

    from bilateral.cli import app

    rows = series(store, "DEU", "KAZ", flow="balance", start=2021, end=2021).table.to_pylist()
    changed = [r for r in rows if r["change"] is not None and r["change_currency"] == "EUR"]
    assert changed, rows
    command = ["--store", str(store.root), "series", "DEU", "KAZ", "--flow", "balance"]
    printed = CliRunner().invoke(app, [*command, "--from", "2021", "--to", "2021"])
    assert printed.exit_code == 0, printed.output
    assert format_money(changed[0]["change"], "EUR") in printed.output
    table = CliRunner().invoke(app, [*command, "--from", "2021", "--to", "2021", "-f", "csv"])
    header = table.output.splitlines()[0].split(",")
    assert f"{changed[0]['view']} change (EUR)" in header
