"""What a renderer is: how one read command's payload is drawn as a Rich table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fwatlas.commands import Ctx

#: a JSON object: a command's payload, or its options as the builder got them
Json = dict[str, Any]
#: draws on a Rich console
Draw = Callable[[Any], None]
#: how a command's payload is drawn as a table: (payload, options, context) -> Draw
Render = Callable[[Json, Json, Ctx], Draw]
