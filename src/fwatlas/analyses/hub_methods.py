"""SQL expressions for the three availability methods, generated from the vocabulary.

One expression per (method, framework) evaluated inside DuckDB over ``hub_models``, so the
same rules serve the aggregate analyses, the top-N table and single-model lookups.
"""

from __future__ import annotations

import datetime as dt

from fwatlas import vocabulary as vocab
from fwatlas.errors import InputError


def _sql_str(text: str) -> str:
    """A SQL string literal for vocabulary text (package data, never user input)."""
    return "'" + text.replace("'", "''") + "'"


def _files_regex(globs: list[str]) -> str:
    # match a path's base name: the glob regex, anchored after a slash or the line start
    core = vocab.glob_to_regex(globs).removeprefix("^").removesuffix("$")
    return "(?m)(?:^|/)" + core + "$"


def tags_expr(framework: str) -> str:
    # a chain of list_contains is several times faster in DuckDB than list_has_any
    tags = vocab.hub_framework_tags()[framework]
    return "(" + " OR ".join(f"list_contains(tags, {_sql_str(t)})" for t in tags) + ")"


def files_expr(framework: str) -> str:
    globs = vocab.hub_framework_files()[framework]
    return f"regexp_matches(array_to_string(siblings, chr(10)), {_sql_str(_files_regex(globs))})"


def format_tag_expr(fmt: str) -> str:
    return f"list_contains(tags, {_sql_str(fmt)})"


def format_file_expr(fmt: str) -> str:
    globs = vocab.hub_format_files()[fmt]
    return f"regexp_matches(array_to_string(siblings, chr(10)), {_sql_str(_files_regex(globs))})"


def library_expr(framework: str, data_date: dt.date | None, has_siblings: bool) -> str:
    """Whether the declared library can load the model in ``framework`` at ``data_date``."""
    fixed: list[str] = []
    by_weights: list[str] = []
    pytorch_formats: dict[str, tuple[str, ...]] = {}
    for lib, rule in vocab.hub_library_rules().items():
        rule = rule.at(data_date)
        if rule.by_weights:
            by_weights.append(lib)
            pytorch_formats[lib] = rule.pytorch_formats
        elif framework in rule.frameworks:
            fixed.append(lib)
    weights = f"({tags_expr(framework)}" + (f" OR {files_expr(framework)})" if has_siblings
                                            else ")")
    cases = []
    if fixed:
        cases.append(f"WHEN library_name IN ({', '.join(_sql_str(x) for x in fixed)}) THEN true")
    for lib in by_weights:
        cond = weights
        formats = pytorch_formats[lib] if framework == "pytorch" else ()
        for fmt in formats:
            cond += f" OR {format_tag_expr(fmt)}"
            if has_siblings and fmt in vocab.hub_format_files():
                cond += f" OR {format_file_expr(fmt)}"
        cases.append(f"WHEN library_name = {_sql_str(lib)} THEN coalesce({cond}, false)")
    return "(CASE " + " ".join(cases) + " ELSE false END)"


def framework_expr(method: str, framework: str, data_date: dt.date | None,
                   has_siblings: bool) -> str:
    """The boolean SQL expression for "available in ``framework``" under ``method``."""
    if method == "tags":
        return f"coalesce({tags_expr(framework)}, false)"
    if method == "files":
        if not has_siblings:
            raise InputError("this snapshot has no sibling file lists, so the `files` method "
                             "cannot say; supported methods: tags, library")
        return f"coalesce({files_expr(framework)}, false)"
    if method == "library":
        return library_expr(framework, data_date, has_siblings)
    raise InputError(f"unknown method {method!r}; valid: {', '.join(vocab.HUB_METHODS)}",
                         param="method")


def method_note(method: str, data_date: dt.date | None) -> str:
    """What a method's numbers mean, shown wherever they appear."""
    if method == "tags":
        return ("tags: a model counts for a framework when it carries the framework's Hub tag "
                "(pytorch; tf/tensorflow; jax/flax) – the article's method")
    if method == "files":
        return ("files: from the repository's file names (pytorch_model*.bin, *.pt, *.pth; "
                "tf_model*.h5, saved_model.pb; flax_model*.msgpack)")
    rule = vocab.hub_library_rules()["transformers"]
    note = ("library: what the declared library_name can load; a transformers model with "
            "safetensors weights is PyTorch-loadable")
    if rule.until is not None and data_date is not None and data_date >= rule.until:
        note += (f"; from Transformers v5 ({rule.until.isoformat()}) on, transformers loads "
                 "PyTorch only, so every transformers model counts as PyTorch-only")
    return note
