"""Claim checking: read the quantitative claims in a text and judge each against the data.

``parse`` turns text into claims, ``verify`` judges them against an ``evidence`` source
(the store, through ``store_evidence``, whose queries are ``evidence_queries``),
``report`` shows the verdicts. docs/claims.md
describes the hedges, tolerances and verdicts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bilateral.claims.evidence import Evidence
    from bilateral.claims.model import CheckedClaim, ParsedText
    from bilateral.claims.parse import parse_text
    from bilateral.claims.verify import check
    from bilateral.store import Store


def check_text(
    text: str,
    data: Store | Evidence,
    *,
    name: str = "<text>",
    subject: str | None = None,
    partner: str | None = None,
) -> tuple[ParsedText, list[CheckedClaim]]:
    """Parse ``text`` and judge every claim against ``data`` (a store or any Evidence).

    ``subject`` and ``partner`` (ISO alpha-3) name the pair of countries the text is about
    when counting names would not find it.
    """
    from bilateral.claims.parse import parse_text
    from bilateral.claims.verify import check
    from bilateral.store import Store

    parsed = parse_text(text, name=name, subject=subject, partner=partner)
    evidence: Evidence
    if isinstance(data, Store):
        from bilateral.claims.store_evidence import StoreEvidence

        evidence = StoreEvidence(data)
        evidence.expect(claim.product for claim in parsed.claims if claim.product is not None)
    else:
        evidence = data
    return parsed, check(parsed, evidence)


def __getattr__(name: str) -> Any:
    """``parse_text`` and ``check``, imported on first use: a module that needs only the
    report's formats (the command line's help) does not load the parser's vocabularies."""
    if name == "parse_text":
        from bilateral.claims.parse import parse_text

        return parse_text
    if name == "check":
        from bilateral.claims.verify import check

        return check
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["check_text", "parse_text", "check"]
