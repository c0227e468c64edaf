"""Load on `fwatlas serve` and the time of `fwatlas report`, against in-process baselines.

1. A store holding the bundled reference and the real 2022 Hub sample (ingested untimed).
2. `fwatlas serve` (uvicorn, one worker) on a loopback port, in its own process.
3. A load generator (a small asyncio HTTP/1.1 client; httpx took half a core) sending N requests mixed over /api/advise,
   /api/model/{id} and /api/availability at concurrency 8 and 32: throughput, p50/p99 latency,
   errors (must be 0), the server's peak RSS and the generator's own CPU. Target: p99 < 100 ms
   at concurrency 8. Baseline: the same library calls made directly in this process (no HTTP).
4. `fwatlas report` end to end on the reference and on a 2.5-million-model synthetic Hub
   snapshot (bench_hub's generator; target under 15 s).

Usage: .venv/bin/python benchmarks/bench_web.py [--quick] [--no-report]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data"
SAMPLE = ROOT.parent / "shared" / "data" / "hf_models_2022_sample" / \
    "hf_models_2022-02-21.sample.jsonl.gz"
FWATLAS = [sys.executable, "-m", "fwatlas"]
AS_OF = "2026-11-01"
PERSONAS = ["industry", "researcher", "professor&focus=theory", "professor&focus=industry",
            "career-changer", "hobbyist&focus=project", "hobbyist&focus=learning", "beginner",
            "industry&target=mobile&need=audio-video", "industry&target=embedded",
            "researcher&need=tpu", "beginner&need=pythonic"]
AVAILABILITY = ["", "?method=files", "?weight=downloads", "?by=task", "?by=year",
                "?frameworks=pytorch,tensorflow", "?top=30", "?method=library&weight=downloads"]


def sh(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})


def store_with_sample() -> Path:
    DATA.mkdir(exist_ok=True)
    db = DATA / "bench_web_2022.duckdb"
    if not db.exists():
        if not SAMPLE.exists():
            sys.exit(f"{SAMPLE} is absent: the real 2022 Hub sample is needed")
        sh(*FWATLAS, "ingest", "hub", str(SAMPLE), "--db", str(db))
    return db


def model_ids(db: Path) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT id FROM hub_models").fetchall()]
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def paths(n: int, ids: list[str], rng: random.Random) -> list[str]:
    import urllib.parse

    out = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            out.append(f"/api/advise?persona={rng.choice(PERSONAS)}&as_of={AS_OF}")
        elif kind == 1:
            out.append("/api/model/" + urllib.parse.quote(rng.choice(ids), safe="/"))
        else:
            out.append("/api/availability" + rng.choice(AVAILABILITY))
    rng.shuffle(out)
    return out


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


async def raw_load(port: int, urls: list[str], concurrency: int) -> dict[str, float]:
    """The load as a small asyncio HTTP/1.1 client (keep-alive, one connection per worker):
    a fraction of httpx's CPU, which on two shared cores the server would otherwise lose."""
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
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "wall_s": wall,
            "throughput": len(latencies) / wall, "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000,
            "client_cpu_s": cpu, "client_cpu_share": cpu / wall}



def baseline(db: Path, ids: list[str], rng: random.Random, n: int) -> dict[str, float]:
    """The same library calls in this process, no HTTP, no memo: median ms per endpoint."""
    import datetime as dt

    from fwatlas.commands import Ctx, command
    from fwatlas.store.atlas import open_atlas

    atlas = open_atlas(db)
    ctx = Ctx(None, dt.date.fromisoformat(AS_OF))
    advise, model, availability = command("advise"), command("model"), command("availability")
    times: dict[str, list[float]] = {"advise": [], "model": [], "availability": []}
    for _ in range(n):
        t = time.perf_counter()
        advise.run(atlas, ctx, {"persona": "industry", "target": ["mobile"]})
        times["advise"].append(time.perf_counter() - t)
        t = time.perf_counter()
        model.run(atlas, ctx, {"model_id": rng.choice(ids)})
        times["model"].append(time.perf_counter() - t)
        atlas._memo.clear()  # the analysis memo too: a cold call each time
        t = time.perf_counter()
        availability.run(atlas, ctx, {"by": "task"})
        times["availability"].append(time.perf_counter() - t)
    atlas.close()
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def start_server(db: Path, log_name: str) -> tuple[subprocess.Popen[bytes], int]:
    """``fwatlas serve`` over ``db`` on a free loopback port, once it answers (its log in
    bench-data/LOG_NAME); the caller terminates it."""
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([*FWATLAS, "serve", "--port", str(port), "--db", str(db),
                             "--as-of", AS_OF], stderr=open(DATA / log_name, "w"),
                            env={**os.environ, "HF_HUB_OFFLINE": "1"})
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/snapshots",
                                        timeout=2) as r:
                if r.status == 200:
                    return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.terminate()
            raise RuntimeError(f"fwatlas serve did not start (see bench-data/{log_name})")
        time.sleep(0.2)


def serve_and_load(db: Path, ids: list[str], n: int,
                   inproc: dict[str, float] | None = None) -> None:
    proc, port = start_server(db, "serve.log")
    try:
        rng = random.Random(8)
        print(f"load: {n} requests mixed over /api/advise, /api/model/{{id}}, /api/availability"
              f" ({len(ids):,} model ids to draw from)")
        for concurrency in (8, 32):
            r = asyncio.run(raw_load(port, paths(n, ids, rng), concurrency))
            target = " (target p99 < 100 ms: " + ("met" if r["p99_ms"] < 100 else "MISSED") \
                + ")" if concurrency == 8 else " (no target)"
            print(f"  concurrency {concurrency:>2}: {r['throughput']:,.0f} req/s, "
                  f"p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, errors {r['errors']}, "
                  f"load generator CPU {r['client_cpu_s']:.1f} s "
                  f"({100 * r['client_cpu_share']:.0f}% of one core){target}")
            if inproc:  # the same mix called in-process, one at a time, no memo
                calls = 3000 / sum(inproc.values())
                print(f"    throughput vs in-process calls ({calls:,.0f}/s): "
                      f"{r['throughput'] / calls:.2f} x")
            if concurrency == 32:
                c32, load = r, os.getloadavg()[0]  # the machine's, over the last minute
        print(f"  server peak RSS: {peak_rss_mib(proc.pid):,.0f} MiB")
        ratio = f"{c32['throughput'] / (3000 / sum(inproc.values())):.2f} x the in-process " \
            "calls" if inproc else "no in-process baseline"
        print(f"web at concurrency 32: {ratio}, p99 {c32['p99_ms']:.1f} ms (target <= 150 ms: "
              f"{'met' if c32['p99_ms'] <= 150 else 'MISSED'}), {c32['throughput']:,.0f} req/s, "
              f"errors {c32['errors']}, load average {load:.1f}")
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def time_report(db: Path, label: str) -> float:
    """The report built, not read back: the store's cached results (a report written earlier
    for the same store and day) are removed first."""
    import shutil

    out = DATA / f"report_{label}.html"
    shutil.rmtree(db.with_name(db.name + ".results"), ignore_errors=True)
    t = time.perf_counter()
    sh(*FWATLAS, "report", "-o", str(out), "--db", str(db), "--as-of", AS_OF)
    took = time.perf_counter() - t
    print(f"  fwatlas report ({label}): {took:.2f} s end to end, "
          f"{out.stat().st_size / 1e6:.1f} MB")
    return took


def synthetic_store(n: int) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_hub import generate  # the Hub benchmark's synthetic 2.5M-model generator

    path = DATA / f"synthetic_hub_{n}.parquet"
    if not path.exists():
        print(f"  generating {n:,} synthetic models (untimed) …", flush=True)
        generate(path, n)
    db = DATA / f"bench_web_synthetic_{n}.duckdb"
    if not db.exists():
        print("  ingesting them (untimed) …", flush=True)
        sh(*FWATLAS, "ingest", "hub", str(path), "--db", str(db), "--data-date", "2026-11-01")
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 requests, 200k models")
    parser.add_argument("--no-report", action="store_true", help="the web load only")
    args = parser.parse_args()
    requests = 1000 if args.quick else 5000
    synthetic = 200_000 if args.quick else 2_500_000
    db = store_with_sample()
    ids = model_ids(db)
    base = baseline(db, ids, random.Random(1), 20)
    print("baseline, the same library calls in-process (no HTTP, no memo), median: "
          + ", ".join(f"{k} {v:.1f} ms" for k, v in base.items()))
    serve_and_load(db, ids, requests, base)
    if args.no_report:
        return
    print("report:")
    ref = time_report(DATA / "empty.duckdb", "reference")
    big = time_report(synthetic_store(synthetic), f"synthetic-{synthetic}")
    print(f"  the {synthetic:,}-model report takes {big / ref:.1f}x the reference's "
          f"(target under 15 s: {'met' if big < 15 else 'MISSED'})")


if __name__ == "__main__":
    main()
