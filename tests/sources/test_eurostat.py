"""Eurostat Comext extracts, read as published: each expected value is the line named in the
table, read here with the csv module, converted at the ECB annual average published for the
year (tests/cases/eur_usd_annual.csv)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from bilateral.errors import NotAvailableError, SourceFormatError
from bilateral.reference.countries import countries
from bilateral.reference.exchange_rates import usd_per_eur
from bilateral.sources import reader_for
from bilateral.sources.base import ReadResult
from bilateral.sources.eurostat import EurostatReader, comext_code
from tests.ecb_rates import published_annual_rates

EUROSTAT = Path(__file__).parents[2].parent / "shared" / "data" / "eurostat"
CASES = Path(__file__).parents[1] / "cases"
KAZ_MONTHLY = "eu_member_exports_to_KAZ_monthly.csv"
RUS_MONTHLY = "eu_member_exports_to_RUS_monthly.csv"
ANNUAL = "eu27_exports_by_partner_annual_2010_2023.csv"


def uses_extracts(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test that reads the published extracts; skip it when they are absent."""
    absent = pytest.mark.skipif(not EUROSTAT.is_dir(), reason="the Eurostat extracts are absent")
    return pytest.mark.shared_data(absent(test))


@cache
def read(name: str) -> ReadResult:
    return EurostatReader().read(EUROSTAT / name, "sha")


@cache
def lines(name: str) -> list[list[str]]:
    with open(EUROSTAT / name, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))  # one record per line in these files: index 0 is line 1


def shipped_rates() -> dict[int, float]:
    return published_annual_rates()


@pytest.mark.parametrize(
    ("name", "line", "label", "period", "exporter", "importer"),
    [
        (KAZ_MONTHLY, 1614, "Germany (incl. German Democratic", "2023-05", "DEU", "KAZ"),
        (KAZ_MONTHLY, 1189, "Italy (incl. San Marino", "2022-03", "ITA", "KAZ"),
        (KAZ_MONTHLY, 411, "United Kingdom", "2020-01", "GBR", "KAZ"),
        (KAZ_MONTHLY, 2071, "European Union - 27 countries", "2024-08", "EU27", "KAZ"),
        (RUS_MONTHLY, 1211, "Italy (incl. San Marino", "2022-03", "ITA", "RUS"),
        (RUS_MONTHLY, 43, "Euro area - 20 countries", "2019-02", "EA20", "RUS"),
        (ANNUAL, 3280, "Kazakhstan", "2023", "EU27", "KAZ"),
        (ANNUAL, 2865, "Russian Federation (Russia)", "2021", "EU27", "RUS"),
        (ANNUAL, 1652, "Russie, Fédération de", "2016", "EU27", "RUS"),
        (ANNUAL, 1549, "Guinea", "2016", "EU27", "GNB"),
        (ANNUAL, 43, "Ceuta (incl. Melilla", "2010", "EU27", "XCE"),
        (ANNUAL, 2565, "Kosovo", "2020", "EU27", "XKX"),
        (ANNUAL, 2170, "Stores and provisions", "2018", "EU27", "STORES_EXTRA_EU"),
    ],
    ids=[
        "Germany-to-Kazakhstan-2023-05",
        "Italy-to-Kazakhstan-2022-03",
        "UK-still-reporting-2020-01",
        "EU27-reporter-2024-08",
        "Italy-to-Russia-2022-03",
        "euro-area-20-reporter",
        "EU27-to-Kazakhstan-2023",
        "EU27-to-Russia-2021",
        "French-label-2016",
        "French-Guinea-is-Guinea-Bissau",
        "Ceuta-not-Spain",
        "Kosovo",
        "stores-and-provisions",
    ],
)
@uses_extracts
def test_values_are_the_printed_lines(
    name: str, line: int, label: str, period: str, exporter: str, importer: str
) -> None:
    record = lines(name)[line - 1]
    header = lines(name)[0]
    fields = dict(zip(header, record, strict=True))
    printed_label = fields.get("REPORTER") or fields["partner"]
    assert printed_label.startswith(label)
    assert (fields.get("period") or fields["year"]) == period
    euros = float(fields.get("VALUE_IN_EUR") or fields["eu27_exports_eur"])
    year, _, month = period.partition("-")
    rate = shipped_rates()[int(year)]
    found = [
        r
        for r in read(name).table.to_pylist()
        if (r["year"], r["month"], r["exporter"], r["importer"])
        == (int(year), int(month) if month else None, exporter, importer)
    ]
    assert len(found) == 1
    row = found[0]
    assert row["value_original"] == euros and row["currency"] == "EUR"
    assert row["value_usd"] == pytest.approx(euros * rate, rel=1e-12)
    assert (row["reported_by"], row["valuation"]) == ("exporter", "FOB")


def comext_cases() -> list[tuple[str, bool, str]]:
    with open(CASES / "comext_labels.tsv", encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [(r["label"], r["french"] == "1", r["code"]) for r in rows]


@pytest.mark.parametrize(
    ("label", "french", "code"), comext_cases(), ids=[c[0][:40] for c in comext_cases()]
)
def test_comext_labels(label: str, french: bool, code: str) -> None:
    assert comext_code(countries(), label, french=french) == code


@pytest.mark.parametrize("name", [KAZ_MONTHLY, RUS_MONTHLY], ids=["Kazakhstan", "Russia"])
@uses_extracts
def test_member_states_sum_to_the_eu27_reporter_every_month(name: str) -> None:
    eu27 = set(countries().members("EU27"))
    members: dict[tuple[int, int], float] = defaultdict(float)
    aggregate: dict[tuple[int, int], float] = {}
    for r in read(name).table.to_pylist():
        if r["exporter"] in eu27:
            members[(r["year"], r["month"])] += r["value_original"]
        elif r["exporter"] == "EU27":
            aggregate[(r["year"], r["month"])] = r["value_original"]
    assert len(aggregate) == 68  # 2019-01 .. 2024-08
    assert all(abs(members[k] - aggregate[k]) < 1 for k in aggregate)


@uses_extracts
def test_monthly_eu27_exports_add_up_to_the_annual_file() -> None:
    """Two downloads, one statistic: 12 months of the EU27 reporter against the annual line."""
    for name, partner in ((KAZ_MONTHLY, "KAZ"), (RUS_MONTHLY, "RUS")):
        monthly: dict[int, float] = defaultdict(float)
        for r in read(name).table.to_pylist():
            if r["exporter"] == "EU27":
                monthly[r["year"]] += r["value_usd"]
        annual = {
            r["year"]: r["value_usd"]
            for r in read(ANNUAL).table.to_pylist()
            if r["importer"] == partner
        }
        for year in range(2019, 2024):
            assert monthly[year] == pytest.approx(annual[year], abs=10)  # rounding of euros


@uses_extracts
def test_the_french_2016_block_maps_onto_the_same_partners() -> None:
    partners: dict[int, set[str]] = defaultdict(set)
    for r in read(ANNUAL).table.to_pylist():
        partners[r["year"]].add(r["importer"])
    assert partners[2016] <= partners[2015] | partners[2017]
    assert partners[2015] & partners[2017] <= partners[2016]
    assert any("French for 2016" in note for note in read(ANNUAL).notes)


@uses_extracts
def test_extra_eu_partners_sum_to_the_extra_eu27_line() -> None:
    note = next(n for n in read(ANNUAL).notes if n.startswith("Extra-EU partners sum exactly"))
    assert "2010" in note and "2016" in note and "2018" in note


@uses_extracts
def test_notes_name_the_rate_source_and_the_release_is_the_download_date() -> None:
    result = read(KAZ_MONTHLY)
    assert "ECB euro foreign exchange reference rates, annual average" in result.notes[0]
    assert "a value for a month uses the annual average of its year" in result.notes[0]
    downloads = {r[-1].split("Relational_View_")[1][:10] for r in lines(KAZ_MONTHLY)[1:]}
    assert result.release == max(downloads)


@pytest.mark.parametrize("name", [KAZ_MONTHLY, RUS_MONTHLY, ANNUAL])
def test_reader_for_recognises_eurostat_files(name: str) -> None:
    assert isinstance(reader_for(Path(name)), EurostatReader)


def test_rates_cover_every_year_of_the_extracts_and_a_missing_year_is_named() -> None:
    assert set(range(2010, 2025)) <= set(shipped_rates())
    with pytest.raises(NotAvailableError, match=r"No EUR/USD rate for 2031 in eurofxref-hist\.csv"):
        usd_per_eur(2031)


# --- damaged copies, made in tmp_path ----------------------------------------------------


def damaged(tmp_path: Path, name: str, edit: str, line: int = 0, column: str = "") -> Path:
    """A copy of a published extract with one edit: drop a column, or set one field."""
    records = [list(r) for r in lines(name)[:40]]
    header = records[0]
    if edit == "drop":
        at = header.index(column)
        records = [r[:at] + r[at + 1 :] for r in records]
    elif edit == "duplicate":
        records.insert(line, list(records[line - 1]))
    else:
        records[line - 1][header.index(column)] = edit
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(records)
    return path


@pytest.mark.parametrize(
    ("name", "edit", "line", "column", "message"),
    [
        (
            KAZ_MONTHLY,
            "drop",
            0,
            "VALUE_IN_EUR",
            r"eu_member_exports_to_KAZ_monthly\.csv, row 1, field 'VALUE_IN_EUR': the header "
            r"lacks column 'VALUE_IN_EUR'; expected columns REPORTER, PARTNER",
        ),
        (
            ANNUAL,
            "drop",
            0,
            "partner",
            r"row 1, field 'partner': the header lacks column 'partner'",
        ),
        (
            KAZ_MONTHLY,
            "Atlantis",
            5,
            "PARTNER",
            r"KAZ_monthly\.csv: names that are neither a known country nor a known aggregate: "
            r"'Atlantis' \(line 5\)",
        ),
        (
            ANNUAL,
            "Atlantis",
            7,
            "partner",
            r"'Atlantis' \(line 7\); expected names in country_aliases\.tsv or aggregates\.tsv",
        ),
        (
            RUS_MONTHLY,
            "3-TRANSIT",
            9,
            "FLOW",
            r"RUS_monthly\.csv, row 9, field 'FLOW': unknown flow '3-TRANSIT'; expected EXPORT",
        ),
        (
            KAZ_MONTHLY,
            "2019/01",
            3,
            "period",
            r"row 3, field 'period': '2019/01' is not a period; expected a month as YYYY-MM",
        ),
        (
            KAZ_MONTHLY,
            "9 141 431",
            2,
            "VALUE_IN_EUR",
            r"row 2, field 'VALUE_IN_EUR': '9 141 431' is not a number; expected a value in EUR",
        ),
        (
            ANNUAL,
            "2031",
            4,
            "year",
            r"row 4: No EUR/USD rate for 2031 in eurofxref-hist\.csv",
        ),
        (
            KAZ_MONTHLY,
            "duplicate",
            6,
            "",
            r"row 7: \w+ -> KAZ in 2019-01 appears twice \(also line 6\)",
        ),
    ],
    ids=[
        "monthly-missing-value-column",
        "annual-missing-partner-column",
        "unknown-partner",
        "unknown-partner-annual",
        "unknown-flow",
        "bad-period",
        "value-with-spaces",
        "year-without-a-rate",
        "duplicate-line",
    ],
)
@uses_extracts
def test_damaged_extracts_are_named_errors(
    tmp_path: Path, name: str, edit: str, line: int, column: str, message: str
) -> None:
    path = damaged(tmp_path, name, edit, line, column)
    with pytest.raises(SourceFormatError, match=message):
        EurostatReader().read(path, "sha")


def test_a_line_with_a_missing_field(tmp_path: Path) -> None:
    path = tmp_path / KAZ_MONTHLY
    path.write_text("REPORTER,PARTNER,FLOW,period,VALUE_IN_EUR\nAustria,Kazakhstan,EXPORT,2019-01")
    with pytest.raises(SourceFormatError, match=r"row 2: the line has a different number of"):
        EurostatReader().read(path, "sha")
