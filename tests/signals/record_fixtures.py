"""Record the registry fixtures once from the live PyPI JSON API and npm registry.

Run by hand (it touches the network): ``.venv/bin/python tests/signals/record_fixtures.py``.
It uses the real fetcher, so the documents are trimmed exactly as the cache trims them, and
copies them to ``tests/signals/fixtures/registry/{pypi,npm}/``. Tests serve these files from
127.0.0.1; they never fetch.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from fwatlas.sources import registry
from fwatlas.sources.registry_fetch import fetch

HERE = Path(__file__).parent / "fixtures" / "registry"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = fetch(registry.package_set(), folder=Path(tmp), concurrency=8)
        print(json.dumps(report.stats.as_dict(), indent=1), report.problems)
        for reg in registry.REGISTRIES:
            if (HERE / reg).exists():
                shutil.rmtree(HERE / reg)
            shutil.copytree(Path(tmp) / reg, HERE / reg)
        manifest = json.loads((Path(tmp) / registry.MANIFEST).read_text())
        recorded = {p["registry"] + ":" + p["package"]: p.get("fetched_at")
                    for p in manifest["packages"]}
        (HERE / "RECORDED.json").write_text(json.dumps(recorded, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
