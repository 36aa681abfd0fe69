"""Numbers held as text in publishers' CSV files, converted a whole Arrow column at a time.

Bulk readers read CSV columns as text, so that codes keep their leading zeros and "NA"
can be told apart from Namibia, then convert the numeric ones here. Conversion is
vectorised; only when it fails is the column searched for the first value that does not
parse, so that the error can name its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from bilateral.errors import SourceFormatError

# Text that means "no value" in the files we read: empty, R's NA, Comtrade's null.
MISSING = ("", "NA", "null")
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d+$"


@dataclass(frozen=True)
class Place:
    """Where a column's first value sits: the file, the zip member, the line (1-based).

    ``kind`` is "line" for text files and "row" for records of a JSON document.
    """

    path: Path
    first_line: int
    member: str | None = None
    kind: str = "line"

    def error(self, offset: int, problem: str, *, field: str, expected: str) -> SourceFormatError:
        """An error about the value ``offset`` rows below the column's first value."""
        number = self.first_line + offset
        return SourceFormatError(
            self.path,
            problem,
            member=self.member,
            line=number if self.kind == "line" else None,
            row=number if self.kind == "row" else None,
            field=field,
            expected=expected,
        )


def blank_to_null(values: pa.Array, missing: tuple[str, ...] = MISSING) -> pa.Array:
    """Trim spaces and turn the markers of a missing value into nulls (R pads numbers)."""
    text = pc.utf8_trim_whitespace(values)
    return pc.if_else(pc.is_in(text, value_set=pa.array(missing)), None, text)


def to_float(
    values: pa.Array,
    place: Place,
    *,
    field: str,
    expected: str,
    required: bool = True,
) -> pa.Array:
    """Text to float64. Missing values are an error when ``required``, else null.

    The fast path casts directly; padded text and missing markers take a second pass.
    """
    return _convert(values, pa.float64(), _NUMBER, place, field, expected, required)


def to_int(
    values: pa.Array,
    place: Place,
    *,
    field: str,
    expected: str,
    required: bool = True,
    type_: pa.DataType | None = None,
) -> pa.Array:
    """Text to an integer type (int32 unless ``type_`` says otherwise), like :func:`to_float`."""
    target = type_ if type_ is not None else pa.int32()
    return _convert(values, target, _INTEGER, place, field, expected, required)


def _convert(
    values: pa.Array,
    type_: pa.DataType,
    pattern: str,
    place: Place,
    field: str,
    expected: str,
    required: bool,
) -> pa.Array:
    if values.null_count == 0 or not required:
        try:
            return pc.cast(values, type_)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    text = blank_to_null(values)
    if required and text.null_count:
        offset = _first(pc.is_null(text))
        raise place.error(offset, "the value is missing", field=field, expected=expected)
    try:
        return pc.cast(text, type_)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        valid = pc.or_kleene(pc.is_null(text), pc.match_substring_regex(text, pattern))
        offset = _first(pc.invert(valid))
        if offset < 0:  # every value looks like a number: one is out of range for the type
            raise SourceFormatError(
                place.path,
                f"a value is out of range for {type_}",
                member=place.member,
                field=field,
                expected=expected,
            ) from None
        shown = _shorten(values[offset].as_py())
        raise place.error(
            offset, f"'{shown}' is not a number", field=field, expected=expected
        ) from None


def _first(mask: pa.Array) -> int:
    """Index of the first true value of a boolean array, or -1."""
    found = pc.index(mask, True).as_py()
    return int(found)


def _shorten(text: str | None, limit: int = 40) -> str:
    text = "" if text is None else re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
