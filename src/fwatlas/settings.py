"""Environment settings, declared and read in one place.

Every ``FWATLAS_*`` variable is a row of :data:`SETTINGS` (name, default, help) – the README's
settings table is checked against it – and read through the functions below. Functions, not
constants, so tests can set the environment per test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fwatlas.errors import InputError


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("FWATLAS_DB", "~/.local/share/fwatlas/atlas.duckdb", "the evidence store (--db)"),
    Setting("FWATLAS_KB", "(none)", "a knowledge-base file merged over the bundled one (--kb)"),
    Setting("FWATLAS_CACHE", "~/.cache/fwatlas", "caches: PDF text, registry responses, dumps"),
    Setting("FWATLAS_WORKERS", "CPU count", "worker processes for PDF/text extraction"),
    Setting("FWATLAS_HTTP_RETRIES", "4", "retries on 429/5xx and connection errors (refresh)"),
    Setting("FWATLAS_HTTP_BACKOFF", "0.5", "first backoff in seconds, doubled per retry"),
    Setting("FWATLAS_REGISTRY_CONCURRENCY", "8", "concurrent registry requests (--concurrency)"),
    Setting("FWATLAS_REGISTRY_MAX_AGE", "(none)",
            "skip packages fetched more recently than this, e.g. 6h (--max-age)"),
    Setting("FWATLAS_PYPI_URL", "https://pypi.org", "the PyPI JSON API's base URL"),
    Setting("FWATLAS_NPM_URL", "https://registry.npmjs.org", "the npm registry's base URL"),
    Setting("FWATLAS_TOP_PYPI_URL",
            "https://hugovk.github.io/top-pypi-packages/top-pypi-packages.min.json",
            "the top-PyPI-packages dump that `refresh pypi-downloads` fetches"),
    Setting("FWATLAS_GITHUB_API_URL", "https://api.github.com",
            "the GitHub REST API's base URL (`refresh github`)"),
    Setting("GITHUB_TOKEN", "(none)",
            "a GitHub token for `refresh github` (5,000 requests an hour instead of 60)"),
    Setting("FWATLAS_HN_API_URL", "https://hn.algolia.com/api/v1",
            "the Hacker News Algolia API's base URL (`refresh jobs`)"),
    Setting("FWATLAS_STACKEXCHANGE_API_URL", "https://api.stackexchange.com/2.3",
            "the Stack Exchange API's base URL (`refresh qa`)"),
    Setting("STACKEXCHANGE_KEY", "(none)",
            "a Stack Exchange app key for `refresh qa` (10,000 requests a day instead of 300)"),
    Setting("FWATLAS_GITHUB_ARCHIVE_URL", "https://codeload.github.com",
            "where `refresh repos` downloads {base}/{owner}/{name}/tar.gz/HEAD"),
    Setting("FWATLAS_ARCHIVE_MAX_BYTES", "209715200",
            "a repository archive larger than this (200 MiB) is skipped and listed"),
    Setting("FWATLAS_REPOS_CONCURRENCY", "8", "concurrent archive downloads (--concurrency)"),
    Setting("FWATLAS_PAPERLISTS_URL",
            "https://raw.githubusercontent.com/papercopilot/paperlists/main",
            "raw-file base of the Paper Copilot lists (`refresh paper-code`)"),
    Setting("FWATLAS_WEB_CACHE_MB", "64",
            "memory the web app's answer cache may hold, in MiB (oldest answers go first)"),
)
_DEFAULTS = {s.name: s.default for s in SETTINGS}


def _get(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _xdg(var: str, default: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / default)


def default_db_path() -> Path:
    """The evidence store: ``$FWATLAS_DB`` or ``~/.local/share/fwatlas/atlas.duckdb``."""
    env = _get("FWATLAS_DB")
    if env:
        return Path(env)
    return _xdg("XDG_DATA_HOME", ".local/share") / "fwatlas" / "atlas.duckdb"


def cache_dir() -> Path:
    """Caches (PDF text, registry responses): ``$FWATLAS_CACHE`` or ``~/.cache/fwatlas``."""
    env = _get("FWATLAS_CACHE")
    if env:
        return Path(env)
    return _xdg("XDG_CACHE_HOME", ".cache") / "fwatlas"


def extra_kb_path() -> Path | None:
    """A user's knowledge-base file merged over the bundled one (``$FWATLAS_KB``)."""
    env = _get("FWATLAS_KB")
    return Path(env) if env else None


def hf_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` asks huggingface_hub not to touch the network."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def positive_int(name: str, default: int) -> int:
    """A whole-number setting of at least 1; a bad value is a usage error (exit 2)."""
    value = _get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


def workers() -> int:
    """``FWATLAS_WORKERS`` or the machine's CPU count."""
    return positive_int("FWATLAS_WORKERS", os.cpu_count() or 1)


def http_retries() -> int:
    value = _get("FWATLAS_HTTP_RETRIES")
    if value is None:
        return int(_DEFAULTS["FWATLAS_HTTP_RETRIES"])
    if not value.isdigit():
        raise InputError(f"FWATLAS_HTTP_RETRIES must be a whole number, not {value!r}")
    return int(value)


def http_backoff() -> float:
    value = _get("FWATLAS_HTTP_BACKOFF")
    try:
        return float(value) if value else float(_DEFAULTS["FWATLAS_HTTP_BACKOFF"])
    except ValueError:
        raise InputError(f"FWATLAS_HTTP_BACKOFF must be seconds, not {value!r}") from None


def registry_concurrency() -> int:
    return positive_int("FWATLAS_REGISTRY_CONCURRENCY",
                        int(_DEFAULTS["FWATLAS_REGISTRY_CONCURRENCY"]))


def registry_max_age() -> str | None:
    """The text of ``FWATLAS_REGISTRY_MAX_AGE`` (parsed by the registry fetcher)."""
    return _get("FWATLAS_REGISTRY_MAX_AGE")


def web_cache_bytes() -> int:
    """The byte bound of ``fwatlas serve``'s answer cache (``FWATLAS_WEB_CACHE_MB``)."""
    return positive_int("FWATLAS_WEB_CACHE_MB", int(_DEFAULTS["FWATLAS_WEB_CACHE_MB"])) << 20


def url(name: str) -> str:
    """One of the service URLs, overridable for tests and mirrors."""
    return _get(name) or _DEFAULTS[name]


def archive_max_bytes() -> int:
    return positive_int("FWATLAS_ARCHIVE_MAX_BYTES", int(_DEFAULTS["FWATLAS_ARCHIVE_MAX_BYTES"]))


def repos_concurrency() -> int:
    return positive_int("FWATLAS_REPOS_CONCURRENCY", int(_DEFAULTS["FWATLAS_REPOS_CONCURRENCY"]))


def github_token() -> str | None:
    """``GITHUB_TOKEN``: sent as a bearer token by ``refresh github`` and ``refresh repos``."""
    return _get("GITHUB_TOKEN")


def stackexchange_key() -> str | None:
    """``STACKEXCHANGE_KEY``: the app key ``refresh qa`` sends (raises the daily quota)."""
    return _get("STACKEXCHANGE_KEY")
