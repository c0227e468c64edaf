"""Reading paper files (PDF or plain text) and finding their framework mentions, in parallel.

Text extraction is the slow part of a paper ingest (a PDF page takes milliseconds, a scan of its
text microseconds), so each file is extracted *and* scanned inside a worker process and only the
small result – matched terms, frameworks, page count – comes back. Extracted PDF text is cached
under ``settings.cache_dir()/papers-text`` by the PDF's sha256, so re-ingesting the same papers
(or a second metadata file over them) never extracts again. A file that cannot be read is an
item-level problem: its outcome carries the error and the caller skips it.

Workers are started with ``spawn``: the ingest holds an open DuckDB connection (with threads),
and forking a threaded process is unsafe.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fwatlas import settings
from fwatlas.textscan import scan_text

#: Below this many files the pool's start-up costs more than it saves.
MIN_FILES_FOR_POOL = 8
TEXT_SUFFIXES = (".txt", ".text")
PDF_SUFFIXES = (".pdf",)


@dataclass(frozen=True)
class PaperFile:
    """One file to read: its paper id, path and the year that dates ``keras``."""

    paper_id: str
    path: str
    year: int | None


@dataclass(frozen=True)
class FileScan:
    """What one file showed, or why it could not be read."""

    paper_id: str
    terms: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    pages: int = 0
    chars: int = 0
    from_cache: bool = False
    error: str | None = None


def text_cache_dir() -> Path:
    return settings.cache_dir() / "papers-text"


def _cache_path(digest: str) -> Path:
    return text_cache_dir() / digest[:2] / f"{digest}.txt"


def extract_pdf_text(path: Path) -> tuple[str, int]:
    """(text, pages) of a PDF with pypdfium2; raises on an unreadable file."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        parts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts), len(parts)
    finally:
        pdf.close()


def _pdf_text(path: Path) -> tuple[str, int, bool]:
    """(text, pages, from_cache): the cached text if this exact PDF was extracted before."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    cached = _cache_path(digest)
    if cached.exists():
        head, _, text = cached.read_text("utf-8").partition("\n")
        return text, int(head.removeprefix("pages=")), True
    text, pages = extract_pdf_text(path)
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(f"pages={pages}\n{text}", "utf-8")
    tmp.replace(cached)
    return text, pages, False


def read_paper_text(path: Path) -> tuple[str, int, bool]:
    """(text, pages, from_cache) of a PDF or a UTF-8 text file (a text file is one 'page')."""
    if path.suffix.lower() in PDF_SUFFIXES:
        return _pdf_text(path)
    return path.read_text("utf-8"), 1, False


def scan_file(item: PaperFile) -> FileScan:
    """Extract (or read) one file and scan its text; errors become the outcome's ``error``."""
    try:
        text, pages, cached = read_paper_text(Path(item.path))
    except UnicodeDecodeError:
        return FileScan(item.paper_id, error="not UTF-8 text")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is an item-level problem
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return FileScan(item.paper_id, error=f"unreadable ({type(exc).__name__}: {reason})")
    match = scan_text(text, item.year)
    return FileScan(item.paper_id, match.terms, match.frameworks, pages, len(text), cached)


def _scan_chunk(items: list[PaperFile]) -> list[FileScan]:
    return [scan_file(i) for i in items]


def default_workers() -> int:
    """``FWATLAS_WORKERS`` or the machine's CPU count."""
    return settings.workers()


def scan_files(items: Sequence[PaperFile], *, workers: int | None = None,
               progress: bool = True, chunk: int = 16) -> Iterator[FileScan]:
    """Scan every file, in worker processes when there are enough; yields in input order.

    ``progress`` shows a Rich progress bar on stderr (it stays silent when stderr is no
    terminal).
    """
    workers = default_workers() if workers is None else max(1, workers)
    chunks = [list(items[i:i + chunk]) for i in range(0, len(items), chunk)]
    bar = _Bar(len(items)) if progress else None
    try:
        if workers == 1 or len(items) < MIN_FILES_FOR_POOL:
            results: Iterator[list[FileScan]] = map(_scan_chunk, chunks)
            yield from _report(results, bar)
            return
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            yield from _report(pool.map(_scan_chunk, chunks), bar)
    finally:
        if bar is not None:
            bar.stop()


def _report(results: Iterator[list[FileScan]], bar: _Bar | None) -> Iterator[FileScan]:
    for batch in results:
        yield from batch
        if bar is not None:
            bar.advance(len(batch))


class _Bar:
    """A Rich progress bar on stderr, for the one task of reading papers."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(stderr=True)
        self._progress = Progress(TextColumn("reading papers"), BarColumn(),
                                  MofNCompleteColumn(), TimeRemainingColumn(),
                                  console=console, transient=True,
                                  disable=not console.is_terminal)
        self._task = self._progress.add_task("papers", total=total)
        self._progress.start()

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def stop(self) -> None:
        self._progress.stop()
