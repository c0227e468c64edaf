"""``fwatlas refresh registry`` for the full package set: concurrent against sequential.

Fetches every configured package (PyPI JSON API + npm registry, live) twice in the same run –
with the default concurrency limit and with one request at a time (the baseline) – each into a
fresh cache folder so neither reuses the other's responses, then ingests the concurrent result.
Prints wall time, requests, bytes as actually served (on the wire), statuses, retries, and
whether the servers sent validators (ETag / Last-Modified). Skips with a message (exit 0) when
the registries are unreachable. ``--quick``: the first 6 packages only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path


def _reachable() -> str | None:
    import httpx

    for url in ("https://pypi.org/pypi/pip/json", "https://registry.npmjs.org/left-pad"):
        try:
            httpx.head(url, timeout=5.0, follow_redirects=True)
        except httpx.HTTPError as exc:
            return f"{url.split('/')[2]}: {type(exc).__name__}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the first 6 packages")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)

    from fwatlas.ingestion import ingest
    from fwatlas.sources import registry
    from fwatlas.sources.registry_fetch import fetch

    problem = _reachable()
    if problem is not None:
        print(f"skipped: the registries are unreachable ({problem})")
        return 0
    packages = registry.package_set()
    if args.quick:
        packages = packages[:6]
    print(f"packages: {len(packages)} ({sum(r == 'pypi' for r, _, _ in packages)} PyPI, "
          f"{sum(r == 'npm' for r, _, _ in packages)} npm)")
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        for label, limit in (("concurrent", args.concurrency), ("sequential", 1)):
            folder = Path(tmp) / label
            report = fetch(packages, folder=folder, concurrency=limit, progress=False)
            s = report.stats
            runs[label] = report
            print(f"{label:>10} (limit {limit}): {s.wall_s:6.2f} s, {s.requests} requests, "
                  f"{s.bytes / 1e6:6.2f} MB served, statuses {dict(sorted(s.statuses.items()))}, "
                  f"retries {s.retries}, responses with validators {s.with_validators}"
                  + (f", problems: {'; '.join(report.problems)}" if report.problems else ""))
        c, q = runs["concurrent"].stats, runs["sequential"].stats
        print(f"speed-up concurrent vs sequential: {q.wall_s / c.wall_s:.1f}x")
        print("validators sent by the servers: "
              + ("yes – conditional requests will be used"
                 if c.with_validators else "none (no ETag/Last-Modified): every refresh "
                 "refetches; --max-age is what saves requests"))
        start = time.perf_counter()
        result = ingest("registry", runs["concurrent"].folder, db=Path(tmp) / "a.duckdb")
        snap = result.created[0]
        print(f"ingest: {time.perf_counter() - start:.2f} s, {snap.rows} packages, "
              f"{snap.skipped} skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
