"""The command table (fwatlas.commands) is what the CLI's read commands are made of: each
entry is a CLI command with exactly the table's options, and an entry's options reach its
builder typed, with their defaults, from the flags the table names."""

from __future__ import annotations

import enum
import json
from typing import Any, Literal

import pytest
import typer
from typer.testing import CliRunner

from fwatlas.commands import Command, Ctx, Option, commands, resolve_values
from fwatlas.commands.builders import envelope
from fwatlas.errors import InputError
from tests.web.test_every_command_has_a_page import _commands

# declarations the synthetic command below names by reference, one of each form
Colour = Literal["red", "green"]
SIZES = ("s", "m", "l")
UNITS = {"cm": 1, "in": 2}


class Shape(enum.Enum):
    round = "round"
    square = "square"


def letters() -> tuple[str, ...]:
    return ("a", "b")


HERE = __name__


def _echo(atlas: Any, ctx: Ctx, a: dict[str, Any]) -> dict[str, Any]:
    """The options as the builder got them, and the context's knowledge-base file."""
    return envelope({"args": dict(sorted(a.items())), "kb": ctx.kb,
                     "store_opened": atlas is not None})


ECHO = Command(
    ("echo",), _echo, "Echo the options.\n\nExample: fwatlas echo --name n",
    (Option("colour", "choice", (f"{HERE}:Colour",), "red", "A colour."),
     Option("count", "int", help="How many."),
     Option("day", "date", help="A day.", metavar="YYYY-MM-DD"),
     Option("flag", "bool", help="A flag."),
     Option("size", "list", (f"{HERE}:SIZES",), help="Repeatable."),
     Option("label", default="x", help="A label."),
     Option("name", required=True, help="Required."),
     Option("shape", "choice", (f"{HERE}:Shape",), help="An Enum's values.")),
    store=False, kb=True)


def _app() -> typer.Typer:
    from fwatlas.cli.table_commands import add

    app = typer.Typer(rich_markup_mode=None)
    drawn: list[dict[str, Any]] = []
    add(app, ECHO, lambda payload, args, ctx: lambda console: drawn.append(args))
    app.command("other")(lambda: None)  # two commands: Typer keeps the names
    app.drawn = drawn  # type: ignore[attr-defined]
    return app


def _run(*args: str) -> Any:
    return CliRunner().invoke(_app(), list(args))


def test_options_reach_the_builder_typed_from_the_flags_the_table_names() -> None:
    r = _run("echo", "--colour", "green", "--count", "3", "--day", "2024-02-29", "--flag",
             "--size", "s", "--size", "l", "--name", "n", "--shape", "square", "--kb", "k.yaml",
             "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {
        "sources": [], "kb": "k.yaml", "store_opened": False,
        "args": {"colour": "green", "count": 3, "day": "2024-02-29", "flag": True,
                 "label": "x", "name": "n", "shape": "square", "size": ["s", "l"]}}


def test_an_option_left_out_is_its_default_and_a_required_one_is_required() -> None:
    r = _run("echo", "--name", "n", "--json")
    assert json.loads(r.output)["args"] == {
        "colour": "red", "count": None, "day": None, "flag": False, "label": "x", "name": "n",
        "shape": None, "size": None}
    missing = _run("echo", "--json")
    assert missing.exit_code == 2 and "--name" in missing.output


def test_bad_values_are_refused_as_the_cli_refuses_them() -> None:
    assert _run("echo", "--name", "n", "--count", "three").exit_code == 2  # Typer's int
    r = _run("echo", "--name", "n", "--day", "29.02.2024")
    assert isinstance(r.exception, InputError) and r.exception.param == "day"


def test_the_table_format_draws_with_the_same_options() -> None:
    app = _app()
    r = CliRunner().invoke(app, ["echo", "--name", "n", "--count", "2"])
    assert r.exit_code == 0, r.output
    assert app.drawn == [{"colour": "red", "count": 2, "day": None, "flag": False,  # type: ignore[attr-defined]
                          "size": None, "label": "x", "name": "n", "shape": None}]


def test_help_lists_the_valid_values_from_their_declarations() -> None:
    text = _run("echo", "--help").output
    for shown in ("[red|green]", "[s|m|l]", "[round|square]", "Example: fwatlas echo"):
        assert shown in text, shown


def test_valid_values_are_read_from_each_kind_of_declaration() -> None:
    assert resolve_values((f"{HERE}:Colour",)) == ("red", "green")
    assert resolve_values((f"{HERE}:SIZES", f"{HERE}:UNITS")) == ("s", "m", "l", "cm", "in")
    assert resolve_values((f"{HERE}:Shape",)) == ("round", "square")
    assert resolve_values((f"{HERE}:letters()", f"{HERE}:SIZES")) == ("a", "b", "s", "m", "l")


# --- the real table ---------------------------------------------------------------------------

CLI = _commands()  # every command, and the groups that are one (`snapshots`)
#: the flags every read command has, by what the entry reads
COMMON = {"--format", "--json", "--output", "--help"}


@pytest.mark.parametrize("entry", commands(), ids=[c.name for c in commands()])
def test_each_table_entry_is_a_cli_command_with_exactly_its_options(entry: Command) -> None:
    cmd = CLI[entry.name]
    params = {max(p.opts, key=len): p for p in cmd.params if p.param_type_name == "option"}
    expected = {o.cli for o in entry.options} | COMMON
    expected |= {"--db"} if entry.store else set()
    expected |= {"--kb"} if entry.kb else set()
    expected |= {"--snapshot"} if entry.read_set else set()
    assert set(params) | {"--help"} == expected
    for o in entry.options:
        p = params[o.cli]
        assert p.help == o.help, o.cli
        assert p.required == o.required, o.cli
        if not o.required:
            assert p.default == (False if o.kind == "bool" else o.default), o.cli
        if o.values:  # the metavar lists the values the library declares
            assert p.metavar.values() == list(o.choices), o.cli
        assert p.multiple == (o.kind == "list"), o.cli
    if entry.read_set:
        assert params["--snapshot"].multiple
    arguments = [p.name for p in cmd.params if p.param_type_name == "argument"]
    assert arguments == ([entry.argument] if entry.argument else [])
    assert cmd.help == entry.help


def test_the_table_declares_each_command_once_with_examples_of_its_options() -> None:
    names = [c.name for c in commands()]
    assert len(names) == len(set(names))
    assert {"verdict", "advise", "model", "signals", "kb show", "trends repos"} <= set(names)
    for c in commands():
        known = {o.keyword for o in c.options} | ({c.argument} if c.argument else set())
        assert {k for k, _ in c.example} <= known, c.name
        required = {o.keyword for o in c.options if o.required}
        assert required <= {k for k, _ in c.example}, c.name  # the parity test can run it


def test_every_table_ends_in_its_notes_then_its_sources_drawn_as_plain_text() -> None:
    """The footer is the generated command's: a renderer draws only its table, and a note or a
    source with brackets in it is printed as written, not read as Rich markup."""
    from fwatlas.cli.table_commands import add

    source = {"snapshot_id": "s1", "kind": "hub", "dataset": "hub/models",
              "origin": "dump [2022]", "data_date": "2022-02-15", "basis": "computed"}
    noted = Command(("noted",), lambda atlas, ctx, a: envelope(
        {"sources": [source], "notes": ["shares are of [bold]n[/bold]", "second note"]}),
        "Noted.", store=False)
    app = typer.Typer(rich_markup_mode=None)
    add(app, noted, lambda payload, args, ctx: lambda console: console.print("TABLE"))
    app.command("other")(lambda: None)
    lines = CliRunner().invoke(app, ["noted"], env={"COLUMNS": "200"}).output.splitlines()
    assert lines[:3] == ["TABLE", "Note – shares are of [bold]n[/bold]", "Note – second note"]
    assert "dump [2022]" in lines[3] and "s1" in lines[3] and len(lines) == 4


def test_every_read_command_has_one_renderer_and_every_renderer_a_command() -> None:
    from fwatlas.cli.render import SOURCES_IN_TABLE, renderers

    drawn = {c.name for c in commands() if not c.writes_file}  # report writes a file
    assert set(renderers()) == drawn
    assert SOURCES_IN_TABLE <= drawn
