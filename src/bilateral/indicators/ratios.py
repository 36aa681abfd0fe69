"""Shares and ratios that are unknown rather than infinite when the denominator is zero.

DuckDB and Spark disagree on x / 0 (null, infinity, or an error under Spark's ANSI mode),
so every indicator divides through these functions and gets the same null everywhere.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator; null when the denominator is zero or null."""
    return ibis.ifelse(
        denominator != 0, numerator.cast("float64") / denominator, ibis.null("float64")
    )


def percent(part: ir.NumericValue, whole: ir.NumericValue) -> ir.FloatingValue:
    """100 * part / whole; null when the whole is zero or null."""
    return 100.0 * ratio(part, whole)


def percent_change(new: ir.NumericValue, old: ir.NumericValue) -> ir.FloatingValue:
    """100 * (new / old - 1); null when the old value is zero or null."""
    return 100.0 * (ratio(new, old) - 1.0)
