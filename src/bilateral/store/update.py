"""``bilateral update``: what each publisher has that is newer than the store's copy.

Every file ``bilateral download`` (or ``ingest`` of an address) fetches gets a sidecar
(:func:`bilateral.sources.download.write_sidecar`),
``<file>.source.json``: the address it came from and the publisher's validators for it
(``ETag``, ``Last-Modified``, length). For each file in the store's catalogue that has
one, :func:`check` asks the publisher for the file's headers only (``HEAD``, or a
one-byte ranged ``GET`` where HEAD is refused) and compares: a different ETag, a later
Last-Modified, or another length means the publisher has a newer file. :func:`fetch`
downloads those (the old copy is kept beside, named by its SHA-256) for the store to
ingest; a revised publication then wins as usual.

Files read from a folder carry no address, and the starter store's files are as new as
the installed bilateral: both are listed, with what to do. A check that reaches no
publisher at all says so in one line (offline).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from bilateral.errors import BilateralError
from bilateral.sources import download as dl
from bilateral.store.store import Store

TIMEOUT = 20.0

UP_TO_DATE = "up to date"
NEWER = "newer at the publisher"
SUPERSEDED = "superseded"
UNKNOWN = "cannot tell"
UNREACHABLE = "unreachable"
NO_ADDRESS = "no publisher address"
STARTER = "starter store"


@dataclass
class Status:
    """One file of the store and what its publisher has."""

    source: str
    file: str
    release: str
    status: str
    detail: str = ""
    url: str = ""
    path: Path | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "file": self.file,
            "release": self.release,
            "status": self.status,
            "detail": self.detail,
            "url": self.url,
        }


def check(store: Store, timeout: float = TIMEOUT) -> list[Status]:
    """Each file of the store, compared with what its publisher now serves."""
    statuses = []
    for entry, original in _entries(store):
        base = Status(entry.source, entry.file_name, entry.release, NO_ADDRESS)
        if original.startswith("bilateral ") and " starter store" in original:
            base.status = STARTER
            base.detail = "as new as this bilateral; bilateral download for newer files"
            statuses.append(base)
            continue
        path = Path(original)
        record = dl.read_sidecar(path)
        if record is None:
            base.detail = "read from a local file; download it with bilateral to track it"
            statuses.append(base)
            continue
        base.url, base.path = record["url"], path
        if record.get("sha256") not in (None, entry.sha256):
            base.status = SUPERSEDED
            base.detail = f"{path.name} was downloaded again since; the store holds both"
        else:
            base.status, base.detail = _compare(record, _ask(record["url"], timeout))
        statuses.append(base)
    asked = [s for s in statuses if s.url and s.status != SUPERSEDED]
    if asked and all(s.status == UNREACHABLE for s in asked):
        hosts = sorted({dl._host(s.url) for s in asked})
        raise BilateralError(
            f"Offline: cannot reach {', '.join(hosts)} ({asked[0].detail}); nothing was checked."
        )
    return statuses


def fetch(statuses: list[Status]) -> list[Path]:
    """Download every file whose publisher has a newer one, over the old copy (kept as
    ``<name>.<sha256[:12]>``); the new files, for the store to ingest."""
    fetched = []
    for status in statuses:
        if status.status != NEWER or status.path is None:
            continue
        path = status.path
        if path.exists():
            old = path.with_name(f"{path.name}.{dl._sha256(path)[:12]}")
            os.replace(path, old)
            checksum = path.with_name(path.name + ".sha256")
            checksum.unlink(missing_ok=True)
        fetched.append(dl.download(status.url, path, **verification(path)).path)
    return fetched


def verification(path: Path) -> dict[str, Any]:
    """How a publisher's file of this name is verified (see :mod:`bilateral.sources.download`)."""
    name = path.name.lower()
    if name.endswith(".zip"):
        check = dl.check_faostat_zip if name.startswith("trade_detailedtradematrix") else None
        return {"verify_zip": True, "check": check}
    if name.endswith(".7z"):
        return {"verify_zip": False, "check": dl.check_7z}
    if name.startswith("comtrade") and name.endswith(".json"):
        return {
            "verify_zip": False,
            "check": dl.check_comtrade_json,
            "headers": dl.comtrade_headers(dl.comtrade_key()),
        }
    return {"verify_zip": False}


def _entries(store: Store) -> list[tuple[Any, str]]:
    rows = store._query_catalogue("SELECT sha256, original_path FROM files")
    original = {sha: path for sha, path in rows}
    return [(entry, original[entry.sha256]) for entry in store.catalogue()]


def _ask(url: str, timeout: float) -> dict[str, str | None] | str:
    """The publisher's validators for ``url``, or why there are none."""
    headers = {"User-Agent": dl.USER_AGENT}
    if dl.COMTRADE_API in url:
        headers.update(dl.comtrade_headers(dl.comtrade_key()))
    for method, extra in (("HEAD", {}), ("GET", {"Range": "bytes=0-0"})):
        request = urllib.request.Request(url, method=method, headers={**headers, **extra})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return dl.validators(response.headers)
        except urllib.error.HTTPError as exc:
            if exc.code in (405, 501) and method == "HEAD":
                continue  # HEAD refused: ask for one byte instead
            return f"the publisher answered {exc.code} {exc.reason}"
        except (urllib.error.URLError, OSError) as exc:
            return f"{UNREACHABLE}: {getattr(exc, 'reason', exc)}"
    return "the publisher answered neither HEAD nor a ranged GET"


def _compare(record: dict[str, Any], now: dict[str, str | None] | str) -> tuple[str, str]:
    if isinstance(now, str):
        if now.startswith(UNREACHABLE):
            return UNREACHABLE, now.removeprefix(f"{UNREACHABLE}: ")
        return UNKNOWN, now
    if record.get("etag") and now.get("etag"):
        if record["etag"] == now["etag"]:
            return UP_TO_DATE, f"ETag {now['etag']}"
        return NEWER, f"ETag {record['etag']} -> {now['etag']}"
    if record.get("last_modified") and now.get("last_modified"):
        before, after = _date(record["last_modified"]), _date(now["last_modified"] or "")
        if before and after:
            if after > before:
                return NEWER, f"Last-Modified {record['last_modified']} -> {now['last_modified']}"
            return UP_TO_DATE, f"Last-Modified {now['last_modified']}"
    if now.get("size") and record.get("size") and int(now["size"] or 0) != record["size"]:
        return NEWER, f"{record['size']:,} bytes -> {int(now['size'] or 0):,}"
    return UNKNOWN, "the publisher gives no ETag or date for it; download it again to compare"


def _date(text: str) -> float | None:
    try:
        return parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
