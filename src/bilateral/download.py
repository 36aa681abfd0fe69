"""Fetching publishers' bulk files: resumable, verified, never half-written.

A BACI release is a zip of one to several gigabytes. The download goes to
``<name>.part``; an interrupted transfer resumes from where it stopped with an HTTP
``Range`` request (and starts over cleanly when the server ignores the range). The file
takes its final name only after its length matches ``Content-Length``, the zip opens and
every member's CRC checks; its SHA-256 is then written beside it, in ``sha256sum`` format.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bilateral.errors import BilateralError

BACI_URL = "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_{hs}_{release}.zip"
HS_REVISIONS = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")
CHUNK = 1 << 20
USER_AGENT = "bilateral (Python urllib)"
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")

Progress = Callable[[int, int | None], None]  # bytes held so far, total if known


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
) -> Downloaded:
    """Fetch ``url`` to the file ``dest``, resuming and verifying as described above.

    Parameters
    ----------
    url: the address; ``http``, ``https`` (and ``file`` for local copies).
    dest: the final file name. ``dest.part`` holds the transfer until it verifies.
    attempts: how many times a dropped connection is resumed before giving up.
    verify_zip: open the result as a zip and check every member's CRC.

    Returns
    -------
    The final path, its size and SHA-256. An existing ``dest`` that verifies is kept.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        _verify(dest, dest, None, verify_zip)
        digest = _sha256(dest)
        _write_checksum(dest, digest)
        return Downloaded(dest, url, dest.stat().st_size, digest, False, already_present=True)
    part = dest.with_name(dest.name + ".part")
    resumed = part.exists() and part.stat().st_size > 0
    total: int | None = None
    failures: list[str] = []
    for attempt in range(attempts):
        try:
            total = _fetch(url, part, timeout, progress)
            break
        except _Interrupted as exc:
            failures.append(str(exc))
            resumed = True
            if attempt + 1 < attempts:
                time.sleep(pause * (attempt + 1))
    else:
        held = part.stat().st_size if part.exists() else 0
        raise DownloadError(
            f"{dest.name}: the transfer from {url} kept breaking off ({failures[-1]}); "
            f"{held:,} bytes are kept in {part.name}, run the command again to resume."
        )
    try:
        _verify(part, dest, total, verify_zip)
    except DownloadError:
        part.unlink(missing_ok=True)
        raise
    digest = _sha256(part)
    os.replace(part, dest)
    _write_checksum(dest, digest)
    return Downloaded(dest, url, dest.stat().st_size, digest, resumed)


class _Interrupted(Exception):
    """The connection dropped or stalled; what arrived is kept in the .part file."""


def _fetch(url: str, part: Path, timeout: float, progress: Progress | None) -> int | None:
    """One request: continue ``part`` from its current length. Returns the full size."""
    offset = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:
            size = _range_total(exc.headers.get("Content-Range"))
            if size == offset:
                return size  # the .part is already whole
            part.unlink()
            raise _Interrupted("the server refused to resume; starting over") from None
        if exc.code >= 500:
            raise _Interrupted(f"the server answered {exc.code} {exc.reason}") from None
        raise DownloadError(
            f"{url}: the server answered {exc.code} {exc.reason}. Check the address "
            "(HS revision and release) on the publisher's site."
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Interrupted(f"cannot connect: {reason}") from None
    with response:
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
        with open(part, mode) as out:
            while True:
                try:
                    chunk = response.read(CHUNK)
                except (http.client.IncompleteRead, OSError) as exc:
                    raise _Interrupted(
                        f"connection lost after {offset + received:,} bytes: {type(exc).__name__}"
                    ) from None
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


def _verify(path: Path, dest: Path, total: int | None, verify_zip: bool) -> None:
    size = path.stat().st_size
    if total is not None and size != total:
        raise DownloadError(
            f"{dest.name}: received {size:,} bytes but the server announced {total:,}; "
            "the partial file was removed, run the command again."
        )
    if not verify_zip:
        return
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
