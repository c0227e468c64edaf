"""Soak: 20,000 mixed requests at concurrency 32 against `fwatlas serve`, RSS before and after.

The server runs in its own process on a loopback port over bench_web's store (the bundled
reference and the real 2022 Hub sample). The load generator is a small asyncio HTTP/1.1 client
(keep-alive, one connection per worker) so that on two shared cores it takes as little CPU as
it can from the server. Every answer must be 200; the server's resident memory (VmRSS) is read
from /proc before the first request and after the last. Prints one stable line:
``soak: N requests, E errors, RSS A -> B MiB`` (then the throughput and latency).

Usage: .venv/bin/python benchmarks/bench_soak.py [--quick]   (--quick: 2,000 requests)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import model_ids, paths, raw_load, start_server, store_with_sample

EXTRA = ["/api/snapshots", "/api/verdict", "/"]  # a few other endpoints and a page in the mix


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 requests instead of 20,000")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    n = args.requests or (2_000 if args.quick else 20_000)
    db = store_with_sample()
    ids = model_ids(db)
    rng = random.Random(15)
    urls = paths(n - n // 20, ids, rng) + [rng.choice(EXTRA) for _ in range(n // 20)]
    rng.shuffle(urls)
    proc, port = start_server(db, "soak.log")
    try:
        before = rss_mib(proc.pid)
        cpu0 = server_cpu_s(proc.pid)
        r = asyncio.run(raw_load(port, urls, args.concurrency))
        after = rss_mib(proc.pid)
        server_cpu = server_cpu_s(proc.pid) - cpu0
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    print(f"soak: {r['requests']} requests, {r['errors']} errors, "
          f"RSS {before:.0f} -> {after:.0f} MiB")
    print(f"  concurrency {args.concurrency}: {r['throughput']:,.0f} req/s, p50 "
          f"{r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms; CPU: server {server_cpu:.1f} s, "
          f"load generator {r['client_cpu_s']:.1f} s, wall {r['wall_s']:.1f} s")
    if r["errors"] or r["requests"] != n:
        sys.exit(1)


if __name__ == "__main__":
    main()
