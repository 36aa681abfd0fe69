"""Commands that show the figures: ``report`` (HTML), ``chart`` (PNG/SVG) and ``serve``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bilateral.cli.common import (
    CHART_FORMATS,
    CurrencyOption,
    OutputFormat,
    err,
    format_option,
    open_store,
    reporting_errors,
    state,
)
from bilateral.errors import BilateralError
from bilateral.web.limits import QUEUE, SHUTDOWN_TIMEOUT, TIME_LIMIT

Reporter = Annotated[str, typer.Argument(help="Reporter: ISO3 code or English/Russian name.")]
Partner = Annotated[str, typer.Argument(help="Partner: ISO3 code or English/Russian name.")]
Year = Annotated[int, typer.Option("--year", "-y", help="Year of the headline figures.")]
Source = Annotated[
    str | None, typer.Option("--source", help="One source only (default: every source).")
]
Output = Annotated[Path, typer.Option("--output", "-o", help="File to write.")]


def read_text(path: Path) -> str:
    """A text file (or '-' for standard input) as UTF-8, or an error naming the file."""
    if str(path) == "-":
        return sys.stdin.read()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BilateralError(f"{path}: cannot read it ({exc.strerror}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BilateralError(
            f"{path}: byte {exc.start} is not UTF-8; expected a UTF-8 text file."
        ) from None


def write_output(path: Path, data: str | bytes) -> None:
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        raise BilateralError(f"{path}: cannot write it ({exc.strerror}).") from None


def report(
    reporter: Reporter,
    partner: Partner,
    year: Year,
    output: Output = Path("report.html"),
    check: Annotated[
        Path | None,
        typer.Option("--check", help="Also check the claims in this text file ('-' for stdin)."),
    ] = None,
    source: Source = None,
    currency: CurrencyOption = "USD",
) -> None:
    """One self-contained HTML report (works offline): figures, charts, tables, verdicts."""
    from bilateral.report.contents import gather
    from bilateral.report.html import render_html

    with reporting_errors():
        text = read_text(check) if check is not None else None
        store = open_store(read_only=True, offer=True)
        contents = gather(
            store, reporter, partner, year, source=source, text=text, currency=currency
        )
        write_output(output, render_html(contents))
        err.print(f"Wrote {output} ({contents.title})", highlight=False)


def chart(
    kind: Annotated[str, typer.Argument(help="series, partners, structure, dependence or mirror.")],
    reporter: Reporter,
    partner: Partner,
    year: Year,
    output: Output,
    fmt: Annotated[
        OutputFormat,
        format_option(
            CHART_FORMATS, help="png, svg or json (the Vega-Lite spec).", what="chart format"
        ),
    ] = OutputFormat.png,
    scale: Annotated[float, typer.Option(help="PNG pixels per chart unit.")] = 2.0,
    source: Source = None,
    currency: CurrencyOption = "USD",
) -> None:
    """Render one chart of the report to a file, for pasting into documents."""
    from bilateral.report.contents import CHART_KINDS, chart_of, gather
    from bilateral.report.images import render_chart

    with reporting_errors():
        if kind not in CHART_KINDS:
            raise BilateralError(f"Unknown chart '{kind}'; choose one of {', '.join(CHART_KINDS)}.")
        store = open_store(read_only=True, offer=True)
        contents = gather(store, reporter, partner, year, source=source, currency=currency)
        write_output(output, render_chart(chart_of(contents, kind), fmt.value, scale=scale))
        err.print(f"Wrote {output}", highlight=False)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="A name the server answers to in the Host header, besides the address it "
            "listens on and the loopback names (repeat for more).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            help="Worker processes for claim checks, and as many for the store's other "
            "questions; 0 answers in threads of the server's process (nothing can be stopped).",
            min=0,
            max=64,
        ),
    ] = 1,
    queue: Annotated[
        int,
        typer.Option(
            help="Questions of one kind that may wait for a worker; beyond them, 503 with "
            "Retry-After.",
            min=0,
        ),
    ] = QUEUE,
    time_limit: Annotated[
        float,
        typer.Option(help="Seconds a check or a query may run before it is stopped.", min=1),
    ] = TIME_LIMIT,
    shutdown_timeout: Annotated[
        int,
        typer.Option(
            help="On SIGTERM, seconds the requests under way may take to finish before "
            "they are stopped.",
            min=0,
        ),
    ] = SHUTDOWN_TIMEOUT,
) -> None:
    """The dashboard and the JSON API (docs at /docs), over the store opened read-only."""
    from bilateral.web.app import create_app, run_server
    from bilateral.web.safety import LOOPBACK_HOSTS

    with reporting_errors():
        open_store(read_only=True, offer=True)
        hosts = [*LOOPBACK_HOSTS, *(allow_host or [])]
        if host not in ("0.0.0.0", "::"):  # an address of every interface is no name
            hosts.append(f"[{host}]" if ":" in host else host)
        app = create_app(
            state.store_path, hosts=hosts, workers=workers, queue=queue, time_limit=time_limit
        )
        err.print(f"Serving {app.state.store.store.root} on http://{host}:{port}/", highlight=False)
        run_server(app, host, port, shutdown_timeout=shutdown_timeout)


def register(app: typer.Typer) -> None:
    """Add report, chart and serve to the ``bilateral`` command line."""
    app.command()(report)
    app.command()(chart)
    app.command()(serve)
