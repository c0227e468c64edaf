"""Vitality: release cadence judged at --as-of, plus knowledge-base statuses."""

from __future__ import annotations

import datetime as dt

from fwatlas.analyses.vitality import months_before
from fwatlas.ingestion import ingest
from tests.signals.conftest import REGISTRY, recorded


def _uploads(package: str) -> list[tuple[str, dt.datetime]]:
    doc = recorded("pypi", package)
    out = []
    for version, files in doc["releases"].items():
        times = [f["upload_time_iso_8601"] for f in files if f.get("upload_time_iso_8601")
                 and not f.get("yanked")]
        if times:
            out.append((version, dt.datetime.fromisoformat(min(times).replace("Z", "+00:00"))))
    return out


def test_stale_and_archived_packages_are_flagged(cli, db):
    ingest("registry", REGISTRY, db=db)
    run = cli("vitality", "--as-of", "2026-11-26", "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    rows = {(r["registry"], r["package"]): r for r in out["rows"]}
    kinds = {s["kind"] for s in out["sources"]}
    assert {"registry", "kb"} <= kinds
    last = max(t for _, t in _uploads("tflite-runtime")).date()
    tfl = rows[("pypi", "tflite-runtime")]
    assert tfl["latest_release"] == last.isoformat()
    assert tfl["days_since"] == (dt.date(2026, 11, 26) - last).days
    assert tfl["flagged"] and "no release for 18 months" in tfl["flag_reason"]
    serve = rows[("pypi", "torchserve")]
    assert serve["kb_status"] == "archived" and "knowledge base: archived" in serve["flag_reason"]
    torch = rows[("pypi", "torch")]
    year_ago = dt.datetime(2025, 11, 26, 23, 59, 59, tzinfo=dt.UTC)
    assert torch["releases_12m"] == sum(
        1 for _, t in _uploads("torch") if year_ago < t <= dt.datetime(2026, 11, 27,
                                                                      tzinfo=dt.UTC))
    assert not torch["flagged"] and torch["flag_reason"] is None


def test_as_of_ignores_later_releases(cli, db):
    ingest("registry", REGISTRY, db=db)
    as_of = dt.date(2024, 1, 1)
    before = [(v, t) for v, t in _uploads("torch") if t.date() <= as_of]
    from packaging.version import Version

    highest = max((v for v, _ in before if not Version(v).is_prerelease), key=Version)
    out = cli("vitality", "--as-of", as_of.isoformat(), "--db", str(db), "--json").json()
    torch = next(r for r in out["rows"] if r["package"] == "torch")
    assert torch["latest_version"] == highest
    assert torch["latest_release"] == max(t for _, t in before).date().isoformat()


def test_eighteen_month_boundary():
    assert months_before(dt.date(2026, 8, 31), 18) == dt.date(2025, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 18) == dt.date(2024, 7, 15)


def test_vitality_facts_are_judged_at_the_snapshot_date(db):
    from fwatlas.facts import list_facts
    from fwatlas.store.atlas import open_atlas

    ingest("registry", REGISTRY, db=db)
    facts = {f.name: f for f in list_facts(open_atlas(db), "vitality.flagged")}
    assert facts["vitality.flagged.pypi.torchserve"].value is True
    assert facts["vitality.flagged.pypi.torch"].value is False


def test_a_status_dated_after_as_of_is_not_used(cli, db):
    """TorchServe was archived in 2025-08: judged as of mid-2024 that was not yet known."""
    ingest("registry", REGISTRY, db=db)
    out = cli("vitality", "--as-of", "2024-06-01", "--db", str(db), "--json").json()
    serve = next(r for r in out["rows"] if r["package"] == "torchserve")
    assert serve["kb_status"] is None
    assert "knowledge base" not in (serve["flag_reason"] or "")
    assert any(n.startswith("torchserve: knowledge-base status archived") for n in out["notes"])
