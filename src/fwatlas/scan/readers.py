"""Reading a repository without trusting it: directories, git checkouts, zip/wheel and tar.

Hostile input is data. A directory walk never follows a symbolic link that leaves the
repository and never opens anything but regular files; archives are read in place, member by
member, and members with absolute paths, ``..`` components or link types are ignored (counted as
skipped). Every read is bounded by the size limit, so a member that lies about its size cannot
exhaust memory. Nothing read is executed, imported or written to disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import stat
import subprocess
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fwatlas.scan import rules

ARCHIVE_SUFFIXES = (".zip", ".whl", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz",
                    ".txz")


class UnreadableRepository(Exception):
    """The repository as a whole cannot be read (a corrupt archive, an unreadable folder)."""


@dataclass(frozen=True)
class Member:
    relpath: str
    size: int


def is_candidate(relpath: str) -> bool:
    """Files the scan reads: Python, notebooks, dependency files, Keras config."""
    low = relpath.lower()
    return (low.endswith((".py", ".ipynb")) or rules.dependency_file_kind(relpath) is not None
            or low.endswith("keras.json"))


def archive_type(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith((".zip", ".whl")):
        return "zip"
    if name.endswith(ARCHIVE_SUFFIXES):
        return "tar"
    return None


_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_name(name: str) -> str | None:
    """Why an archive member name is refused (absolute, drive letter, ``..``), or None."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or _DRIVE.match(norm):
        return "absolute path in archive"
    if ".." in norm.split("/"):
        return "'..' in archive path"
    return None


def _skip_dir(relpath: str) -> bool:
    return any(p in rules.SKIP_DIRS for p in relpath.split("/")[:-1])


class RepoReader:
    """The interface both kinds of reader offer (see subclasses)."""

    source_type = "directory"

    def __init__(self, path: Path, max_bytes: int = rules.MAX_FILE_BYTES) -> None:
        self.path = path
        self.max_bytes = max_bytes

    def members(self) -> tuple[list[Member], list[str]]:
        """(candidate files, 'relpath: reason' for candidates that are refused)."""
        raise NotImplementedError

    def read(self, relpath: str) -> bytes | str:
        """The bytes of a member, or a reason string when it must be skipped."""
        raise NotImplementedError

    def content_hash(self, members: list[Member], refused: list[str]) -> str:
        raise NotImplementedError

    def date(self) -> tuple[dt.date | None, str]:
        raise NotImplementedError

    def remote_url(self) -> str | None:
        return None

    def close(self) -> None:
        return None


class DirectoryReader(RepoReader):
    source_type = "directory"

    def __init__(self, path: Path, max_bytes: int = rules.MAX_FILE_BYTES) -> None:
        super().__init__(path, max_bytes)
        self.root = os.path.realpath(path)
        try:  # os.walk would silently yield nothing for a folder it cannot list
            with os.scandir(path):
                pass
        except OSError as exc:
            raise UnreadableRepository(f"cannot list the folder ({exc.strerror})") from exc
        if (path / ".git").exists():
            self.source_type = "git"

    def _inside(self, full: str) -> bool:
        real = os.path.realpath(full)
        return real == self.root or real.startswith(self.root + os.sep)

    def members(self) -> tuple[list[Member], list[str]]:
        found: list[Member] = []
        refused: list[str] = []

        def unlistable(exc: OSError) -> None:  # a subfolder that cannot be listed is named
            rel = os.path.relpath(str(exc.filename or "?"), self.path).replace(os.sep, "/")
            refused.append(f"{rel}/: unreadable folder ({exc.strerror})")

        for dirpath, dirnames, filenames in os.walk(self.path, followlinks=False,
                                                    onerror=unlistable):
            dirnames[:] = sorted(d for d in dirnames if d not in rules.SKIP_DIRS
                                 and not os.path.islink(os.path.join(dirpath, d)))
            rel_dir = os.path.relpath(dirpath, self.path)
            for name in sorted(filenames):
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                if not is_candidate(rel):
                    continue
                full = os.path.join(dirpath, name)
                try:
                    if os.path.islink(full) and not self._inside(full):
                        refused.append(f"{rel}: symlink leaves the repository")
                        continue
                    st = os.stat(full)
                except OSError as exc:
                    refused.append(f"{rel}: unreadable ({exc.strerror})")
                    continue
                if not stat.S_ISREG(st.st_mode):
                    refused.append(f"{rel}: not a regular file")
                elif st.st_size > self.max_bytes:
                    refused.append(f"{rel}: over the size limit ({st.st_size:,} bytes)")
                else:
                    found.append(Member(rel, st.st_size))
        return found, refused

    def read(self, relpath: str) -> bytes | str:
        full = os.path.join(self.path, relpath)
        try:
            if os.path.islink(full) and not self._inside(full):
                return "symlink leaves the repository"
            fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    return "not a regular file"
                data = f.read(self.max_bytes + 1)
        except OSError as exc:
            return f"unreadable ({exc.strerror})"
        if len(data) > self.max_bytes:
            return "over the size limit"
        return data

    def content_hash(self, members: list[Member], refused: list[str]) -> str:
        """sha256 of the sorted (relative path, sha256) pairs of the files the scan reads."""
        h = hashlib.sha256()
        entries = []
        for m in members:
            data = self.read(m.relpath)
            digest = hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else data
            entries.append(f"{m.relpath}\0{digest}\n")
        entries += [f"{r}\n" for r in refused]
        for e in sorted(entries):
            h.update(e.encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def _git(self, *args: str) -> str | None:
        try:
            proc = subprocess.run(
                ["git", "--no-pager", "-c", "core.fsmonitor=", "-C", str(self.path), *args],
                capture_output=True, text=True, timeout=120,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
        except (OSError, subprocess.TimeoutExpired):
            return None
        return proc.stdout if proc.returncode == 0 else None

    def date(self) -> tuple[dt.date | None, str]:
        if self.source_type != "git":
            return None, "none: a plain directory carries no date"
        out = self._git("log", "--max-parents=0", "--format=%aI", "HEAD")
        dates = [dt.datetime.fromisoformat(line.strip()) for line in (out or "").splitlines()
                 if line.strip()]
        if not dates:
            return None, "none: git history unreadable or empty"
        first = min(dates).astimezone(dt.UTC)
        return first.date(), "git: first commit (author date, UTC)"

    def remote_url(self) -> str | None:
        if self.source_type != "git":
            return None
        out = self._git("config", "--get", "remote.origin.url")
        if not out:
            out = self._git("remote")
            first = (out or "").split()
            out = self._git("config", "--get", f"remote.{first[0]}.url") if first else None
        return out.strip() if out and out.strip() else None


def _fixed_timestamp(stamps: Sequence[tuple[int, ...]]) -> bool:
    """All members share one midnight timestamp: a reproducible-build constant, not a date."""
    return len(set(stamps)) == 1 and stamps[0][3:6] == (0, 0, 0)


class ZipReader(RepoReader):
    source_type = "zip"

    def __init__(self, path: Path, max_bytes: int = rules.MAX_FILE_BYTES) -> None:
        super().__init__(path, max_bytes)
        try:
            self.zip = zipfile.ZipFile(path)
            self.infos = {i.filename: i for i in self.zip.infolist()}
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise UnreadableRepository(f"not a readable zip archive ({exc})") from exc

    def members(self) -> tuple[list[Member], list[str]]:
        found, refused = [], []
        for name, info in self.infos.items():
            if info.is_dir() or not is_candidate(name):
                continue
            why = unsafe_member_name(name)
            if why is None and stat.S_ISLNK(info.external_attr >> 16):
                why = "symlink in archive"
            if why is None and info.file_size > self.max_bytes:
                why = f"over the size limit ({info.file_size:,} bytes)"
            if why is None and _skip_dir(name):
                continue
            if why:
                refused.append(f"{name}: {why}")
            else:
                found.append(Member(name, info.file_size))
        return found, refused

    def read(self, relpath: str) -> bytes | str:
        try:
            with self.zip.open(self.infos[relpath]) as f:
                data = f.read(self.max_bytes + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, ValueError,
                NotImplementedError) as exc:
            return f"unreadable member ({exc})".splitlines()[0]
        return "over the size limit" if len(data) > self.max_bytes else data

    def content_hash(self, members: list[Member], refused: list[str]) -> str:
        from fwatlas.hashing import file_sha256

        return file_sha256(self.path)

    def date(self) -> tuple[dt.date | None, str]:
        stamps = [i.date_time for i in self.infos.values() if i.date_time[0] > 1980]
        if not stamps:
            return None, "none: the archive's members carry no date"
        if _fixed_timestamp(stamps):
            return None, "none: the archive carries a fixed build timestamp"
        return dt.date(*max(stamps)[:3]), "archive: newest member date"

    def close(self) -> None:
        self.zip.close()


def _check_ratio(path: Path) -> None:
    """Refuse a compressed tar that expands past the readers' ratio bound (a bomb), before
    tarfile walks all of it; costs one bounded decompression pass."""
    from fwatlas.decompress import open_decompressed
    from fwatlas.errors import InputError
    from fwatlas.hashing import compression_of

    try:
        kind = compression_of(path)
        if kind is None:
            return
        with open_decompressed(path, kind) as f:
            while f.read(1 << 20):
                pass
    except InputError as exc:
        raise UnreadableRepository(exc.message.split(": ", 1)[-1]) from None
    except (OSError, EOFError, ValueError):
        return  # corrupt: tarfile reports it in its own words


class TarReader(RepoReader):
    source_type = "tar"

    def __init__(self, path: Path, max_bytes: int = rules.MAX_FILE_BYTES) -> None:
        super().__init__(path, max_bytes)
        _check_ratio(path)
        try:
            self.tar = tarfile.open(path, "r:*")
            self.infos = {m.name: m for m in self.tar.getmembers()}
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            raise UnreadableRepository(f"not a readable tar archive ({exc})") from exc

    def members(self) -> tuple[list[Member], list[str]]:
        found, refused = [], []
        for name, m in self.infos.items():
            if m.isdir() or not is_candidate(name):
                continue
            why = unsafe_member_name(name)
            if why is None and (m.issym() or m.islnk()):
                why = "link in archive"
            if why is None and not m.isfile():
                why = "not a regular file"
            if why is None and m.size > self.max_bytes:
                why = f"over the size limit ({m.size:,} bytes)"
            if why is None and _skip_dir(name):
                continue
            if why:
                refused.append(f"{name}: {why}")
            else:
                found.append(Member(name, m.size))
        return found, refused

    def read(self, relpath: str) -> bytes | str:
        try:
            f = self.tar.extractfile(self.infos[relpath])
            if f is None:
                return "not a regular file"
            data = f.read(self.max_bytes + 1)
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            return f"unreadable member ({exc})".splitlines()[0]
        return "over the size limit" if len(data) > self.max_bytes else data

    def content_hash(self, members: list[Member], refused: list[str]) -> str:
        from fwatlas.hashing import file_sha256

        return file_sha256(self.path)

    def date(self) -> tuple[dt.date | None, str]:
        stamps = [int(m.mtime) for m in self.infos.values() if m.mtime and m.mtime > 315532800]
        if not stamps:
            return None, "none: the archive's members carry no date"
        as_dt = [dt.datetime.fromtimestamp(s, dt.UTC) for s in stamps]
        if _fixed_timestamp([d.timetuple()[:6] for d in as_dt]):
            return None, "none: the archive carries a fixed build timestamp"
        return max(as_dt).date(), "archive: newest member date (UTC)"

    def close(self) -> None:
        self.tar.close()


def open_repository(path: Path, max_bytes: int = rules.MAX_FILE_BYTES) -> RepoReader:
    """The reader for a directory, git checkout or archive (raises UnreadableRepository)."""
    if path.is_dir():
        return DirectoryReader(path, max_bytes)
    kind = archive_type(path)
    if kind == "zip":
        return ZipReader(path, max_bytes)
    if kind == "tar":
        return TarReader(path, max_bytes)
    raise UnreadableRepository("not a directory or a zip/wheel/tar archive")


def own_packages(relpaths: list[str]) -> frozenset[str]:
    """Top-level packages and modules the repository itself defines (their imports are internal).

    Looked for at the repository root, under ``src/``, and under an archive's single top folder
    when that folder is not itself a package.
    """
    paths = [p for p in relpaths if p.endswith(".py")]
    tops = {p.split("/", 1)[0] for p in relpaths if "/" in p}
    prefixes = ["", "src/"]
    if len(tops) == 1 and not any("/" not in p for p in relpaths):
        top = next(iter(tops))
        if f"{top}/__init__.py" not in paths:
            prefixes += [f"{top}/", f"{top}/src/"]
    own = set()
    for p in paths:
        for prefix in prefixes:
            if not p.startswith(prefix):
                continue
            rest = p[len(prefix):].split("/")
            if len(rest) == 1 and rest[0] != "setup.py":
                own.add(rest[0][:-3])
            elif len(rest) == 2 and rest[1] == "__init__.py":
                own.add(rest[0])
    own.discard("__init__")
    return frozenset(own)


def iter_list_file(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, entry) of a text file that lists repositories, one per line."""
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        entry = line.strip()
        if entry and not entry.startswith("#"):
            yield n, entry
