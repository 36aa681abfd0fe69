"""The ``bilateral`` application: the Typer app, its store-wide commands (ingest, sources,
summarise, remove, update) and every other command, registered from its own module."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bilateral.cli import check, download, partners, products, profile, report, sanctions, series
from bilateral.cli.common import (
    FormatOption,
    OutputFormat,
    err,
    open_store,
    out,
    reporting_errors,
    state,
)
from bilateral.cli.render import emit

app = typer.Typer(
    help="Measure the economic relationship between two countries from real trade statistics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            help="Store directory (default: $BILATERAL_STORE, else a per-user data directory).",
        ),
    ] = None,
) -> None:
    """Keep stores apart with --store; every command reads and writes only that store."""
    state.store_path = store


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files or folders of published data, or http(s) addresses to fetch."),
    ],
    source: Annotated[
        str | None, typer.Option(help="Reader to use (default: recognised from the file name).")
    ] = None,
    download_dir: Annotated[
        Path | None,
        typer.Option(help="Where fetched files are kept (default: $BILATERAL_DOWNLOADS or cache)."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Show rows read and time left on stderr (default: only on a terminal; "
            "--progress prints one line per part when stderr is a file or a pipe).",
        ),
    ] = None,
) -> None:
    """Read publishers' files into the store (all or nothing; known files are skipped)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from bilateral.cli.progress import ReadProgress
    from bilateral.sources.download import default_download_dir, fetch, is_url

    with reporting_errors():
        store = open_store()
        folder = download_dir or default_download_dir()
        paths = [fetch(text, folder) if is_url(text) else Path(text) for text in inputs]
        live = err.is_terminal and progress is not False
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
            disable=not live,
        ) as bar:
            task = bar.add_task("Reading", total=None)

            def show(line: str) -> None:
                if live:
                    bar.update(task, description=line)
                else:  # asked for in a file or a pipe: one plain line per part
                    err.print(line, highlight=False, soft_wrap=True)

            tracker = ReadProgress(show)

            def advance(path: Path) -> None:
                tracker.start(path)
                bar.update(task, description=f"Reading {path.name}", advance=1)

            reports = store.ingest(
                paths,
                source=source,
                on_file=advance,
                on_rows=tracker.update if live or progress else None,
            )
        rows = [
            {
                "file": r.path.name,
                "status": r.status,
                "source": r.source,
                "release": r.release,
                "rows": r.rows,
                "notes": r.notes,
            }
            for r in reports
        ]
        if fmt != "table":
            emit(out, rows, fmt)
            return
        emit(
            out,
            [{k: v for k, v in r.items() if k != "notes"} for r in rows],
            fmt,
            title=f"Ingest into {store.root}",
        )
        for report in reports:
            for note in report.notes:
                out.print(f"  {report.path.name}: {note}", highlight=False)


@app.command()
def sources(fmt: FormatOption = OutputFormat.table) -> None:
    """What the store holds: source, release, years, rows and file hashes."""
    with reporting_errors():
        store = open_store(read_only=True, offer=True)
        rows = [entry.as_dict() for entry in store.catalogue()]
        if not rows and fmt == "table":
            err.print(f"The store at {store.root} is empty. Add data with: bilateral ingest PATH")
            return
        if fmt == "table":
            rows = [{**r, "sha256": str(r["sha256"])[:12], "notes": len(r["notes"])} for r in rows]  # type: ignore[arg-type]
        emit(out, rows, fmt, title=f"Store {store.root}")


@app.command()
def summarise(fmt: FormatOption = OutputFormat.table) -> None:
    """Compute the per-year summaries a store written by an older bilateral lacks (ingest
    keeps them up to date; without them every answer is still right, only slower)."""
    with reporting_errors():
        store = open_store()
        written = store.summarise()
        emit(out, [{"store": str(store.root), "summary_files_written": written}], fmt)


@app.command()
def remove(
    file: Annotated[
        str, typer.Argument(help="The file's path, its name or its SHA-256 (`bilateral sources`).")
    ],
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Take a file out of the store, all or nothing: its rows go, and the summaries of its
    years are recomputed from the files that remain."""
    with reporting_errors():
        store = open_store()
        entry = store.remove(file)
        emit(out, [{"removed": entry.file_name, **entry.as_dict()}], fmt)


@app.command()
def update(
    fetch_newer: Annotated[
        bool,
        typer.Option("--fetch", help="Download what is newer and ingest it into the store."),
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """What is newer at each publisher than the store holds (files bilateral downloaded);
    --fetch downloads it and ingests it. Offline, says so in one line."""
    from bilateral.store import update as updates

    with reporting_errors():
        store = open_store()
        statuses = updates.check(store)
        if fetch_newer:
            fetched = updates.fetch(statuses)
            if fetched:
                store.ingest(fetched)
                for status in statuses:
                    if status.status == updates.NEWER:
                        status.status, status.detail = "fetched", "downloaded and ingested"
            err.print(
                f"Fetched {len(fetched)} newer file(s) and ingested them into {store.root}."
                if fetched
                else "Nothing newer to fetch.",
                highlight=False,
            )
        emit(out, [s.as_dict() for s in statuses], fmt, title=f"Updates for {store.root}")


for command in (download, sanctions, profile, series, partners, products, check, report):
    command.register(app)
