"""Every read command of the CLI has a page (and an /api twin) with its options as form
controls – or is listed here with the reason it is not a page. A new command or option without
either fails this test, so the web app cannot fall behind the CLI unnoticed."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer

from fwatlas import __version__
from fwatlas.web.views import views

#: commands with --json/--format that are not pages, and why
NOT_PAGES: dict[str, str] = {
    "ingest": "writes the store from a local file",
    "migrate": "writes the store (schema upgrade)",
    "scan": "downloads and scans repositories, then writes the store",
    "kb validate": "checks a local YAML file the visitor would have to name on the server",
    "probe run": "installs frameworks and runs models on this machine, then writes the store",
    "snapshots use": "writes a pin (the Snapshots page shows the pin/use state)",
    "snapshots unpin": "writes: removes a pin",
    "snapshots redate": "writes a corrected data date",
}
#: every `refresh KIND` fetches from the internet and writes the store
WRITING_GROUPS = {"refresh": "fetches from outside services and writes the store"}

#: options a page does not offer, and why (every other option is a form control)
ALWAYS_LEFT_OUT = {"--db", "--format", "--json", "-o", "--output", "--help", "--kb"}
NOT_ON_THE_WEB: dict[tuple[str, str], str] = {
    ("verdict", "--method"): "a local verdict-method YAML file: the server opens no file a "
                             "visitor names",
    ("compare", "--file-as"): "how a local knowledge-base file given as --old/--new is read; "
                              "the web takes snapshot ids only",
}
#: the repeatable --snapshot (one id per dataset) chooses the store's read set: a server has
#: one, chosen at start with `fwatlas serve --snapshot ID`
READ_SET = "--snapshot"

#: a page to open for the views with a path argument (or a hand-written lookup)
EXAMPLE_PAGE = {"kb show": "/kb/torchserve", "model": "/model/org/pt-jax"}


def _commands() -> dict[str, Any]:
    from fwatlas.cli import build_app

    out: dict[str, Any] = {}

    def walk(prefix: str, cmd: Any) -> None:
        if hasattr(cmd, "commands"):  # a group (Typer's click may not be this click)
            # `snapshots` lists (a read), `snapshots use` pins (a write)
            if prefix and getattr(cmd, "invoke_without_command", False):
                out[prefix] = cmd
            for name, sub in cmd.commands.items():
                walk(f"{prefix} {name}".strip(), sub)
        else:
            out[prefix] = cmd

    walk("", typer.main.get_command(build_app()))
    return out


def _read_commands() -> dict[str, Any]:
    reads = {}
    for name, cmd in _commands().items():
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        if not opts & {"--json", "--format"}:
            continue  # serve, probe setup: neither data nor JSON
        if name in NOT_PAGES or name.split()[0] in WRITING_GROUPS:
            continue
        reads[name] = cmd
    return reads


def _view_of(name: str) -> Any:
    found = [v for v in views() if v.command == f"fwatlas {name}"]
    return found[0] if found else None


def test_the_lists_name_real_commands():
    """No stale entry: every listed command (and option) exists."""
    commands = _commands()
    assert set(NOT_PAGES) <= set(commands), set(NOT_PAGES) - set(commands)
    for (name, opt) in NOT_ON_THE_WEB:
        assert opt in {o for p in commands[name].params for o in getattr(p, "opts", [])}


@pytest.mark.parametrize("name", sorted(_read_commands()))
def test_every_read_command_has_a_page_and_an_api_twin(client, name):
    view = _view_of(name)
    assert view is not None, f"fwatlas {name} has no View in fwatlas.web.views (or add it to " \
                             "NOT_PAGES with the reason)"
    assert view.nav or view.argument, f"{view.path} is not in the navigation"
    path = EXAMPLE_PAGE.get(name, view.path)
    page = client.get(path)
    assert page.status_code == 200, (path, page.text[:300])
    api = {"/": "/api/report", "/advisor": "/api/advise?persona=industry",
           "/compare": f"/api/compare?old=ref:hub/models@{__version__}&new=s1"}.get(
        view.path, "/api" + path)
    assert client.get(api).status_code == 200, api


@pytest.mark.parametrize("name", sorted(_read_commands()))
def test_every_option_of_the_command_is_a_form_control(client, name):
    view = _view_of(name)
    cmd = _read_commands()[name]
    html = client.get(EXAMPLE_PAGE.get(name, view.path)).text
    controls = set(re.findall(r'<(?:input|select)[^>]*\bname="([^"]+)"', html))
    missing = []
    for param in cmd.params:
        if type(param).__name__.endswith("Argument"):
            continue  # an argument: the page's path (/kb/NAME) or its search box
        flag = max(param.opts, key=len)
        if flag in ALWAYS_LEFT_OUT or (name, flag) in NOT_ON_THE_WEB:
            continue
        if flag == READ_SET and param.multiple:
            continue
        if flag.removeprefix("--").replace("-", "_") not in controls:
            missing.append(flag)
    assert missing == [], f"{view.path} lacks form controls for fwatlas {name} {missing}"


def _help(name: str) -> str:
    from typer.testing import CliRunner

    from fwatlas.cli import build_app

    r = CliRunner().invoke(build_app(), [*name.split(), "--help"], env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("view", [v for v in views() if any(o.kind == "choice"
                                                             for o in v.options)],
                         ids=lambda v: v.path)
def test_a_page_and_the_terminal_offer_the_same_valid_values(view):
    """Each select of a page lists what `--help` shows as the option's metavar, in order."""
    text = _help(view.command.removeprefix("fwatlas "))
    for o in view.options:
        if o.kind == "choice":
            assert f"{o.cli} [{'|'.join(o.choices)}]" in text, (view.command, o.cli)
