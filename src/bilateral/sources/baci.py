"""CEPII BACI: bilateral trade by HS 6-digit product, reconciled from both partners' reports.

CEPII ships one zip per HS revision and release, ``BACI_HS22_V202501.zip``, holding one
CSV per year (``BACI_HS22_Y2022_V202501.csv``), the release's country list
(``country_codes_V202501.csv``) and product list. The year files have exactly the columns
``t,i,j,k,v,q``: year, exporter and importer as BACI's numeric country codes, HS6
product, value in thousand USD, quantity in tonnes (empty or ``NA`` when unknown). Tools
that rewrite the files (R) quote the header, drop the product's leading zero and pad
quantities with spaces; all three forms are read.

A year of BACI has about 11 million rows, so files are parsed by Arrow's streaming CSV
reader straight from the zip member, every conversion is a whole-column operation and
country codes are mapped by an Arrow ``take`` on a lookup table: no Python loop per row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from bilateral.errors import SourceFormatError
from bilateral.reference import DATA_DIR
from bilateral.reference.countries import countries
from bilateral.schema import FLOW_SCHEMA
from bilateral.sources import archives
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.textcolumns import Place, to_float, to_int

COLUMNS = ("t", "i", "j", "k", "v", "q")
THOUSAND = 1000.0
PART_ROWS = 2_000_000  # rows per part handed to the store: about 300 MB in memory
BLOCK_BYTES = 8 << 20  # bytes of CSV parsed at a time
_NAME = re.compile(r"^BACI_(HS\d{2})_(?:Y(\d{4})_)?(V\d{6}[A-Za-z]?)", re.IGNORECASE)
_COUNTRY_FILE = re.compile(r"^country_codes_(V\d{6}[A-Za-z]?)\.csv$", re.IGNORECASE)
_NO_ISO = {"", "N/A", "NA", "NULL"}


@dataclass(frozen=True)
class BaciName:
    """What a BACI file name says: HS revision, release and (for year files) the year."""

    classification: str  # HS92, HS96, ..., HS22
    release: str  # V202501; a letter marks a corrected release (V202401b), sorting after
    year: int | None


def parse_name(name: str) -> BaciName | None:
    """``BACI_HS22_Y2022_V202501.csv`` -> HS22, V202501, 2022; None for other names."""
    match = _NAME.match(name)
    if not match:
        return None
    hs, year, release = match.groups()
    return BaciName(hs.upper(), "V" + release[1:], int(year) if year else None)


@dataclass(frozen=True)
class BaciCountry:
    """One line of BACI's country list: its numeric code, name and ISO alpha-3 (if any)."""

    code: int
    name: str
    iso3: str


def read_country_list(data: bytes, origin: Path, member: str | None = None) -> list[BaciCountry]:
    """Parse a ``country_codes_V*.csv`` in either of the layouts CEPII has used.

    Until 2023: ``country_code,country_name_abbreviation,country_name_full,
    iso_2digit_alpha,iso_3digit_alpha`` (Latin-1 in older releases); since 2024:
    ``country_code,country_name,country_iso2,country_iso3`` (UTF-8).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    for name_column, iso_column in (
        ("country_name", "country_iso3"),
        ("country_name_full", "iso_3digit_alpha"),
    ):
        if "country_code" in header and name_column in header and iso_column in header:
            break
    else:
        raise SourceFormatError(
            origin,
            f"unexpected country list columns {header}",
            member=member,
            line=1,
            expected="country_code, country_name, country_iso2, country_iso3",
        )
    code_at, name_at, iso_at = (header.index(c) for c in ("country_code", name_column, iso_column))
    found = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            code = int(row[code_at])
        except (ValueError, IndexError):
            raise SourceFormatError(
                origin,
                f"country code {row[code_at] if row else ''!r} is not a number",
                member=member,
                line=number,
                field="country_code",
                expected="BACI's numeric country code",
            ) from None
        found.append(BaciCountry(code, row[name_at].strip(), row[iso_at].strip().upper()))
    return found


@dataclass
class CountryCodes:
    """BACI's numeric codes mapped to bilateral's codes, as arrays for a vectorised look-up.

    A code takes, in order: the ISO3 the release's own list gives, when bilateral knows
    it; bilateral's BACI list (``countries().from_baci``: 842 USA, 251 FRA, 699 IND, 490
    S19); else the code BACI's list gives (former countries such as SUN or SCG, areas),
    kept as published and reported in a note when the data uses it.
    """

    codes: dict[int, str]
    names: dict[int, str]
    kept: dict[int, str] = field(default_factory=dict)
    kept_seen: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        size = max(self.codes, default=0) + 1
        slots = np.full(size, -1, dtype=np.int32)
        labels = sorted(set(self.codes.values()))
        position = {label: n for n, label in enumerate(labels)}
        for code, label in self.codes.items():
            slots[code] = position[label]
        self._slots = slots
        self._labels = pa.array(labels, pa.string())
        self._kept_slots = {position[label]: code for code, label in self.kept.items()}

    @classmethod
    def build(cls, release_list: list[BaciCountry] | None) -> CountryCodes:
        index = countries()
        lists = [release_list or [], shipped_country_list()]
        codes: dict[int, str] = {}
        names: dict[int, str] = {}
        kept: dict[int, str] = {}
        for entries in lists:
            for entry in entries:
                names.setdefault(entry.code, entry.name)
        for entry in lists[0]:
            if entry.iso3 in index.by_code:
                codes[entry.code] = entry.iso3
        for baci_code, country in index.by_baci_code.items():
            codes.setdefault(baci_code, country.code)
        for entries in lists:
            for entry in entries:
                if entry.code not in codes and entry.iso3 not in _NO_ISO:
                    codes[entry.code] = kept[entry.code] = entry.iso3
        return cls(codes, names, kept)

    def lookup(self, values: pa.Array, place: Place, field: str) -> pa.Array:
        """Map an int32 array of BACI codes; an unknown code is an error naming its line."""
        raw = values.to_numpy(zero_copy_only=False)
        inside = (raw >= 0) & (raw < len(self._slots))
        slot = np.where(inside, self._slots[np.where(inside, raw, 0)], -1)
        unknown = np.flatnonzero(slot < 0)
        if unknown.size:
            offset = int(unknown[0])
            code = int(raw[offset])
            name = f" ('{self.names[code]}')" if code in self.names else ""
            raise place.error(
                offset,
                f"unknown BACI country code {code}{name}",
                field=field,
                expected="a code in the release's country_codes file or in bilateral's "
                "BACI list; add its ISO3 to reference/data/aggregates.tsv if it is an area",
            )
        if self._kept_slots:
            used = np.bincount(slot, minlength=len(self._labels))
            self.kept_seen.update(c for s, c in self._kept_slots.items() if used[s])
        return self._labels.take(pa.array(slot, pa.int32()))

    def kept_note(self, already: set[int]) -> str | None:
        """A note on kept codes the data used and no earlier note named."""
        fresh = sorted(self.kept_seen - already)
        if not fresh:
            return None
        already.update(fresh)
        listed = ", ".join(f"{c} '{self.names.get(c, '')}' as {self.kept[c]}" for c in fresh)
        return f"BACI codes without a code bilateral knows, kept as BACI lists them: {listed}"


@cache
def shipped_country_list() -> list[BaciCountry]:
    """BACI's country list V202301, shipped with bilateral."""
    path = DATA_DIR / "baci_country_codes_V202301.csv"
    return read_country_list(path.read_bytes(), path)


@dataclass(frozen=True)
class YearFile:
    """One year's CSV, in a zip or on its own, and how to open it."""

    path: Path  # the file named in errors: the zip, or the CSV itself
    member: str | None
    name: BaciName
    opener: Callable[[], AbstractContextManager[archives.BoundedStream]]
    size: int = 0  # bytes of CSV (inflated, for a zip member): what progress is a share of


def year_files(path: Path) -> tuple[list[YearFile], list[BaciCountry] | None, list[str]]:
    """The year files in ``path`` (a release zip or one CSV), the release's country list
    if one ships with them, and notes on where country codes came from."""
    notes: list[str] = []
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        files = []
        country_list = None
        with archives.open_zip(path) as archive:
            for member in archive.namelist():
                base = member.rsplit("/", 1)[-1]
                name = parse_name(base)
                if name and name.year is not None and base.lower().endswith(".csv"):
                    opener = partial(archives.member_stream, path, member)
                    size = archive.getinfo(member).file_size
                    files.append(YearFile(path, member, name, opener, size))
                elif _COUNTRY_FILE.match(base):
                    country_list = read_country_list(_read_member(archive, member), path, member)
                    notes.append(f"country codes from {base} inside the release")
        if not files:
            raise SourceFormatError(
                path,
                "the archive holds no BACI year file",
                expected="members named like BACI_HS22_Y2022_V202501.csv",
            )
        files.sort(key=lambda f: (f.name.year or 0, f.member or ""))
        return files, country_list, notes
    name = parse_name(path.name)
    if name is None or name.year is None:
        raise SourceFormatError(
            path,
            "the file name does not say the HS revision, year and release",
            expected="a name like BACI_HS22_Y2022_V202501.csv",
        )
    beside = path.with_name(f"country_codes_{name.release}.csv")
    country_list = None
    if beside.exists():
        country_list = read_country_list(beside.read_bytes(), beside)
        notes.append(f"country codes from {beside.name} beside the data")
    opener = partial(_plain_file, path)
    return [YearFile(path, None, name, opener, path.stat().st_size)], country_list, notes


@contextmanager
def _plain_file(path: Path) -> Iterator[archives.BoundedStream]:
    with open(path, "rb") as stream:
        yield archives.BoundedStream(stream, path)


def _read_member(archive: zipfile.ZipFile, member: str) -> bytes:
    """A small member's bytes (the country list), a damaged one refused in one line."""
    path = Path(str(archive.filename))
    try:
        with archive.open(member) as stream:
            return archives.BoundedStream(stream, path, member).read()
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise archives.damaged(path, exc, member) from None


class Constants:
    """Columns that repeat one value (source, release, file hash...), built once per file.

    Every batch takes a zero-copy slice, instead of writing its own copy of, say, a
    64-character hash on each of 250,000 rows.
    """

    def __init__(self) -> None:
        self._arrays: dict[str, pa.Array] = {}

    def __call__(self, value: str, rows: int) -> pa.Array:
        array = self._arrays.get(value)
        if array is None or len(array) < rows:
            array = self._arrays[value] = pa.repeat(pa.scalar(value, pa.string()), rows)
        return array.slice(0, rows)


def canonical_batch(
    batch: pa.RecordBatch,
    file: YearFile,
    first_line: int,
    codes: CountryCodes,
    sha256: str,
    constant: Constants | None = None,
) -> pa.Table:
    """One parsed batch of ``t,i,j,k,v,q`` text columns as canonical rows."""
    constant = constant or Constants()
    place = Place(file.path, first_line, file.member)
    rows = batch.num_rows
    year = to_int(batch.column("t"), place, field="t", expected="a year", type_=pa.int16())
    if file.name.year is not None:
        low, high = pc.min_max(year).values()
        if low.as_py() != file.name.year or high.as_py() != file.name.year:
            wrong = pc.index(pc.not_equal(year, file.name.year), True).as_py()
            raise place.error(
                wrong,
                f"year {year[wrong].as_py()} in a file named for {file.name.year}",
                field="t",
                expected=f"{file.name.year} in every row",
            )
    exporter = codes.lookup(
        to_int(batch.column("i"), place, field="i", expected="a BACI country code"), place, "i"
    )
    importer = codes.lookup(
        to_int(batch.column("j"), place, field="j", expected="a BACI country code"), place, "j"
    )
    product = pc.utf8_lpad(batch.column("k"), 6, "0")
    good = pc.and_(pc.equal(pc.utf8_length(product), 6), pc.utf8_is_digit(product))
    bad = pc.invert(pc.fill_null(good, False))
    if pc.any(bad).as_py():
        offset = pc.index(bad, True).as_py()
        raise place.error(
            offset,
            f"product code '{batch.column('k')[offset].as_py() or ''}'",
            field="k",
            expected="an HS code of at most 6 digits",
        )
    value = to_float(batch.column("v"), place, field="v", expected="a number in thousand USD")
    quantity = to_float(
        batch.column("q"),
        place,
        field="q",
        expected="a number in tonnes, empty or NA",
        required=False,
    )
    unit = pc.if_else(pc.is_null(quantity), None, "t")
    columns = {
        "source": constant(BaciReader.source, rows),
        "release": constant(file.name.release, rows),
        "year": year,
        "month": pa.nulls(rows, pa.int8()),
        "exporter": exporter,
        "importer": importer,
        "reported_by": constant("reconciled", rows),
        "classification": constant(file.name.classification, rows),
        "product": product,
        "value_usd": pc.multiply(value, THOUSAND),
        "quantity": quantity,
        "quantity_unit": unit,
        "valuation": constant("reconciled", rows),
        "value_original": value,
        "currency": constant("USD", rows),
        "transport_mode": pa.nulls(rows, pa.string()),
        "file_sha256": constant(sha256, rows),
    }
    return pa.Table.from_arrays(list(columns.values()), schema=FLOW_SCHEMA)


def read_year(
    file: YearFile, codes: CountryCodes, sha256: str, part_rows: int | None = None
) -> Iterator[tuple[pa.Table, pa.Table, int]]:
    """Canonical rows of one year file, in tables of at most about ``part_rows`` rows
    (:data:`PART_ROWS`), each with the line of each row (see
    :attr:`bilateral.sources.base.ReadResult.places`) and about how many bytes of the
    CSV those rows and the ones before came from (exact at the end)."""
    part_rows = part_rows or PART_ROWS
    per_line = _bytes_per_line(file)
    text = pa.string()
    options = pcsv.ConvertOptions(  # "NA" and empty become nulls while parsing: cheaper
        column_types={c: text for c in COLUMNS},
        null_values=["", "NA"],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    with file.opener() as stream:
        try:
            reader = pcsv.open_csv(
                stream,
                read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True),
                convert_options=options,
            )
        except pa.ArrowInvalid as exc:
            raise _unreadable(file, exc) from None
        names = tuple(n.strip().lower() for n in reader.schema.names)
        if names != COLUMNS:
            raise SourceFormatError(
                file.path,
                f"the columns are {','.join(reader.schema.names)}",
                member=file.member,
                line=1,
                expected="exactly t,i,j,k,v,q as CEPII ships them",
            )
        line = 2
        pending: list[pa.Table] = []
        lines: list[tuple[int, int]] = []  # (first line, rows) of each pending batch
        held = 0
        constant = Constants()
        # Parse the next block (inflating the zip member) while this one is converted:
        # both release the GIL, so two cores share the work.
        with ThreadPoolExecutor(max_workers=1) as prefetch:
            upcoming = prefetch.submit(_next_batch, reader, file)
            while (batch := upcoming.result()) is not None:
                upcoming = prefetch.submit(_next_batch, reader, file)
                if not batch.num_rows:
                    continue
                pending.append(canonical_batch(batch, file, line, codes, sha256, constant))
                lines.append((line, batch.num_rows))
                line += batch.num_rows
                held += batch.num_rows
                if held >= part_rows:
                    done = min(file.size, round((line - 1) * per_line))
                    yield pa.concat_tables(pending), _places(file, lines), done
                    pending, held, lines = [], 0, []
        if pending:
            yield pa.concat_tables(pending), _places(file, lines), file.size


SAMPLE_BYTES = 1 << 20


def _bytes_per_line(file: YearFile) -> float:
    """The mean length of a year file's lines, from its first megabyte.

    The CSV parser reads ahead of the rows it hands over (a small file it takes whole at
    once), so the bytes it has read say little of how far the rows have got; rows times
    this length does. BACI's lines are all alike (year, two codes, a product, two numbers).
    """
    with file.opener() as stream:
        sample = stream.read(SAMPLE_BYTES)
    return len(sample) / max(1, sample.count(b"\n"))


def _places(file: YearFile, lines: list[tuple[int, int]]) -> pa.Table:
    """The line of each row of a part (rows are the file's lines, in order)."""
    first, rows = lines[0][0], sum(n for _, n in lines)
    return pa.table(
        {
            "member": pa.repeat(pa.scalar(file.member, pa.string()), rows),
            "line": pa.array(np.arange(first, first + rows, dtype=np.int64)),
        }
    )


def _next_batch(reader: pcsv.CSVStreamingReader, file: YearFile) -> pa.RecordBatch | None:
    try:
        return reader.read_next_batch()
    except StopIteration:
        return None
    except pa.ArrowInvalid as exc:
        raise _unreadable(file, exc) from None


def _unreadable(file: YearFile, exc: pa.ArrowInvalid) -> SourceFormatError:
    message = str(exc).replace("CSV parse error: ", "")
    return SourceFormatError(
        file.path,
        f"cannot be parsed as CSV ({message})",
        member=file.member,
        expected="six comma-separated fields t,i,j,k,v,q on every line",
    )


class BaciReader(Reader):
    source = "baci"
    title = "CEPII BACI, bilateral trade by HS6 product (reconciled)"
    patterns = ("BACI_*.zip", "BACI_*.csv")
    text = True

    def read_parts(self, path: Path, sha256: str) -> Iterator[ReadResult]:
        """One part per ``PART_ROWS`` rows, year by year; notes come with the first part."""
        files, country_list, notes = year_files(path)
        codes = CountryCodes.build(country_list)
        if country_list is None:
            notes.append(
                "country codes from bilateral's BACI list (V202301): the data came without "
                "its release's country_codes file"
            )
        notes.append(
            "BACI values reconcile exporters' and importers' declarations (imports brought "
            "to FOB); v in thousand USD is stored times 1000, q in tonnes"
        )
        named: set[int] = set()
        total = sum(f.size for f in files) or 1
        before = 0  # bytes of the year files already read
        for file in files:
            for table, places, done in read_year(file, codes, sha256):
                kept = codes.kept_note(named)
                yield ReadResult(
                    table=table,
                    release=file.name.release,
                    notes=notes + ([kept] if kept else []),
                    places=places,
                    progress=min(1.0, (before + done) / total),
                )
                notes = []
            before += file.size

    def read(self, path: Path, sha256: str) -> ReadResult:
        """The whole file in one table: fine for one year, too big for a full release zip."""
        parts = list(self.read_parts(path, sha256))
        if not parts:
            raise SourceFormatError(path, "no rows could be read", expected="BACI trade rows")
        table = pa.concat_tables([p.table for p in parts])
        return ReadResult(
            table=table,
            release=max(p.release for p in parts),
            notes=[n for p in parts for n in p.notes],
        )
