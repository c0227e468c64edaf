"""fwatlas verdict: leaders on stores built here, ties, thin evidence, flips, 2022 verdicts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli
from tests.verdict.conftest import write_method

AS_OF = "2026-12-01"
ROW_KEYS = {"round", "leader", "runner_up", "margin", "confidence", "article_2022", "facts",
            "flips_if"}


def _verdict(db: Path, method: Path | None = None, *extra: str) -> dict:
    args = ["verdict", "--db", str(db), "--as-of", AS_OF, "--json", *extra]
    if method is not None:
        args += ["--method", str(method)]
    run = run_cli(*args)
    assert run.code == 0, run.err
    return run.json()


def _mean_relative(*criteria: dict[str, float]) -> dict[str, float]:
    """The documented rule, written independently: value / best per criterion, then the mean."""
    out: dict[str, float] = {}
    for c in criteria:
        best = max(c.values())
        for fw, v in c.items():
            out[fw] = out.get(fw, 0.0) + v / best / len(criteria)
    return out


def test_an_obvious_leader_is_named_with_margin_facts_and_the_2022_verdict(adoption_store):
    db, method = adoption_store({"pytorch": 90, "tensorflow": 10},
                                {"pytorch": 80, "tensorflow": 20})
    payload = _verdict(db, method)
    (row,) = payload["rows"]
    assert ROW_KEYS <= set(row)
    expected = _mean_relative({"pytorch": 0.9, "tensorflow": 0.1},
                              {"pytorch": 0.8, "tensorflow": 0.2})
    assert row["leader"] == "pytorch" and row["runner_up"] == "tensorflow"
    assert row["confidence"] == "clear"
    assert row["margin"] == pytest.approx(expected["pytorch"] - expected["tensorflow"], abs=1e-4)
    assert row["article_2022"] == "tensorflow"  # the article: job posts favour TensorFlow
    used = [f for f in row["facts"] if f["value"] is not None]
    assert {f["fact"] for f in used} == {"signals.jobs.share.pytorch",
                                         "signals.jobs.share.tensorflow",
                                         "signals.questions.share.pytorch",
                                         "signals.questions.share.tensorflow"}
    ids = {s["snapshot_id"] for s in payload["sources"]}
    for f in used:
        assert f["sources"] and set(f["sources"]) <= ids and f["data_date"]
    jobs = next(f for f in used if f["fact"] == "signals.jobs.share.pytorch")
    assert jobs["value"] == pytest.approx(0.9) and jobs["data_date"] == "2026-10-01"
    assert jobs["age_days"] == 61  # 2026-10-01 to --as-of 2026-12-01
    # JAX and Keras: no rows in either source -> null, not ranked, not 0
    assert set(row["scores"]) == {"pytorch", "tensorflow"}


def test_equal_evidence_is_a_tie_without_a_leader(adoption_store):
    db, method = adoption_store({"pytorch": 60, "tensorflow": 40},
                                {"pytorch": 40, "tensorflow": 60})
    (row,) = _verdict(db, method)["rows"]
    assert row["confidence"] == "tie" and row["leader"] is None and row["runner_up"] is None
    assert row["tied"] == ["pytorch", "tensorflow"] and row["margin"] == pytest.approx(0)


def test_too_little_evidence_says_so_and_names_what_to_ingest(adoption_store, tmp_path):
    db, method = adoption_store({}, {"pytorch": 5, "tensorflow": 5}, jobs_weight=3)
    (row,) = _verdict(db, method)["rows"]
    assert row["confidence"] == "not enough evidence" and row["leader"] is None
    assert [m["ingest"] for m in row["missing"]] == ["fwatlas ingest jobs <sites.csv>"]
    assert row["flips_if"] is None
    table = run_cli("verdict", "--db", str(db), "--method", str(method), "--as-of", AS_OF)
    assert table.code == 0
    assert "not enough evidence" in table.out and "fwatlas ingest jobs <sites.csv>" in table.out


def test_an_empty_store_has_not_enough_adoption_evidence_with_the_bundled_method(db):
    (row,) = _verdict(db, None, "--round", "adoption")["rows"]
    assert row["confidence"] == "not enough evidence"
    assert {m["criterion"] for m in row["missing"]} == {"downloads", "job_posts", "questions",
                                                         "stars"}
    assert all(m["ingest"].startswith("fwatlas ") for m in row["missing"])


def test_flips_if_is_the_smallest_weight_change_that_flips_and_it_really_does(adoption_store,
                                                                              tmp_path):
    jobs, questions = {"pytorch": 75, "tensorflow": 25}, {"pytorch": 10, "tensorflow": 90}
    db, method = adoption_store(jobs, questions)
    (row,) = _verdict(db, method)["rows"]
    assert row["leader"] == "tensorflow" and row["confidence"] == "narrow"
    # independent oracle: with job weight w, tf - pt = (8/9 - 2/3 w) / (w + 1); the lead becomes
    # a tie (margin < 0.05) from w* = (8/9 - 0.05) / (2/3 + 0.05) – or, the same size of change,
    # with the question weight at 1/w*.
    w_star = (8 / 9 - 0.05) / (2 / 3 + 0.05)
    flip = row["flips_if"]
    assert flip["outcome"] == "tie" and "makes adoption a tie" in flip["text"]
    expected = w_star if flip["criterion"] == "job_posts" else 1 / w_star
    assert flip["factor"] == pytest.approx(expected, abs=2e-4)
    assert {f["criterion"] for f in [flip, *row["other_flips"]]} == {"job_posts", "questions"}
    # doubling the weight of job posts: now PyTorch leads (re-run with that weight)
    doubled = write_method(tmp_path / "doubled.yaml", jobs_weight=2)
    (after,) = _verdict(db, doubled)["rows"]
    assert after["leader"] == "pytorch"
    # and just short of the threshold it does not flip
    below = write_method(tmp_path / "below.yaml", jobs_weight=w_star * 0.99)
    (same,) = _verdict(db, below)["rows"]
    assert same["leader"] == "tensorflow"


def _article_verdicts_from_the_csv() -> dict[str, str]:
    path = ROOT / "src/fwatlas/data/reference/article_figures.csv"
    with path.open(encoding="utf-8") as f:
        return {r["key"].split(".")[1]: r["key"].split(".")[2] for r in csv.DictReader(f)
                if r["figure"] == "verdict"}


def test_bundled_method_on_the_reference_puts_the_2022_verdicts_beside_today(db):
    payload = _verdict(db)
    rows = {r["round"]: r for r in payload["rows"]}
    assert list(rows) == ["availability", "research", "deployment", "ecosystem", "adoption"]
    article = _article_verdicts_from_the_csv()
    assert article == {"availability": "pytorch", "research": "pytorch",
                       "deployment": "tensorflow", "ecosystem": "tensorflow",
                       "adoption": "tensorflow"}
    assert {k: r["article_2022"] for k, r in rows.items()} == article
    # the bundled reference (2022 Hub sample, 2025 filter counts) still gives PyTorch round 1
    assert rows["availability"]["leader"] == "pytorch"
    assert rows["availability"]["evidence_from"] == "2022-02-21"
    for r in rows.values():
        assert ROW_KEYS <= set(r)
    assert any(s["snapshot_id"].startswith("ref:article@") for s in payload["sources"])


def test_every_fact_the_bundled_method_names_from_bundled_evidence_exists(db):
    """A typo in the method's long knowledge-base lists would silently be 'missing'."""
    import yaml

    method = yaml.safe_load((ROOT / "src/fwatlas/data/verdict_method.yaml").read_text())
    named: set[str] = set()
    for rnd in method["rounds"]:
        for c in rnd["criteria"]:
            if "fact" in c:
                named |= {c["fact"].replace("{framework}", fw)
                          for fw in c.get("frameworks", method["frameworks"])}
            else:
                for spec in c["facts"].values():
                    for s in spec if isinstance(spec, list) else [spec]:
                        named.add(s["complement"] if isinstance(s, dict) else s)
    listed = {f["name"] for f in run_cli("facts", "--db", str(db), "--json").json()["rows"]}
    bundled = {n for n in named if n.startswith(("kb.", "hub.", "research.published"))}
    assert len(bundled) > 50
    assert sorted(bundled - listed) == []


def test_unknown_round_and_bad_as_of_exit_2(db):
    run = run_cli("verdict", "--db", str(db), "--round", "vibes")
    assert run.code == 2 and "valid: availability, research" in run.err
    run = run_cli("verdict", "--db", str(db), "--as-of", "tomorrow")
    assert run.code == 2 and "YYYY-MM-DD" in run.err


@pytest.mark.parametrize("text, needle", [
    ("rounds: [unclosed", "not a YAML file"),
    ("frameworks: [pytorch, tensorflow]\nrounds: []\n", "needs a list of rounds"),
    ("frameworks: [pytorch, tensorflow]\nrounds:\n  - name: r\n    criteria:\n"
     "      - {name: c, read: vibes, fact: 'x.{framework}'}\n", "read must be one of"),
    ("frameworks: [pytorch, tensorflow]\nrounds:\n  - name: r\n    criteria:\n"
     "      - {name: c, weight: -1, fact: 'x.{framework}'}\n", "must be a number"),
    ("frameworks: [pytorch, tensorflow]\nrounds:\n  - name: r\n    criteria:\n"
     "      - {name: c, facts: {mxnet: x}}\n", "unknown framework 'mxnet'"),
])
def test_a_broken_method_file_exits_2_naming_the_file(db, tmp_path, text, needle):
    bad = tmp_path / "bad-method.yaml"
    bad.write_text(text, encoding="utf-8")
    run = run_cli("verdict", "--db", str(db), "--method", str(bad))
    assert run.code == 2, run.out
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and needle in lines[0]


def test_kb_file_statuses_reach_the_verdict_and_status_lists_the_file(db, tmp_path):
    import yaml

    overlay = tmp_path / "mine.yaml"
    overlay.write_text(yaml.safe_dump({"entries": [{
        "name": "executorch", "status": "archived", "status_date": "2026-11-15",
        "sources": [{"url": "https://example.org/executorch-archived", "date": "2026-11-15"}],
        "checked_on": "2026-11", "checked_via": "secondary"}]}), encoding="utf-8")

    def micro(*extra: str) -> dict:
        (row,) = _verdict(db, None, "--round", "deployment", *extra)["rows"]
        return next(c for c in row["criteria"] if c["criterion"] == "microcontroller")

    assert micro()["values"]["pytorch"] == 1.0  # ExecuTorch is PyTorch's only MCU runtime
    assert micro("--kb", str(overlay))["values"]["pytorch"] == 0.0
    rows = run_cli("status", "--db", str(db), "--kb", str(overlay), "--json").json()["rows"]
    kb_rows = [r for r in rows if r["kind"] == "kb"]
    assert len(kb_rows) == 2 and kb_rows[1]["snapshot_id"].startswith("kb:mine.yaml@")
    assert kb_rows[1]["rows"] == 1 and kb_rows[1]["reference"] is False


def test_a_complement_fact_shows_the_complement_in_json_and_csv(db, tmp_path):
    """TensorFlow's row `1 - research.published_pytorch_share…` is 1 - PyTorch's share, as the
    criteria block says – not PyTorch's own share under TensorFlow's name."""
    (row,) = _verdict(db, None, "--round", "research")["rows"]
    facts = {(f["criterion"], f["framework"]): f for f in row["facts"]}
    pt = facts[("papers_published", "pytorch")]
    tf = facts[("papers_published", "tensorflow")]
    assert tf["fact"] == "1 - research.published_pytorch_share.all.latest"
    assert 0.5 < pt["value"] < 1
    assert tf["value"] == pytest.approx(1 - pt["value"])
    crit = next(c for c in row["criteria"] if c["criterion"] == "papers_published")
    assert tf["value"] == pytest.approx(crit["values"]["tensorflow"])
    out = tmp_path / "research.csv"
    run = run_cli("verdict", "--db", str(db), "--as-of", AS_OF, "--round", "research",
                  "--format", "csv", "-o", str(out))
    assert run.code == 0, run.err
    import json

    with out.open(encoding="utf-8") as f:
        (cell,) = [json.loads(r["facts"]) for r in csv.DictReader(f)]
    shown = {(x["criterion"], x["framework"]): x["value"] for x in cell}
    assert shown[("papers_published", "tensorflow")] == pytest.approx(1 - pt["value"])


def test_tie_and_clear_verdicts_show_the_method_thresholds_in_json_and_table(db, tmp_path):
    """'tie: pytorch, tensorflow' at margin 0.0476 needs the tie margin beside it.

    The tie is the deployment round on the knowledge base alone, so the method here drops the
    measured (probe) criteria, which the bundled probe run would otherwise fill in."""
    import yaml

    spec = yaml.safe_load((ROOT / "src/fwatlas/data/verdict_method.yaml").read_text(
        encoding="utf-8"))
    margins = spec["margins"]
    for rnd in spec["rounds"]:
        rnd["criteria"] = [c for c in rnd["criteria"]
                           if not str(c.get("fact", "")).startswith("probe.")]
    method = tmp_path / "kb-only.yaml"
    method.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    payload = _verdict(db, method)
    rows = {r["round"]: r for r in payload["rows"]}
    for r in rows.values():
        assert r["margins"] == margins
    dep = rows["deployment"]
    assert dep["confidence"] == "tie" and dep["margin"] < margins["tie"]
    assert dep["confidence_rule"].startswith(
        f"tie: margin {dep['margin']:.3g} (pytorch 1.000 - tensorflow ")
    assert f"below the tie margin {margins['tie']:g}" in dep["confidence_rule"]
    assert f"clear from {margins['clear']:g}" in dep["confidence_rule"]
    flip = dep["flips_if"]
    assert flip["outcome"] == "pytorch" and flip["confidence"] == "narrow"
    assert flip["margin"] == pytest.approx(margins["tie"], abs=1e-3)
    assert flip["text"].endswith(f"makes pytorch lead deployment (narrow, margin "
                                 f"{flip['margin']:.3g})")
    clear = rows["availability"]
    assert clear["confidence"] == "clear"
    assert f"at or above the clear margin {margins['clear']:g}" in clear["confidence_rule"]
    table = run_cli("verdict", "--db", str(db), "--as-of", AS_OF, "--method", str(method)).out
    assert f"{dep['margin']:.3g} (< tie {margins['tie']:g})" in table
    assert f"(≥ clear {margins['clear']:g})" in table
    assert "why " + dep["confidence_rule"] in table
    assert f"margin below {margins['tie']:g}: tie, from {margins['clear']:g}: clear" in \
        " ".join(table.split())  # the method's path in the caption may wrap the line
    # and in the report's scorecard rows
    import datetime as dt

    from fwatlas.store.atlas import open_atlas
    from fwatlas.verdict.scorecard import scorecard

    card = scorecard(open_atlas(db), as_of=dt.date.fromisoformat(AS_OF), method_path=method)
    assert next(r for r in card.rows if r.round == "deployment").confidence_rule == \
        dep["confidence_rule"]


def test_the_thresholds_shown_are_the_method_files(adoption_store, tmp_path):
    db, method = adoption_store({"pytorch": 75, "tensorflow": 25},
                                {"pytorch": 10, "tensorflow": 90})
    text = method.read_text(encoding="utf-8").replace("{tie: 0.05, clear: 0.15}",
                                                      "{tie: 0.02, clear: 0.4}")
    mine = tmp_path / "margins.yaml"
    mine.write_text(text, encoding="utf-8")
    (row,) = _verdict(db, mine)["rows"]
    assert row["margins"] == {"tie": 0.02, "clear": 0.4}
    assert row["confidence"] == "narrow"
    assert row["confidence_rule"].endswith(
        "is at or above the tie margin 0.02 and below the clear margin 0.4")
    table = run_cli("verdict", "--db", str(db), "--method", str(mine), "--as-of", AS_OF).out
    assert "(0.02–0.4: narrow)" in table
