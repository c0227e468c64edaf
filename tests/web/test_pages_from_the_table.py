"""The hand-laid pages (the advisor, the research explorer) take their fields from the command
table as every generated page does: the same names, valid values and parsing as the API and the
CLI, so a value one accepts the others accept, and one refuses the others refuse."""

from __future__ import annotations

import re

import pytest

from fwatlas.commands import command
from tests.conftest import run_cli


def _selects(html: str) -> dict[str, list[str]]:
    out = {}
    for name, body in re.findall(r'<select name="([a-z_]+)"[^>]*>(.*?)</select>', html, re.S):
        out[name] = [v for v in re.findall(r'<option value="([^"]*)"', body) if v]
    return out


def test_the_advisors_fields_and_their_values_are_the_advise_options() -> None:
    from fastapi.testclient import TestClient

    from fwatlas.web.app import create_app

    html = TestClient(create_app(None)).get("/advisor").text
    selects = _selects(html)
    declared = {o.name: list(o.choices) for o in command("advise").options
                if o.choices and o.kind == "choice"}
    assert declared.keys() <= selects.keys()
    for name, values in declared.items():
        assert selects[name] == values, name
    for o in command("advise").options:  # every option is a field of the form
        assert f'name="{o.name}"' in html, o.name


@pytest.mark.parametrize("query, field", [
    ("persona=industry&accelerator=moon", "accelerator"),
    ("persona=industry&workload=" + "x" * 201, "workload"),
    ("persona=industry&as_of=2026-02-30", "as_of"),
])
def test_a_bad_advisor_field_is_a_422_naming_it_on_the_page_and_the_api(client, query,
                                                                         field) -> None:
    page, api = client.get("/advisor?" + query), client.get("/api/advise?" + query)
    assert page.status_code == 422 and field in page.text
    assert api.status_code == 422 and api.json()["error"]["parameter"] == field


def test_an_architecture_alias_is_accepted_by_the_page_the_api_and_the_cli(client) -> None:
    query = "persona=researcher&python=3.13&os=linux&arch=aarch64&as_of=2026-11-01"
    assert client.get("/advisor?" + query).status_code == 200
    api = client.get("/api/advise?" + query)
    assert api.status_code == 200, api.text
    cli = run_cli("advise", "--persona", "researcher", "--python", "3.13", "--os", "linux",
                  "--arch", "aarch64", "--as-of", "2026-11-01", "--json")
    assert cli.code == 0, cli.err
    assert client.get("/api/support?python=3.12&os=linux&arch=aarch64").status_code == 200


def test_the_research_explorer_parses_its_fields_as_the_api(client) -> None:
    for query in ("from=abc", "evidence=bogus", "venue=" + "v" * 201):
        page, api = client.get("/research?" + query), client.get("/api/research?" + query)
        assert (page.status_code, api.status_code) == (422, 422), query
    ok = client.get("/research?venue=iclr&from=2019&evidence=text")
    assert ok.status_code == 200 and 'value="2019"' in ok.text
