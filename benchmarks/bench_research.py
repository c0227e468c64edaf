"""Benchmark: the paper scanner against a naive per-term search, and PDF text extraction.

1. Term scanning. A synthetic corpus of paper-length texts (default 30,000 × ~50 KB ≈ 1.5 GB,
   written once under ``bench-data/research``; generation is not timed) is scanned by the code
   ``fwatlas ingest papers`` uses – ``fwatlas.sources.papers_pdf.scan_files`` with its worker
   processes, one Aho-Corasick pass per text with whole-word and ``requires`` rules – and, in the
   same run, by the baseline the issue names::

       def naive(text, terms):          # terms: every term of the text vocabulary
           low = text.lower()
           return {t for t in terms if t in low}

   in one process. Both read the same files (from the page cache after generation). Reported:
   MB/s of each, the ratio, and the scanner's MB/s per worker against the baseline's.
2. PDF text extraction: pages/s of pypdfium2 (the project's extractor) against pypdf on the same
   generated PDFs.

Run: ``.venv/bin/python benchmarks/bench_research.py`` (``--quick`` for a small run).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench-data" / "research"

WORDS = ("model network training loss gradient layer attention dataset accuracy benchmark "
         "convolution transformer embedding optimizer batch learning rate regularization "
         "inference evaluation architecture baseline experiment results table figure section "
         "we propose method approach performance state art feature representation encoder "
         "decoder sequence image language graph node policy reward agent sample distribution "
         "theorem proof lemma bound convex stochastic variance kernel prior posterior").split()
#: Phrases spread through the texts: framework mentions, and traps that only whole-word and
#: `requires` rules reject (the naive baseline counts them).
MENTIONS = ("implemented in PyTorch", "using TensorFlow 2", "with JAX and Flax", "in Keras",
            "an AJAX interface", "a haiku", "Haiku from DeepMind", "MXNet Gluon",
            "torchvision models", "PaddlePaddle", "pytorch-lightning", "tf.keras layers",
            "flaxen hair", "kerastase", "a gluon field", "Shakespeare's sonnets",
            "jaxtyping annotations")


def naive(text: str, terms: list[str]) -> set[str]:
    low = text.lower()
    return {t for t in terms if t in low}


def make_corpus(n: int, size: int) -> list[Path]:
    """n texts of about ``size`` characters each (reused when already there)."""
    folder = DATA / f"texts-{n}-{size}"
    marker = folder / ".complete"
    files = [folder / f"{i:06d}.txt" for i in range(n)]
    if marker.exists():
        return files
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(2022)
    paragraphs = [" ".join(rng.choices(WORDS, k=160)).capitalize() + ".\n" for _ in range(400)]
    per_text = max(1, size // len(paragraphs[0]))
    for i, path in enumerate(files):
        parts = rng.choices(paragraphs, k=per_text)
        for _ in range(rng.randint(0, 3)):
            parts.insert(rng.randrange(len(parts)), rng.choice(MENTIONS) + ". ")
        path.write_text("".join(parts), "utf-8")
        if i % 5000 == 0:
            print(f"  generating texts: {i:,}/{n:,}", file=sys.stderr)
    marker.write_text("ok")
    return files


def make_pdfs(n: int, pages: int) -> list[Path]:
    from fpdf import FPDF

    folder = DATA / f"pdfs-{n}-{pages}"
    marker = folder / ".complete"
    files = [folder / f"{i:04d}.pdf" for i in range(n)]
    if marker.exists():
        return files
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(7)
    for path in files:
        pdf = FPDF()
        pdf.set_font("Helvetica", size=10)
        for _ in range(pages):
            pdf.add_page()
            pdf.multi_cell(0, 5, " ".join(rng.choices(WORDS, k=450)) + " We use PyTorch.",
                           new_x="LMARGIN", new_y="NEXT")
        pdf.output(str(path))
    marker.write_text("ok")
    return files


def bench_scan(files: list[Path], workers: int) -> dict[str, float]:
    from fwatlas.sources.papers_pdf import PaperFile, scan_files
    from fwatlas.vocabulary import text_terms

    total_bytes = sum(f.stat().st_size for f in files)
    mb = total_bytes / 1e6
    terms = sorted({t.term for t in text_terms()})

    load0 = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    naive_hits = 0
    for f in files:
        naive_hits += bool(naive(f.read_text("utf-8"), terms))
    t_naive, cpu_naive = time.perf_counter() - t0, time.process_time() - c0

    items = [PaperFile(f.stem, str(f), 2021) for f in files]
    t0, c0, k0 = time.perf_counter(), time.process_time(), _children_cpu()
    scanner_hits = sum(1 for r in scan_files(items, workers=workers, progress=False, chunk=16)
                       if r.frameworks)
    t_scan = time.perf_counter() - t0
    # the pool has shut down and its workers were reaped: their CPU time is in RUSAGE_CHILDREN
    cpu_scan = time.process_time() - c0 + _children_cpu() - k0
    return {"mb": mb, "files": len(files), "terms": len(terms), "workers": workers,
            "t_naive": t_naive, "t_scan": t_scan, "naive_mbs": mb / t_naive,
            "scan_mbs": mb / t_scan, "naive_hits": naive_hits, "scan_hits": scanner_hits,
            "cpu_naive": cpu_naive, "cpu_scan": cpu_scan,
            "load": max(load0, os.getloadavg()[0])}


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def bench_pdf(files: list[Path]) -> dict[str, float]:
    from pypdf import PdfReader

    from fwatlas.sources.papers_pdf import extract_pdf_text

    t0 = time.perf_counter()
    pages_pdfium = sum(extract_pdf_text(f)[1] for f in files)
    t_pdfium = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages_pypdf = 0
    for f in files:
        reader = PdfReader(str(f))
        for page in reader.pages:
            page.extract_text()
            pages_pypdf += 1
    t_pypdf = time.perf_counter() - t0
    return {"pages": pages_pdfium, "pdfium_pps": pages_pdfium / t_pdfium,
            "pypdf_pps": pages_pypdf / t_pypdf}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 texts and 10 PDFs")
    parser.add_argument("--texts", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--clean", action="store_true", help="delete the generated corpus after")
    args = parser.parse_args(argv)
    n = args.texts or (1_000 if args.quick else 30_000)
    pdfs = 10 if args.quick else 40

    print(f"generating {n:,} texts of ~50 KB and {pdfs} PDFs of 10 pages (not timed)…",
          file=sys.stderr)
    files = make_corpus(n, 50_000)
    pdf_files = make_pdfs(pdfs, 10)

    s = bench_scan(files, args.workers)
    print(f"Term scanning: {s['files']:,} texts, {s['mb']:,.0f} MB, {s['terms']} terms, "
          f"{os.cpu_count()} CPUs")
    print(f"  baseline naive (1 process, substring, no whole-word rule): {s['t_naive']:.1f} s, "
          f"{s['naive_mbs']:.0f} MB/s ({s['naive_hits']:,} texts with a hit)")
    print(f"  fwatlas scanner ({s['workers']} worker processes, Aho-Corasick, whole words, "
          f"requires): {s['t_scan']:.1f} s, {s['scan_mbs']:.0f} MB/s "
          f"({s['scan_hits']:,} texts with a framework)")
    print(f"  ratio scanner/baseline: {s['scan_mbs'] / s['naive_mbs']:.2f}x overall, "
          f"{s['scan_mbs'] / s['workers'] / s['naive_mbs']:.2f}x per worker")
    print(f"  CPU time (robust to other load; load average {s['load']:.1f} on "
          f"{os.cpu_count()} CPUs): baseline {s['cpu_naive']:.1f} s = "
          f"{s['mb'] / s['cpu_naive']:.0f} MB per CPU-second; scanner {s['cpu_scan']:.1f} s = "
          f"{s['mb'] / s['cpu_scan']:.0f} MB per CPU-second "
          f"({s['cpu_naive'] / s['cpu_scan']:.2f}x the baseline per core)")
    ideal = s["cpu_scan"] / s["workers"]
    print(f"  target: whole corpus in < 20 s -> wall {s['t_scan']:.1f} s "
          f"({'met' if s['t_scan'] < 20 else 'NOT met'}); on {s['workers']} otherwise idle cores "
          f"≈ {ideal:.1f} s ({'met' if ideal < 20 else 'NOT met'})")
    p = bench_pdf(pdf_files)
    print(f"PDF text extraction: {p['pages']:,} pages")
    print(f"  pypdfium2 (fwatlas): {p['pdfium_pps']:.0f} pages/s; pypdf (baseline): "
          f"{p['pypdf_pps']:.0f} pages/s; ratio {p['pdfium_pps'] / p['pypdf_pps']:.1f}x")
    if args.clean:
        shutil.rmtree(DATA, ignore_errors=True)


if __name__ == "__main__":
    main()
