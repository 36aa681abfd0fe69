"""Why two sources' figures of the same flow differ: the reason printed beside every gap.

A gap compares one view of a flow (a source, and whose statistics it is) with the
reference view, the reporter's own statistics. The reasons are the ones statisticians
give: CIF/FOB valuation (an importer values goods with freight and insurance to its
border, the exporter at its own), reconciliation (BACI), coverage (what a total is made
of), and a publisher's revision of its own figure.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """What a gap's reason needs to know of one view of a flow in one year.

    ``valuation`` is 'FOB', 'CIF', 'reconciled', or for turnover and balance the two
    flows' valuations joined by '+'; None where unknown. ``revised`` says the store holds
    the figure from more than one release of the source (the latest is used).
    """

    source: str
    statistics_of: str
    valuation: str | None = None
    basis: str | None = None
    release: str | None = None
    revised: bool = False


def _cif_fob(flow: str, reporter: str, partner: str, ref: Side, other: Side, gap: float) -> str:
    """The CIF/FOB part of a mirror gap's reason, with whether its sign is the expected one."""
    if flow in ("turnover", "balance"):
        return (
            f"CIF/FOB: each country values its imports CIF and its exports FOB, so {reporter}'s "
            f"and {partner}'s totals mix the two valuations"
        )
    importer, exporter = (partner, reporter) if flow == "exports" else (reporter, partner)
    importer_side, exporter_side = (other, ref) if flow == "exports" else (ref, other)
    known = (importer_side.valuation, exporter_side.valuation)
    if known == ("CIF", "FOB"):
        text = f"CIF/FOB: {importer} values these goods CIF, {exporter} FOB"
    elif None in known:
        text = f"CIF/FOB: importers usually value goods CIF, exporters FOB ({importer} imports)"
    else:
        return f"valuation: {importer} reports {known[0]}, {exporter} {known[1]}"
    # the importer's figure is expected to be the larger
    expected = gap >= 0 if other is importer_side else gap <= 0
    if not expected:
        text += f"; but {importer}'s figure is the smaller, which CIF/FOB does not explain"
    return text


def gap_reason(flow: str, reporter: str, partner: str, ref: Side, other: Side, gap: float) -> str:
    """Why ``other``'s figure of ``flow`` differs from the reference view's by ``gap``.

    Parameters
    ----------
    flow
        turnover, exports (reporter to partner), imports (partner to reporter) or balance.
    reporter, partner
        The pair, as the flow is seen from the reporter.
    ref, other
        The reference view (the reporter's own statistics) and the view compared with it.
    gap
        other - ref, in the flow's currency.

    Returns
    -------
    str
        One clause or several joined by '; '.

    Examples
    --------
    >>> kz = Side("kz_bns", "KAZ", valuation="CIF")
    >>> ru = Side("ru_fcs", "RUS", valuation="FOB")
    >>> gap_reason("imports", "KAZ", "RUS", kz, ru, -1.0e9)
    'mirror statistics; CIF/FOB: KAZ values these goods CIF, RUS FOB'

    A reason is given for every gap, however small; its size is the caller's to judge.
    """
    parts: list[str] = []
    if other.statistics_of == "reconciled" or ref.statistics_of == "reconciled":
        parts.append("BACI reconciles both countries' reports (imports brought to FOB)")
    elif other.statistics_of == ref.statistics_of:
        parts.append(
            f"the same statistics ({ref.statistics_of}'s) as two publishers give them: "
            "a revision or a different coverage"
        )
    else:
        parts.append("mirror statistics")
        parts.append(_cif_fob(flow, reporter, partner, ref, other, gap))
    if ref.basis and other.basis and ref.basis != other.basis:
        parts.append(f"coverage: {other.source} '{other.basis}', {ref.source} '{ref.basis}'")
    if other.revised and other.release:
        parts.append(f"{other.source}: release {other.release}, revised since first published")
    return "; ".join(parts)
