"""BACI files built at test time, byte for byte in the layout CEPII ships (release V202501).

A release zip ``BACI_HS22_V202501.zip`` holds one ``BACI_HS22_Y<year>_V202501.csv`` per
year (header ``t,i,j,k,v,q`` unquoted, product codes as 6-digit text, values with three
decimals, ``NA`` for an unknown quantity), ``country_codes_V202501.csv``
(``country_code,country_name,country_iso2,country_iso3``), ``product_codes_HS22_V202501.csv``
(``code,description``) and a readme. ``r_style`` writes a year file the way R rewrites
it: quoted header, product as an integer without its leading zero, quantity padded to
13 characters and quoted.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RELEASE = "V202501"

# BACI's numeric codes with their names and ISO codes, as in CEPII's country list:
# 251 France, 699 India, 842 USA differ from ISO numeric; 490 is "Other Asia, nes".
COUNTRIES: tuple[tuple[int, str, str, str], ...] = (
    (4, "Afghanistan", "AF", "AFG"),
    (156, "China", "CN", "CHN"),
    (251, "France", "FR", "FRA"),
    (398, "Kazakhstan", "KZ", "KAZ"),
    (490, "Other Asia, nes", "", "S19"),
    (643, "Russian Federation", "RU", "RUS"),
    (699, "India", "IN", "IND"),
    (757, "Switzerland", "CH", "CHE"),
    (842, "USA", "US", "USA"),
)
ISO3 = {code: iso3 for code, _, _, iso3 in COUNTRIES}

PRODUCTS = {
    "HS92": {
        "010111": "Horses: live, pure-bred breeding animals",
        "100190": "Cereals: wheat and meslin, other than durum wheat",
        "270900": "Oils: petroleum oils and oils obtained from bituminous minerals, crude",
        "870323": "Vehicles: spark-ignition engine of a cylinder capacity over 1500cc",
    },
    "HS22": {
        "010121": "Horses; live, pure-bred breeding animals",
        "100199": "Cereals; wheat and meslin, other than durum wheat, other than seed",
        "270900": "Petroleum oils and oils obtained from bituminous minerals; crude",
        "851713": "Telephone sets; smartphones for cellular or other wireless networks",
    },
}


@dataclass(frozen=True)
class Flow:
    """One BACI row: exporter and importer as BACI codes, value in thousand USD, tonnes."""

    year: int
    exporter: int
    importer: int
    product: str
    value: float
    quantity: float | None


FLOWS = {
    "HS92": (
        Flow(2021, 643, 398, "100190", 412345.678, 1610000.5),
        Flow(2021, 398, 643, "270900", 1234.5, 2500.0),
        Flow(2021, 842, 251, "010111", 55.125, 1.2),
        Flow(2021, 699, 490, "870323", 9.001, None),
        Flow(2022, 643, 398, "100190", 500000.001, 1800000.0),
        Flow(2022, 251, 757, "010111", 0.012, 0.001),
        Flow(2022, 156, 4, "870323", 77.7, None),
    ),
    "HS22": (
        Flow(2022, 643, 398, "100199", 499999.999, 1799999.0),
        Flow(2022, 156, 398, "851713", 250000.25, 900.125),
        Flow(2022, 842, 699, "010121", 3.0, None),
        Flow(2023, 156, 643, "851713", 1500000.0, 5000.0),
        Flow(2023, 490, 842, "851713", 2000000.5, 6000.0),
    ),
}


def year_csv(flows: Iterable[Flow], *, missing: str = "NA", r_style: bool = False) -> str:
    """A year file's text; ``missing`` is what an unknown quantity looks like."""
    if r_style:
        lines = ['"t","i","j","k","v","q"']
        for f in flows:
            q = f"{f.quantity:.3f}" if f.quantity is not None else "NA"
            v = f"{f.value:.3f}".rstrip("0").rstrip(".")
            lines.append(f'{f.year},{f.exporter},{f.importer},{int(f.product)},{v},"{q:>13}"')
        return "\r\n".join(lines) + "\r\n"
    lines = ["t,i,j,k,v,q"]
    for f in flows:
        q = f"{f.quantity:.3f}" if f.quantity is not None else missing
        lines.append(f"{f.year},{f.exporter},{f.importer},{f.product},{f.value:.3f},{q}")
    return "\n".join(lines) + "\n"


def country_codes_csv(countries: Iterable[tuple[int, str, str, str]] = COUNTRIES) -> str:
    lines = ["country_code,country_name,country_iso2,country_iso3"]
    for code, name, iso2, iso3 in countries:
        shown = f'"{name}"' if "," in name else name
        lines.append(f"{code},{shown},{iso2},{iso3}")
    return "\n".join(lines) + "\n"


def product_codes_csv(hs: str) -> str:
    lines = ["code,description"]
    lines += [f'{code},"{text}"' for code, text in PRODUCTS[hs].items()]
    return "\n".join(lines) + "\n"


def year_name(hs: str, year: int, release: str = RELEASE) -> str:
    return f"BACI_{hs}_Y{year}_{release}.csv"


def write_release(
    folder: Path,
    hs: str,
    *,
    release: str = RELEASE,
    flows: Iterable[Flow] | None = None,
    countries: Iterable[tuple[int, str, str, str]] | None = COUNTRIES,
    year_texts: dict[int, str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A release zip as CEPII ships it; ``year_texts`` replaces a year file's text."""
    rows = list(FLOWS[hs] if flows is None else flows)
    texts = {
        year: year_csv(f for f in rows if f.year == year) for year in sorted({f.year for f in rows})
    }
    texts.update(year_texts or {})
    path = folder / f"BACI_{hs}_{release}.zip"
    with zipfile.ZipFile(path, "w", compression) as archive:
        for year, text in sorted(texts.items()):
            archive.writestr(year_name(hs, year, release), text)
        if countries is not None:
            archive.writestr(f"country_codes_{release}.csv", country_codes_csv(countries))
        archive.writestr(f"product_codes_{hs}_{release}.csv", product_codes_csv(hs))
        archive.writestr(
            f"Readme_{release}.txt",
            "BACI: t year, i exporter, j importer, k product, v value (current thousand USD), "
            "q quantity (metric tons)\n",
        )
    return path


def write_year(
    folder: Path,
    hs: str,
    year: int,
    *,
    release: str = RELEASE,
    text: str | None = None,
    with_country_codes: bool = False,
) -> Path:
    """One year file on its own, optionally with the release's country list beside it."""
    path = folder / year_name(hs, year, release)
    body = text if text is not None else year_csv(f for f in FLOWS[hs] if f.year == year)
    path.write_text(body, encoding="utf-8", newline="")
    if with_country_codes:
        (folder / f"country_codes_{release}.csv").write_text(country_codes_csv(), "utf-8")
    return path
