"""The ``bilateral`` command line: thin commands that call the library and render with Rich."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bilateral.errors import BilateralError
from bilateral.render import FORMATS, emit
from bilateral.store import Store

app = typer.Typer(
    help="Measure the economic relationship between two countries from real trade statistics.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True)


class State:
    store_path: Path | None = None


state = State()

FormatOption = Annotated[
    str, typer.Option("--format", "-f", help=f"Output format: {', '.join(FORMATS)}.")
]


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


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Our own errors become one line on stderr and exit code 1, never a traceback."""
    try:
        yield
    except BilateralError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise BilateralError(f"Unknown format '{fmt}'; choose one of {', '.join(FORMATS)}.")


def open_store(engine: str = "duckdb", read_only: bool = False) -> Store:
    return Store.open(state.store_path, engine=engine, read_only=read_only)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of published data.")],
    source: Annotated[
        str | None, typer.Option(help="Reader to use (default: recognised from the file name).")
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Read publishers' files into the store (all or nothing; known files are skipped)."""
    with reporting_errors():
        check_format(fmt)
        store = open_store()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("Reading", total=None)

            def advance(path: Path) -> None:
                progress.update(task, description=f"Reading {path.name}", advance=1)

            reports = store.ingest(paths, source=source, on_file=advance)
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
def sources(fmt: FormatOption = "table") -> None:
    """What the store holds: source, release, years, rows and file hashes."""
    with reporting_errors():
        check_format(fmt)
        store = open_store(read_only=True)
        rows = [entry.as_dict() for entry in store.catalogue()]
        if not rows and fmt == "table":
            err.print(f"The store at {store.root} is empty. Add data with: bilateral ingest PATH")
            return
        if fmt == "table":
            rows = [{**r, "sha256": str(r["sha256"])[:12], "notes": len(r["notes"])} for r in rows]  # type: ignore[arg-type]
        emit(out, rows, fmt, title=f"Store {store.root}")
