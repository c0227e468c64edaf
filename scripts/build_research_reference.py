"""Compute the bundled reference's paper-code and Transformers-coverage rows from shared data.

Usage: python scripts/build_research_reference.py [SHARED_DATA_DIR]

- ``paper_code_2022_2025/repo_scans.csv`` (304 repositories linked from Paper Copilot lists,
  each scanned by ``fwatlas scan``): per venue edition, the repositories of the random sample
  counted by the scan's primary framework; ``status = empty`` (README-only, project pages) counts
  as ``none``, ``not_fetchable`` is not a scanned repository (counted apart), and the
  ``sample = hand-picked`` rows are left out. Written to
  ``src/fwatlas/data/reference/paper_code_sample.csv``.
- ``transformers_framework_coverage/transformers_arch_framework_coverage.csv`` (17 releases
  counted from the wheels): per release, architectures and those with a PyTorch, TensorFlow and
  Flax (JAX) implementation. Written to ``src/fwatlas/data/reference/transformers_coverage.csv``.

Every row is ``basis: computed`` and names its data set in ``note``. Run it again when the
shared data changes; a test recomputes the shares from the shared CSV independently.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared/data"
OUT = ROOT / "src/fwatlas/data/reference"
HEADER = ["figure", "key", "value", "unit", "data_date", "source_url", "basis", "note"]
CATEGORIES = ("pytorch", "tensorflow", "jax", "keras", "other", "multi", "none")
PAPERLISTS = ("https://github.com/papercopilot/paperlists/tree/"
              "33f9884e652f05a768d2f216534d7f1e446a0cf7")
SCANNED_AS_OF = "2026-12-01"  # every repository's snapshot was taken in 2026-12 (PROVENANCE)
TRANSFORMERS = "https://pypi.org/project/transformers/"


def paper_code_rows(data: Path) -> list[list[str]]:
    scans = list(csv.DictReader((data / "paper_code_2022_2025/repo_scans.csv")
                                .open(encoding="utf-8")))
    links = Counter(r["venue_year"] for r in csv.DictReader(
        (data / "paper_code_2022_2025/code_links.csv").open(encoding="utf-8")))
    editions = sorted({(r["venue"], int(r["year"])) for r in scans})
    rows = []
    for venue, year in editions:
        sample = [r for r in scans if r["venue"] == venue and int(r["year"]) == year
                  and r["sample"] == "random"]
        counts: Counter[str] = Counter()
        unfetched = 0
        for r in sample:
            if r["status"] == "not_fetchable":
                unfetched += 1
            elif r["status"] == "empty":
                counts["none"] += 1
            else:
                counts[r["fwatlas_primary"] or "none"] += 1
        scanned = sum(counts.values())
        note = (f"computed by fwatlas from the shared data set paper_code_2022_2025 "
                f"(repo_scans.csv): a random sample of {len(sample)} of the "
                f"{links[f'{venue}{year}']:,} repositories linked from Paper Copilot's "
                f"{venue}{year} list, each scanned by fwatlas scan (snapshots of 2026-12); "
                f"{unfetched} not fetchable; README-only repositories count as none; "
                "hand-picked repositories left out")
        metrics = {"repositories": scanned, "sampled": len(sample), "not_fetchable": unfetched,
                   "links": links[f"{venue}{year}"], **{c: counts[c] for c in CATEGORIES}}
        for metric, value in metrics.items():
            rows.append(["research.code", f"{venue}.{year}.{metric}", str(value),
                         "repositories" if metric != "links" else "links", SCANNED_AS_OF,
                         PAPERLISTS, "computed", note])
    return rows


def coverage_rows(data: Path) -> list[list[str]]:
    path = data / "transformers_framework_coverage/transformers_arch_framework_coverage.csv"
    rows = []
    for r in csv.DictReader(path.open(encoding="utf-8")):
        note = (f"computed from the wheel {r['wheel']} (sha256 {r['sha256'][:12]}…) by the "
                "shared data set transformers_framework_coverage's method: folders "
                "transformers/models/<arch>/ with modeling_/modeling_tf_/modeling_flax_ files, "
                "deprecated architectures excluded")
        for metric, col in (("architectures", "n_arch_any"), ("pytorch", "n_pytorch"),
                            ("tensorflow", "n_tensorflow"), ("jax", "n_flax")):
            rows.append(["coverage.transformers", f"{r['version']}.{metric}", r[col],
                         "architectures", r["wheel_build_date"], TRANSFORMERS + r["version"] + "/",
                         "computed", note])
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    print(f"wrote {len(rows)} rows to {path}")


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    _write(OUT / "paper_code_sample.csv", paper_code_rows(data))
    _write(OUT / "transformers_coverage.csv", coverage_rows(data))


if __name__ == "__main__":
    main()
