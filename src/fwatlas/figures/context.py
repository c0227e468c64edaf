"""What a section builder is given besides the store: "today" and the report's options."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportContext:
    """``as_of`` is "today" for anything judged by age, so a report is reproducible."""

    as_of: dt.date
    kb_path: str | None = None
    options: dict[str, str] = field(default_factory=dict)
