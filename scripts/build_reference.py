"""Recompute the bundled reference's Hub figures from the real Feb-2022 Hub sample.

Usage: python scripts/build_reference.py [PATH_TO_SAMPLE]

Ingests ``../shared/data/hf_models_2022_sample`` into a temporary store with fwatlas itself and
writes the Venn cells of every method, weight and grouping to
``src/fwatlas/data/reference/hub_sample_2022.csv`` (basis: computed, the data set named in each
row). Run it again whenever the vocabulary's Hub rules change; a test checks the shipped rows
against an independent oracle.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

from fwatlas import vocabulary as vocab
from fwatlas.analyses.availability import store_cells
from fwatlas.ingestion import ingest
from fwatlas.store.atlas import open_atlas

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared/data/hf_models_2022_sample/hf_models_2022-02-21.sample.jsonl.gz"
OUT = ROOT / "src/fwatlas/data/reference/hub_sample_2022.csv"
SOURCE = ("https://github.com/saranscript/huggingface-models/tree/"
          "796a1d378fabf06fff864b7147be79829b0b872f")
DATA_DATE = "2022-02-21"
DATASET_NOTE = ("computed by fwatlas from the 9,979-model sample of the Hub list_models dump of "
                "2022-02-21 (saranscript/huggingface-models@796a1d3)")


def main() -> None:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ref.duckdb"
        ingest("hub", sample, db=db, data_date=None)
        atlas = open_atlas(db)
        snap = atlas.snapshots(kind="hub", include_reference=False)[0]
        rows = []
        for method in vocab.HUB_METHODS:
            for weight in ("count", "downloads"):
                unit = "models" if weight == "count" else "downloads"
                for by in (None, "year", "task"):
                    cells, notes = store_cells(atlas, snap, method, weight, by)
                    for group in sorted(cells):
                        for combo, value in sorted(cells[group].items()):
                            note = DATASET_NOTE + ("; " + "; ".join(notes) if notes else "")
                            rows.append(["hub.cells", f"{method}.{weight}.{by or 'all'}.{group}."
                                         f"{combo}", f"{value:.0f}", unit, DATA_DATE, SOURCE,
                                         "computed", note])
    with OUT.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["figure", "key", "value", "unit", "data_date", "source_url", "basis", "note"])
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
