"""The evidence store: one DuckDB file of dated snapshots, plus the bundled reference."""

from fwatlas.store.atlas import Atlas, Snapshot, open_atlas, open_writer

__all__ = ["Atlas", "Snapshot", "open_atlas", "open_writer"]
