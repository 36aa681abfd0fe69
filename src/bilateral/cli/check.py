"""``bilateral check FILE|-``: find the quantitative claims in a text and judge each."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from bilateral.cli.common import (
    CLAIM_FORMATS,
    OutputFormat,
    err,
    format_option,
    open_store,
    out,
    reporting_errors,
)
from bilateral.errors import BilateralError


def _read(file: str) -> tuple[bytes, str]:
    if file == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    path = Path(file)
    if not path.is_file():
        raise BilateralError(
            f"{file}: no such file; give a text file, or - to read standard input."
        )
    return path.read_bytes(), path.name


def _country(text: str | None) -> str | None:
    from bilateral.reference.countries import countries

    return countries().resolve(text).code if text else None


def register(app: typer.Typer) -> None:
    """Add the ``check`` command to ``app``."""

    @app.command("check")
    def check(
        file: Annotated[str, typer.Argument(help="A UTF-8 text file, or - for standard input.")],
        fmt: Annotated[OutputFormat, format_option(CLAIM_FORMATS)] = OutputFormat.table,
        subject: Annotated[
            str | None,
            typer.Option(
                help="The country the text is about (name or code); default: the most named."
            ),
        ] = None,
        partner: Annotated[
            str | None,
            typer.Option(help="Its partner (name or code); default: the next most named."),
        ] = None,
    ) -> None:
        """Find the quantitative claims in a text and judge each against the store's data."""
        from bilateral.claims import check_text
        from bilateral.claims.document import decode
        from bilateral.claims.report import as_json, as_markdown, render_table

        with reporting_errors():
            data, name = _read(file)
            text = decode(data, name)
            store = open_store(read_only=True, offer=True)
            if not store.sources():
                err.print(
                    f"The store at {store.root} is empty, so no claim can be checked. "
                    "Add data with: bilateral ingest PATH",
                    highlight=False,
                    soft_wrap=True,
                )
            parsed, checked = check_text(
                text, store, name=name, subject=_country(subject), partner=_country(partner)
            )
            if fmt == "json":
                out.file.write(as_json(checked) + "\n")
            elif fmt == "markdown":
                out.file.write(as_markdown(checked, parsed))
            else:
                render_table(out, checked, parsed)
