"""An error's parameter and fix are fields, worded by each front end in one place.

The CLI names the parameter as the flag a shell user types (``--as-of``), the API returns it
as ``parameter`` and words the message with the query parameter's name (``as_of``), the page
shows that message. Nothing reads the parameter back out of the message: the synthetic error
below names a parameter the request does not even carry, which no guess could find.
"""

from __future__ import annotations

import pytest

from fwatlas.errors import InputError, opt
from tests.conftest import run_cli

# (CLI arguments, the API twin, the parameter, the CLI's line, the API's message), each
# written out by hand from the command-line contract, not built with fwatlas's own speller
CASES = [
    (["availability", "--top", "0"], "/api/availability?top=0", "top",
     "fwatlas: error: --top must be at least 1", "top must be at least 1"),
    (["research", "--from", "2020", "--to", "2010"], "/api/research?from=2020&to=2010", "from",
     "fwatlas: error: --from 2020 is after --to 2010", "from 2020 is after to 2010"),
    (["migration", "--from", "2019", "--to", "2019"], "/api/migration?from=2019&to=2019", "from",
     "fwatlas: error: --from must be the earlier year and --to the later one "
     "(got --from 2019 --to 2019)",
     "from must be the earlier year and to the later one (got from 2019 to 2019)"),
]


@pytest.mark.parametrize("args, path, param, line, message", CASES, ids=[c[1] for c in CASES])
def test_a_bad_value_is_one_cli_line_and_an_api_field(client, store, args, path, param, line,
                                                      message) -> None:
    run = run_cli(*args, "--db", str(store))
    assert run.code == 2 and run.out == ""
    assert run.err == line + "\n"
    r = client.get(path)
    assert r.status_code == 422
    assert r.json() == {"error": {"code": "bad_parameter", "message": message,
                                  "parameter": param}}
    page = client.get(path.removeprefix("/api"))
    assert page.status_code == 422 and message in page.text and "--" + param not in page.text


def _raise_with_fields(atlas: object, prefix: str | None = None) -> list:
    raise InputError(f"{opt('as_of')} is too early for {opt('prefix')} {prefix!r}",
                     fix=f"drop {opt('as_of')}")


def test_the_parameter_and_fix_come_from_the_fields(client, store, monkeypatch) -> None:
    """``facts`` (CLI and API) raising an error about ``as_of`` – a parameter the request
    does not carry, so the old guess from the query (``prefix``) would be wrong."""
    import fwatlas.facts

    monkeypatch.setattr(fwatlas.facts, "list_facts", _raise_with_fields)
    run = run_cli("facts", "--prefix", "hub", "--db", str(store))
    assert run.code == 2
    assert run.err == "fwatlas: error: --as-of is too early for --prefix 'hub' (drop --as-of)\n"
    r = client.get("/api/facts?prefix=hub")
    assert r.status_code == 422
    assert r.json()["error"] == {"code": "bad_parameter", "parameter": "as_of",
                                 "message": "as_of is too early for prefix 'hub' (drop as_of)"}


def test_fields_survive_a_process_boundary() -> None:
    """The scanner's workers send errors back pickled; the CLI must still spell the flag."""
    import pickle

    from fwatlas.cli.options import flag

    sent = InputError(f"{opt('max_file_size')} must be positive", path="a.csv", fix="try 1")
    got = pickle.loads(pickle.dumps(sent))
    assert type(got) is InputError and got.param == "max_file_size" and got.path == "a.csv"
    assert got.render(flag) == "a.csv: --max-file-size must be positive (try 1)"
    assert str(got) == "a.csv: max_file_size must be positive (try 1)"
