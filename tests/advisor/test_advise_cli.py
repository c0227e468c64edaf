"""fwatlas advise through the real CLI: JSON shape, exit codes, the terminal view."""

from __future__ import annotations

import pytest

KEYS = {"sources", "ruleset", "persona", "situation", "recommendation", "deploy_via",
        "alternatives", "reasons", "changes_if", "stale", "options", "platform", "migration"}


def test_json_is_exactly_the_specified_object(cli) -> None:
    r = cli("advise", "--persona", "industry", "--target", "mobile", "--json",
            "--ruleset", "article-2022", "--as-of", "2026-11-26")
    assert r.code == 0
    d = r.json()
    assert set(d) == KEYS
    assert d["recommendation"] == "pytorch" and d["ruleset"] == "article-2022"
    assert d["persona"] == "industry" and d["situation"]["targets"] == ["mobile"]
    for reason in d["reasons"]:
        assert set(reason) == {"rule", "text", "evidence"}
        for e in reason["evidence"]:
            assert set(e) == {"kind", "name", "status", "data_date", "source"}
    assert "adding --need audio-video gives tensorflow" in [c["text"] for c in d["changes_if"]]
    assert d["sources"][0]["snapshot_id"].startswith("kb:tools.yaml@")
    assert d["stale"] == []


def test_current_is_default_and_evidence_is_dated(cli) -> None:
    d = cli("advise", "--persona", "industry", "--target", "android", "--json",
            "--as-of", "2026-11-26").json()
    assert d["ruleset"] == "current"
    ev = {e["name"]: e for e in d["reasons"][0]["evidence"]}
    assert ev["executorch"]["status"] == "active" and ev["executorch"]["data_date"]
    assert ev["torchserve"]["status"] == "archived"
    assert d["deploy_via"][0]["display"] == "PyTorch → torch.export → ExecuTorch"


@pytest.mark.parametrize("args", [
    ("--persona", "astronaut"),
    ("--persona", "industry", "--need", "speed"),
    ("--persona", "industry", "--target", "toaster"),
    ("--persona", "industry", "--experience", "cobol"),
    ("--persona", "industry", "--ruleset", "article-2023"),
    ("--persona", "industry", "--os", "beos"),
    ("--persona", "industry", "--arch", "sparc"),
    ("--persona", "industry", "--python", "three"),
    ("--persona", "industry", "--focus", "theory"),      # refused for industry
    ("--persona", "beginner", "--focus", "learning"),    # refused for beginner
    ("--persona", "professor"),                          # required for professor
    ("--persona", "hobbyist", "--focus", "theory"),      # hobbyist: project or learning
    ("--persona", "industry", "--as-of", "yesterday"),
])
def test_bad_values_exit_2_with_choices(cli, args) -> None:
    r = cli("advise", *args)
    assert r.code == 2, r.err
    assert r.err.strip() and r.out == ""


def test_valid_choices_are_named(cli) -> None:
    r = cli("advise", "--persona", "industry", "--need", "speed")
    assert "audio-video" in r.err and "end-to-end-platform" in r.err
    r = cli("advise", "--persona", "professor")
    assert "industry" in r.err and "theory" in r.err


def test_terminal_view_shows_trace_and_article_answer(cli) -> None:
    r = cli("advise", "--persona", "industry", "--target", "mobile", "--need", "audio-video",
            "--arch", "aarch64", "--os", "linux", "--python", "3.12", "--as-of", "2026-11-26")
    assert r.code == 0
    assert "Recommendation (current): pytorch" in r.out
    assert "rule industry-pytorch" in r.out
    assert "The article (2022) said: tensorflow" in r.out
    assert "given but not used: --need" in r.out
    assert "2025-08-07" in r.out  # TorchServe's archive date among the evidence


def test_kb_overlay_reaches_advise(tmp_path, cli) -> None:
    kb = tmp_path / "x.yaml"
    kb.write_text("entries:\n  - name: executorch\n    status: archived\n"
                  "    status_date: 2027-01-01\n"
                  "    sources: [{url: 'https://example.org/x'}]\n", encoding="utf-8")
    base = cli("advise", "--persona", "industry", "--target", "microcontroller", "--json")
    flipped = cli("advise", "--persona", "industry", "--target", "microcontroller", "--json",
                  "--kb", str(kb))
    assert base.json()["recommendation"] == "pytorch"
    assert flipped.json()["recommendation"] == "tensorflow"
