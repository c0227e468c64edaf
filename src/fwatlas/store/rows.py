"""Small helpers for DuckDB results."""

from __future__ import annotations

from typing import Any

import duckdb


def first_row(result: duckdb.DuckDBPyConnection) -> tuple[Any, ...] | None:
    """The first row of a result, consuming it whole (DuckDB 2 refuses new work on a
    connection while an earlier result is unfinished)."""
    rows = result.fetchall()
    return tuple(rows[0]) if rows else None
