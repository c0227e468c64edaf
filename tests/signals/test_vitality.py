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


# --- npm dist-tags.latest and old version numbers republished later ---------------------------

def _packument(name: str, latest: str, times: dict[str, str],
               deprecated: tuple[str, ...] = ()) -> dict:
    return {"name": name, "dist-tags": {"latest": latest},
            "versions": {v: ({"deprecated": "published by mistake"} if v in deprecated else {})
                         for v in times},
            "time": {"created": min(times.values()), "modified": max(times.values()), **times}}


def _write_folder(tmp_path, docs: list[dict]):
    import json
    from urllib.parse import quote

    folder = tmp_path / "registry"
    (folder / "npm").mkdir(parents=True)
    for d in docs:
        (folder / "npm" / f"{quote(d['name'], safe='')}.json").write_text(json.dumps(d))
    return folder


def _vitality_rows(cli, db, as_of: str) -> dict[str, dict]:
    run = cli("vitality", "--as-of", as_of, "--db", str(db), "--json")
    assert run.code == 0, run.err
    return {r["package"]: r for r in run.json()["rows"]}


def test_npm_latest_follows_dist_tags_and_old_numbers_are_not_new_releases(cli, db, tmp_path):
    """A packument made here: a back-ported 1.0.1 and an old 0.9.0 republished after 2.0.0 are
    not new releases; a deprecated stray 9.0.0 never outranks the line; a 5.0.0 the maintainers
    tag `next` is not what npm calls latest."""
    tiny = _packument("tiny-pkg", "3.0.0", {
        "1.0.0": "2024-01-10T10:00:00.000Z",
        "2.0.0": "2024-06-01T10:00:00.000Z",
        "9.0.0": "2024-07-01T10:00:00.000Z",        # deprecated, above the line
        "1.0.1": "2025-03-01T10:00:00.000Z",        # back-port on the 1.x line
        "2.1.0-beta.1": "2025-05-01T10:00:00.000Z",  # a pre-release of what comes next
        "0.9.0": "2025-06-15T10:00:00.000Z",        # an old number republished
        "3.0.0": "2025-09-01T10:00:00.000Z",
    }, deprecated=("9.0.0",))
    tagged = _packument("tagged-pkg", "4.1.0", {
        "4.0.0": "2025-01-01T00:00:00.000Z",
        "4.1.0": "2025-02-01T00:00:00.000Z",
        "5.0.0": "2025-03-01T00:00:00.000Z",        # published with --tag next
    })
    tagged["dist-tags"]["next"] = "5.0.0"
    ingest("registry", _write_folder(tmp_path, [tiny, tagged]), db=db)

    mid = _vitality_rows(cli, db, "2025-06-30")
    t = mid["tiny-pkg"]
    # dist-tags.latest (3.0.0) is not out yet: the highest live final that is not deprecated
    assert t["latest_version"] == "2.0.0"
    # the newest new release is the beta of 2025-05-01, not the 0.9.0 republished in June
    assert t["latest_release"] == "2025-05-01"
    assert t["days_since"] == (dt.date(2025, 6, 30) - dt.date(2025, 5, 1)).days
    # in (2024-06-30, 2025-06-30]: new 9.0.0 and 2.1.0-beta.1; older-line 1.0.1 and 0.9.0
    assert (t["releases_12m"], t["older_line_12m"]) == (2, 2)
    assert mid["tagged-pkg"]["latest_version"] == "4.1.0"

    late = _vitality_rows(cli, db, "2025-12-31")
    assert late["tiny-pkg"]["latest_version"] == "3.0.0"
    assert late["tiny-pkg"]["latest_release"] == "2025-09-01"
    # (2024-12-31, 2025-12-31]: new 2.1.0-beta.1 and 3.0.0 (9.0.0 fell out of the window)
    assert (late["tiny-pkg"]["releases_12m"], late["tiny-pkg"]["older_line_12m"]) == (2, 2)

    # 18 months after the last new release, with only old numbers since: flagged as stale
    stale = _vitality_rows(cli, db, "2027-04-01")
    assert stale["tiny-pkg"]["flagged"]
    assert "(last 2025-09-01)" in stale["tiny-pkg"]["flag_reason"]


def _core(version: str) -> tuple[int, int, int] | None:
    import re

    m = re.match(r"(\d+)\.(\d+)\.(\d+)(-?)", version)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def test_recorded_npm_documents_old_numbers_do_not_move_the_last_release(cli, db):
    """The recorded @tensorflow/tfjs time map stamps old numbers (2.0.0-rc.4, 2.2.0, 0.12.1…)
    after 4.22.0; @mediapipe/tasks-vision carries deprecated date-numbered 2023xxxx versions."""
    ingest("registry", REGISTRY, db=db)
    as_of = dt.date(2026, 11, 26)
    rows = _vitality_rows(cli, db, as_of.isoformat())
    for name in ("@tensorflow/tfjs", "@tensorflow/tfjs-node", "@litertjs/core",
                 "@mediapipe/tasks-vision"):
        doc = recorded("npm", name)
        stamps = sorted((t, v) for v, t in doc["time"].items()
                        if v not in ("created", "modified")
                        and dt.date.fromisoformat(t[:10]) <= as_of)
        bar = None
        new, older = [], []
        for t, v in stamps:
            core = _core(v)
            if core is not None and bar is not None and core <= bar:
                older.append(t)
                continue
            new.append(t)
            withdrawn = bool((doc["versions"].get(v) or {}).get("deprecated")) \
                or v not in doc["versions"]
            if core is not None and "-" not in v and not withdrawn:
                bar = core if bar is None else max(bar, core)
        row = rows[name]
        assert row["latest_version"] == doc["dist-tags"]["latest"], name
        assert row["latest_release"] == new[-1][:10], name
        year_ago = (as_of - dt.timedelta(days=365)).isoformat()
        assert row["releases_12m"] == sum(1 for t in new if t[:10] > year_ago), name
        assert row["older_line_12m"] == sum(1 for t in older if t[:10] > year_ago), name
    # the cases this test is about are in the data: an old number is the newest stamp, and a
    # deprecated final outranks what npm calls latest
    tfjs = recorded("npm", "@tensorflow/tfjs")
    newest = max((t, v) for v, t in tfjs["time"].items() if v not in ("created", "modified"))
    assert newest[1] == "2.0.0-rc.4" and rows["@tensorflow/tfjs"]["latest_release"] != \
        newest[0][:10]
    mp = recorded("npm", "@mediapipe/tasks-vision")
    finals = [v for v in mp["time"] if _core(v) and "-" not in v]
    assert max(finals, key=_core) != mp["dist-tags"]["latest"]
