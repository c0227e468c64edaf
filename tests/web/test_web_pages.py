"""Pages: overview (the report's figures), model lookup, research explorer, deployment."""

from __future__ import annotations

import json
import re


def _figures(html: str) -> dict[str, dict]:
    out = {}
    for m in re.finditer(r'<script type="application/json" id="data-([^"]+)">(.*?)</script>',
                         html, re.S):
        out[m.group(1)] = json.loads(m.group(2))
    return out


def test_overview_draws_the_report_sections_from_the_store(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert re.findall(r'<section class="section" id="([a-z-]+)"', html) == [
        "availability", "research", "deployment", "ecosystem", "advice"]
    assert '<script src="/static/plotly.min.js">' in html
    figs = _figures(html)
    api = client.get("/api/availability").json()
    tags = next(t for t in figs["availability-f1"]["data"] if t["name"] == "method: tags")
    assert tags["y"][:3] == [api["share_exclusive"][f] for f in ("pytorch", "tensorflow", "jax")]


def test_static_assets_come_from_the_installed_packages(client):
    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200 and "plotly.js v" in r.text[:2000]
    assert client.get("/static/../../etc/passwd").status_code == 404


def test_model_search_redirects_to_the_model_page(client):
    r = client.get("/model", params={"q": "org/pt-jax"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/model/org/pt-jax"
    page = client.get("/model/org/pt-jax")
    assert page.status_code == 200
    assert "pytorch, jax" in page.text and "text-generation" in page.text


def test_unknown_model_page_offers_close_matches(client):
    page = client.get("/model/org/pt-jaxx")
    assert page.status_code == 404
    assert 'href="/model/org/pt-jax"' in page.text


def test_research_explorer_filters_by_venue_and_year(client):
    page = client.get("/research", params={"venue": "iclr", "from": 2019, "to": 2019})
    assert page.status_code == 200
    rows = re.findall(r"<tr><td>([a-z]+)</td><td>(\d{4})</td>", page.text)
    assert rows and {r[0] for r in rows} == {"iclr"} and {r[1] for r in rows} == {"2019"}
    assert 'selected>iclr</option>' in page.text or '"iclr" selected' in page.text


def test_deployment_page_shows_the_matrix_with_badges(client):
    page = client.get("/deployment")
    assert page.status_code == 200
    assert 'id="table-deployment-best"' in page.text and 'class="badge active"' in page.text


def test_advisor_form_shows_the_recommendation_and_its_trace(client):
    page = client.get("/advisor", params={"persona": "hobbyist", "focus": "learning",
                                          "experience": "none"})
    assert page.status_code == 200
    api = client.get("/api/advise", params={"persona": "hobbyist", "focus": "learning",
                                            "experience": "none", "as_of": "2026-11-01"}).json()
    assert f'id="advice-recommendation">{api["recommendation"]}<' in page.text
    for reason in api["reasons"]:
        assert reason["rule"] in page.text
    assert 'id="advice-other"' in page.text  # the other ruleset's answer beside it


def test_bad_advisor_input_is_a_422_page(client):
    page = client.get("/advisor", params={"persona": "wizard"})
    assert page.status_code == 422 and "wizard" in page.text


def test_a_blank_date_field_means_not_given_and_a_bad_one_is_a_422_page(client):
    # a submitted form sends every field, the date left blank as "as_of="
    blank = client.get("/advisor", params={"persona": "industry", "focus": "", "as_of": ""})
    assert blank.status_code == 200 and 'id="advice-recommendation"' in blank.text
    dated = client.get("/advisor", params={"persona": "industry", "as_of": "2026-11-01"})
    assert 'value="2026-11-01"' in dated.text
    for path in ("/advisor?persona=industry&as_of=2026-02-30", "/?as_of=yesterday"):
        page = client.get(path)
        assert page.status_code == 422 and "as_of" in page.text
