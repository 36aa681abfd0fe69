"""FAOSTAT's bulk detailed trade matrix: every reporter's agricultural trade by item and
partner, as ``bilateral download faostat`` fetches it (a zip holding
``Trade_DetailedTradeMatrix_E_All_Data_(Normalized).csv``).

The columns are FAOSTAT's normalized bulk layout: ``Reporter Country Code``, ``Reporter
Country Code (M49)``, ``Reporter Countries``, ``Partner Country Code``, ``Partner Country
Code (M49)``, ``Partner Countries``, ``Item Code``, ``Item Code (CPC)``, ``Item``,
``Element Code``, ``Element``, ``Year Code``, ``Year``, ``Unit``, ``Value``, ``Flag``.

Unlike the extracts :mod:`bilateral.sources.faostat` reads (partners with at least 5% of
an item), the bulk file lists every partner each reporter declared, so its rows are a
source of their own, ``faostat_bulk``, whose partner tables are complete: a reporter's
world in an item is the sum of its partners. Decisions:

* "Export Value" rows are the reporter's exports (FOB), "Import Value" its imports (CIF),
  thousand USD stored times 1000; quantities are not stored.
* Reporter and partner come from their M49 code (FAOSTAT writes it with a leading
  apostrophe, ``'398``). FAO's areas that are not one country (its "China": mainland,
  Hong Kong, Macao and Taiwan together, beside "China, mainland"; "Belgium-Luxembourg";
  former states) have no ISO code: their rows are not stored, and a note names them and
  counts their rows, since "China" would otherwise count the mainland twice.
* A row without a value (FAOSTAT's flag for missing data) is not available: no row, a
  count in the notes. A reporter's trade with itself gives no row.
* The text is UTF-8, or Windows-1252 (Latin-1 with typographic quotes) where FAOSTAT
  wrote it so, judged from its first non-ASCII bytes; the release is the data member's
  date in the zip's directory.
"""

from __future__ import annotations

import codecs
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import countries
from bilateral.schema import FLOW_SCHEMA
from bilateral.sources import archives
from bilateral.sources.base import Reader, ReadResult

SOURCE = "faostat_bulk"
REPORTER_M49 = "Reporter Country Code (M49)"
PARTNER_M49 = "Partner Country Code (M49)"
COLUMNS = (
    REPORTER_M49,
    "Reporter Countries",
    PARTNER_M49,
    "Partner Countries",
    "Item",
    "Element",
    "Year",
    "Unit",
    "Value",
)
#: Elements kept, lower case, and the reporter's side of the flow.
ELEMENTS = {"export value": "exporter", "import value": "importer"}
UNITS = ("1000 USD", "1000 US$")
THOUSAND = 1000.0
PART_ROWS = 2_000_000
BLOCK_BYTES = 8 << 20
SNIFF_LIMIT = 64 << 20  # bytes read at most to judge the text's encoding


@dataclass
class _Tally:
    """What a read left out, for its notes."""

    without_value: int = 0
    own: int = 0
    areas: Counter[str] = field(default_factory=Counter)  # "'159' China": rows


def data_member(path: Path, archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The normalized CSV inside a FAOSTAT bulk zip."""
    for info in archive.infolist():
        if info.filename.lower().endswith("_all_data_(normalized).csv"):
            return info
    raise SourceFormatError(
        path,
        "the archive holds no *_All_Data_(Normalized).csv",
        expected="FAOSTAT's bulk trade matrix zip as FAOSTAT ships it",
    )


def _encoding(path: Path, info: zipfile.ZipInfo) -> str:
    """utf8, or cp1252 when the first non-ASCII bytes are not UTF-8."""
    with archives.member_stream(path, info.filename) as stream:
        read = 0
        while read < SNIFF_LIMIT and (chunk := stream.read(1 << 20)):
            read += len(chunk)
            start = next((i for i, byte in enumerate(chunk) if byte >= 0x80), None)
            if start is None:
                continue
            window = chunk[start : start + 4096] + stream.read(4)
            try:
                codecs.getincrementaldecoder("utf-8")().decode(window, final=False)
            except UnicodeDecodeError:
                return "cp1252"
            return "utf8"
    return "utf8"


def _codes(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """M49 codes as our country codes, null for an area that is not one country (each
    distinct code looked up once)."""
    index = countries()
    distinct = pc.unique(column)
    found: list[str | None] = []
    for text in distinct.to_pylist():
        digits = (text or "").strip().lstrip("'")
        country = index.by_iso_numeric.get(int(digits)) if digits.isdigit() else None
        found.append(None if country is None or country.is_aggregate else country.code)
    return pc.take(pa.array(found, pa.string()), pc.index_in(column, value_set=distinct))


class FaostatBulkReader(Reader):
    source = SOURCE
    title = "FAOSTAT detailed trade matrix, bulk (every reporter, partner and item)"
    patterns = ("trade_detailedtradematrix_*.zip",)

    def read_parts(self, path: Path, sha256: str) -> Iterator[ReadResult]:
        with archives.open_zip(path) as archive:
            info = data_member(path, archive)
        release = "{:04d}-{:02d}-{:02d}".format(*info.date_time[:3])
        encoding = _encoding(path, info)
        tally = _Tally()
        pending: list[pa.Table] = []
        lines: list[pa.Array] = []
        held = total = 0
        with archives.member_stream(path, info.filename) as stream:
            batches = self._batches(path, info, stream, encoding)
            line = 2
            for batch in batches:
                table, at = self._canonical(path, info, batch, line, sha256, release, tally)
                line += batch.num_rows
                if table.num_rows:
                    pending.append(table)
                    lines.append(at)
                    held += table.num_rows
                    total += table.num_rows
                if held >= PART_ROWS:
                    yield self._part(pending, lines, release, [], stream, info)
                    pending, lines, held = [], [], 0
        if not total:
            raise SourceFormatError(
                path,
                "no trade values of countries",
                member=info.filename,
                expected="'Export Value' or 'Import Value' rows",
            )
        yield self._part(pending, lines, release, _notes(tally), None, info)

    def read(self, path: Path, sha256: str) -> ReadResult:
        parts = list(self.read_parts(path, sha256))
        return ReadResult(
            table=pa.concat_tables([p.table for p in parts]),
            release=parts[-1].release,
            notes=[n for p in parts for n in p.notes],
            places=pa.concat_tables([p.places for p in parts if p.places is not None]),
        )

    @staticmethod
    def _batches(
        path: Path, info: zipfile.ZipInfo, stream: archives.BoundedStream, encoding: str
    ) -> Iterator[pa.RecordBatch]:
        text = pa.string()
        try:
            reader = pcsv.open_csv(
                stream,
                read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES, encoding=encoding),
                convert_options=pcsv.ConvertOptions(
                    column_types={c: text for c in COLUMNS},
                    include_columns=list(COLUMNS),
                    strings_can_be_null=True,
                ),
            )
        except KeyError as exc:  # a column of include_columns is not in the header
            raise SourceFormatError(
                path,
                f"the header lacks a column ({str(exc).strip(chr(34))})",
                member=info.filename,
                line=1,
                expected="the columns " + ", ".join(COLUMNS),
            ) from None
        except pa.ArrowInvalid as exc:
            raise _unparsable(path, info, exc) from None
        while True:
            try:
                yield reader.read_next_batch()
            except StopIteration:
                return
            except pa.ArrowInvalid as exc:
                raise _unparsable(path, info, exc) from None

    @staticmethod
    def _canonical(
        path: Path,
        info: zipfile.ZipInfo,
        batch: pa.RecordBatch,
        line: int,
        sha256: str,
        release: str,
        tally: _Tally,
    ) -> tuple[pa.Table, pa.Array]:
        """The batch's value rows in the canonical schema, and the line of each."""
        element = pc.utf8_lower(pc.utf8_trim_whitespace(batch.column("Element")))
        keep = pc.is_in(element, pa.array(list(ELEMENTS)))
        lines = pa.array(range(line, line + batch.num_rows), pa.int64())
        rows = pa.Table.from_batches([batch]).filter(keep)
        lines = lines.filter(keep)
        element = element.filter(keep)
        if not rows.num_rows:
            return FLOW_SCHEMA.empty_table(), _array(lines)
        unit = pc.utf8_trim_whitespace(rows.column("Unit"))
        listed = pc.is_in(unit, pa.array(UNITS))
        _refuse_first(path, info, lines, listed, unit, "Unit", "'1000 USD' for a trade value")
        year = pc.utf8_trim_whitespace(rows.column("Year"))
        numeric = pc.match_substring_regex(year, r"^(19|20)\d{2}$")
        _refuse_first(path, info, lines, numeric, year, "Year", "a year such as 2021")
        value_text = pc.utf8_trim_whitespace(rows.column("Value"))
        present = pc.and_(pc.is_valid(value_text), pc.not_equal(value_text, ""))
        tally.without_value += rows.num_rows - pc.sum(present.cast(pa.int64())).as_py()
        rows, lines, element = rows.filter(present), lines.filter(present), element.filter(present)
        year, value_text = year.filter(present), value_text.filter(present)
        try:
            value = pc.cast(value_text, pa.float64())
        except pa.ArrowInvalid:
            number = pa.array([_is_number(t) for t in value_text.to_pylist()])
            _refuse_first(
                path, info, lines, number, value_text, "Value", "a number in thousand USD"
            )
            raise
        reporter = _codes(rows.column(REPORTER_M49))
        partner = _codes(rows.column(PARTNER_M49))
        for codes, names, known in (
            (REPORTER_M49, "Reporter Countries", reporter),
            (PARTNER_M49, "Partner Countries", partner),
        ):
            missing = pc.is_null(known)
            if pc.any(missing).as_py():
                left = rows.filter(missing)
                for code, name in zip(
                    left.column(codes).to_pylist(), left.column(names).to_pylist(), strict=True
                ):
                    tally.areas[f"{(code or '').lstrip(chr(39))} {name}"] += 1
        placed = pc.and_(pc.is_valid(reporter), pc.is_valid(partner))
        own = pc.and_(placed, pc.equal(reporter, partner))
        tally.own += pc.sum(own.cast(pa.int64())).as_py() or 0
        kept = pc.and_(placed, pc.invert(own))
        rows, lines = rows.filter(kept), lines.filter(kept)
        reporter, partner = reporter.filter(kept), partner.filter(kept)
        element, value, year = element.filter(kept), value.filter(kept), year.filter(kept)
        exports = pc.equal(element, "export value")
        count = rows.num_rows

        def repeat(text: str) -> pa.Array:
            return pa.repeat(pa.scalar(text), count)

        table = pa.table(
            {
                "source": repeat(SOURCE),
                "release": repeat(release),
                "year": pc.cast(year, pa.int16()),
                "month": pa.nulls(count, pa.int8()),
                "exporter": pc.if_else(exports, reporter, partner),
                "importer": pc.if_else(exports, partner, reporter),
                "reported_by": pc.if_else(exports, "exporter", "importer"),
                "classification": repeat("FAO"),
                "product": pc.utf8_trim_whitespace(rows.column("Item")),
                "value_usd": pc.multiply(value, THOUSAND),
                "quantity": pa.nulls(count, pa.float64()),
                "quantity_unit": pa.nulls(count, pa.string()),
                "valuation": pc.if_else(exports, "FOB", "CIF"),
                "value_original": value,
                "currency": repeat("USD"),
                "transport_mode": pa.nulls(count, pa.string()),
                "file_sha256": repeat(sha256),
            },
            schema=FLOW_SCHEMA,
        )
        return table, _array(lines)

    @staticmethod
    def _part(
        tables: list[pa.Table],
        lines: list[pa.Array],
        release: str,
        notes: list[str],
        stream: archives.BoundedStream | None,
        info: zipfile.ZipInfo,
    ) -> ReadResult:
        table = pa.concat_tables(tables) if tables else FLOW_SCHEMA.empty_table()
        at = pa.concat_arrays(lines) if lines else pa.array([], pa.int64())
        places = pa.table({"member": pa.repeat(pa.scalar(info.filename), len(at)), "line": at})
        done = 1.0 if stream is None else min(1.0, stream.read_bytes / max(info.file_size, 1))
        return ReadResult(table=table, release=release, notes=notes, places=places, progress=done)


def _unparsable(path: Path, info: zipfile.ZipInfo, exc: pa.ArrowInvalid) -> SourceFormatError:
    return SourceFormatError(
        path,
        f"cannot be parsed as CSV ({str(exc).replace('CSV parse error: ', '')})",
        member=info.filename,
        expected="FAOSTAT's normalized trade matrix: comma-separated fields, quoted as "
        "FAOSTAT writes them, every line with every column",
    )


def _refuse_first(
    path: Path,
    info: zipfile.ZipInfo,
    lines: pa.Array,
    good: pa.Array,
    texts: pa.Array,
    field: str,
    expected: str,
) -> None:
    """Refuse the file at the first row whose ``field`` is not ``good``, naming its line."""
    if pc.all(good).as_py():
        return
    at = pc.index(good, False).as_py()
    raise SourceFormatError(
        path,
        f"unexpected {field} '{texts[at].as_py()}'",
        member=info.filename,
        line=lines[at].as_py(),
        field=field,
        expected=expected,
    )


def _array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def _is_number(text: str | None) -> bool:
    try:
        float(text or "")
    except ValueError:
        return False
    return True


def _notes(tally: _Tally) -> list[str]:
    notes = [
        "FAOSTAT bulk trade matrix: every partner each reporter declared to FAO (a "
        "reporter's world in an item is the sum of its partners); values in thousand USD "
        "stored times 1000; quantities not stored"
    ]
    if tally.without_value:
        notes.append(f"{tally.without_value:,} rows without a value are not available: no row")
    if tally.own:
        notes.append(f"{tally.own:,} rows with the reporter as its own partner give no row")
    if tally.areas:
        listed = "; ".join(f"{area} ({rows:,} rows)" for area, rows in tally.areas.most_common())
        notes.append(
            "rows of FAO areas that are not one country are not stored (FAO's 'China' "
            f"adds the mainland, Hong Kong, Macao and Taiwan): {listed}"
        )
    return notes
