"""The one place that knows which names mean which framework.

Everything reads ``data/vocabulary.yaml`` through this module: sources, analyses and the code
scanner ask it, and nothing else hard-codes "pytorch". The YAML is parsed once per process.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

from fwatlas.yamlio import load_yaml


class Framework(StrEnum):
    """DESIGN's categories, one set everywhere."""

    PYTORCH = "pytorch"
    TENSORFLOW = "tensorflow"
    JAX = "jax"
    KERAS = "keras"
    MXNET = "mxnet"
    PADDLE = "paddle"
    MULTI = "multi"
    OTHER = "other"
    NONE = "none"


#: The three frameworks the Hub's weights can be in, in the contract's order.
HUB_FRAMEWORKS: tuple[str, ...] = ("pytorch", "tensorflow", "jax")
HubMethod = Literal["tags", "files", "library"]
HUB_METHODS: tuple[str, ...] = get_args(HubMethod)
#: How the four frameworks are written for people (tables, figures, the deployment matrix).
FRAMEWORK_TITLES: dict[str, str] = {"pytorch": "PyTorch", "tensorflow": "TensorFlow",
                                    "jax": "JAX", "keras": "Keras"}


@cache
def raw() -> dict[str, Any]:
    """The parsed vocabulary file (package data)."""
    text = resources.files("fwatlas").joinpath("data/vocabulary.yaml").read_text("utf-8")
    data: dict[str, Any] = load_yaml(text)
    return data


def categories() -> list[str]:
    return list(raw()["categories"])


def keras3_date() -> dt.date:
    return dt.date.fromisoformat(raw()["keras3_date"])


def keras_category(when: dt.date | int | None) -> str:
    """What `keras` evidence means at a date (or year): TensorFlow before Keras 3, else Keras.

    An unknown date is taken as "before" only when nothing says otherwise would be a guess, so
    it maps to Keras (the present meaning) – callers with a date should pass it.
    """
    if when is None:
        return "keras"
    if isinstance(when, int):
        # a year: Keras 3 came out in late 2023, so the whole of 2023 is still Keras 2.
        return "tensorflow" if when <= keras3_date().year else "keras"
    return "tensorflow" if when < keras3_date() else "keras"


@dataclass(frozen=True)
class DatedTerm:
    """A term that meant something else before a date (the ``dated`` section): before
    ``before`` its evidence is ``then`` (None: no framework)."""

    term: str
    before: dt.date
    then: str | None
    why: str


@cache
def dated_terms() -> dict[str, DatedTerm]:
    """Every dated term, lower-cased (``keras`` is dated by ``keras3_date`` instead)."""
    out = {}
    for term, spec in (raw().get("dated") or {}).items():
        then = spec.get("then")
        if then is not None and then not in categories():
            raise ValueError(f"dated term {term!r}: unknown category {then!r}")
        out[str(term).lower()] = DatedTerm(str(term).lower(),
                                           dt.date.fromisoformat(str(spec["before"])),
                                           None if then is None else str(then),
                                           str(spec.get("why", "")))
    return out


def is_before(when: dt.date | int | None, day: dt.date) -> bool:
    """Whether evidence dated ``when`` (a date or a year) comes before ``day``.

    A year is before when its middle (1 July) is: a whole year of papers is read with the
    meaning most of it had. An unknown date is read with today's meaning (False)."""
    if when is None:
        return False
    if isinstance(when, int):
        return dt.date(when, 7, 1) < day
    return when < day


def term_category(term: str, framework: str | None, when: dt.date | int | None) -> str | None:
    """What a term that the vocabulary maps to ``framework`` means at ``when``: a dated term's
    earlier meaning before its date, ``keras`` by the Keras 3 rule, else ``framework``.

    Every reader of words, tags or text terms asks this, so ``torch`` in a 2016 question is
    Lua Torch (``other``) wherever it is read."""
    if framework is None:
        return None
    rule = dated_terms().get(term.strip().lower())
    if rule is not None and is_before(when, rule.before):
        return rule.then
    if framework == "keras":
        return keras_category(when)
    return framework


# --- Hugging Face Hub ---------------------------------------------------------------------------


def hub_framework_tags() -> dict[str, list[str]]:
    return {fw: list(tags) for fw, tags in raw()["hub"]["framework_tags"].items()}


def hub_format_tags() -> list[str]:
    return list(raw()["hub"]["format_tags"])


def hub_framework_files() -> dict[str, list[str]]:
    return {fw: list(g) for fw, g in raw()["hub"]["framework_files"].items()}


def hub_format_files() -> dict[str, list[str]]:
    return {fmt: list(g) for fmt, g in raw()["hub"]["format_files"].items()}


def glob_to_regex(patterns: list[str]) -> str:
    """One anchored regular expression matching a file's base name against any glob."""
    return "^(?:" + "|".join(fnmatch.translate(p).removeprefix("(?s:").removesuffix(")\\Z")
                             for p in patterns) + ")$"


def basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def frameworks_from_files(files: list[str]) -> tuple[set[str], set[str]]:
    """(frameworks, formats) that a list of sibling file names shows (the `files` method)."""
    names = [basename(f) for f in files]
    found = {fw for fw, pats in hub_framework_files().items()
             if any(fnmatch.fnmatchcase(n, p) for n in names for p in pats)}
    formats = {fmt for fmt, pats in hub_format_files().items()
               if any(fnmatch.fnmatchcase(n, p) for n in names for p in pats)}
    return found, formats


@dataclass(frozen=True)
class LibraryRule:
    """How the `library` method reads one library_name."""

    library: str
    frameworks: tuple[str, ...]
    by_weights: bool
    pytorch_formats: tuple[str, ...]
    until: dt.date | None
    then: tuple[str, ...]

    def at(self, data_date: dt.date | None) -> LibraryRule:
        """The rule in force at a snapshot's data date (after `until`, only `then`)."""
        if self.until is not None and data_date is not None and data_date >= self.until:
            return LibraryRule(self.library, self.then, False, (), None, ())
        return self


def hub_library_rules() -> dict[str, LibraryRule]:
    rules = {}
    for lib, spec in raw()["hub"]["library"].items():
        until = spec.get("until")
        rules[lib] = LibraryRule(
            library=lib,
            frameworks=tuple(spec.get("frameworks", ())),
            by_weights=bool(spec.get("by_weights", False)),
            pytorch_formats=tuple(spec.get("pytorch_formats", ())),
            until=dt.date.fromisoformat(until) if until else None,
            then=tuple(spec.get("then", ())),
        )
    return rules


# --- Text, words, code ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TextTerm:
    term: str
    framework: str
    whole_word: bool = False
    requires: tuple[str, ...] = ()


def text_terms() -> list[TextTerm]:
    """Every free-text term, lower-cased, with its framework (``keras`` is dated by the caller)."""
    terms = []
    for fw, entries in raw()["text"].items():
        for e in entries:
            terms.append(TextTerm(e["term"].lower(), fw, bool(e.get("whole_word", False)),
                                  tuple(r.lower() for r in e.get("requires", ()))))
    return terms


def word_framework(word: str) -> str | None:
    """The framework a tracker keyword (``metadata.words``) names, or None."""
    mapped = raw()["words"].get(word.strip().lower())
    return str(mapped) if mapped else None


@cache
def _module_index() -> dict[str, str]:
    return {m: fw for fw, mods in raw()["modules"].items() for m in mods}


def module_framework(module: str) -> str | None:
    """The framework an imported module belongs to, by its top-level package."""
    return _module_index().get(module.split(".", 1)[0])


_NORMALIZE = re.compile(r"[-_.]+")


def normalize_distribution(name: str) -> str:
    """PEP 503 normalisation of a distribution name."""
    return _NORMALIZE.sub("-", name).lower()


@cache
def _distribution_index() -> dict[str, str]:
    return {normalize_distribution(d): fw
            for fw, dists in raw()["distributions"].items() for d in dists}


def distribution_framework(name: str) -> str | None:
    """The framework a declared dependency (PyPI project) belongs to."""
    return _distribution_index().get(normalize_distribution(name))


def distributions(framework: str) -> list[str]:
    return list(raw()["distributions"].get(framework, ()))


# --- Live fetchers: job-post terms and Q&A tags ---------------------------------------------


def job_terms() -> list[TextTerm]:
    """The words that make a hiring post count for a framework (``jobs`` section), lower-cased;
    ``keras`` is dated by the caller (:class:`fwatlas.textscan.TextScanner` does it)."""
    terms = []
    for fw, entries in raw()["jobs"].items():
        for e in entries:
            terms.append(TextTerm(e["term"].lower(), fw, bool(e.get("whole_word", False)),
                                  tuple(r.lower() for r in e.get("requires", ()))))
    return terms


def qa_tags() -> dict[str, list[str]]:
    """Stack Exchange tags per framework (``qa_tags`` section), in the vocabulary's order."""
    return {fw: [str(t) for t in tags] for fw, tags in raw()["qa_tags"].items()}
