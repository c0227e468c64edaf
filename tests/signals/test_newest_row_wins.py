"""One point per (series, day, subject): which row a signal series keeps when several say it.

The newest snapshot of a dataset wins (by data date, whatever the order of the ingests), a
later dump of the same day wins within a snapshot, and of two rows alike – a list naming one
repository twice, or one distribution under two spellings – the first stored wins. The files
are written here; the expected values are the literals in them.
"""

from __future__ import annotations

from pathlib import Path

BEST_OF_HEADER = "name,github_id,star_count,dependent_project_count\n"
PYPI_HEADER = ("last_update,window,project,download_count,rank,n_packages_in_dump,source,file,"
               "commit,commit_date\n")


def _rows(cli, db: Path, metric: str, *extra: str) -> dict[tuple[str, str], float | None]:
    run = cli("signals", "--metric", metric, "--db", str(db), "--json", *extra)
    assert run.code == 0, run.err
    return {(r["date"], r.get("package") or r["framework"]): r["value"]
            for r in run.json()["rows"]}


def test_a_repository_listed_twice_keeps_its_first_row_and_the_newer_snapshot_wins(
        cli, db, tmp_path):
    older = tmp_path / "older"
    older.mkdir()
    (older / "2024-01-01_projects.csv").write_text(
        BEST_OF_HEADER
        + "PyTorch,pytorch/pytorch,300,30\n"
        + "PyTorch again,PyTorch/PyTorch,999,99\n"  # the same repository, other case: dropped
        + "Tensorflow,tensorflow/tensorflow,100,10\n", encoding="utf-8")
    newer = tmp_path / "newer"
    newer.mkdir()
    (newer / "extract.csv").write_text(
        "snapshot_date," + BEST_OF_HEADER
        + "2024-01-01,PyTorch,pytorch/pytorch,500,50\n"
        + "2024-02-01,PyTorch,pytorch/pytorch,600,60\n"
        + "2024-01-01,Tensorflow,tensorflow/tensorflow,200,20\n"
        + "2024-02-01,Tensorflow,tensorflow/tensorflow,210,21\n", encoding="utf-8")

    assert cli("ingest", "github", str(older), "--db", str(db)).code == 0
    stars = _rows(cli, db, "stars")
    assert stars[("2024-01-01", "pytorch")] == 300
    assert stars[("2024-01-01", "tensorflow")] == 100
    assert _rows(cli, db, "dependents")[("2024-01-01", "pytorch")] == 30

    # the newer data date wins the day both hold, ingested after or before the older one
    for order in ((older, newer), (newer, older)):
        fresh = tmp_path / f"{order[0].name}-first.duckdb"
        for folder in order:
            assert cli("ingest", "github", str(folder), "--db", str(fresh)).code == 0
        stars = _rows(cli, fresh, "stars")
        assert stars[("2024-01-01", "pytorch")] == 500
        assert stars[("2024-01-01", "tensorflow")] == 200
        assert stars[("2024-02-01", "pytorch")] == 600
        assert _rows(cli, fresh, "dependents")[("2024-01-01", "tensorflow")] == 20


def test_the_day_s_last_dump_wins_and_a_second_spelling_of_a_distribution_is_dropped(
        cli, db, tmp_path):
    morning, evening = "(commit) 2024-01-01T08:00:00+00:00", "(commit) 2024-01-01T20:00:00+00:00"

    def row(stamp: str, project: str, count: int) -> str:
        return f"{stamp},30d,{project},{count},1,500,,top-pypi-packages.json,abc,{stamp[9:]}\n"

    path = tmp_path / "downloads.csv"
    path.write_text(
        PYPI_HEADER
        + row(evening, "torch", 200)
        + row(morning, "torch", 100)  # the same day's earlier dump: the evening's wins
        + row(evening, "tensorflow", 1000)
        + row(evening, "tensorflow_gpu", 7)
        + row(evening, "tensorflow-gpu", 9),  # tensorflow_gpu under PEP 503: dropped
        encoding="utf-8")
    run = cli("ingest", "pypi-downloads", str(path), "--db", str(db))
    assert run.code == 0, run.err
    by_package = _rows(cli, db, "downloads", "--by", "package")
    assert by_package[("2024-01-01", "torch")] == 200
    assert _rows(cli, db, "downloads")[("2024-01-01", "tensorflow")] == 1000 + 7
