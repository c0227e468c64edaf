"""The terminal as people use it: help lists valid values, each refresh kind shows only its own
options, every --json is real, and tables fit 80 columns without cutting a cell."""

from __future__ import annotations

import io
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from fwatlas.cli import build_app
from tests.cli.full_store import READ_COMMANDS, build_full_store
from tests.report.helpers import build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    return build_store(tmp_path_factory.mktemp("fit"), papers=True)


def _run(args: list[str], columns: int = 80, db=None) -> str:
    env = {"COLUMNS": str(columns)}
    if db is not None:
        env["FWATLAS_DB"] = str(db)
    r = CliRunner().invoke(build_app(), args, env=env)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_metavars_list_the_valid_values():
    text = _run(["advise", "--help"], columns=200)
    assert ("--persona [industry|researcher|professor|career-changer|hobbyist|beginner]"
            in text)
    assert "--ruleset [article-2022|current]" in text
    assert "--os [linux|macos|windows]" in _run(["support", "--help"], columns=200)
    assert "--round [availability|research|deployment|ecosystem|adoption]" in _run(
        ["verdict", "--help"], columns=200)
    assert "--format [table|json|csv|parquet]" in _run(["facts", "--help"], columns=200)
    assert "<str>" not in _run(["kb", "list", "--help"], columns=200).split("--as-of")[0]


def test_each_refresh_kind_shows_only_its_options():
    registry = _run(["refresh", "registry", "--help"], columns=200)
    assert "--max-age" in registry and "--concurrency" in registry and "--limit" in registry
    hub = _run(["refresh", "hub", "--help"], columns=200)
    assert "--limit" in hub and "--max-age" not in hub and "--concurrency" not in hub
    dump = _run(["refresh", "pypi-downloads", "--help"], columns=200)
    assert "--limit" not in dump and "--max-age" not in dump
    for text in (registry, hub, dump):
        assert "--format" not in text and "Same as --format" not in text


def test_every_kind_with_a_fetcher_has_a_refresh_command():
    from fwatlas.kinds import KINDS
    from fwatlas.refreshing import REFRESH_OPTIONS

    assert set(REFRESH_OPTIONS) == {k for k, s in KINDS.items() if s.refresh_module}


def test_no_json_option_promises_a_format_that_is_not_there():
    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, cmd

    for path, cmd in walk(typer.main.get_command(build_app()), []):
        opts = {o: p for p in cmd.params for o in getattr(p, "opts", [])}
        if "--json" in opts and "--format" not in opts:
            assert "--format" not in (opts["--json"].help or ""), " ".join(path)


CELL_CUT = re.compile(r"\S…")
NUMBER_CUT = re.compile(r"\d…")
#: a token longer than this (a URL, a file name, a long model id) may fold in a wide column
LONG_TOKEN = 24
#: the narrowest column a long token may fold in
FOLD_WIDTH = 10


@pytest.fixture(scope="module")
def full_store(tmp_path_factory: pytest.TempPathFactory):
    return build_full_store(tmp_path_factory.mktemp("fit-full"))


def _plain(cell: object) -> str | None:
    from rich.text import Text

    if isinstance(cell, Text):
        return cell.plain
    if isinstance(cell, str):
        try:
            return Text.from_markup(cell).plain
        except Exception:  # not markup: the string as printed
            return cell
    return None  # a nested renderable: measured as its own table


def _cut_cells(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every Rich table cell whose word is wider than its column as laid out: a word
    or number broken over lines, or cut. Measured on Rich's own layout (the widths it chose),
    so a legitimately short value in a narrow column is no false alarm."""
    from rich.table import Table

    cut: list[str] = []
    original = Table._calculate_column_widths

    def measured(self, console, options):  # type: ignore[no-untyped-def]
        widths = original(self, console, options)
        for column, width in zip(self.columns, widths, strict=True):
            room = width - self._get_padding_width(column._index)
            for cell in (column.header, *column._cells):
                text = _plain(cell)
                if not text:
                    continue
                longest = max((len(w) for w in text.split()), default=0)
                if longest > room and (longest <= LONG_TOKEN or room < FOLD_WIDTH):
                    cut.append(f"{self.title or ''}/{_plain(column.header)}: {text!r} in "
                               f"{room} columns")
        return widths

    monkeypatch.setattr(Table, "_calculate_column_widths", measured)
    return cut


@pytest.mark.parametrize("name", sorted(READ_COMMANDS))
def test_every_read_command_fits_80_columns_and_no_cell_or_number_is_cut(
        full_store, monkeypatch, name):
    args = READ_COMMANDS[name]
    cut = _cut_cells(monkeypatch)
    text = _run(args, db=full_store)
    lines = text.splitlines()
    assert max(len(x.rstrip()) for x in lines) <= 80
    # no "1,0…" anywhere, no "hub/fil…" in a table ("scan PATH…" in a note is syntax)
    assert not NUMBER_CUT.search(text), text[:2000]
    assert not [x for x in lines if "│" in x and CELL_CUT.search(x)], text[:2000]
    assert cut == [], "\n".join(cut[:20])
    payload = json.loads(_run([*args, "--json"], db=full_store))
    flat = " ".join(text.split())
    # every count of the JSON is printed whole, with its thousands separator
    for row in payload.get("rows", [])[:60]:
        for key in ("rows", "papers", "snapshot_id"):
            value = row.get(key)
            if isinstance(value, int):
                assert f"{value:,}" in flat, (key, value)
            elif isinstance(value, str) and key == "snapshot_id":
                assert value in flat


def test_the_cut_detector_sees_a_broken_word(monkeypatch):
    """The detector itself: a table squeezed into 20 columns breaks its words and is seen."""
    from rich.console import Console
    from rich.table import Table

    cut = _cut_cells(monkeypatch)
    t = Table(title="squeezed")
    for c in ("dataset", "licence", "attribution"):
        t.add_column(c)
    t.add_row("hub/models", "CC-BY-4.0", "Hugging Face")
    Console(width=20, file=io.StringIO()).print(t)
    assert cut and any("hub/models" in c or "attribution" in c for c in cut)


def test_snapshots_show_the_origin_file_name_whole_and_no_local_directory(store):
    """The table names the ingested file (never cut at 60 characters, never its directory);
    --json keeps the full path for the person who ran the ingest."""
    text = _run(["snapshots"], columns=200, db=store)
    payload = json.loads(_run(["snapshots", "--json"], db=store))
    ingested = [r["origin"] for r in payload["rows"] if not r["reference"]]
    assert str(store.parent / "models.jsonl") in ingested  # the full path stays in the JSON
    assert "models.jsonl" in text and "iclr_2019.json" in text
    assert str(store.parent) not in text


def test_snapshots_origin_url_is_shown_whole(tmp_path):
    """A long URL origin (over 60 characters) is printed whole, folded, not cut."""
    from fwatlas.ingestion import ingest
    from tests.report.helpers import write_hub_dump

    db = tmp_path / "atlas.duckdb"
    ingest("hub", write_hub_dump(tmp_path / "models.jsonl"), db=db)
    url = "https://huggingface.co/api/models?full=true&limit=1000&sort=downloads&page=42"
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("UPDATE snapshots SET origin = ?", [url])
    con.close()
    text = _run(["snapshots"], columns=400, db=db)
    assert url in text
