"""Schema creation and migration, per component.

Each component (the core snapshot table, and each source kind's tables) owns an ordered list of
migrations in its own module; ``schema_version`` records how far each component has been
migrated. A writer applies the migrations of the components it touches, so a store only holds
tables for evidence it has seen, and a new release adds a migration instead of editing a table.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import sys
from collections.abc import Sequence

import duckdb

from fwatlas.store.rows import first_row

#: components whose tables are not a source kind's: the core tables, and any a plugin adds
#: with :func:`register`. A source kind's component and module come from its one
#: registration in ``fwatlas.kinds`` (:func:`components`), never from a second list here.
COMPONENTS: dict[str, str] = {"core": "fwatlas.store.schema"}


def components() -> dict[str, str]:
    """Every component -> the module defining its ``MIGRATIONS: list[str]`` (one SQL script
    per version): each registered source kind's, then :data:`COMPONENTS`."""
    from fwatlas import kinds

    return {**{k.component: k.module for k in kinds.KINDS.values()}, **COMPONENTS}


MIGRATIONS: list[str] = [
    """
    CREATE SEQUENCE IF NOT EXISTS snapshot_seq START 1;
    CREATE TABLE snapshots (
        num BIGINT PRIMARY KEY DEFAULT nextval('snapshot_seq'),
        kind VARCHAR NOT NULL,
        dataset VARCHAR NOT NULL,
        origin VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        data_date DATE,
        data_date_source VARCHAR,
        ingested_at TIMESTAMP NOT NULL,
        state VARCHAR NOT NULL CHECK (state IN ('open', 'complete', 'failed')),
        row_count BIGINT NOT NULL DEFAULT 0,
        skipped_count BIGINT NOT NULL DEFAULT 0,
        skipped_items VARCHAR[] NOT NULL DEFAULT [],
        note VARCHAR
    );
    """,
    # 2: a snapshot of published figures (e.g. a tracker's own counts) says so
    "ALTER TABLE snapshots ADD COLUMN basis VARCHAR NOT NULL DEFAULT 'computed';",
    # 3: `fwatlas snapshots use ID` pins the snapshot read for a dataset (a user's choice
    #    outlives the command; the reference's id may be pinned too, so it is a string)
    """
    CREATE TABLE snapshot_pins (
        dataset VARCHAR PRIMARY KEY,
        snapshot_id VARCHAR NOT NULL,
        pinned_at TIMESTAMP NOT NULL
    );
    """,
]


def register(component: str, module: str) -> None:
    """Let a source kind outside this list own tables (plugins use the same hook)."""
    COMPONENTS[component] = module


def migrations_of(component: str) -> Sequence[str]:
    """The ordered migrations of one component."""
    return _migrations(component)


def _migrations(component: str) -> Sequence[str]:
    module = importlib.import_module(components()[component])
    return list(module.MIGRATIONS)


def migration_count(component: str) -> int:
    """How many migrations a component has, without importing its module where it can.

    Every read command checks the store's schema versions on open; importing each source
    module for that (they import pyarrow and pandas) cost most of a read command's time. The
    count is read from the module's ``MIGRATIONS = [...]`` literal instead, and only an
    unusual declaration (built at import, or extended later) falls back to importing it.
    """
    name = components()[component]
    loaded = sys.modules.get(name)
    if loaded is not None:
        return len(loaded.MIGRATIONS)
    counted = _literal_count(name)
    return counted if counted is not None else len(_migrations(component))


_DECLARATION = re.compile(r"^MIGRATIONS\b[^=\n]*=\s*\[", re.MULTILINE)
_ALTERED = re.compile(r"\bMIGRATIONS\s*(\+=|\.(append|extend|insert|pop|remove|clear)\b|\[)")


def _literal_count(module: str) -> int | None:
    """The length of a module's top-level ``MIGRATIONS`` list literal, or None if it is not
    one plain literal assigned once and never changed (then only an import can tell)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    try:
        with open(spec.origin, encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return None
    found = list(_DECLARATION.finditer(text))
    if len(found) != 1 or _ALTERED.search(text):
        return None
    start = found[0].start()
    end = text.find("\n]", start)
    if end < 0:
        return None
    try:
        tree = ast.parse(text[start:end + 2])
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign | ast.AnnAssign):
        return None
    value = tree.body[0].value
    if not isinstance(value, ast.List) or any(
            not (isinstance(e, ast.Constant) and isinstance(e.value, str)) for e in value.elts):
        return None
    return len(value.elts)


def current_versions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    exists = first_row(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ))
    if not exists or not exists[0]:
        return {}
    rows = con.execute("SELECT component, version FROM schema_version").fetchall()
    return {str(c): int(v) for c, v in rows}


def migrate(con: duckdb.DuckDBPyConnection, components: Sequence[str]) -> None:
    """Bring the named components (and core) up to date inside the caller's transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (component VARCHAR PRIMARY KEY, version INT)"
    )
    versions = current_versions(con)
    for component in ["core", *[c for c in components if c != "core"]]:
        scripts = _migrations(component)
        have = versions.get(component, 0)
        for script in scripts[have:]:
            con.execute(script)
        if len(scripts) > have:
            con.execute(
                "INSERT OR REPLACE INTO schema_version VALUES (?, ?)", [component, len(scripts)]
            )
