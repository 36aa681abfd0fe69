"""FAOSTAT's bulk trade matrix built at test time, as FAOSTAT ships it: a zip holding the
normalized CSV (every field quoted, CRLF line ends, M49 codes behind an apostrophe) and
its code lists. The columns and element codes are those of FAOSTAT's bulk download of
the detailed trade matrix (``Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip``)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence

FAOSTAT_HEADER = [
    "Reporter Country Code",
    "Reporter Country Code (M49)",
    "Reporter Countries",
    "Partner Country Code",
    "Partner Country Code (M49)",
    "Partner Countries",
    "Item Code",
    "Item Code (CPC)",
    "Item",
    "Element Code",
    "Element",
    "Year Code",
    "Year",
    "Unit",
    "Value",
    "Flag",
]
FAOSTAT_ROWS = [
    ["108", "'398", "Kazakhstan", "185", "'643", "Russian Federation", "15", "'0111", "Wheat"]
    + ["5922", "Export value", "2022", "2022", "1000 USD", "152211", "A"],
    ["185", "'643", "Russian Federation", "108", "'398", "Kazakhstan", "44", "'0115", "Barley"]
    + ["5622", "Import value", "2022", "2022", "1000 USD", "22700", "A"],
]
DATA_MEMBER = "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).csv"
FAOSTAT_MEMBERS = (
    "Trade_DetailedTradeMatrix_E_AreaCodes.csv",
    "Trade_DetailedTradeMatrix_E_Elements.csv",
    "Trade_DetailedTradeMatrix_E_Flags.csv",
    "Trade_DetailedTradeMatrix_E_ItemCodes.csv",
)
ZIP_NAME = "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip"


def faostat_zip(
    header: Sequence[str] = FAOSTAT_HEADER,
    rows: Sequence[Sequence[str]] = FAOSTAT_ROWS,
    *,
    encoding: str = "utf-8",
    date: tuple[int, int, int] = (2025, 1, 8),
) -> bytes:
    """FAOSTAT's bulk zip: the normalized CSV (quoted, CRLF) and its code lists; the data
    member dated ``date`` in the zip's directory."""
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        member = zipfile.ZipInfo(DATA_MEMBER, date_time=(*date, 0, 0, 0))
        member.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(member, text.getvalue().encode(encoding))
        for name in FAOSTAT_MEMBERS:
            archive.writestr(name, '"Code","Name"\r\n"1","x"\r\n')
    return buffer.getvalue()
