"""Every analysis command exports its rows: csv/parquet read back equal to the --json rows.

One store is built from real files in ../shared/data (skipped with the reason when absent), so
most commands have real rows to export; the comparison is done cell by cell with the standard
library (csv) and pyarrow's reader (parquet), not with fwatlas's writer.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import typer

from fwatlas import __version__
from tests.conftest import ROOT, run_cli, shared_path

AS_OF = "2026-11-30"

#: analysis commands and arguments that give rows on the store built below
COMMANDS: list[list[str]] = [
    ["snapshots"],
    ["facts", "--prefix", "signals.downloads"],
    ["availability", "--by", "year"],
    ["deploy-matrix"],
    ["research"],
    ["coverage"],
    ["migration", "--from", "2018", "--to", "2019"],
    ["signals", "--metric", "downloads"],
    ["vitality", "--as-of", AS_OF],
    ["support"],
    ["trends", "pwc"],
    ["trends", "repos"],
    ["kb", "list"],
    ["kb", "changes"],
    ["verdict", "--as-of", AS_OF],
    ["status", "--as-of", AS_OF],
    ["probe", "results"],
    ["compare", "--old", f"ref:hub/models@{__version__}", "--new",
     f"ref:hub/models@{__version__}"],
]
#: commands that answer one question: --format json/table, but no rows, so csv/parquet exit 2
ROWLESS: dict[str, list[str]] = {
    "model": ["model", "123456/Arcanegan"],  # the first model of the 2022 sample
    "advise": ["advise", "--persona", "beginner"],
    "kb show": ["kb", "show", "torchserve"],
}
#: commands that are not analyses (they write, serve or validate) or render documents
NOT_ANALYSES = {"ingest", "refresh", "serve", "kb validate", "report", "scan", "migrate",
                "snapshots use", "snapshots unpin", "snapshots redate",  # writes, like migrate
                "probe setup", "probe run"}


def _db(args: list[str], db: Path) -> list[str]:
    """The knowledge-base commands do not read the store and take no --db."""
    return [] if args[0] in ("deploy-matrix", "kb") else ["--db", str(db)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def data(folder: str, file: str, sample: str | None = None) -> Path:
        # the formats are what is tested, not the figures: trimmed samples do without ../shared
        return shared_path("data", folder, file,
                           sample=f"{folder}/{sample}" if sample else None)

    db = tmp_path_factory.mktemp("exports") / "atlas.duckdb"
    inputs = [
        ("pypi-downloads",
         data("pypi_downloads_monthly", "pypi_framework_downloads_2018-2026.csv")),
        ("jobs",
         data("hn_whoishiring_terms", "hn_whoishiring_terms_monthly_2011-04_to_2024-05.csv")),
        ("qa", data("dsse_questions", "all_questions_2014-05_to_2024-08.csv",
                    "all_questions_2014-05_to_2024-08.every10th.csv")),
        ("github", data("github_stars_dl_frameworks_daily",
                        "repositories_2021-09-30_to_2023-09-18.tsv",
                        "repositories_2021-09-30_to_2023-09-18.every10thday.tsv")),
        ("papers", data("conference_papers", "iclr_2018.json")),
        ("papers", data("conference_papers", "iclr_2019.json")),
    ]
    registry = ROOT / "tests/signals/fixtures/registry"
    if registry.is_dir():
        inputs.append(("registry", registry))
    for kind, path in inputs:
        run = run_cli("ingest", kind, str(path), "--db", str(db))
        assert run.code == 0, (kind, run.err)
    return db


def _same(cell: Any, want: Any) -> bool:
    """A csv/parquet cell equals a JSON value: numbers by value, nested values as JSON text."""
    if want is None:
        return cell in (None, "")
    if isinstance(want, dict | list):
        return json.loads(cell) == want
    if isinstance(want, bool):
        return cell in (want, str(want))
    if isinstance(want, int | float):
        return math.isclose(float(cell), float(want), rel_tol=1e-12, abs_tol=1e-15)
    return str(cell) == want


def _cases() -> list[Any]:
    # `facts` mixes numbers and text in `value`: written as text in parquet, compared by value
    return [pytest.param(a, fmt, id=f"{' '.join(a[:2])}-{fmt}")
            for a in COMMANDS for fmt in ("csv", "parquet")]


@pytest.mark.parametrize("args, fmt", _cases())
def test_csv_and_parquet_read_back_equal_to_the_json_rows(store: Path, tmp_path: Path,
                                                          args: list[str], fmt: str) -> None:
    run = run_cli(*args, *_db(args, store), "--json")
    assert run.code == 0, run.err
    payload = run.json()
    rows = payload["rows"]
    out = tmp_path / f"rows.{fmt}"
    written = run_cli(*args, *_db(args, store), "--format", fmt, "-o", str(out))
    assert written.code == 0, written.err
    if fmt == "csv":
        with out.open(newline="", encoding="utf-8") as f:
            back = list(csv.DictReader(f))
    else:
        back = pq.read_table(out).to_pylist()
    assert len(back) == len(rows), fmt
    for got, want in zip(back, rows, strict=True):
        for key, value in want.items():
            assert _same(got.get(key), value), (fmt, key, got.get(key), value)
    sources = json.loads(Path(f"{out}.sources.json").read_text(encoding="utf-8"))
    assert sources["sources"] == payload["sources"]


def test_the_export_store_gives_real_rows_to_most_commands(store: Path) -> None:
    """Guard against a vacuous round trip: an empty table equals anything."""
    empty = [a for a in COMMANDS
             if not run_cli(*a, *_db(a, store), "--json").json()["rows"]]
    assert len(empty) <= 3, empty


def _commands() -> dict[str, set[str]]:
    from fwatlas.cli import build_app

    out: dict[str, set[str]] = {}

    def walk(prefix: str, cmd: Any) -> None:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            out[prefix] = {o for p in cmd.params for o in getattr(p, "opts", [])}

    walk("", typer.main.get_command(build_app()))
    return out


def _analyses() -> list[str]:
    """Commands minus NOT_ANALYSES (a group there, like refresh, covers its subcommands)."""
    return sorted(n for n in _commands() if n not in NOT_ANALYSES
                  and n.split()[0] not in NOT_ANALYSES)


@pytest.mark.parametrize("name", _analyses())
def test_every_analysis_command_offers_format_and_output(name: str) -> None:
    opts = _commands()[name]
    assert {"--format", "-o", "--json"} <= opts, f"fwatlas {name} lacks {opts}"


@pytest.mark.parametrize("name", sorted(ROWLESS))
def test_a_command_without_rows_refuses_csv_with_exit_2(store: Path, tmp_path: Path,
                                                        name: str) -> None:
    args = ROWLESS[name]
    extra = ["--db", str(store)] if name != "kb show" else []
    if name == "model":
        hub = shared_path("data", "hf_models_2022_sample", "hf_models_2022-02-21.sample.jsonl.gz")
        assert run_cli("ingest", "hub", str(hub), "--db", str(store)).code == 0
    assert run_cli(*args, *extra, "--json").code == 0
    run = run_cli(*args, *extra, "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert run.code == 2 and "no rows" in run.err


def test_every_command_with_format_is_exercised_or_listed() -> None:
    covered = {" ".join(a[:2]) if a[0] in ("trends", "kb", "probe") else a[0]
               for a in COMMANDS}
    covered |= set(ROWLESS)
    with_format = {n for n, o in _commands().items() if "--format" in o} - NOT_ANALYSES
    assert sorted(with_format - covered) == []
