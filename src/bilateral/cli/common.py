"""What every command shares: the consoles, the chosen store, formats and error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console

from bilateral.errors import BilateralError, os_problem
from bilateral.reference.exchange_rates import CURRENCIES

if TYPE_CHECKING:
    from bilateral.store import Store

out = Console(soft_wrap=True)
err = Console(stderr=True)


class State:
    store_path: Path | None = None


state = State()


class OutputFormat(StrEnum):
    """Everything ``--format`` can name; each command takes the ones it can write."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    png = "png"
    svg = "svg"


#: What a command that answers a question prints (a Rich table for people).
TABULAR = (OutputFormat.table, OutputFormat.json, OutputFormat.csv, OutputFormat.markdown)
#: What the claim checker prints.
CLAIM_FORMATS = (OutputFormat.table, OutputFormat.json, OutputFormat.markdown)
#: What a chart is written as (JSON is its Vega-Lite spec).
CHART_FORMATS = (OutputFormat.png, OutputFormat.svg, OutputFormat.json)


def format_option(
    choices: tuple[OutputFormat, ...], help: str | None = None, what: str = "format"
) -> Any:
    """The ``--format``/``-f`` option taking one of ``choices``. An unknown name is one
    line on stderr and exit code 1, like our other errors (not a usage error)."""
    names = ", ".join(c.value for c in choices)

    def parse(value: str | OutputFormat) -> OutputFormat:
        text = value.value if isinstance(value, OutputFormat) else str(value)
        if text not in {c.value for c in choices}:
            fail(f"Unknown {what} '{text}'; choose one of {names}.")
        return OutputFormat(text)

    return typer.Option(
        "--format", "-f", help=help or f"Output format: {names}.", parser=parse, metavar="<str>"
    )


FormatOption = Annotated[OutputFormat, format_option(TABULAR)]

CurrencyOption = Annotated[
    str,
    typer.Option(
        "--currency",
        help=f"Currency of money: {', '.join(CURRENCIES)} (euro at the ECB's average rates).",
    ),
]


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Our own errors become one line on stderr and exit code 1, never a traceback; so
    does a failure of the operating system that no layer below turned into one of ours
    (a store on a read-only disk when the starter store is installed, say)."""
    try:
        yield
    except BilateralError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{os_problem(exc)}; check the path and its permissions.")


def fail(message: str) -> NoReturn:
    """One line on stderr, exit code 1."""
    err.print(f"[bold red]Error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1) from None


def open_store(engine: str = "duckdb", read_only: bool = False, offer: bool = False) -> Store:
    """The chosen store. With ``offer``, a store that does not exist yet starts as a copy
    of the starter store shipped with bilateral (see :func:`offer_starter`)."""
    from bilateral.store import Store

    store = Store.open(state.store_path, engine=engine, read_only=read_only)
    if offer:
        offer_starter(store)
    return store


def offer_starter(store: Store) -> None:
    """Install the starter store where no store exists yet (no catalogue), and say in one
    line on stderr where its data come from; ``BILATERAL_STARTER=0`` leaves it empty."""
    if store.catalogue_path.exists():
        return
    from bilateral.store import starter

    if not starter.enabled() or not starter.available():
        return
    manifest = starter.install(store.root)
    if manifest is None:
        return
    err.print(
        f"New store {store.root}: starting from the data shipped with bilateral "
        f"({manifest.describe()}; publishers' licences in "
        f"{starter.starter_dir() / 'README.md'}). Add more with: bilateral ingest PATH",
        highlight=False,
        soft_wrap=True,
    )
