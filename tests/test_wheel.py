"""The wheel carries its reference and vocabulary: built, installed in a fresh venv, it answers.

The new venv gets fwatlas from the wheel only; its dependencies come from the test venv through
a .pth file (no network), and it runs from an empty folder, so nothing can be found through the
repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_installs_and_answers_from_package_data(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(dist), str(ROOT)],
                   check=True, timeout=300)
    (wheel,) = dist.glob("fwatlas-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], capture_output=True, text=True,
                               check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site), str(wheel)], check=True, timeout=300)
    # dependencies from the test venv, appended after the new site-packages
    (site / "zz_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FWATLAS_DB")}
    env["FWATLAS_DB"] = str(tmp_path / "atlas.duckdb")
    where = subprocess.run([str(py), "-c", "import fwatlas; print(fwatlas.__file__)"],
                           capture_output=True, text=True, check=True, cwd=work, env=env)
    assert Path(where.stdout.strip()).is_relative_to(site)
    run = subprocess.run([str(py), "-m", "fwatlas", "availability", "--json"],
                         capture_output=True, text=True, cwd=work, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert payload["snapshot_id"].startswith("ref:hub/models@")
    assert payload["available"]["pytorch"] > 0
