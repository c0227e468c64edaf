"""Ctrl-C anywhere: one line, exit 130, the store unchanged (issue 15).

Before, a Ctrl-C while DuckDB pulled the reader's batches came back as a DuckDB error whose
text holds a Python traceback, reported as bad input (exit 2).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import run_cli
from tests.research.conftest import store_state


def _links(path: Path, n: int) -> Path:
    with path.open("w") as f:
        f.write("[")
        for i in range(n):
            f.write(("," if i else "") + json.dumps({
                "paper_url": f"https://paperswithcode.com/paper/p{i}", "paper_title": f"T{i}",
                "paper_arxiv_id": "1901.00001", "repo_url": f"https://github.com/a/r{i}",
                "is_official": True, "mentioned_in_paper": True, "mentioned_in_github": False,
                "framework": "pytorch"}))
        f.write("]")
    return path


def test_ctrl_c_during_an_ingest_is_one_line_exit_130(tmp_path: Path, db: Path) -> None:
    assert run_cli("ingest", "pwc", str(_links(tmp_path / "small.json", 3)), "--db", str(db),
                   "--data-date", "2024-01-01").code == 0
    before = store_state(db)
    big = _links(tmp_path / "big.json", 200_000)
    proc = subprocess.Popen(
        [sys.executable, "-m", "fwatlas", "ingest", "pwc", str(big), "--db", str(db),
         "--data-date", "2024-02-01"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "COLUMNS": "200"})
    time.sleep(3.0)  # past the interpreter's start, well before 200,000 links are read
    assert proc.poll() is None, "the ingest finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, err[-3000:])
    assert err.strip() == "fwatlas: interrupted; the store is unchanged", err
    assert store_state(db) == before
    again = run_cli("ingest", "pwc", str(big), "--db", str(db), "--data-date", "2024-02-01")
    assert again.code == 0, again.err
