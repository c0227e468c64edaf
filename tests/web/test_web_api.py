"""The JSON API returns exactly the CLI's --json objects, with one error shape."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from fwatlas.cli import build_app

# (API path, the same command's CLI arguments)
SAME = [
    ("/api/availability", ["availability"]),
    ("/api/availability?method=files&weight=downloads&frameworks=pytorch,tensorflow",
     ["availability", "--method", "files", "--weight", "downloads",
      "--frameworks", "pytorch,tensorflow"]),
    ("/api/availability?by=task", ["availability", "--by", "task"]),
    ("/api/availability?top=5&rank=likes", ["availability", "--top", "5", "--rank", "likes"]),
    ("/api/model/org/pt-tf", ["model", "org/pt-tf"]),
    ("/api/snapshots", ["snapshots"]),
    ("/api/facts?prefix=hub.share_exclusive", ["facts", "--prefix", "hub.share_exclusive"]),
    ("/api/research?venue=iclr&from=2018&to=2020",
     ["research", "--venue", "iclr", "--from", "2018", "--to", "2020"]),
    ("/api/migration?from=2018&to=2019", ["migration", "--from", "2018", "--to", "2019"]),
    ("/api/trends/pwc", ["trends", "pwc"]),
    ("/api/deploy-matrix?target=mobile", ["deploy-matrix", "--target", "mobile"]),
    ("/api/kb/changes", ["kb", "changes", "--as-of", "2026-11-01"]),
    ("/api/signals?metric=jobs", ["signals", "--metric", "jobs"]),
    ("/api/verdict?as_of=2026-11-01", ["verdict", "--as-of", "2026-11-01"]),
    ("/api/verdict?round=deployment&as_of=2026-11-01",
     ["verdict", "--round", "deployment", "--as-of", "2026-11-01"]),
    ("/api/status?as_of=2026-11-01", ["status", "--as-of", "2026-11-01"]),
    ("/api/advise?persona=industry&target=mobile&need=audio-video&as_of=2026-11-01",
     ["advise", "--persona", "industry", "--target", "mobile", "--need", "audio-video",
      "--as-of", "2026-11-01"]),
    ("/api/advise?persona=professor&focus=theory&ruleset=article-2022&as_of=2026-11-01",
     ["advise", "--persona", "professor", "--focus", "theory", "--ruleset", "article-2022",
      "--as-of", "2026-11-01"]),
]


def cli_json(args: list[str], db) -> dict:
    result = CliRunner().invoke(build_app(), [*args, "--json"],
                                env={"FWATLAS_DB": str(db), "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("path, args", SAME, ids=[p for p, _ in SAME])
def test_api_returns_exactly_the_cli_json(client, store, path, args):
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == cli_json(args, store)


def _assert_error_shape(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert list(body) == ["error"]
    err = body["error"]
    assert isinstance(err["code"], str) and isinstance(err["message"], str) and err["message"]
    assert set(err) <= {"code", "message", "close_matches", "parameter"}
    assert err["code"] == code
    return err


def test_unknown_model_is_404_with_close_matches(client):
    err = _assert_error_shape(client.get("/api/model/org/pt-tff"), 404, "not_found")
    assert "org/pt-tf" in err["close_matches"]
    assert "org/pt-tff" in err["message"]


@pytest.mark.parametrize("path, parameter", [
    ("/api/availability?weight=bogus", "weight"),
    ("/api/availability?method=guess", "method"),
    ("/api/availability?frameworks=torchy", "frameworks"),
    ("/api/availability?top=0", "top"),
    ("/api/availability?by=month", "by"),
    ("/api/research?from=x", "from"),
    ("/api/research?from=2020&to=2010", "from"),
    ("/api/research?venue=nowhere", "venue"),
    ("/api/migration?from=2019&to=2019", "from"),
    ("/api/deploy-matrix?framework=theano", "framework"),
    ("/api/deploy-matrix?target=moon", "target"),
    ("/api/signals?metric=vibes", "metric"),
    ("/api/kb/changes?as_of=yesterday", "as_of"),
    ("/api/advise", "persona"),
    ("/api/advise?persona=wizard", "persona"),
    ("/api/advise?persona=hobbyist", "focus"),
    ("/api/advise?persona=industry&ruleset=2019", "ruleset"),
    ("/api/advise?persona=industry&target=mars", "target"),
])
def test_bad_parameter_is_422_naming_it(client, path, parameter):
    err = _assert_error_shape(client.get(path), 422, "bad_parameter")
    assert err["parameter"] == parameter


def test_unknown_snapshot_route_and_method_share_the_shape(client):
    _assert_error_shape(client.get("/api/availability?snapshot=s999"), 404, "not_found")
    _assert_error_shape(client.get("/api/nothing-here"), 404, "not_found")
    _assert_error_shape(client.post("/api/availability"), 405, "method_not_allowed")


def test_openapi_lists_every_api_endpoint(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/availability", "/api/model/{model_id}", "/api/research",
                 "/api/migration", "/api/trends/pwc", "/api/deploy-matrix", "/api/kb/changes",
                 "/api/signals", "/api/snapshots", "/api/facts", "/api/advise"):
        assert path in spec["paths"], path
