"""Every page declared in fwatlas.web.views: its JSON twin is exactly the CLI's --json, the
page shows the same data with the CLI's options as a form, and its state lives in the URL."""

from __future__ import annotations

import html as html_lib
import re
import urllib.parse

import pytest

from fwatlas.web.views import views
from tests.web.test_web_api import cli_json

# (page path with a query, the same command's CLI arguments); one case per generated view
PARITY = [
    ("/verdict?round=research&as_of=2026-11-01",
     ["verdict", "--round", "research", "--as-of", "2026-11-01"]),
    ("/status?as_of=2026-11-01", ["status", "--as-of", "2026-11-01"]),
    ("/snapshots?kind=hub", ["snapshots", "--kind", "hub"]),
    ("/availability?method=files&by=task", ["availability", "--method", "files", "--by", "task"]),
    ("/migration?from=2018&to=2019", ["migration", "--from", "2018", "--to", "2019"]),
    ("/trends/pwc?official_only=true", ["trends", "pwc", "--official-only"]),
    ("/deployment?framework=jax&target=mobile",
     ["deploy-matrix", "--framework", "jax", "--target", "mobile"]),
    ("/kb?framework=pytorch&status=archived&as_of=2026-11-01",
     ["kb", "list", "--framework", "pytorch", "--status", "archived", "--as-of", "2026-11-01"]),
    ("/kb/changes?as_of=2026-11-01", ["kb", "changes", "--as-of", "2026-11-01"]),
    ("/kb/torchserve?as_of=2026-11-01", ["kb", "show", "torchserve", "--as-of", "2026-11-01"]),
    ("/signals?metric=jobs&by=package&share=true",
     ["signals", "--metric", "jobs", "--by", "package", "--share"]),
    ("/vitality?as_of=2026-06-01", ["vitality", "--as-of", "2026-06-01"]),
    ("/support?python=3.12&os=windows&arch=arm64",
     ["support", "--python", "3.12", "--os", "windows", "--arch", "arm64"]),
    ("/compare?old=ref:hub/models@0.1.0&new=s1",
     ["compare", "--old", "ref:hub/models@0.1.0", "--new", "s1"]),
    ("/facts?prefix=hub.share", ["facts", "--prefix", "hub.share"]),
    ("/research?venue=iclr&from=2019", ["research", "--venue", "iclr", "--from", "2019"]),
    ("/research?evidence=code&venue=cvpr",
     ["research", "--evidence", "code", "--venue", "cvpr"]),
    ("/coverage?library=transformers", ["coverage", "--library", "transformers"]),
    ("/trends/repos?from=2019&to=2024-06-30",
     ["trends", "repos", "--from", "2019", "--to", "2024-06-30"]),
    ("/probe/results", ["probe", "results"]),
]

#: options that change only how a page shows the data: not in its JSON link (same JSON)
DISPLAY = {o.name for v in views() for o in v.options if o.display}


def test_every_declared_view_has_a_parity_case():
    # the advisor's and the model lookup's pages are their own forms
    # (test_advisor_parity.py, test_model_page_takes_a_snapshot_id_never_a_local_path), the
    # overview is the report's figures; their twins are in test_cli_api_parity
    declared = {v.path for v in views() if v.build is not None} - {"/advisor", "/model", "/"}
    covered = {re.sub(r"/kb/torchserve$", "/kb/{name}", p.split("?")[0]) for p, _ in PARITY}
    assert declared == covered


@pytest.mark.parametrize("path, args", PARITY, ids=[p for p, _ in PARITY])
def test_api_twin_is_the_cli_json_and_the_page_shows_it(client, store, path, args):
    api = client.get("/api" + path)
    assert api.status_code == 200, api.text
    expected = cli_json(args, store)
    assert api.json() == expected
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    html = page.text
    # the page links its twin with the same query: bookmarkable, and the data downloadable
    href = html_lib.unescape(re.search(r'id="view-json" href="([^"]+)"', html).group(1))
    got, want = urllib.parse.urlsplit(href), urllib.parse.urlsplit("/api" + path)
    assert got.path == want.path
    assert urllib.parse.parse_qs(got.query) == {
        k: v for k, v in urllib.parse.parse_qs(want.query).items() if k not in DISPLAY}
    if "?" in path and "/kb/" not in path:
        assert 'id="view-form"' in html
        for name, value in (kv.split("=") for kv in path.split("?")[1].split("&")):
            assert f'name="{name}"' in html  # the option is a form control
            # and the form shows the state it was given
            assert (f'value="{value}"' in html or f"<option selected>{value}</option>" in html
                    or (value == "true" and "checked" in html))
    # a number of the payload is on the page: the first row's first counted value
    rows = expected.get("rows") or []
    if rows and "/kb/" not in path:
        first = next((v for v in rows[0].values() if isinstance(v, str) and v), None)
        if first is not None:
            assert first.replace("&", "&amp;") in html or first in html


def test_unknown_kb_entry_is_a_404_page_and_api_error(client):
    r = client.get("/kb/torchservee")
    assert r.status_code == 404 and "torchserve" in r.text
    api = client.get("/api/kb/torchservee")
    assert api.status_code == 404
    assert "torchserve" in api.json()["error"]["close_matches"]


def test_bad_choice_is_refused_on_the_page_and_the_api(client):
    assert client.get("/api/support?os=beos").status_code == 422
    page = client.get("/support?os=beos")
    assert page.status_code == 422 and "linux" in page.text


def test_compare_on_the_web_takes_snapshot_ids_never_local_files(client, tmp_path):
    kb_file = tmp_path / "tools.yaml"
    kb_file.write_text("entries: []\n")
    for base in ("/compare", "/api/compare"):
        r = client.get(base, params={"old": str(kb_file), "new": str(kb_file)})
        assert r.status_code == 422, r.text


def test_navigation_reaches_every_page(client):
    html = client.get("/").text
    nav = re.search(r'<nav class="pages"[^>]*>(.*?)</nav>', html, re.S).group(1)
    hrefs = re.findall(r'href="([^"]+)"', nav)
    for v in views():
        if v.nav:
            assert v.path in hrefs
    assert "/advisor" in hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href


def test_docs_work_offline_from_the_apps_own_assets(client):
    r = client.get("/docs")
    assert r.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and not [u for u in refs if u.startswith(("http:", "https:", "//"))]
    for ref in refs:
        if ref.startswith("/docs/assets/"):
            assert client.get(ref).status_code == 200, ref
    assert "script-src 'self'" in r.headers["content-security-policy"]
    spec = client.get("/openapi.json").json()
    for v in views():
        if v.build is not None:
            # every twin is documented (OpenAPI spells a path parameter without its converter)
            assert v.api_path.replace(":path}", "}") in spec["paths"], v.api_path
    params = {p["name"]: p for p in spec["paths"]["/api/support"]["get"]["parameters"]}
    assert params["os"]["schema"]["enum"] == ["linux", "macos", "windows"]


def test_serve_banner_names_only_what_exists(client, monkeypatch):
    import uvicorn
    from typer.testing import CliRunner

    from fwatlas.cli import build_app

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    out = CliRunner().invoke(build_app(), ["serve", "--port", "8765"])
    assert out.exit_code == 0, out.output
    text = out.stderr
    paths = re.findall(r"(?<![\w<])(/[\w/.{}-]*)", text.split("serving on")[1])
    assert "/docs" in paths and "/verdict" in paths
    for p in paths:
        if p.startswith("/api"):
            continue
        assert client.get(p).status_code == 200, p


def test_overview_opens_with_the_scorecard(client):
    html = client.get("/").text
    assert 'id="scorecard"' in html
    assert html.index('id="scorecard"') < html.index('<section class="section"')
    verdict = client.get("/api/verdict").json()
    for row in verdict["rows"]:
        assert row["title"].replace("'", "&#39;") in html


@pytest.mark.parametrize("evidence", ["text", "code", "all"])
def test_research_page_shows_the_evidence_chosen(client, evidence):
    api = client.get("/api/research", params={"evidence": evidence, "venue": "cvpr"}).json()
    html = client.get("/research", params={"evidence": evidence, "venue": "cvpr"}).text
    code = [r for r in api["rows"] if r["series"] == "code"]
    assert (evidence == "text") == (not code)
    if code:  # one row on the page per code row of the JSON, its share as the JSON has it
        table = re.search(r'id="research-code-rows">(.*?)</table>', html, re.S).group(1)
        assert table.count("<tr>") - 1 == len(code)  # the header row, then the rows
        assert f"{code[0]['pytorch_share']:.4g}" in table
    else:
        assert 'id="research-code"' not in html
    assert ('id="research-rows"' in html) == (evidence != "code")
    assert f"<option selected>{evidence}</option>" in html


def test_model_page_takes_a_snapshot_id_never_a_local_path(client, tmp_path):
    assert client.get("/model/org/pt-jax", params={"snapshot": str(tmp_path)}).status_code == 422
    page = client.get("/model", params={"q": "org/pt-jax", "snapshot": "s1"},
                      follow_redirects=True)
    assert page.status_code == 200 and 'name="snapshot" value="s1"' in page.text
    href = html_lib.unescape(re.search(r'id="view-json" href="([^"]+)"', page.text).group(1))
    assert client.get(href).json() == client.get("/api/model/org/pt-jax?snapshot=s1").json()


def test_overview_and_advisor_keep_as_of_in_the_url(client):
    html = client.get("/", params={"as_of": "2026-06-01"}).text
    assert 'name="as_of" value="2026-06-01"' in html
    assert "/api/report?as_of=2026-06-01" in html
    adv = client.get("/advisor", params={"persona": "industry", "as_of": "2026-06-01"}).text
    assert 'name="as_of" value="2026-06-01"' in adv


def test_a_blank_date_field_means_not_given(client):
    """A form sends every field; a blank as_of is the default day, not a 422."""
    assert client.get("/", params={"as_of": ""}).status_code == 200
    r = client.get("/advisor", params={"persona": "industry", "as_of": ""})
    assert r.status_code == 200 and 'id="advice-recommendation"' in r.text
    assert client.get("/advisor", params={"persona": "industry", "as_of": "x"}).status_code == 422
