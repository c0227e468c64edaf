"""Rulesets are data: ordered rules (YAML) validated here, evaluated by the engine.

A rule: ``id``, ``when`` (a condition, see :mod:`fwatlas.advisor.conditions`), ``recommend``
(pytorch, tensorflow, jax or keras), optional ``deploy_via`` (knowledge-base entry names, or
``matrix`` for the best active path to the asked targets), ``alternatives``, a ``reason`` shown
to the user, ``why`` (the author's rationale, kept in the file), and ``rests_on`` (entries and
facts the rule depends on beyond those its condition names).

A ruleset may also say, as data, which knowledge-base entries matter for each ``--workload``,
``--accelerator`` and ``--cloud`` (the engine turns them into alternatives and tips with their
statuses), what each framework's production stack is (``stacks``: weighed for ``--existing``),
and ``guard_installable``: a rule whose framework the registry evidence says will not install
on the user's --python/--os/--arch is skipped. ``article-2022`` has none of these: it is the
article, and its answers say which options it ignores.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fwatlas.advisor.conditions import validate_condition
from fwatlas.errors import InputError, opt
from fwatlas.yamlio import load_yaml

Recommendation = Literal["pytorch", "tensorflow", "jax", "keras"]
RULESETS: tuple[str, ...] = ("article-2022", "current")


class Alternative(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: Recommendation
    text: str
    #: A knowledge-base entry the text is about: its status and date are appended from the
    #: knowledge base, never written into the text.
    entry: str | None = None


class Stack(BaseModel):
    """A framework's production stack: what staying rests on and what leaving would touch."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tools: tuple[str, ...]
    touches: tuple[str, ...]
    worth_it_if: tuple[str, ...]


class RestsOn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kb: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    when: Any
    recommend: Recommendation
    deploy_via: Literal["matrix"] | tuple[str, ...] | None = None
    #: Targets ``deploy_via: matrix`` uses when the user asserted none.
    default_targets: tuple[str, ...] = ()
    alternatives: tuple[Alternative, ...] = ()
    reason: str
    why: str = ""
    rests_on: RestsOn = RestsOn()

    @field_validator("when")
    @classmethod
    def _when(cls, v: Any) -> Any:
        validate_condition(v)
        return v


class Ruleset(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    about: str = ""
    guard_installable: bool = False
    workloads: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    accelerators: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    clouds: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    stacks: dict[Recommendation, Stack] = Field(default_factory=dict)
    rules: tuple[Rule, ...]

    def reads(self) -> frozenset[str]:
        """Every option this ruleset can read: in a condition or through its sections."""
        from fwatlas.advisor.conditions import read_options

        out: set[str] = {"--persona"}
        for r in self.rules:
            out |= read_options(r.when)
        if self.guard_installable:
            out |= {"--python", "--os", "--arch", "--keras-backend"}
        for option, section in (("--workload", self.workloads),
                                ("--accelerator", self.accelerators),
                                ("--cloud", self.clouds), ("--existing", self.stacks)):
            if section:
                out.add(option)
        return frozenset(out)

    @field_validator("rules")
    @classmethod
    def _unique(cls, v: tuple[Rule, ...]) -> tuple[Rule, ...]:
        seen: set[str] = set()
        for r in v:
            if r.id in seen:
                raise ValueError(f"duplicate rule id {r.id!r}")
            seen.add(r.id)
        return v


def _parse(text: str, label: str) -> Ruleset:
    try:
        doc = load_yaml(text)
        return Ruleset.model_validate(doc)
    except yaml.YAMLError as exc:
        raise InputError(f"not a YAML file: {str(exc).splitlines()[0]}", path=label) from None
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{loc}: {err['msg'].removeprefix('Value error, ')}",
                         path=label) from None


@cache
def _bundled(name: str) -> Ruleset:
    text = resources.files("fwatlas").joinpath(f"data/rulesets/{name}.yaml").read_text("utf-8")
    return _parse(text, f"fwatlas/data/rulesets/{name}.yaml")


def load_ruleset(name_or_path: str | Path) -> Ruleset:
    """A bundled ruleset by name (``article-2022``, ``current``) or a ruleset file."""
    if str(name_or_path) in RULESETS:
        return _bundled(str(name_or_path))
    path = Path(name_or_path)
    if not path.exists():
        raise InputError(f"{opt('ruleset')} {str(name_or_path)!r} is not one of: "
                         f"{', '.join(RULESETS)} (nor a file)")
    return _parse(path.read_text("utf-8"), str(path))
