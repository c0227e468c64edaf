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


#: run ``fwatlas ARGS`` holding the reader after its first batch (DuckDB is pulling batches, the
#: ingest's transaction open) until the Ctrl-C: a fixed sleep raced the ingest, which on a quiet
#: machine stored 200,000 links before it (the hook is outside fwatlas, which has no test hook)
_MID_READ = """
import pathlib, signal, sys, time
# a terminal's Ctrl-C: pytest-xdist workers ignore SIGINT, and a child inherits the ignoring
signal.signal(signal.SIGINT, signal.default_int_handler)
from fwatlas import streams
marker = pathlib.Path(sys.argv[1])
def hold(_path, _rows):
    if not marker.exists():
        marker.touch()
        time.sleep(60)
streams._PROGRESS.append(hold)
from fwatlas.cli import main
main(sys.argv[2:])
"""


def test_ctrl_c_during_an_ingest_is_one_line_exit_130(tmp_path: Path, db: Path) -> None:
    assert run_cli("ingest", "pwc", str(_links(tmp_path / "small.json", 3)), "--db", str(db),
                   "--data-date", "2024-01-01").code == 0
    before = store_state(db)
    big = _links(tmp_path / "big.json", 200_000)
    reading = tmp_path / "reading"
    proc = subprocess.Popen(
        [sys.executable, "-c", _MID_READ, str(reading), "ingest", "pwc", str(big), "--db",
         str(db), "--data-date", "2024-02-01"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "COLUMNS": "200"})
    deadline = time.monotonic() + 120
    while not reading.exists():  # the reader has yielded its first batch to DuckDB
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        assert time.monotonic() < deadline, "the ingest never started reading"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, (proc.returncode, err[-3000:])
    assert err.strip() == "fwatlas: interrupted; the store is unchanged", err
    assert store_state(db) == before
    again = run_cli("ingest", "pwc", str(big), "--db", str(db), "--data-date", "2024-02-01")
    assert again.code == 0, again.err
