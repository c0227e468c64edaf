"""Shared fixtures: the shared data folder, a fresh store, and a CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the shared data folder beside the checkout; FWATLAS_TEST_SHARED names another one (a path
#: that does not exist runs the suite as a clone alone would: `make test-clone`)
SHARED = Path(os.environ.get("FWATLAS_TEST_SHARED") or ROOT.parent / "shared")
#: real samples copied into the checkout (each folder with its PROVENANCE.md): a file copied
#: unchanged keeps its path under data/, so shared_path finds it here when ../shared is absent
TEST_DATA = ROOT / "tests" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# No test reads or writes the user's own store (a `make demo` leaves one, perhaps of an older
# schema): the default store of this run lives in a fresh folder.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="fwatlas-test-data-")
os.environ.pop("FWATLAS_DB", None)


def shared_path(*parts: str, sample: str | None = None) -> Path:
    """A path under ../shared; when ../shared is absent, the file's unchanged copy under
    tests/data (same path below data/), else ``sample`` (a path under tests/data: a trimmed or
    partial stand-in, for tests whose expected values come from the file itself); else skip
    the test with the reason. A folder has no implicit stand-in: a test that can run on part of
    one names it as ``sample``."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    if parts[:1] == ("data",) and not SHARED.exists():
        copy = TEST_DATA.joinpath(*parts[1:])
        if len(parts) > 1 and copy.is_file():
            return copy
        if sample is not None and (TEST_DATA / sample).exists():
            return TEST_DATA / sample
    pytest.skip(f"{path} is absent (the shared data folder is not beside this checkout, and "
                "tests/data holds no stand-in for it)")


def _own_addresses() -> set[str]:
    """Loopback plus this machine's own addresses (a local Ray cluster listens on those)."""
    import socket

    own = {"127.0.0.1", "::1", "localhost"}
    try:
        own |= set(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return own


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse connections that leave this machine, except in tests marked ``live``."""
    if request.node.get_closest_marker("live"):
        return
    import ipaddress
    import socket

    own = _own_addresses()
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def allowed(address: object) -> bool:
        if not isinstance(address, tuple):  # AF_UNIX paths and the like
            return True
        host = str(address[0])
        try:
            return ipaddress.ip_address(host).is_loopback or host in own
        except ValueError:
            return host in own

    def connect(self: socket.socket, address: object) -> None:
        if not allowed(address):
            raise OSError(f"tests may not leave this machine (connect to {address!r})")
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if not allowed(address):
            raise OSError(f"tests may not leave this machine (connect to {address!r})")
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@pytest.fixture
def shared_data() -> Path:
    return shared_path("data")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store path that does not exist yet."""
    return tmp_path / "atlas.duckdb"


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            subprocess_: bool = False) -> Run:
    """Run ``fwatlas ARGS`` and return its exit code, stdout and stderr.

    In-process by default (the same ``main`` the console script calls, with the environment
    patched for the call) because a Python start per call would dominate the suite's time;
    ``subprocess_=True`` – or an environment naming HF_* settings, which huggingface_hub reads
    at import – runs ``python -m fwatlas`` in a real subprocess.
    """
    extra = {"COLUMNS": "200", **(env or {})}
    if subprocess_ or cwd is not None or any(k.startswith("HF_") for k in extra):
        proc = subprocess.run([sys.executable, "-m", "fwatlas", *args], capture_output=True,
                              text=True, env={**os.environ, **extra}, cwd=cwd, timeout=300)
        return Run(proc.returncode, proc.stdout, proc.stderr)
    import contextlib
    import io

    from fwatlas.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.update(extra)
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


def _skip_share(session: pytest.Session) -> tuple[int, int] | None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return None
    skipped = len([r for r in reporter.stats.get("skipped", []) if r.when != "teardown"])
    ran = sum(len(reporter.stats.get(k, [])) for k in ("passed", "failed", "xfailed",
                                                        "xpassed"))
    errors = len([r for r in reporter.stats.get("error", []) if r.when == "setup"])
    return skipped, skipped + ran + errors


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """FWATLAS_MAX_SKIPPED_PERCENT=5: the run fails when more of its tests skipped (issue 15:
    a clone alone – `make test-clone` – skips at most 5 %)."""
    limit = os.environ.get("FWATLAS_MAX_SKIPPED_PERCENT")
    if not limit or hasattr(session.config, "workerinput"):  # xdist: the controller counts
        return
    share = _skip_share(session)
    if share is None or not share[1]:
        return
    skipped, total = share
    percent = 100 * skipped / total
    over = percent > float(limit)
    session.config.stash[_SKIP_LINE] = (
        f"skipped {skipped} of {total} tests ({percent:.1f} %; at most {limit} % allowed"
        f"{' – too many' if over else ''})")
    if over and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_SKIP_LINE = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    line = terminalreporter.config.stash.get(_SKIP_LINE, None)
    if line:
        terminalreporter.write_line(line)
