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
import resource
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_web import AS_OF, DATA, FWATLAS, free_port, model_ids, paths, store_with_sample

EXTRA = ["/api/snapshots", "/api/verdict", "/"]  # a few other endpoints and a page in the mix


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def load(port: int, urls: list[str], concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    queue = iter(urls)

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for url in queue:
                t = time.perf_counter()
                try:
                    status = await _get(reader, writer, url)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status = 0
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                latencies.append(time.perf_counter() - t)
                errors += status != 200
        finally:
            writer.close()

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "wall_s": wall,
            "throughput": len(latencies) / wall, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000,
            "client_cpu_s": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)}


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
    port = free_port()
    proc = subprocess.Popen([*FWATLAS, "serve", "--port", str(port), "--db", str(db),
                             "--as-of", AS_OF], stderr=open(DATA / "soak.log", "w"),
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/snapshots",
                                            timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("fwatlas serve did not start (see bench-data/soak.log)")
            time.sleep(0.2)
        before = rss_mib(proc.pid)
        cpu0 = server_cpu_s(proc.pid)
        r = asyncio.run(load(port, urls, args.concurrency))
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
