"""The bundled probe run's record count and date, declared in the reference index.

The store describes the bundled run (its pseudo-snapshot: rows, data date) from
``data/reference/index.yaml`` without parsing probe records – the store imports nothing of
``fwatlas.probe``. These checks read the JSON lines with the standard library alone, so a
re-measured run that forgets the index fails here.
"""

from __future__ import annotations

import json
from importlib import resources

import yaml

from fwatlas.store import reference

REF = resources.files("fwatlas").joinpath("data/reference")


def _declared() -> dict[str, object]:
    index = yaml.safe_load(REF.joinpath("index.yaml").read_text("utf-8"))
    [entry] = [d for d in index["datasets"] if d.get("format") == "probe-jsonl"]
    return entry


def test_the_index_declares_what_the_bundled_run_holds() -> None:
    entry = _declared()
    lines = [json.loads(x) for x in REF.joinpath(str(entry["file"])).read_text("utf-8")
             .splitlines() if x.strip()]
    newest = max(r["machine"]["measured_at"][:10] for r in lines)
    assert entry["rows"] == len(lines) == 100
    assert entry["data_date"] == newest == "2026-12-03"


def test_the_pseudo_snapshot_and_the_parsed_records_agree() -> None:
    from fwatlas.probe.records import bundled_records

    entry = _declared()
    [snap] = [s for s in reference.snapshots() if s.dataset == entry["dataset"]]
    records = bundled_records(str(entry["dataset"]))
    assert snap.rows == len(records) == entry["rows"]
    assert snap.data_date is not None
    assert snap.data_date == max(r.measured_on for r in records if r.measured_on)
