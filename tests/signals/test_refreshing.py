"""``fwatlas.refreshing``: the refresh dispatch as a library call (the CLI maps its options)."""

from __future__ import annotations

import pytest

from fwatlas.errors import InputError
from fwatlas.refreshing import OPTIONS, REFRESH_OPTIONS, options_of, refresh


def test_each_kind_declares_only_options_that_exist() -> None:
    assert {n for names in REFRESH_OPTIONS.values() for n in names} <= set(OPTIONS)
    assert [o.flag for o in options_of("qa")] == ["--limit", "--from", "--site"]
    assert options_of("pypi-downloads") == []


def test_an_unknown_kind_or_option_is_refused_before_any_fetch() -> None:
    with pytest.raises(InputError, match="no online fetcher for 'papers'"):
        refresh("papers")
    with pytest.raises(InputError, match="refresh hub takes no option site"):
        refresh("hub", site="datascience")


def test_defaults_are_not_passed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """None, False and [] reach the fetcher as absent, so each fetcher keeps its own default;
    what it gathered lands here (nothing new: no snapshot, its notes kept)."""
    import fwatlas.sources.github_fetch as github_fetch
    from fwatlas.sources.live_ingest import Fetched

    seen: list[dict[str, object]] = []

    def fake(**kw: object) -> Fetched:
        seen.append(kw)
        return Fetched(notes=("nothing new",))

    monkeypatch.setattr(github_fetch, "gather", fake)
    result = refresh("github", db="x.duckdb", limit=None, repos=None, history=False,
                     concurrency=4)
    assert result.created == () and result.notes == ("nothing new",)
    [kw] = seen
    assert callable(kw.pop("stored_months"))  # the store's answer, bound to x.duckdb
    assert kw == {"limit": None, "progress": True, "concurrency": 4}


def test_refresh_coverage_without_versions_counts_the_bundled_releases(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The fetcher does not read the bundled reference itself: the refresh passes in the
    releases it counts (``default_from``), oldest first; given --versions win."""
    import csv
    from importlib import resources

    import fwatlas.sources.coverage_fetch as coverage_fetch
    from fwatlas.sources.live_ingest import Fetched

    bundled = resources.files("fwatlas").joinpath("data/reference/transformers_coverage.csv")
    with bundled.open(encoding="utf-8") as f:
        releases = {r["key"].rsplit(".", 1)[0] for r in csv.DictReader(f)}
    oldest_first = sorted(releases, key=lambda v: tuple(int(p) for p in v.split(".")))
    assert len(oldest_first) == 17  # the index's "17 releases 3.0.0 to 5.25.0"

    seen: list[object] = []

    def fake(**kw: object) -> Fetched:
        seen.append(kw["versions"])
        return Fetched()

    monkeypatch.setattr(coverage_fetch, "gather", fake)
    refresh("coverage", db="x.duckdb")
    refresh("coverage", db="x.duckdb", versions=["5.0.0"])
    assert seen == [oldest_first, ["5.0.0"]]


def test_a_fetcher_called_without_versions_says_which_option_it_needs() -> None:
    import fwatlas.sources.coverage_fetch as coverage_fetch

    with pytest.raises(InputError, match="refresh coverage needs versions: the releases to count"):
        coverage_fetch.gather()
