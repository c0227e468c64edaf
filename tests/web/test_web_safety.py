"""Hostile input: SQL-looking values in every parameter, and hostile strings on every page."""

from __future__ import annotations

import urllib.parse

import duckdb
import pytest

from tests.report.helpers import HOSTILE, IMG, SCRIPT

SQLISH = ["' OR '1'='1", "x'); DROP TABLE hub_models; --", "1; SELECT * FROM snapshots",
          '" OR ""="']

#: every API endpoint and its parameters (the path parameter of /api/model included)
ENDPOINTS = {
    "/api/availability": ["method", "weight", "frameworks", "by", "top", "rank", "snapshot"],
    "/api/research": ["venue", "from", "to"],
    "/api/migration": ["from", "to"],
    "/api/trends/pwc": ["official_only", "snapshot"],
    "/api/deploy-matrix": ["framework", "target"],
    "/api/kb/changes": ["as_of"],
    "/api/signals": ["metric", "from", "to", "by", "window", "snapshot"],
    "/api/snapshots": ["kind"],
    "/api/facts": ["prefix"],
    "/api/advise": ["persona", "target", "need", "focus", "experience", "ruleset", "python",
                    "os", "arch", "accelerator", "workload", "existing", "cloud",
                    "keras_backend", "as_of"],
    "/advisor": ["persona", "target", "need", "focus", "experience", "ruleset", "python", "os",
                 "arch", "accelerator", "workload", "existing", "cloud", "keras_backend"],
    "/research": ["venue", "from", "to"],
    "/model": ["q"],
    "/": ["as_of"],
}


def _counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = 'main'").fetchall()}
    finally:
        con.close()


def test_sql_looking_input_in_every_parameter_is_only_data(client, store):
    before = _counts(store)
    for path, params in ENDPOINTS.items():
        for param in params:
            for value in SQLISH:
                params = {param: value}
                if path.endswith("advise") and param != "persona":
                    params["persona"] = "industry"
                r = client.get(path, params=params, follow_redirects=False)
                assert r.status_code in (200, 303, 404, 422), (path, param, value, r.text)
                if path.startswith("/api/") and r.status_code != 200:
                    assert set(r.json()["error"]) >= {"code", "message"}
    for value in SQLISH:
        r = client.get("/api/model/" + urllib.parse.quote(value, safe=""))
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        r = client.get("/model/" + urllib.parse.quote(value, safe=""))
        assert r.status_code == 404
    client.app.state.gate.close()  # let go of the file before reading it again
    assert _counts(store) == before


PAGES = ["/", "/research", "/research?venue=iclr", "/deployment", "/advisor", "/model",
         "/model/" + urllib.parse.quote(f"evil/{SCRIPT}", safe="/"),
         "/model/" + urllib.parse.quote(f"evil/x{IMG}", safe="/"),
         "/model/" + urllib.parse.quote(SCRIPT, safe="")]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_hostile_strings_as_text(client, path):
    r = client.get(path)
    assert r.status_code in (200, 404), r.text
    html = r.text
    for s in HOSTILE:
        assert s not in html
    assert "<img" not in html
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert html.count("<script") == html.count("</script>")
    inline = [chunk for chunk in html.split("<script")[1:]
              if "src=" not in chunk.split(">")[0] and "application/json" not in
              chunk.split(">")[0]]
    assert inline == []  # the CSP allows no inline script, and the page has none


def test_hostile_model_page_shows_the_id_as_text(client):
    r = client.get("/model/" + urllib.parse.quote(f"evil/{SCRIPT}", safe="/"))
    assert r.status_code == 200
    assert "evil/&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_hostile_model_ids_in_the_api_are_plain_json_strings(client):
    r = client.get("/api/availability?top=3")
    ids = [row["id"] for row in r.json()["rows"]]
    assert ids[:2] == [f"evil/{SCRIPT}", f"evil/x{IMG}"]
