"""Fixtures for the research tests: the real conference papers ingested once, store state."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import shared_path


def store_state(db: Path) -> tuple[list[tuple], dict[str, int]]:
    """The snapshot list and every table's row count (to prove a failed ingest changed
    nothing)."""
    if not db.exists():
        return [], {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        snaps = con.execute("SELECT * FROM snapshots ORDER BY num").fetchall()
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
                  for t in tables}
    finally:
        con.close()
    return snaps, counts


@pytest.fixture(scope="session")
def papers_dir() -> Path:
    return shared_path("data", "conference_papers")


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory, papers_dir: Path) -> Path:
    """A store holding every real paper list (ingested once per test session)."""
    from fwatlas.ingestion import ingest

    db = tmp_path_factory.mktemp("papers") / "atlas.duckdb"
    ingest("papers", papers_dir, db=db)
    return db
