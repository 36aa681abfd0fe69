"""UN Comtrade's bulk files: a reporter's whole year (or month), every partner and product.

The bulk API needs a subscription key. It answers a reporter and period with a listing,
``{"count": n, "data": [{"fileUrl": ..., "publicationDate": ..., ...}]}``, one entry per
file (one per HS edition the reporter used); each file is gzipped tab-separated text that
:class:`bilateral.sources.comtrade.ComtradeReader` reads. A file is named as Comtrade's own
client names it (``COMTRADE-FINAL-CA398202200H6[2024-05-14].gz``), so its publication date
is its release, and is verified whole: the gzip's checksum and the columns the reader needs.
"""

from __future__ import annotations

import gzip
import json
import urllib.parse
import zlib
from dataclasses import dataclass
from pathlib import Path

from bilateral.sources.download import COMTRADE_API, ComtradeQuery, DownloadError

#: Columns every bulk file has (compared without case), the reader's minimum.
BULK_COLUMNS = ("period", "reportercode", "flowcode", "partnercode", "cmdcode", "primaryvalue")
_LISTED = ("fileUrl", "typeCode", "freqCode", "reporterCode", "period", "classificationCode")


@dataclass(frozen=True)
class BulkFile:
    """One file of a bulk listing: where it is and the name it is saved under."""

    url: str
    name: str


def bulk_listing_url(query: ComtradeQuery) -> str:
    """The bulk API's listing of a reporter's files for a period (every partner and product)."""
    parameters = urllib.parse.urlencode({"reporterCode": query.reporter, "period": query.period})
    return f"{COMTRADE_API}/bulk/v1/get/C/{query.frequency}/HS?{parameters}"


def bulk_files(listing: Path, asked: str) -> list[BulkFile]:
    """The files a listing names; a listing with none says what was asked in one line."""
    try:
        answer = json.loads(listing.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DownloadError(f"UN Comtrade's bulk listing is not JSON ({exc}).") from None
    entries = answer.get("data") if isinstance(answer, dict) else None
    if not entries:
        reason = answer.get("error") or answer.get("message") if isinstance(answer, dict) else ""
        raise DownloadError(
            f"UN Comtrade lists no bulk file for {asked}"
            + (f": {' '.join(str(reason).split())}" if reason else "")
            + "; check the reporter and period, or whether the reporter has published it."
        )
    files = []
    for number, entry in enumerate(entries, start=1):
        missing = [k for k in _LISTED if not isinstance(entry, dict) or entry.get(k) is None]
        if missing:
            raise DownloadError(
                f"UN Comtrade's bulk listing, entry {number}: lacks {', '.join(missing)}."
            )
        published = str(entry.get("publicationDate") or "1900-01-01")[:10]
        period = str(entry["period"])
        period += "00" if len(period) == 4 else ""  # a year as month 00: 202200, 202301
        name = (
            f"COMTRADE-FINAL-{entry['typeCode']}{entry['freqCode']}"
            f"{int(entry['reporterCode']):03d}{period}{entry['classificationCode']}"
            f"[{published}].gz"
        )
        files.append(BulkFile(str(entry["fileUrl"]), name))
    return files


def check_bulk_file(path: Path, dest: Path) -> None:
    """A whole gzip (its CRC checked to the end) of tab-separated text with the columns
    the reader needs."""
    try:
        with gzip.open(path, "rb") as stream:
            header = stream.readline()
            while stream.read(1 << 20):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise DownloadError(
            f"{dest.name}: not a whole gzip file ({exc}); it was removed, run the command again."
        ) from None
    names = {
        name.strip().lower() for name in header.decode("utf-8", "replace").split("\t")
    }
    missing = [column for column in BULK_COLUMNS if column not in names]
    if missing:
        raise DownloadError(
            f"{dest.name}: the header lacks the columns {', '.join(missing)}; not a UN "
            "Comtrade bulk file (tab-separated, one header line)."
        )
