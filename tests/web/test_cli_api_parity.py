"""One JSON path: for every read command, ``fwatlas CMD --json`` is exactly what the command
table's builder returns and what its ``/api`` twin answers, for the same options.

The cases are generated from the command table (``fwatlas.commands.table``) through the web's
views: each command once with its defaults (and the table's ``example`` values for the options
it needs) and once per choice option set to a value other than its default. A command whose CLI
or API built its JSON beside the builder (and so could drift from it) fails here on the first
differing key. The two commands outside the table (``model``, ``advise``) are below.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

import pytest

from fwatlas.errors import FwatlasError
from fwatlas.web.views import Ctx, View, views
from tests.conftest import run_cli
from tests.web.conftest import AS_OF


def _cases() -> list[tuple[View, dict[str, Any]]]:
    out: list[tuple[View, dict[str, Any]]] = []
    for view in views():
        if view.build is None:
            continue
        entry = view.entry
        assert entry is not None
        base: dict[str, Any] = {k: v for k, v in entry.example
                                if k != entry.argument and k != "as_of"}
        out.append((view, base))
        for o in view.query_options:
            other = next((c for c in o.choices if c != o.default), None)
            if o.kind == "choice" and other is not None:
                out.append((view, {**base, o.name: other}))
    return out


CASES = _cases()


def _id(case: tuple[View, dict[str, Any]]) -> str:
    view, given = case
    return view.command.removeprefix("fwatlas ") + "".join(f" {k}={v}" for k, v in given.items())


def _cli(words: list[str], db: Any) -> tuple[int, Any]:
    """Exit code and the parsed JSON (or, on an error, the one-line message)."""
    run = run_cli(*words, "--json", env={"FWATLAS_DB": str(db)})
    if run.code != 0:
        return run.code, run.err.strip()
    return 0, json.loads(run.out)


def test_the_table_yields_every_builder_view() -> None:
    """Guard against a test that cannot fail: the cases cover the read commands."""
    commands = {v.command for v, _ in CASES}
    assert {"fwatlas migration", "fwatlas trends pwc", "fwatlas deploy-matrix",
            "fwatlas signals", "fwatlas research", "fwatlas coverage",
            "fwatlas trends repos"} <= commands
    assert len(CASES) > len(commands)  # choice variants, not only defaults


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_cli_json_is_the_builders_payload_and_the_api_twins(case, client, store) -> None:
    from fwatlas.store.atlas import open_atlas

    view, given = case
    options = {o.name: o for o in view.query_options}
    args = {o.keyword: o.parse(None) for o in view.query_options}
    words = view.command.split()[1:]
    query: dict[str, str] = {}
    for name, value in given.items():
        args[options[name].keyword] = value
        words += [options[name].cli, str(value)]
        query[name] = str(value)
    if "as_of" in options:
        args["as_of"] = AS_OF
        words += ["--as-of", AS_OF.isoformat()]
        query["as_of"] = AS_OF.isoformat()
    path = view.api_path
    if view.argument:
        name = dict(view.entry.example)[view.argument]
        args[view.argument] = name
        words.insert(len(view.command.split()) - 1, name)
        path = re.sub(r"\{" + view.argument + r"(:\w+)?\}", name, path)

    code, cli = _cli(words, store)
    try:
        built: Any = view.build(open_atlas(store), Ctx(kb=None, today=AS_OF), args)
    except FwatlasError as exc:  # the same refusal on both paths
        from fwatlas.cli.options import flag

        assert (code, cli) == (exc.exit_code, f"fwatlas: error: {exc.render(flag)}"), words
        r = client.get(path + ("?" + urllib.parse.urlencode(query) if query else ""))
        assert r.status_code == {1: 404, 2: 422}[exc.exit_code], r.text
        return
    assert code == 0, (words, cli)
    assert cli == built
    r = client.get(path + ("?" + urllib.parse.urlencode(query) if query else ""))
    assert r.status_code == 200, r.text
    assert r.json() == cli


ADVISE = [
    {"persona": "industry", "targets": ["mobile"], "needs": ["audio-video"]},
    {"persona": "professor", "focus": "theory", "ruleset": "article-2022"},
    {"persona": "industry", "existing": "tensorflow"},
    {"persona": "researcher", "python": "3.13", "os": "linux", "arch": "x86_64"},
]
CLI_NAME = {"targets": "--target", "needs": "--need", "workloads": "--workload"}
API_NAME = {"targets": "target", "needs": "need", "workloads": "workload"}
#: every option of the advise builder, unset
ADVISE_NONE = dict.fromkeys(("target", "need", "focus", "experience", "python", "os", "arch",
                             "accelerator", "workload", "existing", "cloud", "keras_backend"))


@pytest.mark.parametrize("given", ADVISE, ids=[str(a) for a in ADVISE])
def test_advise_json_is_the_builders_and_the_api_twins(given, client, store) -> None:
    from fwatlas.commands import Ctx
    from fwatlas.commands.builders import advise
    from fwatlas.store.atlas import open_atlas

    words = ["advise", "--as-of", AS_OF.isoformat()]
    query: list[tuple[str, str]] = [("as_of", AS_OF.isoformat())]
    for k, v in given.items():
        for one in v if isinstance(v, list) else [v]:
            words += [CLI_NAME.get(k, "--" + k.replace("_", "-")), one]
            query.append((API_NAME.get(k, k), one))
    code, cli = _cli(words, store)
    assert code == 0, words
    args = {**ADVISE_NONE, "ruleset": "current", "as_of": AS_OF,
            **{API_NAME.get(k, k): v for k, v in given.items()}}
    assert cli == advise(open_atlas(store), Ctx(None, AS_OF), args)
    r = client.get("/api/advise?" + urllib.parse.urlencode(query))
    assert r.status_code == 200, r.text
    assert r.json() == cli


def test_model_json_is_the_builders_and_the_api_twins(client, store) -> None:
    from fwatlas.commands import Ctx
    from fwatlas.commands.builders import model
    from fwatlas.store.atlas import open_atlas

    code, cli = _cli(["model", "org/pt-tf"], store)
    assert code == 0
    assert cli == model(open_atlas(store), Ctx(None, AS_OF),
                        {"model_id": "org/pt-tf", "snapshot": None})
    assert client.get("/api/model/org/pt-tf").json() == cli

