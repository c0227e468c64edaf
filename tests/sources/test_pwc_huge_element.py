"""One huge element of a Papers with Code dump is refused, not parsed (issue 15).

The streaming reader once parsed one large element super-linearly (32 MiB took 22.5 s,
64 MiB 191 s). It now bounds an element that spans its 1 MiB reads at ``MAX_ELEMENT_CHARS``
(8 MiB). The test lowers that bound to 10,000 characters so that a 3 MiB file exercises it:
one 3 MiB element is a one-line reject (exit 2) that leaves the store as it was, while a
larger file made of many ordinary elements is read whole.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.research.conftest import store_state

BOUND = 10_000
HUGE = 3 << 20  # past the reader's 1 MiB read, so the element spans reads


def _link(i: int, title: str) -> dict[str, object]:
    return {"paper_url": f"https://paperswithcode.com/paper/p{i}", "paper_title": title,
            "paper_arxiv_id": f"1901.{i:05d}", "repo_url": f"https://github.com/a/r{i}",
            "is_official": True, "mentioned_in_paper": True, "mentioned_in_github": False,
            "framework": "pytorch"}


@pytest.fixture
def small_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fwatlas.sources.pwc.MAX_ELEMENT_CHARS", BOUND)


def test_one_element_over_the_bound_is_a_one_line_reject(small_bound: None, tmp_path: Path,
                                                         db: Path) -> None:
    good = tmp_path / "good" / "links-between-papers-and-code.json"
    good.parent.mkdir()
    good.write_text(json.dumps([_link(i, f"T{i}") for i in range(3)]))
    assert run_cli("ingest", "pwc", str(good), "--db", str(db)).code == 0
    before = store_state(db)

    huge = tmp_path / "links-between-papers-and-code.json"
    huge.write_text(json.dumps([_link(0, "T0"), _link(1, "x" * HUGE), _link(2, "T2")]))
    run = run_cli("ingest", "pwc", str(huge), "--db", str(db))
    assert run.code == 2
    message = run.err.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"one element is longer than {BOUND:,} characters" in message
    assert store_state(db) == before


def test_many_ordinary_elements_of_the_same_total_size_are_read(small_bound: None,
                                                                tmp_path: Path,
                                                                db: Path) -> None:
    f = tmp_path / "links-between-papers-and-code.json"
    links = [_link(i, f"Title {i} " + "y" * 300) for i in range(12_000)]
    f.write_text(json.dumps(links))
    assert f.stat().st_size > HUGE
    run = run_cli("ingest", "pwc", str(f), "--db", str(db), "--json")
    assert run.code == 0, run.err
    assert sum(c["rows"] for c in run.json()["created"]) == 12_000
