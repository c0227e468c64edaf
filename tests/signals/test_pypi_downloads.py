"""PyPI downloads: the real series and dump, checked against standard-library oracles."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import shared_path
from tests.signals.conftest import store_counts

SERIES = ("data", "pypi_downloads_monthly", "pypi_framework_downloads_2018-2026.csv")
DUMP = ("data", "pypi_downloads_monthly", "top-pypi-packages_2026-04-01.min.json")


def _oracle_first_exceeds(path: Path, a: str, b: str) -> tuple[str, int, int]:
    """First 30-day dump date where a's count is above b's (both present), by csv alone."""
    by_stamp: dict[str, dict[str, int]] = {}
    for r in csv.DictReader(path.open(encoding="utf-8")):
        if r["window"] == "30d" and r["project"] in (a, b) and r["download_count"]:
            by_stamp.setdefault(r["last_update"], {})[r["project"]] = int(r["download_count"])

    def when(stamp: str) -> str:
        return stamp.removeprefix("(commit) ")[:10]

    for stamp in sorted(by_stamp, key=when):
        v = by_stamp[stamp]
        if a in v and b in v and v[a] > v[b]:
            return when(stamp), v[a], v[b]
    raise AssertionError("never")


def test_torch_first_exceeds_tensorflow_on_2024_04_01(cli, db):
    path = shared_path(*SERIES)
    day, torch, tf = _oracle_first_exceeds(path, "torch", "tensorflow")
    # the README's closing note, from the data itself
    assert (day, torch, tf) == ("2024-04-01", 23_190_107, 22_594_480)
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    run = cli("signals", "--metric", "downloads", "--by", "package", "--db", str(db), "--json")
    assert run.code == 0, run.err
    out = run.json()
    lead = [x for x in out["leads"] if x["leader"] == "torch" and x["other"] == "tensorflow"]
    assert lead == [{"series": "pypi-downloads/30d", "leader": "torch", "other": "tensorflow",
                     "date": day, "leader_value": torch, "other_value": tf,
                     "ahead_at_end": True, "kind": "crossover"}]
    rows = {(r["date"], r["package"]): r["value"] for r in out["rows"]}
    assert rows[("2024-04-01", "torch")] == 23_190_107
    assert rows[("2024-03-01", "torch")] < rows[("2024-03-01", "tensorflow")]
    assert out["sources"][0]["data_date"] == "2026-04-01"


def test_framework_series_sums_only_primary_distributions(cli, db):
    path = shared_path(*SERIES)
    want: dict[str, int] = {}
    for r in csv.DictReader(path.open(encoding="utf-8")):
        if r["window"] == "30d" and r["last_update"].startswith("2023-01-01") \
                and r["download_count"]:
            want[r["project"]] = int(r["download_count"])
    tf = sum(want.get(p, 0) for p in ("tensorflow", "tensorflow-cpu", "tensorflow-gpu"))
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    out = cli("signals", "--metric", "downloads", "--from", "2023-01-01", "--to", "2023-01-01",
              "--db", str(db), "--json").json()
    got = {r["framework"]: r["value"] for r in out["rows"]}
    # torchvision is not added to torch; tensorboard/tensorflow-estimator not to tensorflow
    assert got == {"pytorch": want["torch"], "tensorflow": tf, "jax": want["jax"],
                   "keras": want["keras"]}
    total = sum(got.values())
    shares = {r["framework"]: r["share"] for r in out["rows"]}
    assert abs(shares["pytorch"] - want["torch"] / total) < 1e-12


def test_clickhouse_move_and_dump_size_changes_are_flagged(cli, db):
    path = shared_path(*SERIES)
    firsts: dict[str, str] = {}
    last_of_day: dict[str, tuple[str, str]] = {}  # day -> (stamp, N) of the day's last dump
    for r in csv.DictReader(path.open(encoding="utf-8")):
        if r["window"] != "30d" or r["project"] != "torch":
            continue
        stamp = r["last_update"].removeprefix("(commit) ")
        firsts.setdefault(r["source"] or "BigQuery", stamp[:10])
        if stamp[:10] not in last_of_day or stamp > last_of_day[stamp[:10]][0]:
            last_of_day[stamp[:10]] = (stamp, r["n_packages_in_dump"])
    sizes = sorted((day, n) for day, (_, n) in last_of_day.items())
    size_changes = {sizes[i][0] for i in range(1, len(sizes)) if sizes[i][1] != sizes[i - 1][1]}
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    out = cli("signals", "--db", str(db), "--json").json()
    breaks = {(b["date"], b["what"]) for b in out["breaks"]}
    assert (firsts["ClickHouse"], "upstream BigQuery → ClickHouse") in breaks
    assert {d for d, w in breaks if w.startswith("dump size")} == size_changes


def test_raw_dump_is_one_dated_point(cli, db):
    path = shared_path(*DUMP)
    doc = json.loads(path.read_text(encoding="utf-8"))
    counts = {r["project"]: r["download_count"] for r in doc["rows"]}
    run = cli("ingest", "pypi-downloads", str(path), "--db", str(db), "--json")
    assert run.code == 0, run.err
    created = run.json()["created"][0]
    assert created["dataset"] == "pypi-downloads/top-30d"
    assert created["rows"] == len(doc["rows"])
    assert created["data_date"] == doc["last_update"][:10]
    out = cli("signals", "--db", str(db), "--json").json()
    got = {r["framework"]: r["value"] for r in out["rows"]}
    assert got["pytorch"] == counts["torch"]
    assert got["jax"] == counts["jax"]


def test_truncated_dump_is_rejected_and_store_unchanged(cli, db, tmp_path):
    series = shared_path(*SERIES)
    dump = shared_path(*DUMP)
    assert cli("ingest", "pypi-downloads", str(series), "--db", str(db)).code == 0
    before = store_counts(db)
    broken = tmp_path / "top-pypi-packages-30-days.min.json"
    data = dump.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    run = cli("ingest", "pypi-downloads", str(broken), "--db", str(db))
    assert run.code == 2
    assert str(broken) in run.err and len(run.err.strip().splitlines()) == 1
    assert "not valid JSON" in run.err
    assert store_counts(db) == before


def test_series_with_renamed_column_is_rejected(cli, db, tmp_path):
    series = shared_path(*SERIES)
    assert cli("ingest", "pypi-downloads", str(shared_path(*DUMP)), "--db", str(db)).code == 0
    before = store_counts(db)
    lines = series.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "series.csv"
    broken.write_text("\n".join([lines[0].replace("download_count", "downloads")] + lines[1:50]),
                      encoding="utf-8")
    run = cli("ingest", "pypi-downloads", str(broken), "--db", str(db))
    assert run.code == 2
    assert str(broken) in run.err and "download_count" in run.err
    assert store_counts(db) == before


def test_bad_rows_are_skipped_listed_and_counted(cli, db, tmp_path):
    path = tmp_path / "series.csv"
    path.write_text(
        "last_update,window,project,download_count,rank,n_packages_in_dump,source\n"
        "2024-04-01 08:13:25,30d,torch,23190107,282,8000,\n"
        "2024-04-01 08:13:25,7d,torch,1,1,8000,\n"
        "2024-04-01 08:13:25,30d,tensorflow,lots,1,8000,\n"
        "2024-04-01 08:13:25,30d,tensorflow,22594480,285,8000,\n", encoding="utf-8")
    run = cli("ingest", "pypi-downloads", str(path), "--db", str(db), "--json")
    assert run.code == 0
    out = run.json()
    assert out["skipped"] == 2 and out["created"][0]["rows"] == 2
    assert any("unknown window '7d'" in s for s in out["skipped_items"])


def test_refresh_fetches_the_dump_and_offline_exits_3(cli, db, tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    dump = shared_path(*DUMP)
    body = dump.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    env = {"FWATLAS_CACHE": str(tmp_path / "cache"), "FWATLAS_HTTP_RETRIES": "0",
           "FWATLAS_TOP_PYPI_URL": f"http://127.0.0.1:{port}/top-pypi-packages.min.json"}
    try:
        run = cli("refresh", "pypi-downloads", "--db", str(db), "--json", env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 0, run.err
    created = run.json()["created"][0]
    assert created["dataset"] == "pypi-downloads/top-30d"
    assert created["data_date"] == json.loads(body)["last_update"][:10]
    before = store_counts(db)
    offline = cli("refresh", "pypi-downloads", "--db", str(db), env=env)  # server is gone
    assert offline.code == 3 and len(offline.err.strip().splitlines()) == 1
    assert "unreachable" in offline.err
    assert store_counts(db) == before


def test_first_lead_fact_for_frameworks(cli, db):
    path = shared_path(*SERIES)
    tf_parts = {"tensorflow", "tensorflow-cpu", "tensorflow-gpu"}
    days: dict[str, tuple[str, dict[str, int]]] = {}
    for r in csv.DictReader(path.open(encoding="utf-8")):
        if r["window"] != "30d" or not r["download_count"]:
            continue
        stamp = r["last_update"].removeprefix("(commit) ")
        day = stamp[:10]
        if day not in days or stamp > days[day][0]:
            days[day] = (stamp, {})
        if days[day][0] == stamp:
            days[day][1][r["project"]] = int(r["download_count"])
    first = next(day for day in sorted(days)
                 if "torch" in days[day][1]
                 and days[day][1]["torch"] > sum(v for k, v in days[day][1].items()
                                                 if k in tf_parts))
    assert cli("ingest", "pypi-downloads", str(path), "--db", str(db)).code == 0
    out = cli("facts", "--prefix", "signals.downloads.first_lead.pytorch.tensorflow",
              "--db", str(db), "--json").json()
    assert [(f["name"], f["value"]) for f in out["rows"]] == [
        ("signals.downloads.first_lead.pytorch.tensorflow", first)]
    assert out["rows"][0]["sources"][0]["kind"] == "pypi-downloads"
