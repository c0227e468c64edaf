"""YAML read with libyaml's C loader where it is installed, the pure-Python one otherwise.

Every command parses the bundled YAML files (vocabulary, signals, verdict method, knowledge
base); PyYAML's pure-Python ``safe_load`` spent a few hundred milliseconds of each ``report``
on them. Both loaders build the same safe types, so what they return is the same.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes) -> Any:
    """Parse one YAML document with the safe loader (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
