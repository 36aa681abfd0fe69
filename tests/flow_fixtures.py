"""Canonical flow tables for indicator tests, built the way the readers build them.

- ``baci``: a BACI-format world matrix (reconciled, HS 6-digit) for seven countries and
  eleven products in two HS revisions: HS92 for 2020-2022 and HS22 for 2022, the way two
  CEPII releases overlap. Values are drawn from a seeded generator; some flows are absent,
  as in BACI, where a missing row means no trade.
- ``kz_bns``: Kazakhstan's own statistics by partner (TOTAL rows; exports reported by the
  exporter, FOB; imports by the importer, CIF), with a printed world total ('WLD') larger
  than the listed countries, aggregates (CIS, EU27), and partners with one flow only.
- ``ru_fcs``: Russia's statistics of its trade with Kazakhstan and the world, 2021 only.
- ``faostat``: Kazakhstan's imports of FAO items by supplier, without a world row.
- ``eurostat``: monthly exports of Germany to Kazakhstan: all of 2021, eight months of 2022.
"""

from __future__ import annotations

import random
from functools import cache

import pandas as pd

COUNTRIES = ("KAZ", "RUS", "CHN", "DEU", "UZB", "KGZ", "TUR")
# HS92 code -> HS22 code for the same good (wheat and barley were re-coded in 2012).
PRODUCTS = {
    "100110": "100119",  # durum wheat
    "100190": "100199",  # other wheat
    "100300": "100390",  # barley
    "020714": "020714",  # chicken cuts, frozen
    "170199": "170199",  # sugar
    "040310": "040320",  # yoghurt
    "870323": "870323",  # cars 1500-3000 cc
    "270900": "270900",  # crude oil
    "710812": "710812",  # gold
    "260300": "260300",  # copper ores
    "847130": "847130",  # portable computers
}
BACI_YEARS = {"HS92": (2020, 2021, 2022), "HS22": (2022,)}


def _row(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "month": None,
        "quantity": None,
        "quantity_unit": None,
        "transport_mode": None,
        "currency": "USD",
        "file_sha256": "fixture",
    }
    base.update(fields)
    base.setdefault("value_original", fields.get("value_usd"))
    return base


def baci_rows() -> list[dict[str, object]]:
    rng = random.Random(20240601)
    rows = []
    for classification, years in BACI_YEARS.items():
        release = "V202301" if classification == "HS92" else "V202501"
        for year in years:
            for exporter in COUNTRIES:
                for importer in COUNTRIES:
                    if exporter == importer:
                        continue
                    for hs92, hs22 in PRODUCTS.items():
                        always = {exporter, importer} == {"KAZ", "RUS"} and hs92 != "710812"
                        if not always and rng.random() < 0.3:
                            continue
                        value = round(rng.lognormvariate(8, 2), 3) * 1000
                        rows.append(
                            _row(
                                source="baci",
                                release=release,
                                year=year,
                                exporter=exporter,
                                importer=importer,
                                reported_by="reconciled",
                                classification=classification,
                                product=hs92 if classification == "HS92" else hs22,
                                value_usd=value,
                                value_original=value / 1000,
                                quantity=round(value / 300, 3),
                                quantity_unit="t",
                                valuation="reconciled",
                            )
                        )
    return rows


def _total(source: str, year: int, exporter: str, importer: str, by: str, value: float | None):
    return _row(
        source=source,
        release=str(year),
        year=year,
        exporter=exporter,
        importer=importer,
        reported_by=by,
        classification="TOTAL",
        product="TOTAL",
        value_usd=value,
        valuation="FOB" if by == "exporter" else "CIF",
    )


# Kazakhstan's statistics, million USD: partner -> (exports, imports); None = blank cell.
KZ_BNS = {
    2021: {
        "RUS": (7_000.0, 17_600.0),
        "CHN": (11_300.0, 7_600.0),
        "DEU": (1_600.0, 2_000.0),
        "UZB": (2_300.0, 1_000.0),
        "KGZ": (800.0, 300.0),
        "TUR": (2_200.0, 1_000.0),
        "AND": (None, 0.01),
        "WLD": (60_300.0, 41_400.0),
        "CIS": (11_900.0, 19_000.0),
        "EU27": (24_000.0, 7_000.0),
    },
    2022: {
        "RUS": (9_100.0, 17_900.0),
        "CHN": (13_200.0, 9_400.0),
        "DEU": (1_400.0, 2_300.0),
        "UZB": (2_900.0, 1_100.0),
        "KGZ": (1_000.0, 400.0),
        "TUR": (4_000.0, 1_200.0),
        "AND": (None, 0.09),
        "WLD": (84_600.0, 50_900.0),
        "CIS": (15_000.0, 19_600.0),
        "EU27": (33_000.0, 7_800.0),
    },
    2023: {
        "RUS": (10_200.0, 16_800.0),
        "CHN": (15_500.0, 15_400.0),
        "DEU": (1_600.0, 2_900.0),
        "TUR": (3_600.0, 1_400.0),
        "WLD": (79_100.0, 60_400.0),
    },
}
# Russia's statistics of 2021, million USD: partner -> (exports, imports).
RU_FCS = {2021: {"KAZ": (18_600.0, 7_400.0), "WLD": (494_000.0, 304_000.0)}}


def national_rows() -> list[dict[str, object]]:
    rows = []
    for source, reporter, table in (("kz_bns", "KAZ", KZ_BNS), ("ru_fcs", "RUS", RU_FCS)):
        for year, partners in table.items():
            for partner, (exports, imports) in partners.items():
                if exports is not None:
                    rows.append(_total(source, year, reporter, partner, "exporter", exports * 1e6))
                if imports is not None:
                    rows.append(_total(source, year, partner, reporter, "importer", imports * 1e6))
    return rows


# Kazakhstan's imports by FAO item and supplier, thousand USD (an extract: no world row).
FAOSTAT = {
    ("Wheat", 2022): {"RUS": 330_610.0},
    ("Wheat", 2021): {"RUS": 221_054.0, "KGZ": 15_000.0},
    ("Barley", 2022): {"RUS": 20_000.0, "UZB": 1_500.0},
    ("Sugar raw centrifugal", 2022): {"BRA": 90_000.0, "RUS": 60_000.0},
}


def faostat_rows() -> list[dict[str, object]]:
    return [
        _row(
            source="faostat",
            release="2024",
            year=year,
            exporter=supplier,
            importer="KAZ",
            reported_by="importer",
            classification="FAO",
            product=item,
            value_usd=value * 1000,
            value_original=value,
            valuation="CIF",
        )
        for (item, year), suppliers in FAOSTAT.items()
        for supplier, value in suppliers.items()
    ]


def eurostat_rows() -> list[dict[str, object]]:
    rows = []
    for year, months in ((2021, range(1, 13)), (2022, range(1, 9))):
        for month in months:
            value = 100e6 + month * 1e6
            rows.append(
                _row(
                    source="eurostat",
                    release="2024-09",
                    year=year,
                    month=month,
                    exporter="DEU",
                    importer="KAZ",
                    reported_by="exporter",
                    classification="TOTAL",
                    product="TOTAL",
                    value_usd=value,
                    valuation="FOB",
                    currency="EUR",
                    value_original=value / 1.1,
                )
            )
    return rows


@cache
def all_flows() -> pd.DataFrame:
    """Every fixture source in one canonical table (revisions already resolved)."""
    rows = baci_rows() + national_rows() + faostat_rows() + eurostat_rows()
    frame = pd.DataFrame(rows)
    frame["year"] = frame["year"].astype("int16")
    frame["month"] = frame["month"].astype("Int8")
    return frame
