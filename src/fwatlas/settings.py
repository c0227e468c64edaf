"""Environment settings, read in one place.

``FWATLAS_DB`` (store path), ``FWATLAS_KB`` (extra knowledge-base file), ``FWATLAS_CACHE``
(cache folder), ``FWATLAS_DATA`` (data folder). Functions, not constants, so tests can set the
environment per test.
"""

from __future__ import annotations

import os
from pathlib import Path


def _xdg(var: str, default: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / default)


def default_db_path() -> Path:
    """The evidence store: ``$FWATLAS_DB`` or ``~/.local/share/fwatlas/atlas.duckdb``."""
    env = os.environ.get("FWATLAS_DB")
    if env:
        return Path(env)
    return _xdg("XDG_DATA_HOME", ".local/share") / "fwatlas" / "atlas.duckdb"


def cache_dir() -> Path:
    """Caches (PDF text, registry responses): ``$FWATLAS_CACHE`` or ``~/.cache/fwatlas``."""
    env = os.environ.get("FWATLAS_CACHE")
    if env:
        return Path(env)
    return _xdg("XDG_CACHE_HOME", ".cache") / "fwatlas"


def extra_kb_path() -> Path | None:
    """A user's knowledge-base file merged over the bundled one (``$FWATLAS_KB``)."""
    env = os.environ.get("FWATLAS_KB")
    return Path(env) if env else None


def hf_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` asks huggingface_hub not to touch the network."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}
