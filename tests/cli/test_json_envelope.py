"""Every read command's --json is the envelope ../shared/DESIGN.md promises: one JSON object on
stdout, ``sources`` as a list of ``{snapshot_id, kind, origin, data_date, basis}``, list results
under ``rows``, and ``--format json`` the same as ``--json``."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from fwatlas.cli import build_app
from tests.cli.full_store import READ_COMMANDS, build_full_store

#: the envelope's source keys (DESIGN.md, the command-line contract)
SOURCE_KEYS = {"snapshot_id", "kind", "origin", "data_date", "basis"}
#: commands that answer one question (no list result): no `rows`, csv/parquet refused
ROWLESS = {"model", "advise", "kb show"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    return build_full_store(tmp_path_factory.mktemp("envelope"))


def _stdout(args: list[str], db) -> str:
    r = CliRunner().invoke(build_app(), args, env={"FWATLAS_DB": str(db), "COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    return r.stdout


def test_every_read_command_is_listed():
    """A new read command must join READ_COMMANDS (and so these tests)."""
    from tests.web.test_every_command_has_a_page import _read_commands

    assert set(_read_commands()) - {"report"} == set(READ_COMMANDS)


@pytest.mark.parametrize("name", sorted(READ_COMMANDS))
def test_json_is_the_envelope(store, name):
    args = READ_COMMANDS[name]
    text = _stdout([*args, "--json"], store)
    payload = json.loads(text)  # the whole of stdout: nothing printed beside the object
    assert isinstance(payload, dict)
    sources = payload["sources"]
    assert isinstance(sources, list)
    for s in sources:
        assert SOURCE_KEYS <= set(s), (name, sorted(s))
        assert isinstance(s["snapshot_id"], str) and s["snapshot_id"]
        assert s["data_date"] is None or DATE.match(str(s["data_date"])), s["data_date"]
    if name in ROWLESS:
        assert "rows" not in payload or not isinstance(payload["rows"], list)
    else:
        assert isinstance(payload["rows"], list)
        assert all(isinstance(r, dict) for r in payload["rows"])
    opts = {o for p in _params(args) for o in getattr(p, "opts", [])}
    if "--format" in opts:
        assert json.loads(_stdout([*args, "--format", "json"], store)) == payload


def test_the_store_gives_most_commands_sources_and_rows(store):
    """Guard against a vacuous envelope: an empty list passes any per-source check."""
    empty = sorted(n for n, a in READ_COMMANDS.items()
                   if not json.loads(_stdout([*a, "--json"], store))["sources"])
    assert len(empty) <= 2, empty


def _params(args: list[str]):
    import typer

    cmd = typer.main.get_command(build_app())
    for word in args:
        if not hasattr(cmd, "commands") or word not in cmd.commands:
            break
        cmd = cmd.commands[word]
    return cmd.params
