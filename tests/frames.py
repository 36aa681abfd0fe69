"""Comparing an engine's result with a table computed another way, row order aside."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def normalised(frame: pd.DataFrame, keys: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """The columns, sorted by the keys, with plain dtypes (engines differ in int widths and
    in None versus NaN)."""
    out = frame[list(columns)].copy()
    out.columns = list(columns)
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(
            out[column]
        ):
            out[column] = out[column].astype("float64")
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out.sort_values(list(keys)).reset_index(drop=True)


def assert_same(
    actual: pd.DataFrame,
    expected: pd.DataFrame,
    keys: Sequence[str],
    columns: Sequence[str] | None = None,
    rtol: float = 1e-9,
) -> None:
    columns = list(columns or expected.columns)
    pd.testing.assert_frame_equal(
        normalised(actual, keys, columns),
        normalised(expected, keys, columns),
        check_dtype=False,
        rtol=rtol,
    )
