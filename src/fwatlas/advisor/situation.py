"""The user's situation: persona, targets, needs, focus, experience, platform, hardware,
workloads, the stack already in production and the cloud – validated.

Every option's values are declared once here (Literals), and the CLI, the web form and
``/api/advise`` all read them from here, so the three cannot offer different choices.

Every value outside its list is an :class:`InputError` (exit 2) naming the valid choices, and
``--focus`` is required exactly for the personas whose advice depends on it (professor,
hobbyist) and refused for the others. A left-out ``--target``/``--need`` is simply not asserted;
a left-out ``--experience`` is unknown (None), never "none".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal, get_args

from fwatlas.errors import InputError, opt
from fwatlas.platforms import ARCH_ALIASES, ARCHES, OSES

PERSONAS: tuple[str, ...] = ("industry", "researcher", "professor", "career-changer",
                             "hobbyist", "beginner")
NEEDS: tuple[str, ...] = ("audio-video", "reinforcement-learning", "tpu", "pytorch-only-models",
                          "pythonic", "no-new-install", "end-to-end-platform")
FOCUS: dict[str, tuple[str, ...]] = {"professor": ("industry", "theory"),
                                     "hobbyist": ("project", "learning")}
EXPERIENCE: tuple[str, ...] = ("none", "keras", "pytorch", "tensorflow", "jax")

def focus_values() -> tuple[str, ...]:
    """Every --focus value of any persona (for the CLI's help)."""
    return tuple(dict.fromkeys(f for fs in FOCUS.values() for f in fs))



@cache
def target_choices() -> tuple[str, ...]:
    """Every --target value: the knowledge base's groups and targets. Read on first use (as
    ``TARGET_CHOICES``), so that the CLI's start, which reads this module's option values for
    its help, does not load the knowledge base's models."""
    from fwatlas.kb.schema import TARGET_GROUPS, TARGETS

    return (*TARGET_GROUPS, *TARGETS)


def __getattr__(name: str) -> tuple[str, ...]:
    if name == "TARGET_CHOICES":
        return target_choices()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

FRAMEWORK_CHOICES: tuple[str, ...] = ("pytorch", "tensorflow", "jax", "keras")

Accelerator = Literal["nvidia", "amd", "apple", "intel", "tpu", "npu", "cpu"]
Workload = Literal["vision", "nlp", "speech", "tabular", "rl", "scientific", "llm-serving",
                   "llm-finetuning", "generative"]
Existing = Literal["pytorch", "tensorflow", "jax", "keras"]
Cloud = Literal["aws", "gcp", "azure", "none"]
KerasBackend = Literal["jax", "tensorflow", "torch"]
ACCELERATORS: tuple[str, ...] = get_args(Accelerator)
WORKLOADS: tuple[str, ...] = get_args(Workload)
EXISTING: tuple[str, ...] = get_args(Existing)
CLOUDS: tuple[str, ...] = get_args(Cloud)
KERAS_BACKENDS: tuple[str, ...] = get_args(KerasBackend)
#: The framework a Keras backend name means.
BACKEND_FRAMEWORK: dict[str, str] = {"jax": "jax", "tensorflow": "tensorflow", "torch": "pytorch"}

#: Every option, its values and one line of help: the CLI, the web form and the docs read this.
OPTION_HELP: dict[str, tuple[tuple[str, ...], str]] = {
    "--accelerator": (ACCELERATORS, "the hardware you train or serve on"),
    "--workload": (WORKLOADS, "what the models do (repeatable)"),
    "--existing": (EXISTING, "the framework already in production"),
    "--cloud": (CLOUDS, "the cloud you deploy to (none: your own machines)"),
    "--keras-backend": (KERAS_BACKENDS, "the backend Keras 3 runs on, where Keras is in play"),
}


def _check(value: str | None, valid: tuple[str, ...], option: str) -> None:
    """``option``: the parameter's public name (``keras_backend``), as errors carry it."""
    if value is not None and value not in valid:
        raise InputError(f"{opt(option)} {value!r} is not one of: {', '.join(valid)}")


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
    accelerator: str | None = None
    workloads: tuple[str, ...] = ()
    existing: str | None = None
    cloud: str | None = None
    keras_backend: str | None = None
    targets: tuple[str, ...] = field(default=(), compare=False)

    @property
    def wants_tpu(self) -> bool:
        """``--need tpu`` and ``--accelerator tpu`` say the same thing."""
        return "tpu" in self.needs or self.accelerator == "tpu"

    def as_dict(self) -> dict[str, Any]:
        return {"persona": self.persona, "targets": list(self.target_args),
                "expanded_targets": list(self.targets), "needs": list(self.needs),
                "focus": self.focus, "experience": self.experience, "python": self.python,
                "os": self.os, "arch": self.arch, "accelerator": self.accelerator,
                "workloads": list(self.workloads), "existing": self.existing,
                "cloud": self.cloud, "keras_backend": self.keras_backend}

    def with_changes(self, **changes: Any) -> Situation:
        """A copy with some options changed, re-validated (used by ``changes_if``)."""
        merged = {**self.as_dict(), **changes}
        merged.pop("expanded_targets")
        return situation(**merged)

    def replace(self, **changes: Any) -> Situation:
        return replace(self, **changes)


def situation(persona: str, *, targets: list[str] | tuple[str, ...] = (),
              needs: list[str] | tuple[str, ...] = (), focus: str | None = None,
              experience: str | None = None, python: str | None = None, os: str | None = None,
              arch: str | None = None, accelerator: str | None = None,
              workloads: list[str] | tuple[str, ...] = (), existing: str | None = None,
              cloud: str | None = None, keras_backend: str | None = None) -> Situation:
    """Validate the options and build a :class:`Situation` (InputError on any bad value)."""
    _check(persona, PERSONAS, "persona")
    for t in targets:
        _check(t, target_choices(), "target")
    for n in needs:
        _check(n, NEEDS, "need")
    _check(experience, EXPERIENCE, "experience")
    if persona in FOCUS:
        if focus is None:
            raise InputError(f"{opt('focus')} is required for {persona}: one of "
                             f"{', '.join(FOCUS[persona])}")
        _check(focus, FOCUS[persona], "focus")
    elif focus is not None:
        raise InputError(f"{opt('focus')} applies only to {' and '.join(FOCUS)}, not to {persona}")
    _check(os, OSES, "os")
    if arch is not None:
        arch = ARCH_ALIASES.get(arch, arch)
        _check(arch, ARCHES, "arch")
    _check(accelerator, ACCELERATORS, "accelerator")
    for w in workloads:
        _check(w, WORKLOADS, "workload")
    _check(existing, EXISTING, "existing")
    _check(cloud, CLOUDS, "cloud")
    _check(keras_backend, KERAS_BACKENDS, "keras_backend")
    if python is not None and not re.fullmatch(r"3\.\d{1,2}", python):
        raise InputError(f"{opt('python')} {python!r} is not a version like 3.12")
    dedup_targets = tuple(dict.fromkeys(targets))
    return Situation(persona=persona, target_args=dedup_targets,
                     needs=tuple(n for n in NEEDS if n in needs), focus=focus,
                     experience=experience, python=python, os=os, arch=arch,
                     accelerator=accelerator,
                     workloads=tuple(w for w in WORKLOADS if w in workloads),
                     existing=existing, cloud=cloud, keras_backend=keras_backend,
                     targets=_expand(dedup_targets))


def _expand(targets: tuple[str, ...]) -> tuple[str, ...]:
    from fwatlas.kb.schema import expand_targets

    return expand_targets(targets)
