"""``bilateral download``: fetch publishers' files (BACI, FAOSTAT, Comext, UN Comtrade, and
BNS and FCS workbooks from the address their pages link to)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from bilateral.cli.common import err, fail, out, reporting_errors

# bilateral.sources.download (http.client, urllib) and Rich's progress bars are imported by the
# commands that use them: the command line's help needs neither.

Dest = Annotated[Path, typer.Option("--dest", help="Folder to save the file in.", file_okay=False)]

download_app = typer.Typer(
    help="Download publishers' bulk files, resumable and verified.",
    no_args_is_help=True,
)


@download_app.command("baci")
def baci(
    hs: Annotated[str, typer.Option("--hs", help="HS revision: 92, 96, 02, 07, 12, 17 or 22.")],
    release: Annotated[
        str,
        typer.Option("--release", help="BACI release as YYYYMM, e.g. 202501 (202401b too)."),
    ],
    dest: Dest = Path("."),
    url: Annotated[
        str | None,
        typer.Option("--url", help="Download from this address instead of CEPII's."),
    ] = None,
) -> None:
    """Download a CEPII BACI release zip; an interrupted download resumes when run again."""
    from bilateral.sources.download import baci_release, baci_url

    with reporting_errors():
        revision, version = baci_release(hs, release)
        address = url or baci_url(revision, version)
        _download(address, dest / f"BACI_{revision}_{version}.zip")


@download_app.command("faostat")
def faostat(
    dest: Dest = Path("."),
    url: Annotated[
        str | None,
        typer.Option("--url", help="Download from this address instead of FAOSTAT's."),
    ] = None,
) -> None:
    """Download FAOSTAT's bulk detailed trade matrix (every reporter, partner, item and year,
    normalized CSV in a zip); an interrupted download resumes when run again."""
    from bilateral.sources.download import FAOSTAT_TRADE_MATRIX, check_faostat_zip, faostat_url

    with reporting_errors():
        _download(
            url or faostat_url(FAOSTAT_TRADE_MATRIX),
            dest / FAOSTAT_TRADE_MATRIX,
            check=check_faostat_zip,
        )


@download_app.command("comext")
def comext(
    period: Annotated[
        str,
        typer.Option(
            "--period", help="A year (2024: the annual file) or a month (2024-01 or 202401)."
        ),
    ],
    dest: Dest = Path("."),
    url: Annotated[
        str | None,
        typer.Option("--url", help="Download from this address instead of Eurostat's."),
    ] = None,
) -> None:
    """Download a Eurostat Comext bulk file (CN8 trade of every EU reporter with every
    partner, 7z); an interrupted download resumes when run again."""
    from bilateral.sources.download import check_7z, comext_name, comext_url

    with reporting_errors():
        name = comext_name(period)
        _download(url or comext_url(period), dest / name, verify_zip=False, check=check_7z)


@download_app.command("comtrade")
def comtrade(
    reporter: Annotated[str, typer.Option("--reporter", help="Reporter: code or name (KAZ).")],
    period: Annotated[
        str, typer.Option("--period", help="A year (2022) or a month (2022-03, monthly data).")
    ],
    partner: Annotated[
        str | None, typer.Option("--partner", help="One partner (RUS); default: every partner.")
    ] = None,
    commodity: Annotated[
        str,
        typer.Option(
            "--commodity", help="TOTAL, AG2, AG4, AG6 (every code at that level) or codes: 8703."
        ),
    ] = "TOTAL",
    dest: Dest = Path("."),
    url: Annotated[
        str | None,
        typer.Option("--url", help="Ask this address instead of UN Comtrade's API."),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="The reporter's bulk files instead (every partner and product, gzipped; "
            "needs the key).",
        ),
    ] = False,
) -> None:
    """Download a reporter's trade from the UN Comtrade API as JSON (bilateral ingest reads
    it). With a subscription key in $COMTRADE_API_KEY (sent, never written to disk) the
    data API answers in full; without, the public preview answers at most 500 rows.
    --bulk fetches the reporter's bulk files for the period (key needed)."""
    if bulk:
        _comtrade_bulk(reporter, period, partner, commodity, dest, url)
        return
    from bilateral.sources.download import (
        COMTRADE_KEY_ENV,
        COMTRADE_PREVIEW_ROWS,
        check_comtrade_json,
        comtrade_headers,
        comtrade_key,
        comtrade_query,
    )

    with reporting_errors():
        query, name = comtrade_query(reporter, period, partner, commodity)
        key = comtrade_key()
        _download(
            url or query.url(keyed=key is not None),
            dest / name,
            verify_zip=False,
            check=check_comtrade_json,
            headers=comtrade_headers(key),
        )
        if key is None:
            rows = len(json.loads((dest / name).read_text(encoding="utf-8"))["data"])
            if rows >= COMTRADE_PREVIEW_ROWS:
                err.print(
                    f"The public preview stops at {COMTRADE_PREVIEW_ROWS} rows and this answer "
                    f"has {rows}: set ${COMTRADE_KEY_ENV} for the whole answer.",
                    highlight=False,
                    soft_wrap=True,
                )


PublicationUrl = Annotated[
    str,
    typer.Argument(
        help="The publication's address, as the publisher's page links to it (http, https)."
    ),
]
FileName = Annotated[
    str | None,
    typer.Option("--name", help="Save under this name (default: the address's own, or one "
                 "the reader recognises)."),
]


@download_app.command("bns")
def bns(url: PublicationUrl, dest: Dest = Path("."), name: FileName = None) -> None:
    """Download a Kazakhstan BNS workbook of trade by country (stat.gov.kz gives each
    publication an address of its own: pass it); verified by reading it whole."""
    _publication("bns", url, dest, name)


@download_app.command("fcs")
def fcs(url: PublicationUrl, dest: Dest = Path("."), name: FileName = None) -> None:
    """Download a Russia FCS workbook (94itog, 96stran, monthly totals, country or
    commodity groups; customs.gov.ru gives each an address of its own: pass it); verified
    by reading it whole."""
    _publication("fcs", url, dest, name)


def _publication(command: str, url: str, dest: Path, name: str | None) -> None:
    from bilateral.sources.publications import PUBLICATIONS

    with reporting_errors():
        publication = PUBLICATIONS[command]
        target = dest / (name or publication.file_name(url))
        if not publication.reader.matches(target):
            patterns = ", ".join(publication.reader.patterns)
            fail(
                f"--name {target.name} is not a name the {publication.publisher} reader "
                f"recognises ({patterns}): bilateral ingest would not know the file."
            )
        _download(url, target, verify_zip=False, check=publication.check())


def _comtrade_bulk(
    reporter: str, period: str, partner: str | None, commodity: str, dest: Path, url: str | None
) -> None:
    """The bulk API's listing for the reporter and period, then each file it names."""
    import tempfile

    from bilateral.sources.comtrade_bulk import bulk_files, bulk_listing_url, check_bulk_file
    from bilateral.sources.download import (
        COMTRADE_KEY_ENV,
        comtrade_headers,
        comtrade_key,
        comtrade_query,
        download,
    )

    with reporting_errors():
        if partner is not None or commodity != "TOTAL":
            fail("A bulk file holds every partner and product: drop --partner and --commodity.")
        key = comtrade_key()
        if key is None:
            fail(f"UN Comtrade's bulk files need a subscription key: set ${COMTRADE_KEY_ENV}.")
        query, _ = comtrade_query(reporter, period)
        headers = comtrade_headers(key)
        with tempfile.TemporaryDirectory(prefix="comtrade-bulk-") as folder:
            listing = Path(folder) / "listing.json"
            download(url or bulk_listing_url(query), listing, verify_zip=False, headers=headers)
            files = bulk_files(listing, f"reporter {reporter} in {period}")
        for file in files:
            _download(
                file.url, dest / file.name, verify_zip=False, check=check_bulk_file, headers=headers
            )


def _download(address: str, target: Path, **options: Any) -> None:
    """Fetch with a progress bar on stderr; print the file, its size and SHA-256."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    from bilateral.sources.download import download

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(target.name, total=None)

        def advance(held: int, total: int | None) -> None:
            bar.update(task, completed=held, total=total)

        result = download(address, target, progress=advance, **options)
    state = "already present, verified" if result.already_present else "downloaded, verified"
    out.print(f"{result.path} ({result.size:,} bytes, {state})", highlight=False)
    out.print(f"sha256 {result.sha256}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``download`` command group to the ``bilateral`` application."""
    app.add_typer(download_app, name="download")
