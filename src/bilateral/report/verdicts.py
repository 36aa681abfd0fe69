"""The claim checker as the report and the dashboard call it: text in, its JSON out.

The JSON is the checker's own (``{"claims": [{"text", "indicator", "reporter", "partner",
"product", "year", "year_basis", "stated": {"value", "unit", "hedge"}, "verdict",
"evidence": [{"source", "reported_by", "year", "value"}], "explanation"}]}``); this module
only finds the checker and hands it the store.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from bilateral.errors import NotAvailableError
from bilateral.store import Store

Checker = Callable[[Store, str], dict[str, Any]]

VERDICTS = ("supported", "close", "contradicted", "not checkable", "no data")


def check_text(store: Store, text: str) -> dict[str, Any]:
    """Every quantitative claim in ``text``, judged against the store."""
    try:
        claims = importlib.import_module("bilateral.claims")
    except ImportError:
        raise NotAvailableError(
            "The claim checker (bilateral.claims) is not part of this installation."
        ) from None
    check: Checker = claims.check_text
    return check(store, text)
