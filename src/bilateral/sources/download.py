"""Fetching publishers' bulk files: resumable, verified, never half-written.

A BACI release is a zip of one to several gigabytes. The download goes to
``<name>.part``; an interrupted transfer resumes from where it stopped with an HTTP
``Range`` request (and starts over cleanly when the server ignores the range). The file
takes its final name only after its length matches ``Content-Length``, the zip opens and
every member's CRC checks; its SHA-256 is then written beside it, in ``sha256sum`` format.

Publishers do not always answer with data. A publisher that cannot be reached, that sends
an HTML page (maintenance, a moved address, a login or cookie wall) in place of the file,
or that limits how often it may be asked (HTTP 429, with ``Retry-After``) gets one line
saying so; a short ``Retry-After`` is waited out. The same machinery fetches FAOSTAT's bulk
trade matrix (a zip) and Eurostat's Comext bulk files (7z archives, whose structure and
header checksums are verified here; the members' checksums are checked by 7-Zip when
unpacking).
"""

from __future__ import annotations

import binascii
import hashlib
import http.client
import json
import os
import re
import socket
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilateral.errors import BilateralError
from bilateral.reference.countries import WORLD

BACI_URL = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{hs}_{release}.zip"
FAOSTAT_BULK = "https://bulks-faostat.fao.org/production/{name}"
FAOSTAT_TRADE_MATRIX = "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip"
#: The columns of FAOSTAT's normalized bulk CSV that a trade matrix must have.
FAOSTAT_COLUMNS = (
    "Reporter Country Code",
    "Partner Country Code",
    "Item Code",
    "Element",
    "Year",
    "Unit",
    "Value",
)
COMTRADE_API = "https://comtradeapi.un.org"
#: The environment variable that holds a user's UN Comtrade subscription key.
COMTRADE_KEY_ENV = "COMTRADE_API_KEY"
#: Rows the public (keyless) preview API returns at most.
COMTRADE_PREVIEW_ROWS = 500
COMEXT_BULK = (
    "https://ec.europa.eu/eurostat/api/dissemination/files?file=comext/COMEXT_DATA/PRODUCTS/{name}"
)
#: Retry-After waits up to this long are waited out; longer ones end the download.
LONGEST_WAIT = 60.0
HS_REVISIONS = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")
CHUNK = 1 << 20
USER_AGENT = "bilateral (Python urllib)"
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")

Progress = Callable[[int, int | None], None]  # bytes held so far, total if known
Check = Callable[[Path, Path], None]  # (file to check, its final name) -> raise DownloadError


class DownloadError(BilateralError):
    """A download that could not be completed or did not verify."""


@dataclass(frozen=True)
class Downloaded:
    """A verified file under its final name."""

    path: Path
    url: str
    size: int
    sha256: str
    resumed: bool  # some bytes came from an earlier, interrupted attempt
    already_present: bool = False


def baci_release(hs: str, release: str) -> tuple[str, str]:
    """Normalise ``22`` / ``HS22`` and ``202501`` / ``V202501`` to ``HS22``, ``V202501``."""
    revision = hs.upper().removeprefix("HS")
    revision = f"HS{revision.zfill(2)}"
    if revision not in HS_REVISIONS:
        raise DownloadError(
            f"Unknown HS revision '{hs}'. BACI is published in {', '.join(HS_REVISIONS)} "
            "(pass the two digits, e.g. --hs 22)."
        )
    version = release.upper().removeprefix("V")
    if not re.fullmatch(r"\d{6}[A-Z]?", version):
        raise DownloadError(
            f"Release '{release}' is not of the form YYYYMM (e.g. 202501, or 202401b for a "
            "corrected release)."
        )
    version = version[:6] + version[6:].lower()
    return revision, f"V{version}"


def baci_url(hs: str, release: str) -> str:
    """CEPII's address of a BACI release zip, e.g. ``.../BACI_HS22_V202501.zip``."""
    revision, version = baci_release(hs, release)
    return BACI_URL.format(hs=revision, release=version)


def download(
    url: str,
    dest: Path,
    *,
    attempts: int = 5,
    timeout: float = 60.0,
    pause: float = 1.0,
    verify_zip: bool = True,
    progress: Progress | None = None,
    check: Check | None = None,
    headers: Mapping[str, str] | None = None,
) -> Downloaded:
    """Fetch ``url`` to the file ``dest``, resuming and verifying as described above.

    Parameters
    ----------
    url: the address; ``http``, ``https`` (and ``file`` for local copies).
    dest: the final file name. ``dest.part`` holds the transfer until it verifies.
    attempts: how many times a dropped connection is resumed before giving up.
    verify_zip: open the result as a zip and check every member's CRC.
    check: a further check of the whole file (a publisher's format), raising DownloadError.
    headers: further request headers (an API key: sent, never written anywhere).

    Returns
    -------
    The final path, its size and SHA-256. An existing ``dest`` that verifies is kept.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        _verify(dest, dest, None, verify_zip, check)
        digest = _sha256(dest)
        _write_checksum(dest, digest)
        return Downloaded(dest, url, dest.stat().st_size, digest, False, already_present=True)
    part = dest.with_name(dest.name + ".part")
    resumed = part.exists() and part.stat().st_size > 0
    total: int | None = None
    failures: list[str] = []
    seen: dict[str, str | None] = {}  # the publisher's validators for the file
    done = False
    for attempt in range(attempts):
        try:
            total = _fetch(url, part, timeout, progress, headers or {}, seen)
            done = True
            break
        except _RateLimited as exc:
            if exc.wait is None or exc.wait > LONGEST_WAIT or attempt + 1 == attempts:
                raise DownloadError(_rate_limited(url, exc.wait)) from None
            failures.append("429 Too Many Requests")
            time.sleep(exc.wait)
        except _Interrupted as exc:
            failures.append(str(exc))
            resumed = True
            if exc.unreachable:
                break
            if attempt + 1 < attempts:
                time.sleep(pause * (attempt + 1))
    if not done:
        held = part.stat().st_size if part.exists() else 0
        if not held and failures[-1].startswith(_UNREACHABLE):
            raise DownloadError(
                f"{_host(url)} cannot be reached ({failures[-1].removeprefix(_UNREACHABLE)}); "
                "check the network connection, or try again later."
            )
        if not held:
            raise DownloadError(
                f"{_host(url)} did not deliver {dest.name} in {len(failures)} attempts "
                f"({failures[-1]}); try again later."
            )
        raise DownloadError(
            f"{dest.name}: the transfer from {url} kept breaking off ({failures[-1]}); "
            f"{held:,} bytes are kept in {part.name}, run the command again to resume."
        )
    try:
        _verify(part, dest, total, verify_zip, check)
    except DownloadError:
        part.unlink(missing_ok=True)
        raise
    digest = _sha256(part)
    os.replace(part, dest)
    _write_checksum(dest, digest)
    write_sidecar(dest, url, seen, dest.stat().st_size, digest)
    return Downloaded(dest, url, dest.stat().st_size, digest, resumed)


class _Interrupted(Exception):
    """The connection dropped or stalled; what arrived is kept in the .part file."""

    def __init__(self, message: str, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable  # no answer at all, and asking again will not help


class _RateLimited(Exception):
    """HTTP 429: the publisher limits how often it may be asked; wait (seconds) if said."""

    def __init__(self, wait: float | None) -> None:
        super().__init__(wait)
        self.wait = wait


_UNREACHABLE = "cannot connect: "
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")
_TITLE = re.compile(rb"<title[^>]*>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _rate_limited(url: str, wait: float | None) -> str:
    when = (
        "later"
        if wait is None
        else f"in {wait:.0f} seconds"
        if wait < 120
        else f"in about {wait / 60:.0f} minutes"
    )
    return (
        f"{_host(url)} answered 429 Too Many Requests: it limits how often its files may be "
        f"fetched; try again {when}."
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _html_instead_of_data(url: str, first: bytes, content_type: str) -> DownloadError | None:
    """An HTML page where a data file was expected (a maintenance page, a moved address)."""
    head = first[:512].lstrip().lower()
    if not (head.startswith(_HTML_START) and b"<html" in first[:4096].lower()) and not (
        content_type.lower().startswith("text/html")
    ):
        return None
    match = _TITLE.search(first[:65536])
    title = (
        " ".join(match.group(1).decode("utf-8", "replace").split())[:80] if match else "no title"
    )
    return DownloadError(
        f'{url}: {_host(url)} answered with an HTML page ("{title}") instead of the file; '
        "the publisher may be down for maintenance or have moved it. Try again later, or "
        "check the address on the publisher's site."
    )


def _fetch(
    url: str,
    part: Path,
    timeout: float,
    progress: Progress | None,
    headers: Mapping[str, str],
    seen: dict[str, str | None],
) -> int | None:
    """One request: continue ``part`` from its current length. Returns the full size."""
    offset = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 429:
            raise _RateLimited(_retry_after(exc.headers.get("Retry-After"))) from None
        if exc.code == 416 and offset:
            size = _range_total(exc.headers.get("Content-Range"))
            if size == offset:
                return size  # the .part is already whole
            part.unlink()
            raise _Interrupted("the server refused to resume; starting over") from None
        if exc.code in (401, 403):
            raise DownloadError(
                f"{_host(url)} answered {exc.code} {exc.reason}: it wants a valid key or "
                f"permission (for UN Comtrade, a subscription key in ${COMTRADE_KEY_ENV})."
            ) from None
        if exc.code >= 500:
            raise _Interrupted(f"the server answered {exc.code} {exc.reason}") from None
        hint = " (for BACI: the HS revision and release)" if "cepii" in _host(url) else ""
        raise DownloadError(
            f"{url}: the server answered {exc.code} {exc.reason}. Check the address "
            f"on the publisher's site{hint}."
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        # A name that does not resolve (offline, or a wrong host), or a host that refuses
        # the connection, will not answer a moment later either: no retries.
        raise _Interrupted(
            f"{_UNREACHABLE}{reason}",
            unreachable=isinstance(reason, socket.gaierror | ConnectionRefusedError),
        ) from None
    with response:
        seen.update((k, v) for k, v in validators(response.headers).items() if k != "size")
        status = response.status
        length = response.headers.get("Content-Length")
        expected = int(length) if length is not None and length.isdigit() else None
        if status == 206 and offset:
            start = _range_start(response.headers.get("Content-Range"))
            if start != offset:
                part.unlink()
                raise _Interrupted(f"the server resumed at byte {start}, not {offset}")
            total = _range_total(response.headers.get("Content-Range"))
            mode = "ab"
        else:  # 200: a whole body, either asked for or because the server ignores Range
            offset = 0
            total = expected
            mode = "wb"
        received = 0
        first = True
        with open(part, mode) as out:
            while True:
                try:
                    chunk = response.read(CHUNK)
                except (http.client.IncompleteRead, OSError) as exc:
                    raise _Interrupted(
                        f"connection lost after {offset + received:,} bytes: {type(exc).__name__}"
                    ) from None
                if first and mode == "wb":
                    html = _html_instead_of_data(
                        url, chunk, response.headers.get("Content-Type", "")
                    )
                    if html is not None:
                        out.close()
                        part.unlink(missing_ok=True)
                        raise html
                first = False
                if not chunk:
                    break
                out.write(chunk)
                received += len(chunk)
                if progress:
                    progress(offset + received, total)
    if expected is not None and received < expected:
        raise _Interrupted(
            f"connection closed after {offset + received:,} of "
            f"{total if total is not None else '?'} bytes"
        )
    return total


def _range_start(header: str | None) -> int | None:
    match = _CONTENT_RANGE.match(header or "")
    return int(match.group(1)) if match else None


def _range_total(header: str | None) -> int | None:
    match = re.search(r"/(\d+)", header or "")
    return int(match.group(1)) if match else None


def _verify(
    path: Path, dest: Path, total: int | None, verify_zip: bool, check: Check | None = None
) -> None:
    size = path.stat().st_size
    if total is not None and size != total:
        raise DownloadError(
            f"{dest.name}: received {size:,} bytes but the server announced {total:,}; "
            "the partial file was removed, run the command again."
        )
    if verify_zip:
        _verify_zip(path, dest)
    if check is not None:
        check(path, dest)


def _verify_zip(path: Path, dest: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise DownloadError(
            f"{dest.name}: the downloaded file is not a readable zip archive ({exc}); "
            "it was removed, run the command again."
        ) from None
    if damaged is not None:
        raise DownloadError(
            f"{dest.name}: member {damaged} fails its CRC check, the download is corrupt; "
            "it was removed, run the command again."
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_checksum(dest: Path, digest: str) -> None:
    checksum = dest.with_name(dest.name + ".sha256")
    temporary = checksum.with_name(checksum.name + ".tmp")
    temporary.write_text(f"{digest}  {dest.name}\n", encoding="utf-8")
    os.replace(temporary, checksum)


def validators(headers: Mapping[str, str]) -> dict[str, str | None]:
    """What tells one version of a publisher's file from another: ETag, Last-Modified,
    and the whole length (from Content-Range for a partial answer)."""
    size = _range_total(headers.get("Content-Range")) if headers.get("Content-Range") else None
    length = headers.get("Content-Length")
    return {
        "etag": headers.get("ETag"),
        "last_modified": headers.get("Last-Modified"),
        "size": str(size) if size is not None else length,
    }


SIDECAR = ".source.json"


def sidecar(path: Path) -> Path:
    """``<file>.source.json``: where a downloaded file came from (read by bilateral update)."""
    return path.with_name(path.name + SIDECAR)


def write_sidecar(
    path: Path, url: str, seen: Mapping[str, str | None], size: int, digest: str
) -> None:
    """Record the address of ``path`` (never a key: keys travel in headers), its SHA-256
    and the publisher's validators for it."""
    record = {"url": url, "size": size, "sha256": digest, **seen}
    temporary = sidecar(path).with_name(sidecar(path).name + ".tmp")
    temporary.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, sidecar(path))


def read_sidecar(path: Path) -> dict[str, Any] | None:
    try:
        record = json.loads(sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("url"), str) else None


def is_url(text: str) -> bool:
    """True for the addresses ``bilateral ingest`` fetches before reading (http, https)."""
    return text.startswith(("http://", "https://"))


def default_download_dir() -> Path:
    """Where fetched publisher files are kept: ``$BILATERAL_DOWNLOADS`` or the user cache."""
    if env := os.environ.get("BILATERAL_DOWNLOADS"):
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bilateral")) / "downloads"


def fetch(url: str, folder: Path, progress: Progress | None = None) -> Path:
    """Download a publisher's file into ``folder`` under its own name, resumable and verified.

    Zips are checked member by member; other files by their length. The local copy is what
    the store then reads, so the catalogue records the same SHA-256 as for a manual download.
    """
    name = Path(urllib.parse.urlsplit(url).path).name
    if not name:
        raise DownloadError(f"{url}: the address names no file; give the file's own address.")
    result = download(
        url, folder / name, verify_zip=name.lower().endswith(".zip"), progress=progress
    )
    return result.path


# ---------------------------------------------------------------------- FAOSTAT and Comext


def faostat_url(name: str = FAOSTAT_TRADE_MATRIX) -> str:
    """FAOSTAT's address of a bulk file, e.g. the detailed trade matrix (normalized)."""
    return FAOSTAT_BULK.format(name=urllib.parse.quote(name))


def check_faostat_zip(path: Path, dest: Path) -> None:
    """A FAOSTAT bulk zip holds its ``*_All_Data_(Normalized).csv`` with the normalized
    columns (``Reporter Country Code``, ``Partner Country Code``, ``Item Code``, ...)."""
    with zipfile.ZipFile(path) as archive:
        data = [n for n in archive.namelist() if n.endswith("_All_Data_(Normalized).csv")]
        if not data:
            raise DownloadError(
                f"{dest.name}: no '*_All_Data_(Normalized).csv' in the archive (it holds "
                f"{', '.join(archive.namelist()[:5]) or 'nothing'}); not a FAOSTAT bulk file."
            )
        with archive.open(data[0]) as member:
            header = member.readline().decode("utf-8-sig", "replace")
    columns = [c.strip().strip('"') for c in header.rstrip("\r\n").split(",")]
    missing = [c for c in FAOSTAT_COLUMNS if c not in columns]
    if missing:
        raise DownloadError(
            f"{dest.name}: {data[0]} lacks the columns {', '.join(missing)} of FAOSTAT's "
            "normalized bulk format."
        )


def comext_name(period: str) -> str:
    """The Comext bulk file of a year (``2024`` -> ``full_v2_202452.7z``, Comext's code for
    the whole year) or a month (``2024-01`` or ``202401`` -> ``full_v2_202401.7z``)."""
    digits = period.replace("-", "")
    if re.fullmatch(r"(19|20)\d{2}", digits):
        return f"full_v2_{digits}52.7z"
    if re.fullmatch(r"(19|20)\d{2}(0[1-9]|1[0-2])", digits):
        return f"full_v2_{digits}.7z"
    raise DownloadError(
        f"Period '{period}' is neither a year (2024) nor a month (2024-01 or 202401)."
    )


def comext_url(period: str) -> str:
    """Eurostat's address of a Comext bulk file (CN8 trade of every reporter and partner)."""
    return COMEXT_BULK.format(name=comext_name(period))


_7Z_SIGNATURE = b"7z\xbc\xaf\x27\x1c"


def check_7z(path: Path, dest: Path) -> None:
    """A whole 7z archive: its signature, the start header's CRC, the end header's place
    (the archive's last bytes: a truncated file fails here) and CRC."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        start = f.read(32)
        if len(start) < 32 or not start.startswith(_7Z_SIGNATURE):
            raise DownloadError(f"{dest.name}: not a 7z archive (it starts {start[:8]!r}).")
        start_crc, offset, length, header_crc = struct.unpack("<IQQI", start[8:32])
        if binascii.crc32(start[12:32]) != start_crc:
            raise DownloadError(f"{dest.name}: the 7z start header fails its CRC; corrupt.")
        if 32 + offset + length != size:
            raise DownloadError(
                f"{dest.name}: the 7z archive should be {32 + offset + length:,} bytes, the file "
                f"has {size:,}; the download is incomplete or corrupt."
            )
        f.seek(32 + offset)
        if binascii.crc32(f.read(length)) != header_crc:
            raise DownloadError(f"{dest.name}: the 7z end header fails its CRC; corrupt.")


# ---------------------------------------------------------------------- UN Comtrade


@dataclass(frozen=True)
class ComtradeQuery:
    """One UN Comtrade API query: a reporter's goods trade (HS) in a period."""

    reporter: int  # Comtrade's numeric code (ISO numeric, with Comtrade's own few)
    period: str  # 2022 (annual) or 202203 (monthly)
    partner: int | None = None  # None: every partner
    commodity: str = "TOTAL"  # TOTAL, AG2, AG4, AG6 or codes such as 8703
    flows: str = "M,X"

    @property
    def frequency(self) -> str:
        return "M" if len(self.period) == 6 else "A"

    def parameters(self) -> str:
        values = {
            "reporterCode": self.reporter,
            "period": self.period,
            "partnerCode": self.partner,
            "cmdCode": self.commodity,
            "flowCode": self.flows,
        }
        return urllib.parse.urlencode({k: v for k, v in values.items() if v is not None}, safe=",")

    def url(self, keyed: bool) -> str:
        """The data API with a key, else the public preview (at most 500 rows)."""
        path = "data/v1/get" if keyed else "public/v1/preview"
        return f"{COMTRADE_API}/{path}/C/{self.frequency}/HS?{self.parameters()}"

    def file_name(self, reporter: str, partner: str | None) -> str:
        """``comtrade_KAZ_RUS_A_2022_TOTAL.json``: a name the Comtrade reader recognises."""
        commodity = re.sub(r"[^A-Za-z0-9]+", "-", self.commodity)
        parts = (reporter, partner or "all", self.frequency, self.period, commodity)
        return "comtrade_" + "_".join(parts) + ".json"


def comtrade_query(
    reporter: str, period: str, partner: str | None = None, commodity: str = "TOTAL"
) -> tuple[ComtradeQuery, str]:
    """The query for a reporter and partner given as codes or names, and its file name."""
    from bilateral.reference.countries import countries

    index = countries()

    def code(text: str) -> tuple[int, str]:
        country = index.resolve(text)
        if country.code == WORLD:
            return 0, WORLD
        number = country.baci_code or country.iso_numeric
        if country.is_aggregate or number is None:
            raise DownloadError(f"'{text}' has no UN Comtrade country code; name a country.")
        return number, country.code

    digits = period.replace("-", "")
    if not re.fullmatch(r"(19|20)\d{2}((0[1-9])|(1[0-2]))?", digits):
        raise DownloadError(f"Period '{period}' is neither a year (2022) nor a month (2022-03).")
    reporter_number, reporter_code = code(reporter)
    partner_number, partner_code = code(partner) if partner else (None, None)
    query = ComtradeQuery(reporter_number, digits, partner_number, commodity)
    return query, query.file_name(reporter_code, partner_code)


def comtrade_key() -> str | None:
    """The user's subscription key from ``$COMTRADE_API_KEY`` (never stored by bilateral)."""
    key = os.environ.get(COMTRADE_KEY_ENV, "").strip()
    return key or None


def comtrade_headers(key: str | None) -> dict[str, str]:
    return {"Ocp-Apim-Subscription-Key": key} if key else {}


def check_comtrade_json(path: Path, dest: Path) -> None:
    """An API answer with data: ``{"count": n, "data": [...], "error": ""}``. Comtrade
    answers some mistakes with HTTP 200 and the reason in ``error``, or in ``message``."""
    try:
        answer = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DownloadError(f"{dest.name}: UN Comtrade's answer is not JSON ({exc}).") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        reason = answer.get("message") or answer.get("error") if isinstance(answer, dict) else ""
        raise DownloadError(
            f"{dest.name}: UN Comtrade answered without data"
            + (f": {' '.join(str(reason).split())}" if reason else "")
        )
    if answer.get("error"):
        raise DownloadError(
            f"{dest.name}: UN Comtrade answered: {' '.join(str(answer['error']).split())}"
        )
