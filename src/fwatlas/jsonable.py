"""Plain JSON values from fwatlas results, shared by the CLI, the web API and the report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from enum import Enum
from pathlib import Path
from typing import Any

_PLAIN = (str, int, bool)


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates as ISO strings, NaN as null, dataclasses as objects."""
    if value is None or type(value) in _PLAIN:  # most values: returned before the slow checks
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    return value
