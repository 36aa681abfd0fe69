"""``bilateral download``: fetch publishers' bulk files (a BACI release) to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from bilateral.cli_common import err, out, reporting_errors
from bilateral.download import baci_release, baci_url, download

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
    dest: Annotated[
        Path, typer.Option("--dest", help="Folder to save the zip in.", file_okay=False)
    ] = Path("."),
    url: Annotated[
        str | None,
        typer.Option("--url", help="Download from this address instead of CEPII's."),
    ] = None,
) -> None:
    """Download a CEPII BACI release zip; an interrupted download resumes when run again."""
    with reporting_errors():
        revision, version = baci_release(hs, release)
        address = url or baci_url(revision, version)
        target = dest / f"BACI_{revision}_{version}.zip"
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

            result = download(address, target, progress=advance)
    state = "already present, verified" if result.already_present else "downloaded, verified"
    out.print(f"{result.path} ({result.size:,} bytes, {state})", highlight=False)
    out.print(f"sha256 {result.sha256}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``download`` command group to the ``bilateral`` application."""
    app.add_typer(download_app, name="download")
