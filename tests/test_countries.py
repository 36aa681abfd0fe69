"""Country and aggregate look-ups: every spelling publishers use resolves to one code."""

from __future__ import annotations

from pathlib import Path

import pytest

from bilateral.errors import UnknownCountryError
from bilateral.reference.countries import countries

CASES = Path(__file__).parent / "cases" / "country_names.tsv"


def name_cases() -> list[object]:
    cases = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, code, why = line.split("\t")
        cases.append(pytest.param(text.replace("\\n", "\n"), code, id=why))
    return cases


@pytest.mark.parametrize(("text", "code"), name_cases())
def test_names_resolve(text, code):
    assert countries().resolve(text).code == code


@pytest.mark.parametrize(
    ("baci_code", "iso3"),
    [
        pytest.param(842, "USA", id="USA incl. Puerto Rico"),
        pytest.param(251, "FRA", id="France incl. Monaco"),
        pytest.param(699, "IND", id="India"),
        pytest.param(757, "CHE", id="Switzerland incl. Liechtenstein"),
        pytest.param(4, "AFG", id="same as ISO"),
    ],
)
def test_baci_codes_that_differ_from_iso(baci_code, iso3):
    assert countries().from_baci(baci_code).code == iso3


def test_other_asia_is_not_a_country():
    other_asia = countries().from_baci(490)
    assert other_asia.code == "S19" and other_asia.is_aggregate


@pytest.mark.parametrize("code", ["WLD", "CIS", "EAEU", "EU27", "NON_CIS"])
def test_aggregates_are_kept_distinct_from_countries(code):
    assert countries().resolve(code).is_aggregate


def test_eu27_has_27_members_and_eaeu_5():
    assert len(countries().members("EU27")) == 27
    assert set(countries().members("EAEU")) == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}


def test_unknown_name_says_what_would_work():
    with pytest.raises(UnknownCountryError, match=r"Unknown country or aggregate 'Atlantis'.*ISO"):
        countries().resolve("Atlantis")


@pytest.mark.parametrize("text", ["³", "٣٩٨", "²⁰²²"])
def test_digits_that_are_not_ascii_are_unknown_names_not_a_crash(text):
    # str.isdigit() accepts them, int() does not (or reads another code): the API saw a 500
    with pytest.raises(UnknownCountryError, match="Unknown country or aggregate"):
        countries().resolve(text)
