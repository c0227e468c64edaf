"""The command-line contract of DESIGN: exit codes, the --json envelope, exports, help."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import typer

from fwatlas import __version__
from tests.conftest import run_cli


def _commands() -> list[tuple[str, Any]]:
    from fwatlas.cli import build_app

    root = typer.main.get_command(build_app())
    out: list[tuple[str, Any]] = []

    def walk(prefix: str, cmd: Any) -> None:
        if hasattr(cmd, "commands"):  # a group (typer vendors its own click)
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            out.append((prefix, cmd))

    walk("", root)
    return out


def test_version() -> None:
    run = run_cli("--version")
    assert run.code == 0 and run.out.strip() == f"fwatlas {__version__}"


@pytest.mark.parametrize("name, command", _commands(),
                         ids=[name for name, _ in _commands()])
def test_every_command_has_help_with_an_example(name: str, command: Any) -> None:
    run = run_cli(*name.split(), "--help")
    assert run.code == 0, run.err
    assert "Example:" in run.out, f"`fwatlas {name} --help` shows no example"


def test_every_command_is_in_the_readme_command_reference() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    reference = readme.split("## Command reference", 1)[1].split("\n## ", 1)[0]
    missing = [name for name, _ in _commands() if f"fwatlas {name}" not in reference]
    assert not missing, f"commands missing from the README's command reference: {missing}"


def test_json_envelope_has_sources_first_with_dates(tmp_path: Path) -> None:
    payload = run_cli("availability", "--db", str(tmp_path / "a.duckdb"), "--json").json()
    assert next(iter(payload)) == "sources"
    for s in payload["sources"]:
        assert set(s) >= {"snapshot_id", "kind", "origin", "data_date", "basis"}
        assert s["data_date"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_exports_read_back_equal_to_the_json_rows(tmp_path: Path, fmt: str) -> None:
    db = str(tmp_path / "a.duckdb")
    rows = run_cli("availability", "--db", db, "--by", "year", "--json").json()["rows"]
    out = tmp_path / f"rows.{fmt}"
    run = run_cli("availability", "--db", db, "--by", "year", "--format", fmt, "-o", str(out))
    assert run.code == 0, run.err
    if fmt == "csv":
        with out.open() as f:
            back = list(csv.DictReader(f))
        assert [r["group"] for r in back] == [r["group"] for r in rows]
        assert [float(r["available"]) for r in back] == [r["available"] for r in rows]
    else:
        assert pq.read_table(out).to_pylist() == rows
    sources = json.loads(Path(f"{out}.sources.json").read_text())["sources"]
    assert sources[0]["snapshot_id"].startswith("ref:hub/models@")


def test_csv_without_output_path_or_rows_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "a.duckdb")
    run = run_cli("availability", "--db", db, "--format", "csv")
    assert run.code == 2 and "-o PATH" in run.err


@pytest.mark.parametrize("args, needle", [
    (["availability", "--method", "vibes"], "valid: tags, files, library"),
    (["availability", "--weight", "stars"], "valid: count, downloads, downloads_all_time"),
    (["availability", "--frameworks", "torch"], "--frameworks"),
    (["availability", "--by", "month"], "valid: year, task"),
    (["availability", "--top", "0"], "--top"),
    (["availability", "--format", "xml"], "xml"),
    (["ingest", "nosuchkind", "README.md"], "valid kinds"),
    (["ingest", "hub", "/no/such/file.parquet"], "no such file"),
    (["ingest", "hub", "README.md", "--data-date", "yesterday"], "YYYY-MM-DD"),
])
def test_bad_values_exit_2_with_a_one_line_reason(tmp_path: Path, args: list[str],
                                                  needle: str) -> None:
    run = run_cli(*args, "--db", str(tmp_path / "a.duckdb"))
    assert run.code == 2, (run.out, run.err)
    assert needle in run.err


def test_facts_list_hub_facts_that_equal_the_analysis(tmp_path: Path) -> None:
    db = str(tmp_path / "a.duckdb")
    facts = run_cli("facts", "--prefix", "hub.share_exclusive.pytorch.tags.count", "--db", db,
                    "--json").json()
    (fact,) = facts["rows"]
    avail = run_cli("availability", "--db", db, "--json").json()
    assert fact["value"] == avail["share_exclusive"]["pytorch"]
    assert fact["sources"][0]["snapshot_id"] == avail["snapshot_id"] and fact["data_date"]
    published = run_cli("facts", "--prefix", "hub.filter_count", "--db", db, "--json").json()
    assert {f["name"]: f["value"] for f in published["rows"]} == {
        "hub.filter_count.jax": 9865, "hub.filter_count.pytorch": 201657,
        "hub.filter_count.tensorflow": 13790, "hub.filter_count.keras": 1986}


def test_top_30_on_the_reference_prints_the_articles_summary_not_rows(tmp_path: Path) -> None:
    payload = run_cli("availability", "--top", "30", "--db", str(tmp_path / "a.duckdb"),
                      "--json").json()
    assert payload["rows"] == [] and payload["basis"] == "published"
    assert payload["summary"]["hub.top30.exclusive.tensorflow"] == 0
    assert payload["sources"][0]["snapshot_id"].startswith("ref:article@")


@pytest.mark.parametrize("args", [["availability", "--json"], ["availability", "--format", "csv"],
                                  ["report"]])
def test_output_to_a_folder_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    run = run_cli(*args, "-o", str(folder), "--db", str(tmp_path / "a.duckdb"))
    assert run.code == 2 and run.err.strip().count("\n") == 0
    assert str(folder) in run.err and "cannot write" in run.err


@pytest.mark.parametrize("args", [["trends", "pwc"], ["availability"],
                                  ["model", "gpt2"]])
def test_a_snapshot_of_another_dataset_is_a_usage_error(tmp_path: Path,
                                                        args: list[str]) -> None:
    run = run_cli(*args, "--snapshot", f"ref:article@{__version__}",
                  "--db", str(tmp_path / "a.duckdb"))
    assert run.code == 2 and "is article, not" in run.err


def test_an_empty_framework_list_is_a_usage_error(tmp_path: Path) -> None:
    run = run_cli("availability", "--frameworks", "", "--db", str(tmp_path / "a.duckdb"))
    assert run.code == 2 and "--frameworks" in run.err
