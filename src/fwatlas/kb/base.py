"""The loaded knowledge base: entries by name, lookups, and its sources for the JSON envelope."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from fwatlas.errors import NotFound
from fwatlas.kb.schema import Entry, earliest_day


@dataclass(frozen=True)
class KbFileInfo:
    """One knowledge-base file as a snapshot: ``kb:<file name>@<first 12 hex of sha256>``."""

    snapshot_id: str
    file: str
    origin: str
    sha256: str


@dataclass(frozen=True)
class AsOfScope:
    """``--as-of`` judges staleness only; statuses are as curated (``checked_on``)."""

    as_of: dt.date
    checked_on: str | None  # the newest checked_on of the entries shown (their curation date)
    dated_after: tuple[str, ...]  # entries shown whose status date is after as_of

    def title(self) -> str:
        """For a table title: ``statuses as curated to 2026-11; stale as of 2022-01-01``."""
        return f"statuses as curated to {self.checked_on or 'an unknown date'}; " \
               f"stale as of {self.as_of}"

    def notes(self) -> list[str]:
        out = [f"--as-of {self.as_of} judges staleness only (checked_on more than 12 months "
               f"before it): the knowledge base keeps no status history, so every status is "
               f"as curated (checked_on up to {self.checked_on or 'unknown'}), not as it was "
               f"on {self.as_of}"]
        if self.dated_after:
            n = len(self.dated_after)
            out.append(f"{n} {'entry has a status' if n == 1 else 'entries have statuses'} "
                       f"dated after {self.as_of}")
        return out

    def as_dict(self) -> dict[str, Any]:
        """The JSON keys: what --as-of judges, and as of when the statuses are."""
        return {"as_of_judges": "staleness", "statuses_as_curated": self.checked_on,
                "status_dated_after_as_of": list(self.dated_after), "notes": self.notes()}


@dataclass(frozen=True)
class Hop:
    """One step of following ``replaced_by``: the entry and its status."""

    name: str
    status: str | None


@dataclass
class KnowledgeBase:
    """Entries by name, plus which file (snapshot) each one's current values come from."""

    entries: dict[str, Entry]
    files: tuple[KbFileInfo, ...]
    origins: dict[str, str] = field(default_factory=dict)

    @property
    def snapshot_id(self) -> str:
        """The bundled file's snapshot id (``sources()`` lists a merged user file as well)."""
        return self.files[0].snapshot_id

    def source_of(self, name: str) -> str:
        """The snapshot id of the file that set this entry's values."""
        return self.origins.get(name, self.snapshot_id)

    def get(self, name: str) -> Entry:
        """One entry by name (case-insensitive); unknown names raise NotFound with close ones."""
        entry = self.entries.get(name) or self.entries.get(name.lower())
        if entry is None:
            by_title = {(e.title or "").lower(): e for e in self.entries.values()}
            entry = by_title.get(name.lower())
        if entry is None:
            close = difflib.get_close_matches(name.lower(), list(self.entries), n=5, cutoff=0.5)
            raise NotFound("knowledge-base entry", name, close)
        return entry

    def by_package(self, registry: str, package: str) -> Entry | None:
        """The entry that owns a PyPI or npm package name, if any."""
        if registry not in ("pypi", "npm"):
            raise ValueError(f"registry must be 'pypi' or 'npm', not {registry!r}")
        wanted = package.lower()
        for e in self.entries.values():
            names = e.pypi if registry == "pypi" else e.npm
            if any(n.lower() == wanted for n in names):
                return e
        return None

    def follow(self, name: str) -> list[Hop]:
        """``name`` and every successor reached through ``replaced_by`` (cycle-safe)."""
        hops: list[Hop] = []
        seen: set[str] = set()
        current: str | None = name
        while current is not None and current not in seen and current in self.entries:
            seen.add(current)
            e = self.entries[current]
            hops.append(Hop(current, e.status))
            current = e.replaced_by if e.status == "renamed" else None
        return hops

    def effective(self, name: str) -> Entry:
        """The entry a premise means: a renamed entry's successor (followed to the end)."""
        return self.entries[self.follow(name)[-1].name]

    def sources(self) -> list[dict[str, Any]]:
        """The ``sources`` entries of the ``--json`` envelope: one per file merged."""
        out = []
        for f in self.files:
            dates = [e.checked_on for n, e in self.entries.items() if self.source_of(n) ==
                     f.snapshot_id]
            newest = max(dates, key=earliest_day) if dates else None
            out.append({"snapshot_id": f.snapshot_id, "kind": "kb", "dataset": "kb",
                        "origin": f.origin, "data_date": newest, "basis": "curated"})
        return out

    def as_of_scope(self, as_of: dt.date, names: list[str] | None = None) -> AsOfScope:
        """What ``--as-of`` means for the knowledge base: staleness only.

        The knowledge base keeps no status history – one status per entry, as curated when it
        was last checked (``checked_on``) – so a listing "as of" an earlier day still shows
        today's curated statuses; only the stale marks move with ``as_of``. ``names`` (default:
        every entry) are the entries shown, counted when their status is dated after ``as_of``.
        """
        shown = [self.entries[n] for n in (names if names is not None else self.entries)]
        checked = [e.checked_on for e in shown] or [e.checked_on for e in
                                                     self.entries.values()]
        newest = max(checked, key=earliest_day) if checked else None
        later = sorted(e.name for e in shown
                       if e.status_date and earliest_day(e.status_date) > as_of)
        return AsOfScope(as_of, newest, tuple(later))

    def stale(self, as_of: dt.date) -> list[str]:
        """Names of entries whose ``checked_on`` is older than 12 months before ``as_of``."""
        return sorted(n for n, e in self.entries.items() if e.is_stale(as_of))
