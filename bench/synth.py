"""Synthetic CEPII BACI release of real size and shape, for benchmarks.

Writes ``BACI_<HS>_<release>.zip`` holding, as CEPII ships them:

- ``BACI_HS22_Y<year>_V202501.csv`` per year: header ``t,i,j,k,v,q`` unquoted; ``i`` and
  ``j`` BACI's numeric country codes; ``k`` the HS6 code as six digits with its leading
  zero; ``v`` thousand USD and ``q`` tonnes, both with three decimals; ``q`` empty when
  the quantity is unknown (about 2% of rows); rows sorted by ``i``, ``j``, ``k``;
- ``country_codes_V202501.csv`` (``country_code,country_name,country_iso2,country_iso3``)
  and ``product_codes_HS22_V202501.csv`` (``code,description``).

Countries are BACI's real codes (``reference/data/baci_country_codes_V202301.csv``),
products real HS 2022 subheadings (``reference/data/hs2022.csv``, level 6).

Shape: each country gets an economic size (log-normal, the largest economies first), each
product a ubiquity. A flow i -> j of product k exists with probability
``1 - exp(-lam * exporter_i * importer_j * pair_ij * product_k)``, ``lam`` calibrated so a
year has about ``--rows`` rows, so large economies trade most products with most partners
and small ones few (gravity). Values are log-normal around a gravity mean (heavy tailed:
the largest 1% of flows carry most of the value); quantities follow from a unit value per
product. Everything is drawn with NumPy from ``--seed``; the same arguments give the same
bytes.

    python bench/synth.py --rows 11000000 --years 2022 --out bench/data
    python bench/synth.py --rows 11000000 --years 1995-2024 --out bench/data
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

REFERENCE = Path(__file__).resolve().parents[1] / "src" / "bilateral" / "reference" / "data"
HEADER = b"t,i,j,k,v,q\n"
WORLD_TRADE_KUSD = 24e9  # world goods trade, about 24 trillion USD a year, in thousand USD
FULL_YEAR_ROWS = 11_000_000
MISSING_QUANTITY = 0.02
# The largest economies by trade, first in line for the largest sizes (ISO3; S19 is
# BACI's "Other Asia, nes", that is Taiwan).
LARGEST = [
    "CHN", "USA", "DEU", "NLD", "JPN", "FRA", "KOR", "ITA", "GBR", "BEL", "MEX", "CAN", "IND",
    "SGP", "ESP", "CHE", "RUS", "POL", "ARE", "S19", "AUS", "VNM", "BRA", "MYS", "THA", "SAU",
    "IDN", "TUR", "CZE", "SWE", "AUT", "IRL", "HUN", "DNK", "NOR", "ZAF", "KAZ",
]  # fmt: skip


@dataclass(frozen=True)
class Country:
    code: int
    name: str
    iso2: str
    iso3: str


@dataclass(frozen=True)
class Product:
    code: str
    description: str


FORMER = {58, 200, 278, 280, 530, 711, 736, 810, 891}  # former states and unions
OTHER_ASIA = 490  # BACI's "Other Asia, nes" (Taiwan): a big trader without an ISO code


def baci_countries(count: int) -> list[Country]:
    """``count`` of BACI's real countries: no former states, no areas without an ISO code
    except Other Asia (490, Taiwan), one code per ISO3; the largest economies first."""
    found: dict[str, Country] = {}
    with open(REFERENCE / "baci_country_codes_V202301.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = int(row["country_code"])
            iso3 = row["iso_3digit_alpha"].strip()
            name = row["country_name_abbreviation"].strip()
            if code == OTHER_ASIA:
                iso3 = "S19"
            elif code in FORMER or iso3 in {"", "N/A"}:
                continue
            found.setdefault(iso3, Country(code, name, row["iso_2digit_alpha"].strip(), iso3))
    if count > len(found):
        raise SystemExit(f"--countries {count}: BACI's list has only {len(found)} countries")
    largest = [found[c] for c in LARGEST if c in found]
    rest = [c for c in found.values() if c.iso3 not in LARGEST][: max(count - len(largest), 0)]
    return sorted((largest + rest)[:count], key=lambda c: c.code)


def hs6_products(count: int, rng: np.random.Generator) -> list[Product]:
    """``count`` real HS 2022 subheadings, drawn evenly over the nomenclature, in code order."""
    products = []
    with open(REFERENCE / "hs2022.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["level"] == "6":
                products.append(Product(row["hscode"], row["description"]))
    if count > len(products):
        raise SystemExit(f"--products {count}: HS 2022 has only {len(products)} subheadings")
    chosen = np.sort(rng.choice(len(products), size=count, replace=False))
    return [products[n] for n in chosen]


@dataclass
class World:
    """The fixed structure behind every year: who is big, what is common, who is near."""

    countries: list[Country]
    products: list[Product]
    exporter: np.ndarray  # export capacity per country
    importer: np.ndarray  # import capacity per country
    pair: np.ndarray  # closeness of each pair (symmetric, zero on the diagonal)
    ubiquity: np.ndarray  # how many countries trade a product
    product_value: np.ndarray  # typical size of a flow of the product
    unit_value: np.ndarray  # USD per kg (= thousand USD per tonne)
    growth: np.ndarray  # yearly growth of each country's trade

    @classmethod
    def build(cls, countries: int, products: int, seed: int) -> World:
        rng = np.random.default_rng(seed)
        places = baci_countries(countries)
        goods = hs6_products(products, rng)
        n = len(places)
        # Sizes: log-normal, sorted, handed out with the largest economies first.
        sizes = np.sort(rng.lognormal(0.0, 2.2, n))[::-1]
        order = sorted(
            range(n),
            key=lambda c: (
                LARGEST.index(places[c].iso3) if places[c].iso3 in LARGEST else len(LARGEST),
                rng.random(),
            ),
        )
        size = np.empty(n)
        size[order] = sizes
        size /= size.max()
        exporter = size * rng.lognormal(0.0, 0.4, n)
        importer = size * rng.lognormal(0.0, 0.4, n)
        pair = rng.lognormal(0.0, 0.8, (n, n))
        pair = np.sqrt(pair * pair.T)
        np.fill_diagonal(pair, 0.0)
        ubiquity = rng.lognormal(0.0, 1.2, products)
        product_value = rng.lognormal(0.0, 1.0, products)
        unit_value = rng.lognormal(np.log(4.0), 1.5, products)
        growth = rng.normal(0.05, 0.03, n)
        return cls(
            places,
            goods,
            exporter,
            importer,
            pair,
            ubiquity,
            product_value,
            unit_value,
            growth,
        )

    def year_weights(self, offset: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Exporter and importer capacity ``offset`` years from the first year, with drift."""
        drift = np.exp(self.growth * offset + rng.normal(0.0, 0.05, len(self.countries)))
        return self.exporter * drift, self.importer * drift


VALUE_SIGMA = 2.3  # spread of log values around the gravity mean: a heavy tail


@dataclass(frozen=True)
class YearPlan:
    """What one year needs before drawing: the flow density and the value scale."""

    exporter: np.ndarray
    importer: np.ndarray
    lam: float
    value_scale: float


def plan_year(world: World, offset: int, rows: int, rng: np.random.Generator) -> YearPlan:
    """Calibrate ``lam`` so the expected number of flows is ``rows``, and scale values so
    the expected total is world trade (grown 5% a year).

    Products are grouped into 64 quantile bins of ubiquity, so one evaluation costs
    countries^2 * 64 instead of countries^2 * products.
    """
    exporter, importer = world.year_weights(offset, rng)
    edges = np.quantile(world.ubiquity, np.linspace(0, 1, 65))
    bins = np.clip(np.searchsorted(edges, world.ubiquity, side="right") - 1, 0, 63)
    counts = np.bincount(bins, minlength=64).astype(np.float64)
    centres = np.bincount(bins, weights=world.ubiquity, minlength=64) / np.maximum(counts, 1)
    base = (exporter[:, None] * importer[None, :] * world.pair).ravel()

    def chance(lam: float) -> np.ndarray:
        return -np.expm1(-lam * base[:, None] * centres[None, :])

    def expected(lam: float) -> float:
        return float((chance(lam) @ counts).sum())

    possible = float(len(base) - len(exporter)) * len(world.ubiquity)
    if rows >= 0.9 * possible:
        raise SystemExit(f"--rows {rows}: too dense, at most {int(possible)} flows exist")
    low, high = 1e-12, 1.0
    while expected(high) < rows:
        high *= 10.0
    while high / low > 1.0001:
        middle = float(np.sqrt(low * high))
        if expected(middle) < rows:
            low = middle
        else:
            high = middle
    lam = float(np.sqrt(low * high))
    # Expected sum of exp(log v) over all flows: existence times the gravity mean, times
    # the mean product size and the log-normal's mean exp(sigma^2 / 2).
    gravity = (exporter[:, None] ** 0.8 * importer[None, :] ** 0.8).ravel()
    mean_raw = (
        float((chance(lam) @ counts) @ gravity)
        * float(world.product_value.mean())
        * np.exp(VALUE_SIGMA**2 / 2)
    )
    total = WORLD_TRADE_KUSD * (rows / FULL_YEAR_ROWS) * np.exp(0.05 * offset)
    return YearPlan(exporter, importer, lam, float(total / mean_raw))


def fixed3(values: np.ndarray) -> pa.Array:
    """Numbers as text with exactly three decimals (``12.300``), the way CEPII writes them."""
    milli = np.rint(values * 1000.0).astype(np.int64)
    whole = pc.cast(pa.array(milli // 1000), pa.string())
    fraction = pc.utf8_lpad(pc.cast(pa.array(milli % 1000), pa.string()), 3, "0")
    return pc.binary_join_element_wise(whole, fraction, ".")


def year_batches(
    world: World, year: int, offset: int, rows: int, seed: int, batch_rows: int = 1_000_000
) -> Iterator[pa.RecordBatch]:
    """One year's rows, exporter by exporter in code order (so sorted by i, j, k)."""
    rng = np.random.default_rng([seed, year])
    plan = plan_year(world, offset, rows, rng)
    log_importer = 0.8 * np.log(plan.importer)
    log_product = np.log(world.product_value)
    ubiquity = world.ubiquity.astype(np.float32)
    pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    held = 0
    for i in range(len(world.countries)):
        weight = (plan.lam * plan.exporter[i] * (plan.importer * world.pair[i])).astype(np.float32)
        chance = -np.expm1(-weight[:, None] * ubiquity[None, :])
        j_at, k_at = np.nonzero(rng.random(chance.shape, dtype=np.float32) < chance)
        if not j_at.size:
            continue
        pending.append((np.full(j_at.size, i, dtype=np.int32), j_at, k_at))
        held += j_at.size
        if held >= batch_rows:
            yield _batch(world, year, plan, log_importer, log_product, pending, rng)
            pending, held = [], 0
    if pending:
        yield _batch(world, year, plan, log_importer, log_product, pending, rng)


def _batch(
    world: World,
    year: int,
    plan: YearPlan,
    log_importer: np.ndarray,
    log_product: np.ndarray,
    pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    rng: np.random.Generator,
) -> pa.RecordBatch:
    """Values, quantities and the text columns for the flows drawn so far."""
    i_at, j_at, k_at = (np.concatenate(column) for column in zip(*pending, strict=True))
    log_v = (
        0.8 * np.log(plan.exporter[i_at])
        + log_importer[j_at]
        + log_product[k_at]
        + rng.normal(0.0, VALUE_SIGMA, i_at.size)
    )
    value = np.maximum(np.exp(log_v) * plan.value_scale, 0.001)
    tonnes = value / (world.unit_value[k_at] * rng.lognormal(0.0, 0.6, value.size))
    missing = pa.array(rng.random(value.size) < MISSING_QUANTITY)
    codes = np.array([c.code for c in world.countries], dtype=np.int32)
    products = pa.array([p.code for p in world.products], pa.string())
    return pa.RecordBatch.from_arrays(
        [
            pa.array(np.full(value.size, year, dtype=np.int16)),
            pa.array(codes[i_at]),
            pa.array(codes[j_at]),
            products.take(pa.array(k_at)),
            fixed3(value),
            pc.if_else(missing, pa.scalar(None, pa.string()), fixed3(np.maximum(tonnes, 0.001))),
        ],
        names=["t", "i", "j", "k", "v", "q"],
    )


def write_year(archive: zipfile.ZipFile, member: str, batches: Iterator[pa.RecordBatch]) -> int:
    """Stream one year's CSV into the zip; returns the number of rows."""
    rows = 0
    options = pcsv.WriteOptions(include_header=False, quoting_style="none", batch_size=65536)
    with archive.open(member, "w", force_zip64=True) as raw:
        raw.write(HEADER)
        sink = pa.PythonFile(raw, mode="w")
        writer: pcsv.CSVWriter | None = None
        for batch in batches:
            if writer is None:
                writer = pcsv.CSVWriter(sink, batch.schema, write_options=options)
            writer.write_batch(batch)
            rows += batch.num_rows
        if writer is not None:
            writer.close()
    return rows


def country_list(countries: list[Country]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["country_code", "country_name", "country_iso2", "country_iso3"])
    for c in countries:
        writer.writerow([c.code, c.name, c.iso2, c.iso3])
    return out.getvalue().encode("utf-8")


def product_list(products: list[Product]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "description"])
    for p in products:
        writer.writerow([p.code, p.description])
    return out.getvalue().encode("utf-8")


def parse_years(text: str) -> list[int]:
    """``2022``, ``1995-2024`` or ``2021,2022``."""
    years: list[int] = []
    for part in text.split(","):
        if "-" in part:
            first, last = (int(x) for x in part.split("-"))
            years.extend(range(first, last + 1))
        else:
            years.append(int(part))
    return sorted(set(years))


def synthesise(
    out: Path,
    rows: int,
    years: list[int],
    *,
    seed: int = 6,
    countries: int = 225,
    products: int = 5000,
    hs: str = "HS22",
    release: str = "V202501",
    compresslevel: int = 1,
    log: bool = True,
) -> tuple[Path, int]:
    """Write the release zip under ``out``; returns its path and the number of rows."""
    world = World.build(countries, products, seed)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"BACI_{hs}_{release}.zip"
    partial = target.with_suffix(".zip.partial")
    total = 0
    with zipfile.ZipFile(
        partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    ) as archive:
        for offset, year in enumerate(years):
            started = time.perf_counter()
            member = f"BACI_{hs}_Y{year}_{release}.csv"
            count = write_year(archive, member, year_batches(world, year, offset, rows, seed))
            total += count
            if log:
                print(
                    f"{member}: {count:,} rows in {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
        extras = {
            f"country_codes_{release}.csv": country_list(world.countries),
            f"product_codes_{hs}_{release}.csv": product_list(world.products),
            "Readme.txt": f"Synthetic data in the layout of CEPII BACI {hs} {release}; "
            "not real trade.\n".encode(),
        }
        for name, data in extras.items():
            # open(name, "w") dates members 1980-01-01: the same arguments give the same bytes
            with archive.open(name, "w") as member_file:
                member_file.write(data)
    partial.replace(target)
    return target, total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=FULL_YEAR_ROWS, help="rows per year")
    parser.add_argument("--years", default="2022", help="2022, 1995-2024 or 2021,2022")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--countries", type=int, default=225)
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--hs", default="HS22", help="HS revision in the file names")
    parser.add_argument("--release", default="V202501", help="release in the file names")
    parser.add_argument(
        "--compresslevel", type=int, default=1, help="deflate level of the zip (1 fast, 9 small)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path, total = synthesise(
        args.out,
        args.rows,
        parse_years(args.years),
        seed=args.seed,
        countries=args.countries,
        products=args.products,
        hs=args.hs,
        release=args.release,
        compresslevel=args.compresslevel,
    )
    print(
        f"{path}: {total:,} rows, {path.stat().st_size / 1e6:,.0f} MB, "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
