"""The user's situation: persona, targets, needs, focus, experience and platform, validated.

Every value outside its list is an :class:`InputError` (exit 2) naming the valid choices, and
``--focus`` is required exactly for the personas whose advice depends on it (professor,
hobbyist) and refused for the others. A left-out ``--target``/``--need`` is simply not asserted;
a left-out ``--experience`` is unknown (None), never "none".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from fwatlas.errors import InputError
from fwatlas.kb.schema import TARGET_GROUPS, TARGETS, expand_targets

PERSONAS: tuple[str, ...] = ("industry", "researcher", "professor", "career-changer",
                             "hobbyist", "beginner")
NEEDS: tuple[str, ...] = ("audio-video", "reinforcement-learning", "tpu", "pytorch-only-models",
                          "pythonic", "no-new-install", "end-to-end-platform")
FOCUS: dict[str, tuple[str, ...]] = {"professor": ("industry", "theory"),
                                     "hobbyist": ("project", "learning")}
EXPERIENCE: tuple[str, ...] = ("none", "keras", "pytorch", "tensorflow", "jax")

OSES: tuple[str, ...] = ("linux", "macos", "windows")
ARCHES: tuple[str, ...] = ("x86_64", "arm64")
ARCH_ALIASES: dict[str, str] = {"aarch64": "arm64", "amd64": "x86_64"}


def focus_values() -> tuple[str, ...]:
    """Every --focus value of any persona (for the CLI's help)."""
    return tuple(dict.fromkeys(f for fs in FOCUS.values() for f in fs))

TARGET_CHOICES: tuple[str, ...] = (*TARGET_GROUPS, *TARGETS)
FRAMEWORK_CHOICES: tuple[str, ...] = ("pytorch", "tensorflow", "jax", "keras")


def _check(value: str | None, valid: tuple[str, ...], option: str) -> None:
    if value is not None and value not in valid:
        raise InputError(f"{option} {value!r} is not one of: {', '.join(valid)}")


@dataclass(frozen=True)
class Situation:
    """What the user told us; ``targets`` is ``target_args`` with groups expanded."""

    persona: str
    target_args: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    focus: str | None = None
    experience: str | None = None
    python: str | None = None
    os: str | None = None
    arch: str | None = None
    targets: tuple[str, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {"persona": self.persona, "targets": list(self.target_args),
                "expanded_targets": list(self.targets), "needs": list(self.needs),
                "focus": self.focus, "experience": self.experience, "python": self.python,
                "os": self.os, "arch": self.arch}

    def with_changes(self, **changes: Any) -> Situation:
        """A copy with some options changed, re-validated (used by ``changes_if``)."""
        merged = {**self.as_dict(), **changes}
        return situation(merged["persona"], targets=merged["targets"], needs=merged["needs"],
                         focus=merged["focus"], experience=merged["experience"],
                         python=merged["python"], os=merged["os"], arch=merged["arch"])

    def replace(self, **changes: Any) -> Situation:
        return replace(self, **changes)


def situation(persona: str, *, targets: list[str] | tuple[str, ...] = (),
              needs: list[str] | tuple[str, ...] = (), focus: str | None = None,
              experience: str | None = None, python: str | None = None, os: str | None = None,
              arch: str | None = None) -> Situation:
    """Validate the options and build a :class:`Situation` (InputError on any bad value)."""
    _check(persona, PERSONAS, "--persona")
    for t in targets:
        _check(t, TARGET_CHOICES, "--target")
    for n in needs:
        _check(n, NEEDS, "--need")
    _check(experience, EXPERIENCE, "--experience")
    if persona in FOCUS:
        if focus is None:
            raise InputError(f"--focus is required for {persona}: one of "
                             f"{', '.join(FOCUS[persona])}")
        _check(focus, FOCUS[persona], "--focus")
    elif focus is not None:
        raise InputError(f"--focus applies only to {' and '.join(FOCUS)}, not to {persona}")
    _check(os, OSES, "--os")
    if arch is not None:
        arch = ARCH_ALIASES.get(arch, arch)
        _check(arch, ARCHES, "--arch")
    if python is not None and not re.fullmatch(r"3\.\d{1,2}", python):
        raise InputError(f"--python {python!r} is not a version like 3.12")
    dedup_targets = tuple(dict.fromkeys(targets))
    return Situation(persona=persona, target_args=dedup_targets,
                     needs=tuple(n for n in NEEDS if n in needs), focus=focus,
                     experience=experience, python=python, os=os, arch=arch,
                     targets=expand_targets(dedup_targets))
