"""Show checked claims: a Rich table for the terminal, Markdown, and JSON for programs.

The JSON is exactly ``{"claims": [{"text", "indicator", "reporter", "partner", "product",
"year", "year_basis", "stated": {"value", "unit", "hedge"}, "verdict", "evidence":
[{"source", "reported_by", "year", "value"}], "explanation"}]}``; values are in the unit
of the claim: US dollars (not thousands), percent, or a rank.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from bilateral.claims.model import (
    CLOSE,
    CONTRADICTED,
    NO_DATA,
    NOT_CHECKABLE,
    SUPPORTED,
    VERDICTS,
    CheckedClaim,
    Claim,
    ParsedText,
)
from bilateral.formats import (
    NOT_AVAILABLE,
    format_change,
    format_money,
    format_percent,
    format_rank,
    is_missing,
    to_json,
)

_STYLES = {
    SUPPORTED: "bold green",
    CLOSE: "bold yellow",
    CONTRADICTED: "bold red",
    NOT_CHECKABLE: "dim",
    NO_DATA: "magenta",
}


def as_json(checked: list[CheckedClaim]) -> str:
    """The JSON document for ``checked`` (see the module docstring)."""
    return to_json({"claims": [c.as_json() for c in checked]})


def format_figure(value: float | None, claim: Claim) -> str:
    """A value in the claim's unit, for people: $26.97 bn, 19.90%, +9.5%, 3rd."""
    if value is None or is_missing(value):
        return NOT_AVAILABLE
    unit = claim.stated.unit
    if unit == "rank":
        return format_rank(value)
    if unit == "%":
        growth = claim.indicator.endswith("_growth")
        return format_change(value) if growth else format_percent(value)
    if unit.startswith("vs "):
        return f"{format_change(value)} {unit}"
    return format_money(value)


def _year(item: CheckedClaim) -> str:
    """The year a claim was checked for, and why that year: '2022 (stated)'."""
    return f"{item.year or NOT_AVAILABLE} ({item.claim.year_basis or 'not needed'})"


def _who(claim: Claim) -> str:
    if claim.reporter is None:
        return ""
    arrow = f"{claim.reporter}-{claim.partner}" if claim.partner else claim.reporter
    return f"{arrow} {claim.product.describe()}" if claim.product else arrow


def _evidence_line(checked: CheckedClaim) -> str:
    return "; ".join(
        f"{row.source} {row.year}: {format_figure(row.value, checked.claim)}"
        for row in checked.evidence
    )


def summary(checked: list[CheckedClaim]) -> str:
    """'12 claims: 5 supported, 1 close, ...' in the order of VERDICTS."""
    counts = Counter(c.verdict for c in checked)
    parts = [f"{counts[v]} {v}" for v in VERDICTS if counts[v]]
    noun = "claim" if len(checked) == 1 else "claims"
    return f"{len(checked)} {noun}" + (": " + ", ".join(parts) if parts else "")


def render_table(console: Console, checked: list[CheckedClaim], parsed: ParsedText) -> None:
    """A table of claims and verdicts, then each claim's explanation and the sentence."""
    for note in parsed.notes:
        console.print(Text(note, style="yellow"))
    if not checked:
        console.print("No quantitative claims found.")
        _print_skipped(console, parsed)
        return
    table = Table(title=summary(checked), show_lines=True)
    for column in ("#", "stated", "indicator", "who", "year", "verdict", "evidence"):
        table.add_column(column, overflow="fold")
    for number, item in enumerate(checked, 1):
        claim = item.claim
        table.add_row(
            str(number),
            claim.stated.text,
            claim.indicator,
            _who(claim),
            str(item.year or ""),
            Text(item.verdict, style=_STYLES[item.verdict]),
            _evidence_line(item),
        )
    console.print(table)
    for number, item in enumerate(checked, 1):
        console.print(
            Group(
                Text.assemble((f"{number}. ", "bold"), (item.verdict, _STYLES[item.verdict])),
                Text(f"   \u201c{item.claim.text}\u201d", style="italic"),
                Text(f"   Year: {_year(item)}"),
                Text(f"   {item.explanation}"),
            )
        )
    _print_skipped(console, parsed)


def _print_skipped(console: Console, parsed: ParsedText) -> None:
    for skipped in parsed.skipped:
        console.print(
            Text(f"Not a claim ({skipped.reason}): {skipped.text}", style="dim"), soft_wrap=True
        )


def as_markdown(checked: list[CheckedClaim], parsed: ParsedText) -> str:
    """A Markdown report: a summary table, then one section per claim."""
    lines = [f"## Claims checked: {summary(checked)}", ""]
    lines.extend(f"> {note}" for note in parsed.notes)
    if parsed.date:
        lines.append(f"Text dated {parsed.date} ({parsed.date_basis}).")
        lines.append("")
    if checked:
        lines.append("| # | stated | indicator | who | year | verdict | evidence |")
        lines.append("|---|---|---|---|---|---|---|")
        for number, item in enumerate(checked, 1):
            cells = [
                str(number),
                item.claim.stated.text,
                item.claim.indicator,
                _who(item.claim),
                str(item.year or ""),
                f"**{item.verdict}**",
                _evidence_line(item),
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    for number, item in enumerate(checked, 1):
        lines.append(f"### {number}. {item.claim.stated.text}: {item.verdict}")
        lines.append("")
        lines.append(f"> {item.claim.text}")
        lines.append("")
        lines.append(f"- Year: {_year(item)}")
        lines.append(f"- {item.explanation}")
        lines.append("")
    if parsed.skipped:
        lines.append("### Sentences with numbers that hold no claim")
        lines.append("")
        lines.extend(f"- {s.text} ({s.reason})" for s in parsed.skipped)
        lines.append("")
    return "\n".join(lines)
