"""Indicators: pure functions of Ibis tables, one module per family."""
