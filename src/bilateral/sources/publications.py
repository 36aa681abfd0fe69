"""Publications without a stable address: Kazakhstan BNS and Russia FCS workbooks.

stat.gov.kz and customs.gov.ru give each publication its own address when it appears (a
document number, not a name a program could build), so ``bilateral download bns URL``
and ``fcs URL`` take the address the publisher's page links to. The download is
resumable like every other (:func:`bilateral.sources.download.download`); it is verified
by reading the whole workbook as the store's reader would, so an HTML page, another
publisher's table or a workbook cut short is refused before it takes its name.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bilateral.errors import BilateralError
from bilateral.sources.base import Reader
from bilateral.sources.download import Check, DownloadError
from bilateral.sources.kz_bns import KzBnsReader
from bilateral.sources.ru_fcs import RuFcsReader


@dataclass(frozen=True)
class Publication:
    """A publisher whose workbooks are downloaded one address at a time."""

    command: str  # bns, fcs
    reader: type[Reader]
    publisher: str
    fallback: str  # a file name the reader recognises, {key} from the address

    def file_name(self, url: str) -> str:
        """The address's own file name when the reader recognises it (``94itog.xlsx``);
        else a name the reader recognises, the same for the same address (so a broken
        transfer resumes into the same ``.part``)."""
        last = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).name
        if last and self.reader.matches(Path(last)):
            return last
        key = hashlib.sha256(url.encode()).hexdigest()[:12]
        return self.fallback.format(key=key)

    def check(self) -> Check:
        """A download check that reads the file whole with the publisher's reader."""

        def read_whole(path: Path, dest: Path) -> None:
            # The reader opens a workbook by its name's suffix: read a link named as the
            # final file, in a folder of its own beside it.
            folder = Path(tempfile.mkdtemp(prefix=".check-", dir=dest.parent))
            named = folder / dest.name
            try:
                try:
                    os.link(path, named)
                except OSError:
                    shutil.copyfile(path, named)
                self.reader().read(named, "0" * 64)
            except BilateralError as exc:
                raise DownloadError(
                    f"{dest.name}: not a {self.publisher} workbook bilateral can read "
                    f"({_first_line(str(exc))}); it was removed."
                ) from None
            finally:
                shutil.rmtree(folder, ignore_errors=True)

        return read_whole


def _first_line(message: str) -> str:
    return " ".join(message.split()).removesuffix(".")


PUBLICATIONS = {
    p.command: p
    for p in (
        Publication("bns", KzBnsReader, "Kazakhstan BNS", "bns_publication_{key}.xls"),
        Publication("fcs", RuFcsReader, "Russia FCS", "fcs_publikaciya_{key}.xlsx"),
    )
}
