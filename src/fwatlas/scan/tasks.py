"""Turning the command line's PATHs into repositories to scan, checking the input first.

A PATH given on the command line that is missing, or an archive that cannot be opened, or a list
file that is not text or lists nothing, is a bad input as a whole: one line naming it, exit 2,
nothing written. An entry of a list file that is missing or unreadable is an item: skipped,
listed and counted, and the scan goes on.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from fwatlas.errors import InputError, opt
from fwatlas.scan.detect import RepoTask
from fwatlas.scan.readers import UnreadableRepository, archive_type, iter_list_file, open_repository


def read_url_mapping(path: Path) -> dict[str, str]:
    """A ``--urls`` file: CSV with columns ``path`` and ``url`` (path as given, or absolute)."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            fields = [c.strip().lower() for c in reader.fieldnames or []]
            if "path" not in fields or "url" not in fields:
                raise InputError(f"a {opt('urls')} file needs the CSV columns path and url",
                                 path=str(path))
            out = {}
            for row in reader:
                row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                if row.get("path") and row.get("url"):
                    out[row["path"]] = row["url"]
            return out
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read the {opt('urls')} file ({exc})".splitlines()[0],
                         path=str(path)) from exc


def _check_archive(path: Path, given: str) -> None:
    try:
        open_repository(path).close()
    except UnreadableRepository as exc:
        raise InputError(str(exc), path=given) from exc


def collect_tasks(paths: list[str], *, urls: Path | str | None = None
                  ) -> tuple[list[RepoTask], list[tuple[str, str]]]:
    """(repositories to scan, (entry, reason) for list entries that were skipped)."""
    if not paths:
        raise InputError("no PATH to scan")
    mapping = read_url_mapping(Path(urls)) if urls else {}
    tasks: list[RepoTask] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(given: str, path: Path) -> None:
        real = os.path.realpath(path)
        if real in seen:
            return
        seen.add(real)
        url = mapping.get(given) or mapping.get(str(path)) or mapping.get(real)
        tasks.append(RepoTask(given, real, url))

    for given in paths:
        path = Path(given)
        try:
            found = path.exists()
        except (OSError, ValueError) as exc:  # a name the OS refuses (too long, NUL)
            raise InputError(f"not a usable path ({getattr(exc, 'strerror', None) or exc})",
                             path=given[:200]) from None
        if not found:
            raise InputError("no such file or directory", path=given)
        if path.is_dir():
            add(given, path)
        elif archive_type(path):
            if len(paths) == 1:
                _check_archive(path, given)  # the only input: unreadable is a whole failure
            else:
                try:
                    _check_archive(path, given)
                except InputError as exc:  # one of several: an item-level problem
                    problems.append((given, exc.message.removeprefix(f"{given}: ")))
                    continue
            add(given, path)
        elif path.is_file():
            try:
                entries = list(iter_list_file(path))
            except UnicodeDecodeError as exc:
                raise InputError("neither an archive nor a text list of repositories "
                                 "(not UTF-8 text)", path=given) from exc
            except OSError as exc:
                raise InputError(f"unreadable ({exc.strerror})", path=given) from exc
            if not entries:
                raise InputError("the list of repositories is empty", path=given)
            for n, entry in entries:
                target = Path(entry) if Path(entry).is_absolute() else path.parent / entry
                try:
                    exists = target.exists()
                except (OSError, ValueError) as exc:  # a name the OS refuses (too long, NUL)
                    problems.append((entry[:200], f"listed in {given} line {n}: not a usable "
                                     f"path ({getattr(exc, 'strerror', None) or exc})"))
                    continue
                if not exists:
                    problems.append((entry, f"listed in {given} line {n}: no such file or "
                                            "directory"))
                elif target.is_dir() or archive_type(target):
                    add(entry, target)
                else:
                    problems.append((entry, f"listed in {given} line {n}: not a directory or "
                                            "a zip/wheel/tar archive"))
        else:
            raise InputError("not a directory, archive or list file", path=given)
    return tasks, problems
