"""What makes read commands fast must not change what they answer (issue 19).

- the schema check counts migrations from the source text, and the count equals the list's;
- a read-only Atlas memoises the snapshot list, a writer never does;
- facts are cached beside the store per set of snapshots: a second process reads them back
  equal, without computing them; an ingest, a pin, --snapshot or a changed knowledge-base
  file is a miss, and --as-of still judges age on cached facts.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fwatlas.store import fact_cache, result_cache, schema
from tests.conftest import run_cli, shared_path


def test_migration_counts_read_without_import_equal_the_lists() -> None:
    for component, module in schema.components().items():
        if component == "core":
            continue
        counted = schema._literal_count(module)
        assert counted is not None, f"{module}: MIGRATIONS is not read as one literal"
        assert counted == len(importlib.import_module(module).MIGRATIONS), module


def test_an_unusual_declaration_falls_back_to_importing(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "plugin_speed19"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "grown.py").write_text('MIGRATIONS: list[str] = [\n    "CREATE TABLE a (x INT)",\n]\n'
                                  'MIGRATIONS.append("CREATE TABLE b (x INT)")\n')
    (pkg / "built.py").write_text('MIGRATIONS = ["CREATE TABLE t%d (x INT)" % i '
                                  'for i in range(3)]\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(schema.COMPONENTS, "grown19", "plugin_speed19.grown")
    monkeypatch.setitem(schema.COMPONENTS, "built19", "plugin_speed19.built")
    assert schema._literal_count("plugin_speed19.grown") is None
    assert schema._literal_count("plugin_speed19.built") is None
    assert schema.migration_count("grown19") == 2
    assert schema.migration_count("built19") == 3


def test_opening_a_store_imports_no_source_module(tmp_path: Path) -> None:
    db = tmp_path / "atlas.duckdb"
    sample = shared_path("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")
    assert run_cli("ingest", "hub", str(sample), "--db", str(db)).code == 0
    code = ("import sys; from fwatlas.store.atlas import open_atlas; a = open_atlas(sys.argv[1]);"
            "print(len(a.snapshots(include_reference=False)));"
            "print(sorted(m for m in sys.modules if m.startswith('fwatlas.sources.')"
            " or m in ('pandas', 'pyarrow')))")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out == ["1", "[]"]


def test_the_snapshot_list_is_memoised_only_when_read_only(tmp_path: Path) -> None:
    from fwatlas.store.atlas import open_atlas, open_writer

    db = tmp_path / "atlas.duckdb"
    with open_writer(db) as w:
        assert w.snapshots(include_reference=False) == []
        w.con.execute("INSERT INTO snapshots (kind, dataset, origin, content_hash, data_date, "
                      "ingested_at, state) VALUES ('hub', 'hub/models', 'x', 'h', DATE "
                      "'2024-01-01', TIMESTAMP '2024-01-02 00:00:00', 'complete')")
        assert [s.id for s in w.snapshots(include_reference=False)] == ["s1"]
    ro = open_atlas(db)
    first = ro.snapshots(include_reference=False)
    assert [s.id for s in first] == ["s1"]
    assert ro.snapshots(include_reference=False) == first
    assert ro.pins() == {} and ro.has_table("snapshots") and not ro.has_table("nope")
    ro.close()


def _facts(db: Path, *extra: str, env: dict[str, str] | None = None) -> dict:
    """``facts --json`` with the command's stored envelope forgotten, so the facts layer is
    what answers (``test_result_cache`` covers the envelopes)."""
    result_cache.clear(db)
    run = run_cli("facts", "--db", str(db), "--json", *extra, env=env, subprocess_=True)
    assert run.code == 0, run.err
    return run.json()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("facts19") / "atlas.duckdb"
    sample = shared_path("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")
    assert run_cli("ingest", "hub", str(sample), "--db", str(db)).code == 0
    return db


def test_facts_come_back_from_the_cache_equal_and_uncomputed(store: Path) -> None:
    cache = fact_cache.path_for(store)
    cache.unlink(missing_ok=True)
    computed = _facts(store)
    assert cache.exists()
    stored = json.loads(cache.read_text())
    assert "fwatlas.analyses.availability:hub_facts" in stored["providers"]
    assert _facts(store) == computed


def test_a_cached_fact_is_what_is_read(store: Path) -> None:
    cache = fact_cache.path_for(store)
    _facts(store)
    data = json.loads(cache.read_text())
    rows = data["providers"]["fwatlas.analyses.availability:hub_facts"]
    name = rows[0]["name"]
    rows[0]["unit"] = "planted-by-test"
    cache.write_text(json.dumps(data))
    # the planted unit is read back: the facts were not recomputed for the same snapshots
    got = {r["name"]: r for r in _facts(store, "--prefix", "hub.")["rows"]}
    assert got[name]["unit"] == "planted-by-test"
    cache.unlink()
    assert {r["name"]: r for r in _facts(store, "--prefix", "hub.")["rows"]}[name]["unit"] \
        != "planted-by-test"


def test_an_ingest_a_pin_or_another_kb_is_a_miss(store: Path, tmp_path: Path) -> None:
    cache = fact_cache.path_for(store)
    _facts(store)
    data = json.loads(cache.read_text())
    rows = data["providers"]["fwatlas.kb.facts:kb_facts"]
    rows[0]["unit"] = "planted-by-test"
    cache.write_text(json.dumps(data))
    kb = tmp_path / "extra.yaml"
    kb.write_text("entries: []\n")
    other = _facts(store, env={"FWATLAS_KB": str(kb)})
    assert all(r["unit"] != "planted-by-test" for r in other["rows"])
    # an ingest removes the file
    part = tmp_path / "part.jsonl"
    import gzip

    with gzip.open(shared_path("data", "hf_models_2022_sample",
                               "hf_models_2022-02-21.sample.jsonl.gz"), "rt") as f:
        part.write_text("".join(line for _, line in zip(range(50), f, strict=False)))
    _facts(store)
    assert cache.exists()
    assert run_cli("ingest", "hub", str(part), "--db", str(store)).code == 0
    assert not cache.exists()
    def hub_ids(payload: dict) -> set[str]:
        return {s["snapshot_id"] for r in payload["rows"] if r["name"].startswith("hub.")
                for s in r["sources"] if not str(s["snapshot_id"]).startswith("ref:")}

    read = hub_ids(_facts(store))
    assert len(read) == 1 and read <= {"s1", "s2"}
    other = ({"s1", "s2"} - read).pop()
    assert run_cli("snapshots", "use", other, "--db", str(store)).code == 0
    assert cache.exists()  # a pin is no ingest: the file stays, its key no longer matches
    assert hub_ids(_facts(store)) == {other}
    assert run_cli("snapshots", "unpin", "hub/models", "--db", str(store)).code == 0
    assert hub_ids(_facts(store)) == read
    # --snapshot picks another snapshot for one command, with the cache warm for the default
    assert hub_ids(_facts(store, "--snapshot", other)) == {other}
    assert hub_ids(_facts(store)) == read


def test_as_of_still_judges_age_with_the_cache_warm(store: Path) -> None:
    _facts(store)
    assert fact_cache.path_for(store).exists()

    def ages(as_of: str) -> set[int]:
        run = run_cli("verdict", "--db", str(store), "--json", "--as-of", as_of,
                      subprocess_=True)
        assert run.code == 0, run.err
        found: set[int] = set()

        def walk(node: object) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("age_days"), int):
                    found.add(node["age_days"])
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(run.json())
        return found

    early, late = ages("2022-03-01"), ages("2026-11-30")
    assert early and late and max(late) - max(early) == 1735  # days from 2022-03-01 to 2026-11-30


def test_a_damaged_cache_is_ignored(store: Path) -> None:
    cache = fact_cache.path_for(store)
    computed = _facts(store)
    cache.write_text("{not json")
    assert _facts(store) == computed
    data = json.loads(cache.read_text())
    data["providers"]["fwatlas.kb.facts:kb_facts"] = [{"class": "os:system", "name": "x"}]
    cache.write_text(json.dumps(data))
    assert _facts(store) == computed
