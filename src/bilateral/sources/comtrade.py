"""UN Comtrade: trade reported by one country, by partner, product and mode of transport.

Three shapes of the same data are read:

* Comtrade+ CSV (the API's and the website's export) and bulk files (tab-separated,
  often gzipped, ``COMTRADE-FINAL-CA398202200H6[2024-05-14].gz``), with the columns
  ``typeCode, freqCode, refPeriodId, refYear, refMonth, period, reporterCode, reporterISO,
  ..., cifvalue, fobvalue, primaryValue, ...`` in camelCase or PascalCase;
* the API's JSON response, ``{"count": n, "data": [{...same fields...}], "error": ""}``;
* CSVs written from the R client comtradr (``year, month, trade_code, reporter_code,
  partner_iso, commodity_code, mot_desc, trade_value_us, ...``), which are often Latin-1
  behind a UTF-8 byte-order mark.

Column names are compared without case and underscores, so ``cmd_code`` is ``cmdCode``.

Decisions, which indicators rely on:

* Exports (X) are reported by the exporter at FOB (``fobvalue``, else ``primaryValue``),
  imports (M) by the importer at CIF (``cifvalue``, else ``primaryValue``).
* Re-exports (RX), re-imports (RM) and the other special flows are left out, with a
  note: Comtrade's X and M already include them, so keeping them would count them twice.
* Partner 0 (World) becomes ``WLD``.
* Rows broken down by second partner or customs procedure are left out (their totals,
  partner2 World and customs ``C00``, are kept), since the canonical table has no such
  columns and keeping both would double count.
* Every mode of transport is kept, in ``transport_mode`` (Comtrade's description:
  ``Road``, ``Air``, ...). Rows with ``transport_mode`` ``TOTAL MOT`` are the totals of
  the modes: never add them to the modes. Some files carry only the modes; their total
  is then the sum over modes.
* Monthly tables: a partner listed in some months of a year and absent from others
  (while the reporter's table for that product has rows in those months) traded nothing
  in those months; a zero row is added for each, so that its annual sum is known.
* Products at several HS levels (8703 and 870321) are all kept as published, with the
  classification (``HS22`` from classificationCode H6, or ``HS`` when the file does not
  say the revision). The levels overlap: indicators must never sum across levels.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from bilateral.errors import SourceFormatError
from bilateral.reference.countries import WORLD, countries
from bilateral.schema import FLOW_SCHEMA, TOTAL
from bilateral.sources import archives
from bilateral.sources.base import Reader, ReadResult
from bilateral.sources.textcolumns import Place, blank_to_null, to_float, to_int

TOTAL_TRANSPORT = "TOTAL MOT"
KEPT_FLOWS = {"X": "exporter", "M": "importer"}
FLOW_NAMES = {
    "RX": "re-exports",
    "RM": "re-imports",
    "DX": "domestic exports",
    "FM": "foreign imports",
    "MIP": "imports for inward processing",
    "XIP": "exports after inward processing",
    "MOP": "imports after outward processing",
    "XOP": "exports for outward processing",
}
# Comtrade's classificationCode: H0 is HS 1992, ..., H6 is HS 2022.
HS_EDITIONS = {"H0": "HS92", "H1": "HS96", "H2": "HS02", "H3": "HS07", "H4": "HS12",
               "H5": "HS17", "H6": "HS22", "HS": "HS"}  # fmt: skip
_PRODUCT = r"^(TOTAL|\d{2}|\d{4}|\d{6})$"
_RELEASE_IN_NAME = re.compile(r"\[(\d{4}-\d{2}-\d{2})\]")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Role:
    """A column the reader uses, under the names each layout gives it."""

    plus: str  # Comtrade+ (API, bulk, comtradr >= 1.0 after removing underscores)
    legacy: str | None = None  # comtradr < 1.0 ("trade_value_us")

    def find(self, names: dict[str, str]) -> str | None:
        for candidate in (self.plus, self.legacy):
            if candidate and _normal(candidate) in names:
                return names[_normal(candidate)]
        return None


ROLES = {
    "type": Role("typeCode"),
    "freq": Role("freqCode"),
    "year": Role("refYear", "year"),
    "month": Role("refMonth", "month"),
    "period": Role("period"),
    "flow": Role("flowCode", "trade_code"),
    "reporter_code": Role("reporterCode", "reporter_code"),
    "reporter_iso": Role("reporterISO"),
    "reporter_name": Role("reporterDesc", "reporter"),
    "partner_code": Role("partnerCode", "partner_code"),
    "partner_iso": Role("partnerISO", "partner_iso"),
    "partner_name": Role("partnerDesc", "partner"),
    "partner2": Role("partner2Code"),
    "customs": Role("customsCode"),
    "classification": Role("classificationCode"),
    "product": Role("cmdCode", "commodity_code"),
    "level": Role("aggrLevel", "aggregate_level"),
    "mot_code": Role("motCode", "mot_code"),
    "mot_desc": Role("motDesc", "mot_desc"),
    "qty_unit_code": Role("qtyUnitCode", "QtyUnitCode"),
    "qty_unit": Role("qtyUnitAbbr", "QtyUnitAbbr"),
    "qty": Role("qty", "Qty"),
    "net_weight": Role("netWgt", "netweight_kg"),
    "value": Role("primaryValue", "trade_value_us"),
    "cif": Role("cifvalue"),
    "fob": Role("fobvalue"),
}
REQUIRED = ("flow", "reporter_code", "partner_code", "product", "value")


def _normal(name: str) -> str:
    return name.replace("\ufeff", "").replace("_", "").strip().strip('"').lower()


@dataclass
class Columns:
    """A file's columns as text arrays, by role, with where its first row sits."""

    arrays: dict[str, pa.Array]
    place: Place
    legacy: bool  # comtradr < 1.0 names, used to name a missing column in errors
    rows: int

    def get(self, role: str) -> pa.Array | None:
        return self.arrays.get(role)

    def need(self, role: str) -> pa.Array:
        found = self.arrays.get(role)
        if found is None:
            spec = ROLES[role]
            name = spec.legacy if self.legacy and spec.legacy else spec.plus
            raise SourceFormatError(
                self.place.path,
                f"missing column '{name}'",
                expected="the Comtrade column set ("
                + ", ".join(_display(REQUIRED, self.legacy))
                + ", ...)",
            )
        return found


def _display(roles: tuple[str, ...], legacy: bool) -> list[str]:
    return [(ROLES[r].legacy if legacy and ROLES[r].legacy else ROLES[r].plus) or r for r in roles]


def _by_role(table_names: list[str]) -> tuple[dict[str, str], bool]:
    names = {_normal(n): n for n in table_names}
    found = {}
    for role, spec in ROLES.items():
        column = spec.find(names)
        if column is not None:
            found[role] = column
    legacy = "tradevalueus" in names or "tradecode" in names
    return found, legacy


# ---------------------------------------------------------------------------- reading files


@contextmanager
def _open_text(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, decompressed if gzipped (within bounds: see
    :class:`bilateral.sources.archives.BoundedStream`), positioned after a byte-order mark."""
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        if not gzipped:
            yield _after_bom(raw)
            return
        with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
            stream = cast(IO[bytes], unzipped)
            # Arrow reads the CSV whole (no streaming reader to abort), and an API
            # answer is JSON on one line: lines are not bounded here, only sizes
            bounded = archives.BoundedStream(stream, path, compressed=raw.tell, lines=False)
            yield _after_bom(cast(IO[bytes], bounded))


def _after_bom(stream: IO[bytes]) -> IO[bytes]:
    if stream.read(3) != _BOM:
        stream.seek(0)
    return stream


def read_csv_columns(path: Path) -> Columns:
    """A Comtrade CSV or tab-separated bulk file, every column as text."""
    with _open_text(path) as stream:
        first = stream.readline()
    delimiter = "\t" if b"\t" in first else ","
    names = [n.decode("latin-1") for n in _split_header(first, delimiter)]
    if not any(names):
        raise SourceFormatError(path, "the file is empty", expected="a header line")
    table = None
    for encoding in ("utf8", "latin1"):
        try:
            with _open_text(path) as stream:
                table = pcsv.read_csv(
                    stream,
                    read_options=pcsv.ReadOptions(encoding=encoding, use_threads=True),
                    parse_options=pcsv.ParseOptions(delimiter=delimiter),
                    convert_options=pcsv.ConvertOptions(
                        column_types={n: pa.string() for n in names},
                        strings_can_be_null=False,
                        quoted_strings_can_be_null=False,
                    ),
                )
            break
        except pa.ArrowInvalid as exc:
            if encoding == "utf8" and "UTF8" in str(exc):
                continue  # comtradr files are Latin-1 behind a UTF-8 byte-order mark
            raise SourceFormatError(
                path,
                f"cannot be parsed as CSV ({str(exc).replace('CSV parse error: ', '')})",
                expected="the same number of fields on every line as in the header",
            ) from None
    assert table is not None
    roles, legacy = _by_role(table.column_names)
    arrays = {role: table.column(column).combine_chunks() for role, column in roles.items()}
    return Columns(arrays, Place(path, 2), legacy, table.num_rows)


def _split_header(line: bytes, delimiter: str) -> list[bytes]:
    cells = line.rstrip(b"\r\n").split(delimiter.encode())
    return [c.strip().strip(b'"') for c in cells]


def read_json_columns(path: Path) -> Columns:
    """A Comtrade API response: ``{"data": [records]}`` (or a bare list of records)."""
    try:
        with _open_text(path) as stream:
            document = json.loads(stream.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceFormatError(
            path, f"is not valid JSON ({exc})", expected="a Comtrade API response"
        ) from None
    if isinstance(document, dict):
        if document.get("error"):
            raise SourceFormatError(
                path,
                f"the API answered with an error: {document['error']}",
                expected="a response with data",
            )
        records = document.get("data")
    else:
        records = document
    if not isinstance(records, list):
        raise SourceFormatError(
            path, "no 'data' list", expected='a Comtrade API response {"data": [...]}'
        )
    keys: dict[str, None] = {}
    for record in records:
        keys.update(dict.fromkeys(record))
    roles, legacy = _by_role(list(keys))
    arrays = {
        role: pa.array([_text(record.get(column)) for record in records], pa.string())
        for role, column in roles.items()
    }
    return Columns(arrays, Place(path, 1, kind="row"), legacy, len(records))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ---------------------------------------------------------------------------- to canonical rows


def _countries(
    codes: pa.Array, isos: pa.Array | None, names: pa.Array | None, place: Place, field: str
) -> pa.Array:
    """Comtrade reporter or partner codes as bilateral's codes, via their unique values."""
    codes = pc.utf8_trim_whitespace(codes)
    parts = {"code": codes}
    if isos is not None:
        parts["iso"] = pc.utf8_trim_whitespace(isos)
    if names is not None:
        parts["name"] = names
    distinct = pa.table(parts).group_by(list(parts)).aggregate([]).to_pylist()
    placed: dict[str, str] = {}
    for entry in distinct:
        code = entry["code"]
        if code in placed:
            continue
        found = _place_country(code, entry.get("iso"), entry.get("name"))
        if found is None:
            offset = pc.index(codes, code).as_py()
            described = ", ".join(
                f"{k} '{entry[k]}'" for k in ("iso", "name") if entry.get(k) not in (None, "")
            )
            raise place.error(
                offset,
                f"unknown country code '{code}'" + (f" ({described})" if described else ""),
                field=field,
                expected="a Comtrade country or area code bilateral knows; add areas to "
                "reference/data/aggregates.tsv and names to country_aliases.tsv",
            )
        placed[code] = found
    keys = pa.array(list(placed), pa.string())
    labels = pa.array(list(placed.values()), pa.string())
    return labels.take(pc.index_in(codes, value_set=keys))


def _place_country(code: str | None, iso: str | None, name: str | None) -> str | None:
    index = countries()
    if code == "0" or iso == "W00":
        return WORLD
    if iso and iso.upper() in index.by_code:
        return iso.upper()
    if code and code.isdigit():
        found = index.from_baci(int(code)) or index.by_iso_numeric.get(int(code))
        if found is not None:
            return found.code
    if name:
        by_name = index.find(name)
        if by_name is not None:
            return by_name.code
    return None


def _flow_notes(flow: pa.Array) -> list[str]:
    left = pc.filter(flow, pc.invert(pc.is_in(flow, value_set=pa.array(list(KEPT_FLOWS)))))
    if not len(left):
        return []
    counts = pc.value_counts(left).to_pylist()
    described = ", ".join(
        f"{c['counts']} {c['values']}"
        + (f" ({FLOW_NAMES[c['values']]})" if c["values"] in FLOW_NAMES else "")
        for c in sorted(counts, key=lambda c: str(c["values"]))
    )
    return [
        f"left out rows of flows other than exports (X) and imports (M): {described}; "
        "Comtrade's X and M already include them"
    ]


def _is_total(values: pa.Array | None, totals: tuple[str, ...]) -> pa.Array | None:
    if values is None:
        return None
    text = blank_to_null(values)
    return pc.or_kleene(pc.is_null(text), pc.is_in(text, value_set=pa.array(totals)))


def _product(columns: Columns) -> pa.Array:
    product = pc.utf8_upper(pc.utf8_trim_whitespace(columns.need("product")))
    level = columns.get("level")
    digits = pc.utf8_is_digit(product)
    if level is not None:
        level = pc.utf8_trim_whitespace(level)
        for width in ("6", "4", "2"):  # codes written as numbers lose their leading zero
            product = pc.if_else(
                pc.and_(pc.equal(level, width), digits),
                pc.utf8_lpad(product, int(width), "0"),
                product,
            )
    odd = pc.and_(digits, pc.equal(pc.bit_wise_and(pc.utf8_length(product), 1), 1))
    product = pc.if_else(odd, pc.binary_join_element_wise("0", product, ""), product)
    bad = pc.invert(pc.match_substring_regex(product, _PRODUCT))
    if pc.any(bad).as_py():
        offset = pc.index(bad, True).as_py()
        raise columns.place.error(
            offset,
            f"commodity code '{columns.need('product')[offset].as_py()}'",
            field=ROLES["product"].plus,
            expected="TOTAL or an HS code of 2, 4 or 6 digits",
        )
    return product


def _classification(columns: Columns, product: pa.Array) -> pa.Array:
    given = columns.get("classification")
    if given is None:
        edition = pa.repeat(pa.scalar("HS"), len(product))
    else:
        text = pc.utf8_upper(pc.utf8_trim_whitespace(given))
        keys = pa.array(list(HS_EDITIONS))
        edition = pc.coalesce(
            pa.array(list(HS_EDITIONS.values())).take(pc.index_in(text, value_set=keys)), text
        )
    return pc.if_else(pc.equal(product, TOTAL), TOTAL, edition)


def _month(columns: Columns, year_place: Place) -> pa.Array:
    month = columns.get("month")
    if month is None:
        period = columns.get("period")
        if period is None:
            return pa.nulls(columns.rows, pa.int8())
        digits = pc.replace_substring_regex(pc.utf8_trim_whitespace(period), r"\D", "")
        month = pc.if_else(
            pc.greater_equal(pc.utf8_length(digits), 6), pc.utf8_slice_codeunits(digits, 4, 6), None
        )
    number = to_int(month, year_place, field="month", expected="a month", required=False)
    monthly = pc.and_(pc.greater_equal(number, 1), pc.less_equal(number, 12))
    freq = columns.get("freq")
    if freq is not None:
        monthly = pc.and_kleene(monthly, pc.invert(pc.equal(pc.utf8_trim_whitespace(freq), "A")))
    return pc.cast(pc.if_else(monthly, number, None), pa.int8())


def _year(columns: Columns) -> pa.Array:
    year = columns.get("year")
    if year is None:
        period = columns.get("period")
        if period is None:
            columns.need("year")
        assert period is not None
        year = pc.utf8_slice_codeunits(pc.utf8_trim_whitespace(period), 0, 4)
    number = to_int(
        year, columns.place, field="year", expected="a year such as 2022", type_=pa.int16()
    )
    plausible = pc.and_(pc.greater_equal(number, 1900), pc.less_equal(number, 2100))
    if not pc.all(plausible).as_py():
        offset = pc.index(plausible, False).as_py()
        raise columns.place.error(
            offset,
            f"year '{year[offset].as_py()}'",
            field="year",
            expected="a four-digit year such as 2022",
        )
    return number


def _transport(columns: Columns) -> pa.Array:
    desc = columns.get("mot_desc")
    code = columns.get("mot_code")
    if desc is not None:
        return pc.utf8_trim_whitespace(desc)
    if code is not None:
        code = pc.utf8_trim_whitespace(code)
        named = pc.binary_join_element_wise("mode ", code, "")
        return pc.if_else(pc.equal(code, "0"), TOTAL_TRANSPORT, named)
    return pa.nulls(columns.rows, pa.string())


def _quantity(columns: Columns) -> tuple[pa.Array, pa.Array]:
    """Comtrade's quantity in its own unit; net weight in kg when no unit is given."""
    place = columns.place
    rows = columns.rows
    qty = columns.get("qty")
    quantity = (
        to_float(qty, place, field="qty", expected="a quantity", required=False)
        if qty is not None
        else pa.nulls(rows, pa.float64())
    )
    unit = columns.get("qty_unit")
    unit = blank_to_null(unit, ("", "N/A", "NA", "null")) if unit is not None else None
    code = columns.get("qty_unit_code")
    usable = pc.invert(pc.is_null(quantity))
    if unit is None:
        usable = pa.repeat(pa.scalar(False), rows)
    else:
        usable = pc.and_kleene(usable, pc.invert(pc.is_null(unit)))
    if code is not None:
        usable = pc.and_kleene(usable, pc.not_equal(pc.utf8_trim_whitespace(code), "-1"))
    usable = pc.fill_null(usable, False)
    weight_column = columns.get("net_weight")
    weight = (
        to_float(weight_column, place, field="netWgt", expected="kilograms", required=False)
        if weight_column is not None
        else pa.nulls(rows, pa.float64())
    )
    value = pc.if_else(usable, quantity, weight)
    label = pc.if_else(
        usable, unit if unit is not None else pa.nulls(rows, pa.string()), pa.scalar("kg")
    )
    label = pc.if_else(pc.is_null(value), None, label)
    return value, label


def canonical(columns: Columns, sha256: str, release: str) -> tuple[pa.Table, list[str]]:
    """Columns of a Comtrade file as canonical rows, and the notes users must see."""
    place = columns.place
    rows = columns.rows
    notes: list[str] = []
    for role in REQUIRED:
        columns.need(role)
    kind = columns.get("type")
    if kind is not None:
        goods = pc.equal(pc.utf8_upper(pc.utf8_trim_whitespace(kind)), "C")
        if not pc.all(goods).as_py():
            offset = pc.index(goods, False).as_py()
            raise place.error(
                offset,
                f"typeCode '{kind[offset].as_py()}'",
                field="typeCode",
                expected="C (goods); services are not trade flows of goods",
            )
    flow = pc.utf8_upper(pc.utf8_trim_whitespace(columns.need("flow")))
    flow = pc.replace_substring_regex(flow, r"^EXPORT$", "X")
    flow = pc.replace_substring_regex(flow, r"^IMPORT$", "M")
    year = _year(columns)
    month = _month(columns, place)
    reporter = _countries(
        columns.need("reporter_code"),
        columns.get("reporter_iso"),
        columns.get("reporter_name"),
        place,
        "reporterCode",
    )
    partner = _countries(
        columns.need("partner_code"),
        columns.get("partner_iso"),
        columns.get("partner_name"),
        place,
        "partnerCode",
    )
    product = _product(columns)
    classification = _classification(columns, product)
    primary = to_float(columns.need("value"), place, field="primaryValue", expected="USD")
    fob = columns.get("fob")
    cif = columns.get("cif")
    fob = to_float(fob, place, field="fobvalue", expected="USD", required=False) if fob else None
    cif = to_float(cif, place, field="cifvalue", expected="USD", required=False) if cif else None
    is_export = pc.equal(flow, "X")
    preferred = pc.if_else(is_export, _or_nulls(fob, rows), _or_nulls(cif, rows))
    has_preferred = pc.fill_null(pc.greater(preferred, 0), False)
    value = pc.if_else(has_preferred, preferred, primary)
    quantity, unit = _quantity(columns)
    transport = _transport(columns)

    keep = pc.is_in(flow, value_set=pa.array(list(KEPT_FLOWS)))
    notes += _flow_notes(flow)
    for role, totals, what in (
        ("partner2", ("0",), "second partner"),
        ("customs", ("C00",), "customs procedure"),
    ):
        total = _is_total(columns.get(role), totals)
        if total is None:
            continue
        dropped = pc.sum(pc.and_(keep, pc.invert(total))).as_py() or 0
        if dropped:
            notes.append(f"left out {dropped} rows broken down by {what}; their totals are kept")
        keep = pc.and_(keep, total)

    table = pa.Table.from_arrays(
        [
            pa.repeat(pa.scalar(ComtradeReader.source), rows),
            pa.repeat(pa.scalar(release), rows),
            year,
            month,
            pc.if_else(is_export, reporter, partner),
            pc.if_else(is_export, partner, reporter),
            pc.if_else(is_export, "exporter", "importer"),
            classification,
            product,
            value,
            quantity,
            unit,
            pc.if_else(is_export, "FOB", "CIF"),
            value,
            pa.repeat(pa.scalar("USD"), rows),
            transport,
            pa.repeat(pa.scalar(sha256), rows),
        ],
        schema=FLOW_SCHEMA,
    ).filter(keep)
    fallback = pc.sum(pc.and_(keep, pc.invert(has_preferred))).as_py() or 0
    if fallback and (fob is not None or cif is not None):
        notes.append(
            f"{fallback} rows had no FOB value (exports) or CIF value (imports); "
            "Comtrade's primaryValue was used"
        )
    notes += _structure_notes(table)
    return table, notes


def absent_months_as_zero(table: pa.Table) -> tuple[pa.Table, int]:
    """``table`` with a zero row for every month in which a partner listed in a year of a
    monthly table has none, and how many were added.

    A table is one reporter's flow of one product (at one classification and valuation)
    in a year; its months are those in which it has any row. Comtrade lists the partners
    a reporter traded with each month, so a partner absent from a month of its table
    traded nothing that month: without the zero it would lose its annual total for want
    of a twelfth month, and a share would be of the partners present every month. The
    zero is the month's total over modes (``TOTAL MOT``) where the file has modes.
    """
    monthly = table.filter(pc.is_valid(table.column("month")))
    if not monthly.num_rows:
        return table, 0
    frame = monthly.select(
        ["source", "release", "year", "month", "exporter", "importer", "reported_by",
         "classification", "product", "valuation", "currency", "file_sha256"]
    ).to_pandas()  # fmt: skip
    by_exporter = frame.reported_by == "exporter"
    frame["_reporter"] = frame.exporter.where(by_exporter, frame.importer)
    frame["_partner"] = frame.importer.where(by_exporter, frame.exporter)
    keys = ["source", "year", "reported_by", "_reporter", "classification", "product",
            "valuation"]  # fmt: skip
    months = frame[[*keys, "month"]].drop_duplicates()
    partners = frame.drop(columns=["month"]).drop_duplicates([*keys, "_partner"])
    every = partners.merge(months, on=keys)
    present = frame[[*keys, "_partner", "month"]].drop_duplicates()
    every = every.merge(present, on=[*keys, "_partner", "month"], how="left", indicator=True)
    absent = every[every["_merge"] == "left_only"].drop(columns=["_merge", "_reporter", "_partner"])
    if absent.empty:
        return table, 0
    modes = pc.unique(table.column("transport_mode").drop_null())
    absent = absent.assign(
        value_usd=0.0,
        value_original=0.0,
        transport_mode=TOTAL_TRANSPORT if len(modes) else None,
    )
    zeros = pa.Table.from_pandas(absent, preserve_index=False)
    zeros = pa.Table.from_arrays(
        [
            zeros.column(f.name).cast(f.type)
            if f.name in zeros.column_names
            else pa.nulls(zeros.num_rows, f.type)
            for f in FLOW_SCHEMA
        ],
        schema=FLOW_SCHEMA,
    )
    return pa.concat_tables([table, zeros.cast(table.schema)]), zeros.num_rows


def _or_nulls(values: pa.Array | None, rows: int) -> pa.Array:
    return values if values is not None else pa.nulls(rows, pa.float64())


def _structure_notes(table: pa.Table) -> list[str]:
    """Say where rows overlap: transport-mode totals and products at several HS levels."""
    notes = []
    modes = pc.unique(table.column("transport_mode").drop_null()).to_pylist()
    if any(m != TOTAL_TRANSPORT for m in modes):
        key = ["year", "month", "exporter", "importer", "reported_by", "product"]
        flagged = table.select(key).append_column(
            "is_total", pc.equal(table.column("transport_mode"), TOTAL_TRANSPORT)
        )
        groups = flagged.group_by(key).aggregate([("is_total", "any")])
        without = pc.sum(pc.invert(groups.column("is_total_any"))).as_py() or 0
        notes.append(
            f"rows are split by mode of transport ({', '.join(sorted(modes))}); "
            f"rows with transport_mode '{TOTAL_TRANSPORT}' are totals of the modes, never add "
            "them to the modes"
            + (
                f"; {without} observations have modes but no '{TOTAL_TRANSPORT}' row, "
                "their total is the sum over modes"
                if without
                else ""
            )
        )
    lengths = pc.unique(
        pc.utf8_length(
            pc.filter(table.column("product"), pc.not_equal(table.column("product"), TOTAL))
        )
    ).to_pylist()
    if len(lengths) > 1:
        notes.append(
            "products at HS levels "
            + " and ".join(str(n) for n in sorted(lengths))
            + " overlap (e.g. 8703 holds 870321): never sum across levels"
        )
    return notes


def file_release(path: Path) -> str | None:
    """The publication date in a bulk file's name, when the name carries one."""
    match = _RELEASE_IN_NAME.search(path.name)
    return match.group(1) if match else None


def latest_period(table: pa.Table) -> str:
    """The last period a file covers, as YYYY-MM (or YYYY for annual data)."""
    year = pc.max(table.column("year")).as_py()
    months = pc.filter(table.column("month"), pc.equal(table.column("year"), year))
    month = pc.max(months).as_py() if len(months) else None
    return f"{year}-{month:02d}" if month else str(year)


class ComtradeReader(Reader):
    source = "comtrade"
    title = "UN Comtrade, trade by reporter, partner, product and mode of transport"
    patterns = (
        "comtrade*.csv",
        "comtrade*.json",
        "comtrade*.gz",
        "comtrade*.txt",
        "TradeData*.csv",
    )
    text = True

    def kinds(self, path: Path) -> frozenset[str] | None:
        """Bulk files come gzipped under any name; the rest are text."""
        return frozenset({"text", "gzip"})

    def read(self, path: Path, sha256: str) -> ReadResult:
        load: Callable[[Path], Columns] = (
            read_json_columns if path.suffix.lower() == ".json" else read_csv_columns
        )
        columns = load(path)
        release = file_release(path)
        table, notes = canonical(columns, sha256, release or "")
        if release is None and table.num_rows:
            # No publication date in the file: the last period it covers orders extracts,
            # and unlike a modification time it is the same on every machine.
            release = latest_period(table)
            notes.append(
                f"release '{release}' is the last period the file covers: Comtrade files "
                "other than bulk downloads do not carry their publication date"
            )
            table = table.set_column(
                table.schema.get_field_index("release"),
                "release",
                pa.repeat(pa.scalar(release), table.num_rows),
            )
        table, zeros = absent_months_as_zero(table)
        if zeros:
            notes.append(
                f"{zeros} zero rows added: a partner absent from a month of a reporter's "
                "monthly table for a product traded nothing that month (so that its year "
                "is complete)"
            )
        return ReadResult(table=table, release=release or "", notes=notes)
