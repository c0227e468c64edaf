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
SHARED = ROOT.parent / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# No test reads or writes the user's own store (a `make demo` leaves one, perhaps of an older
# schema): the default store of this run lives in a fresh folder.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="fwatlas-test-data-")
os.environ.pop("FWATLAS_DB", None)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared data folder is not beside this checkout)")
    return path


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
