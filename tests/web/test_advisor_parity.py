"""The advisor form, /api/advise and `fwatlas advise --json` give the same answer for the same
inputs, over combinations that use every option."""

from __future__ import annotations

import json

import pytest
from markupsafe import escape
from typer.testing import CliRunner

from fwatlas.cli import build_app

CASES = [
    {"persona": "industry"},
    {"persona": "industry", "target": ["mobile"], "need": ["audio-video"]},
    {"persona": "industry", "accelerator": "tpu"},
    {"persona": "industry", "existing": "tensorflow", "cloud": "gcp"},
    {"persona": "industry", "workload": ["llm-serving", "nlp"], "accelerator": "nvidia"},
    {"persona": "industry", "python": "3.13", "os": "windows", "arch": "arm64"},
    {"persona": "researcher", "workload": ["llm-finetuning"], "cloud": "aws"},
    {"persona": "researcher", "need": ["reinforcement-learning"], "workload": ["rl"]},
    {"persona": "professor", "focus": "industry", "target": ["browser"]},
    {"persona": "career-changer", "experience": "tensorflow"},
    {"persona": "career-changer"},
    {"persona": "hobbyist", "focus": "project", "accelerator": "npu"},
    {"persona": "beginner", "keras_backend": "torch", "accelerator": "apple", "os": "macos"},
    {"persona": "beginner", "experience": "keras", "need": ["pythonic"]},
    {"persona": "industry", "existing": "pytorch", "ruleset": "article-2022",
     "accelerator": "tpu"},
]
AS_OF = "2026-11-01"


def cli_args(case: dict) -> list[str]:
    args = ["advise"]
    for key, value in case.items():
        flag = "--" + key.replace("_", "-")
        for v in value if isinstance(value, list) else [value]:
            args += [flag, v]
    return [*args, "--as-of", AS_OF, "--json"]


@pytest.mark.parametrize("case", CASES, ids=[json.dumps(c) for c in CASES])
def test_form_api_and_cli_agree(client, store, case) -> None:
    api = client.get("/api/advise", params={**case, "as_of": AS_OF})
    assert api.status_code == 200, api.text
    d = api.json()
    cli = CliRunner().invoke(build_app(), cli_args(case),
                             env={"FWATLAS_DB": str(store), "COLUMNS": "200"})
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.stdout) == d
    page = client.get("/advisor", params=case)
    assert page.status_code == 200
    html = page.text
    assert f'id="advice-recommendation">{d["recommendation"]}<' in html
    for r in d["reasons"]:
        assert str(escape(r["text"])) in html, r["text"]
    for a in d["alternatives"]:
        assert str(escape(a["text"])) in html, a["text"]
    for c in d["changes_if"]:
        assert str(escape(c["text"])) in html
    if d["migration"]:
        for line in d["migration"]["touches"]:
            assert str(escape(line)) in html
    # every option is on the form, with the value the user chose selected
    for key, value in case.items():
        for v in value if isinstance(value, list) else [value]:
            assert (f'value="{v}" selected' in html or f'name="{key}" value="{v}"' in html), \
                (key, v)


def test_the_form_offers_every_option_and_value() -> None:
    from fastapi.testclient import TestClient

    from fwatlas.advisor.situation import OPTION_HELP
    from fwatlas.web.app import create_app

    with TestClient(create_app(None)) as c:
        html = c.get("/advisor").text
    for option, (values, _) in OPTION_HELP.items():
        name = option.removeprefix("--").replace("-", "_")
        assert f'name="{name}"' in html, option
        for v in values:
            assert f'<option value="{v}"' in html, (option, v)
    for name in ("python", "os", "arch"):
        assert f'name="{name}"' in html
