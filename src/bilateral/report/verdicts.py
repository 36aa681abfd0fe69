"""The claim checker as the report and the dashboard call it: text in, its JSON out.

The JSON is the checker's own (``bilateral check --format json``): ``{"claims": [{"text",
"indicator", "reporter", "partner", "product", "year", "year_basis", "stated": {"value",
"unit", "hedge"}, "verdict", "evidence": [{"source", "reported_by", "year", "value"}],
"explanation"}]}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bilateral.claims import check_text as judge_text
from bilateral.claims.report import as_json
from bilateral.store import Store

Checker = Callable[[Store, str], dict[str, Any]]


def check_text(
    store: Store, text: str, *, subject: str | None = None, partner: str | None = None
) -> dict[str, Any]:
    """Every quantitative claim in ``text``, judged against the store.

    ``subject`` and ``partner`` (ISO alpha-3) name the pair the text is about when
    counting names in it would not find them.
    """
    _, checked = judge_text(text, store, subject=subject, partner=partner)
    result: dict[str, Any] = json.loads(as_json(checked))
    return result
