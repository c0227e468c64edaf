"""The platforms fwatlas judges wheels and advice for: operating systems and CPU architectures.

Declared once, here, below every layer: the support analysis (which wheels install where) and
the advisor (``--os``/``--arch``) both take their valid values from this module, and the
advisor's cold start must not load the store (DuckDB) just to know them.
"""

from __future__ import annotations

from typing import Literal, get_args

Os = Literal["linux", "macos", "windows"]
Arch = Literal["x86_64", "arm64"]
OSES: tuple[str, ...] = get_args(Os)
ARCHES: tuple[str, ...] = get_args(Arch)
#: other names people give the two architectures (``uname -m`` says aarch64 on Linux)
ARCH_ALIASES: dict[str, str] = {"aarch64": "arm64", "amd64": "x86_64", "x64": "x86_64"}
