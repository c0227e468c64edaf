"""Rulesets are data: ordered rules (YAML) validated here, evaluated by the engine.

A rule: ``id``, ``when`` (a condition, see :mod:`fwatlas.advisor.conditions`), ``recommend``
(pytorch, tensorflow, jax or keras), optional ``deploy_via`` (knowledge-base entry names, or
``matrix`` for the best active path to the asked targets), ``alternatives``, a ``reason`` shown
to the user, ``why`` (the author's rationale, kept in the file), and ``rests_on`` (entries and
facts the rule depends on beyond those its condition names).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fwatlas.advisor.conditions import validate_condition
from fwatlas.errors import InputError

Recommendation = Literal["pytorch", "tensorflow", "jax", "keras"]
RULESETS: tuple[str, ...] = ("article-2022", "current")


class Alternative(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    framework: Recommendation
    text: str


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
    rules: tuple[Rule, ...]

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
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
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
        raise InputError(f"--ruleset {str(name_or_path)!r} is not one of: "
                         f"{', '.join(RULESETS)} (nor a file)")
    return _parse(path.read_text("utf-8"), str(path))
