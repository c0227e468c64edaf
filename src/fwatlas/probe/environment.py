"""The probe environment: a separate virtualenv holding the frameworks, built from a lock file.

fwatlas never depends on torch, TensorFlow or JAX; ``fwatlas probe setup`` installs them into
``~/.cache/fwatlas/probe-env`` (or ``--env``) from ``probe-lock.txt`` shipped in the package,
with uv when it is on PATH and pip otherwise. torch goes first and alone: its CPU build is not
on PyPI under that version (``+cpu``), so the installer's own configuration (a local wheel
directory) is tried, then PyTorch's CPU index. Everything else is installed ``--no-deps`` from
the complete lock, so nothing is resolved and no CUDA package can be pulled in.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from packaging.utils import canonicalize_name

from fwatlas import settings
from fwatlas.errors import InputError, SourceUnavailable, opt

#: What the lock installs, measured when it was made (said before setup starts).
INSTALLED_GIB = 4.1
DOWNLOAD_MIB = 876
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"

_VERSIONS_SCRIPT = (
    "import importlib.metadata as m, json, platform; "
    "print(json.dumps({'python': platform.python_version(), "
    "'packages': {d.metadata['Name']: d.version for d in m.distributions()}}))"
)


def default_env() -> Path:
    """``~/.cache/fwatlas/probe-env`` (under ``$FWATLAS_CACHE`` when set)."""
    return settings.cache_dir() / "probe-env"


def env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def lock_text() -> str:
    return resources.files("fwatlas.probe").joinpath("probe-lock.txt").read_text("utf-8")


def lock_pins() -> dict[str, str]:
    """Distribution -> pinned version, from the shipped lock."""
    pins = {}
    for line in lock_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[str(canonicalize_name(name))] = version.strip()
    return pins


@dataclass(frozen=True)
class SetupPlan:
    """What ``probe setup`` will do, said before it starts."""

    env: Path
    installer: str  # "uv" or "pip"
    packages: int
    installed_gib: float
    download_mib: int
    commands: tuple[tuple[str, ...], ...]

    def describe(self) -> str:
        return (f"creating the probe environment at {self.env} with {self.installer}: "
                f"{self.packages} pinned packages, about {self.download_mib} MiB to download "
                f"and {self.installed_gib} GiB installed")


def plan_setup(env: Path, installer: str | None = None) -> SetupPlan:
    """The commands that build ``env`` from the lock (uv when present unless told)."""
    uv = shutil.which("uv") if installer in (None, "uv") else None
    if installer == "uv" and uv is None:
        raise SourceUnavailable(f"{opt('installer')} uv: uv is not on PATH")
    pins = lock_pins()
    torch = pins.get("torch")
    rest = env / "probe-lock-rest.txt"
    py = str(env_python(env))
    if uv:
        commands: list[tuple[str, ...]] = [
            (uv, "venv", "--python", sys.executable, str(env)),
            (uv, "pip", "install", "--python", py, "--no-deps", f"torch=={torch}"),
            (uv, "pip", "install", "--python", py, "--no-deps", "-r", str(rest)),
        ]
    else:
        commands = [
            (sys.executable, "-m", "venv", str(env)),
            (py, "-m", "pip", "install", "--no-deps", f"torch=={torch}"),
            (py, "-m", "pip", "install", "--no-deps", "-r", str(rest)),
        ]
    return SetupPlan(env, "uv" if uv else "pip", len(pins), INSTALLED_GIB, DOWNLOAD_MIB,
                     tuple(commands))


def setup(env: Path, *, installer: str | None = None,
          say: Callable[[str], None] = print) -> SetupPlan:
    """Create the probe environment from the lock; says its size first. Idempotent: an
    environment already matching the lock is left as it is."""
    plan = plan_setup(env, installer)
    if env.exists() and env_python(env).exists():
        missing = lock_mismatches(installed(env))
        if not missing:
            say(f"the probe environment at {env} already matches the lock; nothing to do")
            return plan
    say(plan.describe())
    env.mkdir(parents=True, exist_ok=True)
    venv, torch_cmd, rest_cmd = plan.commands
    _run(venv)
    (env / "probe-lock-rest.txt").write_text(
        "\n".join(f"{n}=={v}" for n, v in lock_pins().items() if n != "torch") + "\n", "utf-8")
    try:
        _run(torch_cmd)
    except SourceUnavailable:  # not found where the installer looks: PyTorch's CPU index
        _run((*torch_cmd, "--index-url", TORCH_CPU_INDEX))
    _run(rest_cmd)
    left = lock_mismatches(installed(env))
    if left:
        raise SourceUnavailable(f"the probe environment does not match the lock: "
                                f"{', '.join(left[:5])}")
    return plan


def _run(cmd: tuple[str, ...]) -> None:
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, check=False)
    if done.returncode != 0:
        raise SourceUnavailable(f"{cmd[0]} {' '.join(cmd[1:3])} failed (exit "
                                f"{done.returncode}); see its output above")


def lock_mismatches(have: Installed) -> list[str]:
    """Lock pins the environment does not hold exactly."""
    out = []
    for name, version in lock_pins().items():
        got = have.packages.get(name)
        if got != version:
            out.append(f"{name} {got or 'missing'} (lock: {version})")
    return out


@dataclass(frozen=True)
class Installed:
    """The environment's Python version and its distributions (canonical names)."""

    python: str
    packages: dict[str, str]

    def versions_of(self, names: tuple[str, ...]) -> dict[str, str]:
        out = {"python": self.python}
        for n in names:
            c = str(canonicalize_name(n))
            if c in self.packages:
                out[c] = self.packages[c]
        return out


def installed(env: Path, python: Path | None = None,
              extra_pythonpath: tuple[Path, ...] = ()) -> Installed:
    """Ask the environment's Python what it has installed (one short subprocess, asked anew
    each run: the cache is keyed on the answer)."""
    exe = python or env_python(env)
    if not exe.exists():
        raise InputError(f"no probe environment at {env}",
                         hint="create it with `fwatlas probe setup` (about 4 GiB)")
    run_env = dict(os.environ)
    run_env.pop("PYTHONPATH", None)
    if extra_pythonpath:
        run_env["PYTHONPATH"] = os.pathsep.join(str(p) for p in extra_pythonpath)
    done = subprocess.run([str(exe), "-c", _VERSIONS_SCRIPT], capture_output=True, text=True,
                          timeout=120, check=False, env=run_env)
    if done.returncode != 0:
        raise InputError(f"the probe environment's Python does not run: "
                         f"{(done.stderr.strip().splitlines() or ['?'])[-1]}", path=str(exe))
    data = json.loads(done.stdout)
    return Installed(data["python"], {str(canonicalize_name(k)): v
                                      for k, v in data["packages"].items()})
