"""The unit of work both engines run: one file, one chunk of files, one repository.

These functions run in worker processes (a local pool or Ray): their arguments and results are
small picklable values, they never touch the store, and they never raise for an item-level
problem – a bad file is a skipped file, an unreadable repository a :class:`RepoFailed`.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from fwatlas import vocabulary
from fwatlas.scan import deps, rules
from fwatlas.scan.imports import find_imports, keras_backends
from fwatlas.scan.model import (
    AlreadyScanned,
    Evidence,
    FileEvidence,
    LargeRepo,
    RepoFailed,
    RepoMeta,
    RepoResult,
)
from fwatlas.scan.notebooks import NotebookError, code_cells
from fwatlas.scan.readers import RepoReader, UnreadableRepository, open_repository, own_packages


@dataclass(frozen=True)
class ScanOptions:
    full_parse: bool = False
    max_bytes: int = rules.MAX_FILE_BYTES
    split_files: int = rules.SPLIT_FILES


@dataclass(frozen=True)
class RepoTask:
    """One repository to scan: the path as the user gave it, where it is, a URL override."""

    given: str
    path: str
    url: str | None = None


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _import_evidence(relpath: str, text: str, pw: float, options: ScanOptions,
                     suffix: str = "") -> tuple[list[Evidence], str | None, bool]:
    scan = find_imports(text, full_parse=options.full_parse)
    best: dict[str, Evidence] = {}
    for hit in scan.hits:
        fw = vocabulary.module_framework(hit.module)
        if fw is None:
            continue
        weight = pw * (rules.IMPORT_GUARDED if hit.guarded else rules.IMPORT_UNCONDITIONAL)
        e = Evidence(relpath, hit.line, hit.statement[:160] + suffix, fw,
                     "guarded import" if hit.guarded else "import", weight, hit.root)
        key = f"{fw}\0{hit.root}"
        if key not in best or weight > best[key].weight:
            best[key] = e
    return list(best.values()), scan.note, scan.parsed


def _declared_evidence(relpath: str, items: list[deps.Declaration], pw: float,
                       suffix: str = "") -> list[Evidence]:
    best: dict[str, Evidence] = {}
    for d in items:
        fw = vocabulary.distribution_framework(d.name)
        if fw is None:
            continue
        weight = pw * (rules.DEPENDENCY_OPTIONAL if d.optional else rules.DEPENDENCY_REQUIRED)
        e = Evidence(relpath, d.line, f"requires {d.spec[:120]}{suffix}", fw,
                     "optional requires" if d.optional else "requires", weight, d.name)
        if d.name not in best or weight > best[d.name].weight:
            best[d.name] = e
    return list(best.values())


def _backend_evidence(relpath: str, text: str, pw: float) -> tuple[list[Evidence], list[str]]:
    found = keras_backends(text)
    items = [Evidence(relpath, line, f"sets the Keras backend to {b}", b, "keras backend", pw,
                      "keras") for line, b in found]
    return items, [b for _, b in found]


def scan_file(relpath: str, data: bytes, options: ScanOptions = ScanOptions()) -> FileEvidence:
    """The evidence of one file (never raises for a bad file: it is skipped with a reason)."""
    pw = rules.path_weight(relpath)
    if b"\0" in data[:8192]:
        return FileEvidence(relpath, False, pw, skipped="binary file", size=len(data))
    low = relpath.lower()
    evidence: list[Evidence] = []
    backends: list[str] = []
    note = None
    parsed = False
    urls: tuple[tuple[str, str], ...] = ()
    is_code = False
    if low.endswith(".py"):
        is_code = True
        text = _decode(data)
        evidence, note, parsed = _import_evidence(relpath, text, pw, options)
        more, backends = _backend_evidence(relpath, text, pw)
        evidence += more
    elif low.endswith(".ipynb"):
        is_code = True
        try:
            cells = code_cells(data)
        except NotebookError as exc:
            return FileEvidence(relpath, False, pw, skipped=str(exc), size=len(data))
        notes = []
        for cell in cells:
            suffix = f" (cell {cell.index})"
            items, cell_note, cell_parsed = _import_evidence(relpath, cell.code, pw, options,
                                                             suffix)
            evidence += items
            parsed = parsed or cell_parsed
            if cell_note:
                notes.append(f"cell {cell.index} {cell_note}")
            for line, args in cell.pip_lines:
                specs = [deps.parse_requirement(s, optional=False, line=line)
                         for s in deps.pip_install_specs(args)]
                evidence += _declared_evidence(relpath, [s for s in specs if s], pw, suffix)
        more, backends = _backend_evidence(relpath, _decode(data), pw)
        evidence += more
        note = "; ".join(notes) or None
    elif low.endswith("keras.json"):
        try:
            config = json.loads(data)
            backend = config.get("backend") if isinstance(config, dict) else None
        except (UnicodeDecodeError, json.JSONDecodeError):
            return FileEvidence(relpath, False, pw, skipped="not valid JSON", size=len(data))
        if isinstance(backend, str):
            name = {"torch": "pytorch"}.get(backend, backend)
            backends = [name]
            evidence.append(Evidence(relpath, None, f"keras.json backend {backend}", name,
                                     "keras backend", pw, "keras"))
    kind = rules.dependency_file_kind(relpath)
    if kind is not None:
        try:
            found = deps.declared(relpath, _decode(data), kind)
        except Exception as exc:  # noqa: BLE001 - a malformed dependency file is one item
            from fwatlas.streams import describe

            if not is_code:
                return FileEvidence(relpath, False, pw, skipped=f"unreadable {kind} file "
                                    f"({describe(exc)})", size=len(data))
            found = deps.Declared(())
        evidence += _declared_evidence(relpath, list(found.declarations), pw)
        urls = found.urls
        if found.problems and note is None:
            note = "; ".join(found.problems[:3])
    return FileEvidence(relpath, is_code, pw, tuple(evidence), tuple(backends), note, parsed,
                        urls=urls, size=len(data))


def _scan_members(reader: RepoReader, names: Collection[str], options: ScanOptions
                  ) -> tuple[list[FileEvidence], int]:
    files = []
    total = 0
    for name in names:
        data = reader.read(name)
        if isinstance(data, str):
            files.append(FileEvidence(name, False, rules.path_weight(name), skipped=data))
            continue
        total += len(data)
        files.append(scan_file(name, data, options))
    return files, total


def scan_chunk(task: RepoTask, names: tuple[str, ...], options: ScanOptions
               ) -> tuple[list[FileEvidence], int, str]:
    """Scan some files of a large repository (the driver combines the chunks)."""
    reader = open_repository(Path(task.path), options.max_bytes)
    try:
        files, total = _scan_members(reader, names, options)
    finally:
        reader.close()
    return files, total, worker_id()


def scan_repository(task: RepoTask, known: Collection[str] = frozenset(),
                    options: ScanOptions = ScanOptions()
                    ) -> RepoResult | AlreadyScanned | RepoFailed | LargeRepo:
    """Scan one repository, or say it was scanned before, could not be read, or is large."""
    try:
        reader = open_repository(Path(task.path), options.max_bytes)
    except UnreadableRepository as exc:
        return RepoFailed(task.given, str(exc))
    except OSError as exc:
        return RepoFailed(task.given, f"unreadable ({exc.strerror or exc})")
    try:
        members, refused = reader.members()
        content_hash = reader.content_hash(members, refused)
        if content_hash in known:
            return AlreadyScanned(task.given, content_hash)
        date, date_source = reader.date()
        url, url_source = None, None
        if task.url:
            from fwatlas.scan.urls import normalize_repo_url

            url, url_source = normalize_repo_url(task.url), "--urls mapping"
        if url is None:
            remote = reader.remote_url()
            if remote:
                from fwatlas.scan.urls import normalize_repo_url

                url, url_source = normalize_repo_url(remote), "git remote"
        names = [m.relpath for m in members]
        meta = RepoMeta(task.given, reader.source_type, content_hash, date, date_source, url,
                        url_source, own_packages(names))
        splittable = reader.source_type in ("directory", "git", "zip")
        if splittable and len(names) > options.split_files:
            return LargeRepo(meta, tuple(names), tuple(refused))
        files, total = _scan_members(reader, names, options)
    except OSError as exc:
        return RepoFailed(task.given, f"unreadable ({exc.strerror or exc})")
    finally:
        reader.close()
    from fwatlas.scan.score import build_result

    return build_result(meta, files, refused, worker=worker_id(), bytes_read=total)


def scan_repositories(tasks: list[RepoTask], known: Collection[str] = frozenset(),
                      options: ScanOptions = ScanOptions()
                      ) -> list[RepoResult | AlreadyScanned | RepoFailed | LargeRepo]:
    """Several small repositories in one task: the per-task cost is paid once for them all."""
    out: list[RepoResult | AlreadyScanned | RepoFailed | LargeRepo] = []
    for task in tasks:
        try:
            out.append(scan_repository(task, known, options))
        except Exception as exc:  # noqa: BLE001 - a scanner failure is one repository's problem
            out.append(RepoFailed(task.given, f"scanner error: {exc!r}"))
    return out
