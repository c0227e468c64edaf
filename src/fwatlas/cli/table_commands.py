"""The CLI's read commands, generated from the command table (``fwatlas.commands.table``).

A command module hands :func:`add` the table's name of a command, which places it in its
group and in ``fwatlas --help``; how its result is drawn is its renderer in
``fwatlas.cli.render``, and everything else – the options (flags, help, valid values in the
metavar, defaults), the help text, ``--db``/``--kb``/``--snapshot``,
``--format``/``--json``/``-o`` – comes from the table, and the JSON from the same builder the
web's API calls.
"""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path
from typing import Annotated, Any

import typer

from fwatlas.cli.options import (
    DbOption,
    FormatOption,
    JsonFlag,
    KbOption,
    OutPath,
    SnapshotsOption,
    Values,
    output_format,
    parse_date,
)
from fwatlas.cli.output import Format, Output, emit, sources_line
from fwatlas.cli.render.types import Json, Render
from fwatlas.commands import Command, Ctx, Option, command

_ANNOTATION: dict[str, Any] = {"text": str, "choice": str, "date": str, "int": int,
                               "path": Path, "bool": bool, "list": list[str]}


def _pyname(o: Option) -> str:
    """The Python parameter of an option (``from`` is a keyword)."""
    return "opt_" + o.name


def _parameter(o: Option) -> inspect.Parameter:
    info: dict[str, Any] = {"help": o.help}
    if o.values:
        info["metavar"] = Values(*o.values)
    elif o.metavar:
        info["metavar"] = o.metavar
    base = _ANNOTATION[o.kind]
    annotation: Any
    default: Any
    if o.kind == "bool":
        annotation, default = bool, False
    elif o.required:
        annotation, default = base, inspect.Parameter.empty
    else:
        annotation, default = (base if o.default is not None else base | None), o.default
    return inspect.Parameter(_pyname(o), inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[annotation, typer.Option(o.cli, **info)])


def _common(entry: Command) -> list[inspect.Parameter]:
    kw = inspect.Parameter.KEYWORD_ONLY
    out = []
    if entry.kb:
        out.append(inspect.Parameter("kb", kw, default=None, annotation=KbOption))
    if entry.store:
        out.append(inspect.Parameter("db", kw, default=None, annotation=DbOption))
    out += [inspect.Parameter("fmt", kw, default=Format.table, annotation=FormatOption),
            inspect.Parameter("json_out", kw, default=False, annotation=JsonFlag),
            inspect.Parameter("out", kw, default=None, annotation=OutPath)]
    if entry.read_set:
        out.append(inspect.Parameter("snapshot", kw, default=None, annotation=SnapshotsOption))
    return out


def _value(o: Option, raw: Any) -> Any:
    """A typed option value as the builder takes it (dates parsed, as the web's forms do)."""
    if o.kind == "date":
        return parse_date(raw, o.cli)
    return raw


def payload_of(entry: Command, atlas: Any, ctx: Ctx, values: Json) -> Json:
    """The command's envelope: the one stored for the same store, options and day if there is
    one (``fwatlas.store.result_cache``), else built and stored."""
    if atlas is None:
        return entry.run(atlas, ctx, values)
    from fwatlas.store import result_cache

    cached = result_cache.load(atlas, entry.name, values, ctx.kb, ctx.today)
    if cached is not None:
        return cached
    payload = entry.run(atlas, ctx, values)
    result_cache.save(atlas, entry.name, values, ctx.kb, ctx.today, payload)
    return payload


def add(app: typer.Typer, name: str | Command, render: Render | None = None, *,
        group: bool = False, footer: bool | None = None) -> None:
    """Register the table's command ``name`` (or an entry itself) on ``app`` (a group's Typer
    for ``kb list``); its table is ``render``'s, then the footer every table has: the
    payload's notes, one ``Note –`` line each, and the sources line.

    ``group``: the command is its group's own callback (``fwatlas snapshots`` lists, its
    subcommands write); it does nothing when a subcommand is invoked. ``footer=False``: the
    table itself names each row's source (``facts``, ``snapshots``): no sources line."""
    entry = command(name) if isinstance(name, str) else name
    if render is None or footer is None:
        from fwatlas.cli import render as renderers

        render = render or renderers.renderer(entry.name)
        footer = entry.name not in renderers.SOURCES_IN_TABLE if footer is None else footer
    draw_table = render
    params: list[inspect.Parameter] = []
    if group:
        params.append(inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY,
                                        annotation=typer.Context))
    if entry.argument:
        params.append(inspect.Parameter(
            entry.argument, inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[str, typer.Argument(help=entry.argument_help)]))
    params += [_parameter(o) for o in entry.options] + _common(entry)

    def run(**kw: Any) -> None:
        if group and kw["ctx"].invoked_subcommand is not None:
            return
        values = {o.keyword: _value(o, kw[_pyname(o)]) for o in entry.options}
        if entry.argument:
            values[entry.argument] = kw[entry.argument]
        kb = kw.get("kb")
        ctx = Ctx(kb=str(kb) if kb else None, today=dt.date.today(), db=kw.get("db"))
        atlas = None
        if entry.store and not entry.lazy_store:
            from fwatlas.store.atlas import open_atlas

            atlas = open_atlas(kw["db"], kw.get("snapshot") or ())
        payload = payload_of(entry, atlas, ctx, values)

        def draw(console: Any) -> None:  # drawn only for a table: --json does none of it
            draw_table(payload, values, ctx)(console)
            for note in payload.get("notes") or ():  # how to read the numbers, in one wording
                console.print(f"Note – {note}", markup=False, style="dim")
            if footer:  # where the numbers come from and how old they are, under every table
                console.print(sources_line(payload["sources"]), markup=False, style="dim")

        emit(Output(payload, table=draw),
             output_format(kw["fmt"], kw["json_out"]), kw["out"])

    run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    run.__name__ = entry.name.replace(" ", "_").replace("-", "_") + "_command"
    run.__doc__ = entry.help
    if group:
        app.callback()(run)
    else:
        app.command(entry.words[-1], help=entry.help)(run)
