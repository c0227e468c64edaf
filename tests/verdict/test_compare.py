"""fwatlas compare: Hub shares and models in and out, registry releases, knowledge-base statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.verdict.conftest import ingest, write_hub

OLD = {"a/one": ["pytorch"], "b/two": ["pytorch", "tf"], "c/three": ["tf"], "d/four": ["jax"],
       "e/five": ["text-classification"]}
NEW = {"a/one": ["pytorch"], "b/two": ["pytorch", "tf"], "d/four": ["jax", "flax"],
       "f/six": ["pytorch"], "g/seven": ["pytorch", "jax"]}
TAGS = {"pytorch": {"pytorch"}, "tensorflow": {"tf", "tensorflow"}, "jax": {"jax", "flax"}}


def _shares(models: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """Independent oracle: (share available, share exclusive) among models with a framework."""
    has = {m: {fw for fw, tags in TAGS.items() if tags & set(t)} for m, t in models.items()}
    with_fw = [m for m in has if has[m]]
    return {fw: (sum(fw in has[m] for m in with_fw) / len(with_fw),
                 sum(has[m] == {fw} for m in with_fw) / len(with_fw)) for fw in TAGS}


def test_two_hub_snapshots_give_share_deltas_and_models_added_and_removed(db, tmp_path):
    ingest(db, "hub", write_hub(tmp_path / "old.jsonl", OLD), "--data-date", "2026-01-01")
    ingest(db, "hub", write_hub(tmp_path / "new.jsonl", NEW), "--data-date", "2026-06-01")
    run = run_cli("compare", "--old", "s1", "--new", "s2", "--db", str(db), "--json")
    assert run.code == 0, run.err
    payload = run.json()
    assert payload["kind"] == "hub" and payload["dataset"] == "hub/models"
    old, new = _shares(OLD), _shares(NEW)
    rows = {r["framework"]: r for r in payload["rows"]}
    for fw in TAGS:
        r = rows[fw]
        assert r["share_available_old"] == pytest.approx(old[fw][0])
        assert r["share_available_new"] == pytest.approx(new[fw][0])
        assert r["share_available_delta"] == pytest.approx(new[fw][0] - old[fw][0])
        assert r["share_exclusive_delta"] == pytest.approx(new[fw][1] - old[fw][1])
    models = payload["models"]
    added, removed = sorted(NEW.keys() - OLD.keys()), sorted(OLD.keys() - NEW.keys())
    assert (models["added"], models["removed"]) == (len(added), len(removed))
    assert models["added_sample"] == added and models["removed_sample"] == removed
    assert [s["snapshot_id"] for s in payload["sources"]] == ["s1", "s2"]
    assert all(s["data_date"] for s in payload["sources"])


def test_against_the_reference_the_models_are_null_not_zero(db, tmp_path):
    ingest(db, "hub", write_hub(tmp_path / "new.jsonl", NEW), "--data-date", "2026-06-01")
    ref = next(s["snapshot_id"] for s in run_cli("snapshots", "--db", str(db), "--json")
               .json()["rows"] if s["dataset"] == "hub/models" and s["reference"])
    payload = run_cli("compare", "--old", ref, "--new", "s1", "--db", str(db), "--json").json()
    assert payload["models"] is None and "null" in payload["notes"][0]
    assert len(payload["rows"]) == 3


def _pypi_doc(name: str, releases: dict[str, tuple[str, bool]], latest: str) -> str:
    return json.dumps({
        "info": {"name": name, "version": latest, "requires_dist": None,
                 "requires_python": ">=3.9"},
        "releases": {v: [{"upload_time_iso_8601": t, "yanked": y, "filename": f"{name}-{v}.tgz"}]
                     for v, (t, y) in releases.items()},
        "urls": [{"filename": f"{name}-{latest}-py3-none-any.whl", "packagetype": "bdist_wheel",
                  "python_version": "py3", "upload_time_iso_8601": releases[latest][0],
                  "size": 1, "yanked": False}],
    })


def _registry_folder(root: Path, docs: dict[str, str]) -> Path:
    (root / "pypi").mkdir(parents=True)
    for name, text in docs.items():
        (root / "pypi" / f"{name}.json").write_text(text, encoding="utf-8")
    return root


def test_two_registry_snapshots_give_new_releases_and_status_changes(db, tmp_path):
    t1, t2, t3 = "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z", "2026-05-01T00:00:00Z"
    old = _registry_folder(tmp_path / "old", {
        "torch": _pypi_doc("torch", {"2.0": (t1, False), "2.1": (t2, False)}, "2.1"),
        "jax": _pypi_doc("jax", {"0.4": (t1, False)}, "0.4")})
    new = _registry_folder(tmp_path / "new", {
        "torch": _pypi_doc("torch", {"2.0": (t1, False), "2.1": (t2, True), "2.2": (t3, False)},
                           "2.2"),
        "keras": _pypi_doc("keras", {"3.0": (t1, False)}, "3.0")})
    ingest(db, "registry", old, "--data-date", "2026-04-01")
    ingest(db, "registry", new, "--data-date", "2026-06-01")
    payload = run_cli("compare", "--old", "s1", "--new", "s2", "--db", str(db), "--json").json()
    got = {(r["change"], r["package"], r["version"], r["old"], r["new"]) for r in payload["rows"]}
    assert got == {
        ("package added", "keras", "3.0", None, "3.0"),
        ("package removed", "jax", "0.4", "0.4", None),
        ("new release", "torch", "2.2", None, "2.2"),
        ("latest version", "torch", "2.2", "2.1", "2.2"),
        ("yanked", "torch", "2.1", "no", "yes"),
    }
    assert payload["changes"]["new release"] == 1


KB_OLD = """entries:
  - {name: torchserve, status: active, status_date: "2023-01"}
  - {name: tensorflow-serving, status: active}
  - {name: pytorch-live, status: active}
"""
KB_NEW = """entries:
  - {name: torchserve, status: archived, status_date: "2025-08"}
  - {name: tensorflow-serving, status: active}
  - {name: executorch, status: active}
  - {name: broken, status: vibes}
"""


def test_two_knowledge_base_files_give_status_changes_added_and_removed(db, tmp_path):
    old, new = tmp_path / "kb-2023.yaml", tmp_path / "kb-2026.yaml"
    old.write_text(KB_OLD, encoding="utf-8")
    new.write_text(KB_NEW, encoding="utf-8")
    # three entries would be read as overlays (merged over the bundled base) by default
    run = run_cli("compare", "--old", str(old), "--new", str(new), "--file-as", "complete",
                  "--db", str(db), "--json")
    assert run.code == 0, run.err
    payload = run.json()
    assert payload["old"]["read_as"] == payload["new"]["read_as"] == "complete"
    got = [(r["entry"], r["change"], r["old_status"], r["new_status"]) for r in payload["rows"]]
    assert got == [("torchserve", "status", "active", "archived"),
                   ("executorch", "added", None, "active"),
                   ("pytorch-live", "removed", "active", None)]
    assert any("broken" in n for n in payload["notes"])  # an item-level problem, listed
    assert payload["sources"][0]["snapshot_id"].startswith("kb:kb-2023.yaml@")


def test_the_bundled_kb_against_itself_merged_with_a_user_file(db, tmp_path):
    import yaml

    from fwatlas.kb.loader import load_kb

    bundled = load_kb(None)
    entry = bundled.entries["torchserve"]
    overlay = tmp_path / "mine.yaml"
    overlay.write_text(yaml.safe_dump({"entries": [{
        "name": "torchserve", "status": "active", "status_date": "2026-11-01",
        "sources": [{"url": "https://example.org/revived", "date": "2026-11-01"}],
        "checked_on": "2026-11", "checked_via": "secondary"}]}), encoding="utf-8")
    merged = load_kb(overlay)
    old_id, new_id = merged.files[0].snapshot_id, merged.files[1].snapshot_id
    payload = run_cli("compare", "--old", old_id, "--new", new_id, "--kb", str(overlay),
                      "--db", str(db), "--json").json()
    assert [(r["entry"], r["old_status"], r["new_status"]) for r in payload["rows"]] == [
        ("torchserve", entry.status, "active")]


def test_snapshots_of_different_datasets_exit_2_and_unknown_ids_exit_1(db, tmp_path):
    ingest(db, "hub", write_hub(tmp_path / "m.jsonl", NEW), "--data-date", "2026-06-01")
    run = run_cli("compare", "--old", "s1", "--new", "ref:article@0.1.0", "--db", str(db))
    assert run.code == 2 and "same dataset" in run.err
    run = run_cli("compare", "--old", "s1", "--new", "s99", "--db", str(db))
    assert run.code == 1 and "s99" in run.err


def test_a_broken_knowledge_base_file_exits_2_naming_it(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries: {not: a list}\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(KB_OLD, encoding="utf-8")
    run = run_cli("compare", "--old", str(good), "--new", str(bad), "--db", str(db))
    assert run.code == 2 and str(bad) in run.err and len(run.err.strip().splitlines()) == 1
    assert not db.exists()  # a read command never creates or writes the store


def _overlay(tmp_path: Path) -> Path:
    import yaml

    path = tmp_path / "my.yaml"
    path.write_text(yaml.safe_dump({"entries": [{
        "name": "torchserve", "status": "active", "status_date": "2026-11-01",
        "sources": [{"url": "https://example.org/revived", "date": "2026-11-01"}],
        "checked_on": "2026-11", "checked_via": "secondary"}]}), encoding="utf-8")
    return path


def test_a_one_entry_overlay_file_is_read_merged_over_the_bundled_base_and_says_so(db,
                                                                                  tmp_path):
    """Not 110 bundled entries 'removed': the file is read the way --kb reads it."""
    from fwatlas.kb.loader import load_kb

    bundled = load_kb(None)
    overlay = _overlay(tmp_path)
    run = run_cli("compare", "--old", bundled.snapshot_id, "--new", str(overlay),
                  "--db", str(db), "--json")
    assert run.code == 0, run.err
    payload = run.json()
    assert [(r["entry"], r["change"], r["new_status"]) for r in payload["rows"]] == [
        ("torchserve", "status", "active")]
    assert payload["old"]["read_as"] == "bundled" and payload["new"]["read_as"] == "merged"
    assert payload["new"]["entries"] == len(bundled.entries)
    assert any(n.startswith("new: ") and "merged over the bundled knowledge base" in n
               for n in payload["notes"])
    # both files it rests on are sources
    ids = [s["snapshot_id"] for s in payload["sources"]]
    assert ids[0] == bundled.snapshot_id and ids[1].startswith("kb:my.yaml@") and len(ids) == 2
    table = run_cli("compare", "--old", bundled.snapshot_id, "--new", str(overlay),
                    "--db", str(db))
    assert "Changes (1)" in table.out and "merged over the bundled" in table.out
    # asked to, it is read on its own: every other entry is then 'removed'
    alone = run_cli("compare", "--old", bundled.snapshot_id, "--new", str(overlay),
                    "--file-as", "complete", "--db", str(db), "--json").json()
    assert alone["new"]["read_as"] == "complete"
    assert alone["changes"]["removed"] == len(bundled.entries) - 1


def test_a_complete_knowledge_base_file_is_read_on_its_own(db, tmp_path):
    """Another version of tools.yaml (most bundled names): on its own, so removals show."""
    import yaml

    src = ROOT / "src/fwatlas/data/kb/tools.yaml"
    doc = yaml.safe_load(src.read_text(encoding="utf-8"))
    dropped = doc["entries"].pop()["name"]
    older = tmp_path / "tools-older.yaml"
    older.write_text(yaml.safe_dump(doc), encoding="utf-8")
    payload = run_cli("compare", "--old", str(src), "--new", str(older), "--db", str(db),
                      "--json").json()
    assert payload["old"]["read_as"] == payload["new"]["read_as"] == "complete"
    assert [(r["entry"], r["change"]) for r in payload["rows"]] == [(dropped, "removed")]
    assert any("read on its own as a complete knowledge base" in n for n in payload["notes"])
    bad = run_cli("compare", "--old", str(src), "--new", str(older), "--file-as", "vibes",
                  "--db", str(db))
    assert bad.code == 2 and "--file-as" in bad.err
