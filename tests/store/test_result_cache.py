"""A read command's result stored beside the store is what a second run draws, and only where
building it again would give the same answer (issue 19).

- every cached read command prints byte for byte the same, table and JSON, from a stored
  envelope as from a built one;
- a planted entry is what is read (the stored envelope is used, not rebuilt);
- another option value, another day, an edited file an option names, an edited ``--kb``
  file, a pin or an ingest is a miss; a damaged entry or an unwritable folder is ignored;
- the folder keeps at most MAX_ENTRIES entries, the newest;
- the HTML report is written from its stored file until its inputs change.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from fwatlas.commands import Command, commands
from fwatlas.store import result_cache
from tests.conftest import run_cli, shared_path

SAMPLE = shared_path("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")
CACHED = [c for c in commands() if c.store and not c.lazy_store and not c.writes_file]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("results19") / "atlas.duckdb"
    assert run_cli("ingest", "hub", str(SAMPLE), "--db", str(db)).code == 0
    return db


def _words(entry: Command) -> list[str]:
    by_keyword = {o.keyword: o for o in entry.options}
    words = list(entry.words)
    for key, value in entry.example:
        if key == entry.argument:  # the example's model is not in the 2022 sample
            words.append("bert-base-multilingual-cased" if key == "model_id" else value)
        else:
            words += [by_keyword[key].cli, value]
    return words


def _entries(db: Path) -> list[Path]:
    return sorted(result_cache.folder_for(db).glob("*.json"))


def _run(db: Path, *words: str, env: dict[str, str] | None = None) -> str:
    run = run_cli(*words, "--db", str(db), env=env)
    assert run.code == 0, run.err
    return run.out


def test_the_cached_commands_are_the_store_reading_ones() -> None:
    names = {c.name for c in CACHED}
    assert {"facts", "verdict", "signals", "research", "deploy-matrix", "availability"} <= names
    assert not names & {"advise", "kb list", "kb show"}  # no store, or opened only if needed


@pytest.mark.parametrize("entry", CACHED, ids=[c.name for c in CACHED])
def test_a_stored_result_prints_as_the_built_one(entry: Command, store: Path) -> None:
    words = _words(entry)
    for fmt in ("table", "json"):
        result_cache.clear(store)
        built = _run(store, *words, "--format", fmt)
        assert len(_entries(store)) == 1, "the result was not stored"
        assert _run(store, *words, "--format", fmt) == built


def test_a_planted_entry_is_what_is_read(store: Path) -> None:
    result_cache.clear(store)
    first = json.loads(_run(store, "availability", "--json"))
    [entry] = _entries(store)
    data = json.loads(entry.read_text())
    data["payload"]["planted"] = "by-test"
    entry.write_text(json.dumps(data))
    assert json.loads(_run(store, "availability", "--json")) == {**first, "planted": "by-test"}
    result_cache.clear(store)
    assert "planted" not in json.loads(_run(store, "availability", "--json"))


def _planted(db: Path, *words: str) -> None:
    """Run ``words`` once and mark its stored envelope, to tell a hit from a miss."""
    result_cache.clear(db)
    _run(db, *words, "--json")
    [entry] = _entries(db)
    data = json.loads(entry.read_text())
    data["payload"]["planted"] = True
    entry.write_text(json.dumps(data))


def _hit(db: Path, *words: str, env: dict[str, str] | None = None) -> bool:
    return "planted" in json.loads(_run(db, *words, "--json", env=env))


def test_other_options_another_day_or_edited_files_are_misses(store: Path,
                                                               tmp_path: Path) -> None:
    _planted(store, "availability")
    assert _hit(store, "availability")
    assert not _hit(store, "availability", "--weight", "downloads")
    _planted(store, "status", "--as-of", "2026-11-01")
    assert not _hit(store, "status", "--as-of", "2026-11-02")
    assert _hit(store, "status", "--as-of", "2026-11-01")
    # a knowledge-base file given with --kb (or $FWATLAS_KB): its content is part of the key
    kb = tmp_path / "extra.yaml"
    kb.write_text("entries: []\n")
    _planted(store, "status", "--as-of", "2026-11-01", "--kb", str(kb))
    assert _hit(store, "status", "--as-of", "2026-11-01", "--kb", str(kb))
    kb.write_text("entries: []\n# edited\n")
    assert not _hit(store, "status", "--as-of", "2026-11-01", "--kb", str(kb))
    # a file an option names (verdict --method): its content too
    method = tmp_path / "method.yaml"
    method.write_bytes(shared_method().read_bytes())
    _planted(store, "verdict", "--method", str(method), "--as-of", "2026-11-01")
    assert _hit(store, "verdict", "--method", str(method), "--as-of", "2026-11-01")
    method.write_bytes(method.read_bytes() + b"\n# edited\n")
    assert not _hit(store, "verdict", "--method", str(method), "--as-of", "2026-11-01")


def shared_method() -> Path:
    from importlib import resources

    from fwatlas.verdict.method import BUNDLED

    return Path(str(resources.files("fwatlas").joinpath("data", BUNDLED)))


def test_a_pin_or_an_ingest_is_a_miss(tmp_path: Path) -> None:
    db = tmp_path / "atlas.duckdb"
    assert run_cli("ingest", "hub", str(SAMPLE), "--db", str(db)).code == 0
    part = tmp_path / "part.jsonl"
    with gzip.open(SAMPLE, "rt") as f:
        part.write_text("".join(line for _, line in zip(range(50), f, strict=False)))
    _planted(db, "availability")
    assert run_cli("ingest", "hub", str(part), "--db", str(db)).code == 0
    assert _entries(db) == []  # an ingest removes the folder
    assert not _hit(db, "availability")
    _planted(db, "availability")
    assert run_cli("snapshots", "use", "s1", "--db", str(db)).code == 0
    assert not _hit(db, "availability")  # the pin changed what is read: another key
    assert run_cli("snapshots", "unpin", "hub/models", "--db", str(db)).code == 0
    assert _hit(db, "availability")  # back to the read set the planted entry was built from
    assert not _hit(db, "availability", "--snapshot", "s1")


def test_a_damaged_entry_or_an_unwritable_folder_is_ignored(store: Path) -> None:
    result_cache.clear(store)
    built = _run(store, "availability", "--json")
    [entry] = _entries(store)
    entry.write_text("{not json")
    assert _run(store, "availability", "--json") == built
    entry.write_text('{"payload": [1, 2]}')
    assert _run(store, "availability", "--json") == built
    result_cache.clear(store)
    result_cache.folder_for(store).write_text("a file where the folder goes")
    try:
        assert _run(store, "availability", "--json") == built
    finally:
        result_cache.folder_for(store).unlink()


def test_the_folder_keeps_the_newest_entries(store: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(result_cache, "MAX_ENTRIES", 2)
    result_cache.clear(store)
    for method in ("tags", "files", "library"):
        _run(store, "availability", "--method", method, "--json")
    kept = [json.loads(p.read_text())["payload"]["method"] for p in _entries(store)]
    assert sorted(kept) == ["files", "library"]


def test_a_report_is_written_from_its_stored_html_until_its_inputs_change(
        store: Path, tmp_path: Path) -> None:
    result_cache.clear(store)
    first, second, other = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "c.html"
    assert run_cli("report", "-o", str(first), "--as-of", "2026-11-01",
                   "--db", str(store)).code == 0
    [stored] = result_cache.folder_for(store).glob("*.html")
    assert stored.read_bytes() == first.read_bytes()
    stored.write_text(stored.read_text() + "<!-- planted -->")
    assert run_cli("report", "-o", str(second), "--as-of", "2026-11-01",
                   "--db", str(store)).code == 0
    assert second.read_text() == first.read_text() + "<!-- planted -->"
    assert run_cli("report", "-o", str(other), "--as-of", "2026-11-02",
                   "--db", str(store)).code == 0
    assert "<!-- planted -->" not in other.read_text()
    assert len(list(result_cache.folder_for(store).glob("*.html"))) == 2


def test_a_copied_store_with_its_folder_builds_its_own_results(store: Path,
                                                                tmp_path: Path) -> None:
    import shutil

    _planted(store, "availability")
    copy = tmp_path / "copy.duckdb"
    shutil.copy(store, copy)
    shutil.copytree(result_cache.folder_for(store), result_cache.folder_for(copy))
    assert _hit(store, "availability")
    assert not _hit(copy, "availability")
