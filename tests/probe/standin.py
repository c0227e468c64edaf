"""A stand-in probe environment: a tiny fake "framework" whose paths succeed, fail at each
stage, hang, crash and refuse by design – run by the real worker in a real subprocess."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from fwatlas.probe.spec import ProbeSpec, parse

FAKE_IMPL = textwrap.dedent('''
    """The stand-in framework: behaviour chosen by the path name."""
    import os
    import signal
    import time
    from dataclasses import dataclass
    from pathlib import Path
    from typing import Any

    import numpy as np


    class Source:
        def __init__(self, model, size, seed):
            self.model = model
            self.scale = np.float32(1.0 + seed)

        def __call__(self, x):
            return x * self.scale


    def build(model, size, seed):
        return Source(model, size, seed)


    @dataclass(frozen=True)
    class Impl:
        export: Any
        load: Any
        prepare: Any = None


    def _export(src, x, out):
        path = out / "model.fake"
        path.write_bytes(b"x" * 1000)
        (out / "model.fake.data").write_bytes(b"y" * 24)  # a sidecar counts in the size
        return path


    def _load(path, x):
        return lambda a: a * np.float32(1.0)


    def _raise(msg):
        def fail(*args):
            raise RuntimeError(msg)
        return fail


    def _hang(*args):
        time.sleep(600)


    def _crash(*args):
        os.kill(os.getpid(), signal.SIGSEGV)


    def _crash_on_block(src, x, out):
        if src.model == "block":
            os._exit(7)
        return _export(src, x, out)


    def _off_by_one(path, x):
        return lambda a: a + np.float32(1.0)


    def _refuse(*args):
        raise ValueError("fake export requires the other backend")


    PATHS = {
        "ok": Impl(_export, _load),
        "fail-export": Impl(_raise("export broke\\nsecond line"), _load),
        "fail-load": Impl(_export, _raise("cannot load: bad op Erfc")),
        "fail-run": Impl(_export, lambda p, x: _raise("run failed")),
        "fail-parity": Impl(_export, _off_by_one),
        "hang": Impl(_hang, _load),
        "crash": Impl(_export, _crash),
        "crash-block": Impl(_crash_on_block, _load),
        "unsupported": Impl(_refuse, _load),
    }
''')


def write_standin(root: Path, version: str = "1.0") -> tuple[Path, Path]:
    """(the fake framework's folder, a stand-in env folder whose bin/python runs it)."""
    lib = root / "fakelib"
    lib.mkdir(parents=True, exist_ok=True)
    (lib / "impl_fake.py").write_text(FAKE_IMPL, "utf-8")
    set_version(lib, version)
    env = root / "env"
    (env / "bin").mkdir(parents=True, exist_ok=True)
    python = env / "bin" / "python"
    # the stand-in "environment": this interpreter, with the fake framework on its path
    python.write_text(f'#!/bin/sh\nPYTHONPATH="${{PYTHONPATH:+$PYTHONPATH:}}{lib}" '
                      f'exec "{sys.executable}" "$@"\n', "utf-8")
    python.chmod(0o755)
    return lib, env


def set_version(lib: Path, version: str) -> None:
    """Install (as metadata) fakefw at ``version``: what the cache is keyed on."""
    for old in lib.glob("fakefw-*.dist-info"):
        for f in old.iterdir():
            f.unlink()
        old.rmdir()
    info = lib / f"fakefw-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: fakefw\nVersion: {version}\n",
                                   "utf-8")


BEHAVIOURS = ("ok", "fail-export", "fail-load", "fail-run", "fail-parity", "hang", "crash",
              "crash-block", "unsupported")


def standin_spec(timeout_s: float = 20.0, chains: dict[str, list[str]] | None = None,
                 ) -> ProbeSpec:
    chains = chains or {}
    return parse({
        "parity_tolerance": 1e-3, "runs": 5, "warmup": 1, "seed": 0, "timeout_s": timeout_s,
        "paths": [{
            "id": f"fake-{b}", "framework": "pytorch", "exporter": "fake export",
            "runtime": "fake runtime", "target": "server", "impl": f"impl_fake:{b}",
            "kb": ["pytorch"], "chain": chains.get(b), "packages": ["fakefw"],
            **({"unsupported_when": "requires the other backend"} if b == "unsupported" else {}),
        } for b in BEHAVIOURS],
    })
