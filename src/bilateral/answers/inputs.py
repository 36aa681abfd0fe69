"""What every question checks before it asks the store: a source the store holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.errors import NotAvailableError

if TYPE_CHECKING:
    from bilateral.store import Store


def check_source(store: Store, source: str | None) -> None:
    """A source the store does not hold is an error naming the ones it does."""
    if source is not None and source not in store.sources():
        held = ", ".join(store.sources()) or "nothing yet"
        raise NotAvailableError(f"Source '{source}' is not in the store; it holds {held}.")
