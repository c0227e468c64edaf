"""The values that travel between scan workers and the driver: small, frozen, picklable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """One reason to believe a framework is used: an import or a declared dependency."""

    file: str
    line: int | None
    what: str  # e.g. "import torch.nn", "from tensorflow import keras", "requires torch>=2"
    framework: str
    kind: str  # "import", "guarded import", "requires", "optional requires", "keras backend"
    weight: float  # import or dependency weight × path weight
    name: str = ""  # the module root or distribution name (own packages are not evidence)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "what": self.what,
                "framework": self.framework, "kind": self.kind, "weight": self.weight}


@dataclass(frozen=True)
class FileEvidence:
    """What one file showed: its path weight, framework contributions and evidence items."""

    path: str
    is_code: bool
    path_weight: float
    evidence: tuple[Evidence, ...] = ()
    backends: tuple[str, ...] = ()  # Keras backends the file sets
    note: str | None = None  # e.g. "does not parse: line-based scan"
    parsed_with_ast: bool = False
    skipped: str | None = None  # why the file was not read (too big, binary, unsafe …)
    urls: tuple[tuple[str, str], ...] = ()  # repository URLs named by package metadata
    size: int = 0


@dataclass(frozen=True)
class RepoMeta:
    """What a repository says about itself besides its code."""

    path: str
    source_type: str  # directory, git, zip, tar
    content_hash: str
    date: dt.date | None
    date_source: str
    url: str | None
    url_source: str | None
    own_packages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RepoResult:
    """One scanned repository, as the JSON rows and the store show it."""

    path: str
    source_type: str
    content_hash: str
    scanner: str
    frameworks: dict[str, float]
    primary: str
    keras_backend: str | None
    date: dt.date | None
    date_source: str
    url: str | None
    url_source: str | None
    files_scanned: int
    files_skipped: int
    skipped_files: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    notes: tuple[str, ...] = ()
    worker: str = ""
    files_parsed: int = 0
    bytes_read: int = 0

    def as_row(self) -> dict[str, Any]:
        return {
            "path": self.path, "content_hash": self.content_hash,
            "frameworks": dict(self.frameworks), "primary": self.primary,
            "keras_backend": self.keras_backend,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source, "url": self.url, "url_source": self.url_source,
            "source_type": self.source_type,
            "files_scanned": self.files_scanned, "files_skipped": self.files_skipped,
            "skipped_files": list(self.skipped_files),
            "evidence": [e.as_dict() for e in self.evidence],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class AlreadyScanned:
    """A repository whose content was scanned before with the same rules (resume)."""

    path: str
    content_hash: str


@dataclass(frozen=True)
class RepoFailed:
    """A repository that could not be read at all (an item-level problem of a scan)."""

    path: str
    reason: str


@dataclass(frozen=True)
class LargeRepo:
    """A repository with many files: the driver fans its files out as several tasks."""

    meta: RepoMeta
    members: tuple[str, ...]
    pre_skipped: tuple[str, ...] = field(default=())
    bytes_read: int = 0
