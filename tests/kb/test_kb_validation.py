"""Broken knowledge-base files fail validation with the file, the entry and the field named."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fwatlas.errors import InputError
from fwatlas.kb import load_kb, validate_file

GOOD = """\
  - name: my-server
    kind: serving
    frameworks: [pytorch]
    targets: [server-rest]
    status: active
    status_date: 2026-10
    sources: [{url: "https://example.org/my-server", date: 2026-10}]
    checked_on: 2026-11-20
    checked_via: primary-source
"""


def write(tmp_path: Path, body: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text("entries:\n" + textwrap.dedent(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "entry", "field", "words"), [
    (GOOD.replace("frameworks: [pytorch]", "frameworks: [pytorhc]"), "my-server",
     "frameworks", "unknown framework 'pytorhc'"),
    (GOOD.replace("targets: [server-rest]", "targets: [toaster]"), "my-server", "targets",
     "toaster"),
    (GOOD.replace('    sources: [{url: "https://example.org/my-server", date: 2026-10}]\n',
                  "    sources: []\n"), "my-server", "sources", "no source"),
    (GOOD.replace('    sources: [{url: "https://example.org/my-server", date: 2026-10}]\n', ""),
     "my-server", "sources", "Field required"),
    (GOOD.replace("status: active", "status: active\n    replaced_by: nothing-here"),
     "my-server", "replaced_by", "'nothing-here' names no entry"),
    (GOOD + GOOD, "my-server", "name", "duplicate name"),
    (GOOD.replace("status: active", "status: dormant"), "my-server", "status", "dormant"),
    (GOOD.replace("checked_via: primary-source", "checked_via: vibes"), "my-server",
     "checked_via", "vibes"),
    (GOOD.replace("status_date: 2026-10", "status_date: last spring"), "my-server",
     "status_date", "not a date"),
])
def test_each_schema_error_names_file_entry_and_field(tmp_path: Path, body: str, entry: str,
                                                      field: str, words: str) -> None:
    path = write(tmp_path, body)
    problems = validate_file(path)
    assert problems, "a broken file must not validate"
    p = problems[0]
    assert (p.file, p.entry) == (str(path), entry)
    assert p.field == field or p.field.startswith(field + ".")  # e.g. targets.0
    assert words in p.message
    with pytest.raises(InputError) as err:
        load_kb(path)
    assert str(err.value).startswith(f"{path}: entry '{entry}': field {field}")


def test_a_good_user_file_adds_and_overlays(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + textwrap.indent(textwrap.dedent("""\
      - name: torchserve
        status: active
        status_date: 2026-11-01
        sources: [{url: "https://example.org/revived", date: 2026-11-01}]
    """), "  "))
    assert validate_file(path) == []
    kb = load_kb(path)
    assert kb.get("my-server").status == "active"
    ts = kb.get("torchserve")
    assert (ts.status, ts.status_date) == ("active", "2026-11-01")
    assert ts.kind == "serving" and ts.in_article  # fields not in the overlay are kept
    ids = [s["snapshot_id"] for s in kb.sources()]
    assert ids[1].startswith("kb:mine.yaml@") and kb.source_of("torchserve") == ids[1]
    assert kb.source_of("executorch") == ids[0]


def test_not_yaml_and_wrong_shape_fail_as_a_whole(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries: [unclosed\n", encoding="utf-8")
    assert "not a YAML file" in validate_file(bad)[0].message
    bad.write_text("- just a list\n", encoding="utf-8")
    assert "entries" in validate_file(bad)[0].message
    with pytest.raises(InputError, match="cannot read"):
        load_kb(tmp_path / "absent.yaml")


def test_renamed_entry_must_name_its_successor(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("status: active", "status: renamed"))
    p = validate_file(path)[0]
    assert (p.entry, p.field) == ("my-server", "replaced_by")


def test_kb_validate_command_exit_codes(tmp_path: Path, cli) -> None:
    ok = cli("kb", "validate")
    assert ok.code == 0 and "complete" in ok.out
    bad = write(tmp_path, GOOD.replace("frameworks: [pytorch]", "frameworks: [theano]"))
    r = cli("kb", "validate", str(bad))
    assert r.code == 2
    assert f"{bad}: entry 'my-server': field frameworks: unknown framework 'theano'" in r.err
    j = cli("kb", "validate", str(bad), "--json")
    assert j.code == 2 and j.json()["valid"] is False
    assert j.json()["problems"][0]["field"] == "frameworks"
    # every other command refuses the broken file with one line and exit 2
    r = cli("kb", "list", "--kb", str(bad))
    assert r.code == 2 and r.err.count("\n") == 1 and str(bad) in r.err
    r = cli("advise", "--persona", "industry", env={"FWATLAS_KB": str(bad)})
    assert r.code == 2 and "theano" in r.err


def test_kb_validate_says_what_it_validated_the_files_entries_over_the_bundled(
        tmp_path: Path, cli) -> None:
    """Not 'ok: 111 entries' for a one-entry overlay: the file's 1 entry, over the bundled."""
    from fwatlas.kb.loader import bundled_names

    total = len(bundled_names())
    overlay = write(tmp_path, textwrap.dedent("""\
      - name: torchserve
        status: active
        status_date: 2026-11-01
        sources: [{url: "https://example.org/revived", date: 2026-11-01}]
    """))
    r = cli("kb", "validate", str(overlay))
    assert r.code == 0, r.err
    assert f"{overlay}: its 1 entry (1 overlaid on a bundled entry, 0 new)" in r.out
    assert f"merged over the bundled {total} entries: {total} entries in all" in r.out
    j = cli("kb", "validate", str(overlay), "--json").json()
    assert (j["file"], j["file_entries"], j["overlaid"], j["added"]) == (str(overlay), 1, 1, 0)
    assert j["bundled_entries"] == total and j["entries"] == total
    both = write(tmp_path, GOOD + textwrap.indent(textwrap.dedent("""\
      - name: torchserve
        status: active
        status_date: 2026-11-01
        sources: [{url: "https://example.org/revived", date: 2026-11-01}]
    """), "  "), name="two.yaml")
    j = cli("kb", "validate", str(both), "--json").json()
    assert (j["file_entries"], j["overlaid"], j["added"], j["entries"]) == (2, 1, 1, total + 1)
    alone = cli("kb", "validate", "--json").json()
    assert alone["file"] is None and alone["file_entries"] is None
    assert "validated the bundled knowledge base" in cli("kb", "validate").out
    # a broken file still says how many entries it holds
    bad = write(tmp_path, GOOD.replace("frameworks: [pytorch]", "frameworks: [theano]"),
                name="bad.yaml")
    j = cli("kb", "validate", str(bad), "--json").json()
    assert j["valid"] is False and j["file_entries"] == 1 and j["added"] == 1


def test_the_kb_questions_are_library_values(tmp_path: Path) -> None:
    """``kb list``'s filter and ``kb validate``'s answer come from fwatlas.kb.query, which
    returns values (the CLI only draws them); a bad file ends in one InputError."""
    import pytest

    from fwatlas.errors import InputError
    from fwatlas.kb.query import select, validate

    kb = load_kb()
    mobile = select(kb, framework="pytorch", target="mobile", status="active")
    want = sorted(e.name for e in kb.entries.values() if "pytorch" in e.frameworks
                  and e.status == "active" and {"android", "ios"} & set(e.targets))
    assert [e.name for e in mobile] == want and want
    # the library names the parameter, not a CLI flag; the CLI spells it --status
    with pytest.raises(InputError, match="^status 'alive' is not one of") as bad_status:
        select(kb, status="alive")
    assert bad_status.value.param == "status"
    ok = validate()
    assert ok.valid and ok.error() is None and ok.as_dict()["entries"] == len(kb.entries)
    bad = write(tmp_path, GOOD.replace("frameworks: [pytorch]", "frameworks: [theano]"))
    found = validate(bad)
    assert not found.valid and found.as_dict()["problems"][0]["field"] == "frameworks"
    error = found.error()
    assert error is not None and error.exit_code == 2 and str(bad) in str(error)
