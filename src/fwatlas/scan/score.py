"""From a repository's evidence to framework weights and a primary framework.

Pure: evidence in, :class:`RepoResult` out, following the rule written in docs/scan.md
(import and dependency weights, path weights, ``w = code_share + 0.5 × declared``, candidates
need strong evidence, ``multi`` when the runner-up weighs at least half the top one).
"""

from __future__ import annotations

from collections import Counter

from fwatlas import vocabulary
from fwatlas.scan import rules
from fwatlas.scan.model import Evidence, FileEvidence, RepoMeta, RepoResult


def dated_framework(framework: str, meta: RepoMeta) -> str:
    """``keras`` evidence is TensorFlow before Keras 3 (by the repository's date)."""
    return vocabulary.keras_category(meta.date) if framework == "keras" else framework


def _own(e: Evidence, own: frozenset[str]) -> bool:
    if e.kind in ("import", "guarded import"):
        return e.name in own
    return e.name.replace("-", "_") in {o.lower() for o in own}


def weights(meta: RepoMeta, files: list[FileEvidence]
            ) -> tuple[dict[str, float], set[str], list[Evidence]]:
    """(w per framework, frameworks with strong evidence, the evidence counted)."""
    code_mass = 0.0
    contrib: Counter[str] = Counter()
    declared: dict[str, float] = {}
    strong: set[str] = set()
    counted: list[Evidence] = []
    for f in files:
        if f.skipped is not None:
            continue
        if f.is_code:
            code_mass += f.path_weight
        best: dict[str, float] = {}
        for raw in f.evidence:
            if _own(raw, meta.own_packages):
                continue
            e = Evidence(raw.file, raw.line, raw.what, dated_framework(raw.framework, meta),
                         raw.kind, raw.weight, raw.name)
            counted.append(e)
            full = f.path_weight == rules.PATH_MAIN
            if e.kind in ("import", "guarded import"):
                best[e.framework] = max(best.get(e.framework, 0.0), e.weight)
                if e.kind == "import" and full:
                    strong.add(e.framework)
            elif e.kind in ("requires", "optional requires"):
                declared[e.framework] = max(declared.get(e.framework, 0.0), e.weight)
                if e.kind == "requires" and full:
                    strong.add(e.framework)
        contrib.update(best)
    out: dict[str, float] = {}
    for fw in set(contrib) | set(declared):
        share = contrib[fw] / code_mass if code_mass else 0.0
        w = share + rules.DECLARED_FACTOR * declared.get(fw, 0.0)
        if w > 0:
            out[fw] = round(w, 4)
    return out, strong, counted


def primary(w: dict[str, float], strong: set[str]) -> str:
    """none, multi, or the top candidate (mxnet and paddle as ``other``)."""
    candidates = sorted(((v, fw) for fw, v in w.items()
                         if fw in strong and v >= rules.MIN_WEIGHT), reverse=True)
    if not candidates:
        return "none"
    if len(candidates) > 1 and candidates[1][0] >= rules.MULTI_RATIO * candidates[0][0]:
        return "multi"
    top = candidates[0][1]
    return rules.CATEGORY_OTHER.get(top, top)


def keras_backend(files: list[FileEvidence]) -> tuple[str | None, list[Evidence]]:
    counts: Counter[str] = Counter()
    items: list[Evidence] = []
    for f in files:
        for b in f.backends:
            counts[b] += 1
        items += [e for e in f.evidence if e.kind == "keras backend"]
    if not counts:
        return None, items
    best = max(sorted(counts), key=lambda b: counts[b])
    return best, items


def _interleave(items: list[Evidence]) -> list[Evidence]:
    """Strongest first, taking turns between frameworks, so a capped list still shows each."""
    groups: dict[str, list[Evidence]] = {}
    for e in items:
        groups.setdefault(e.framework, []).append(e)
    out: list[Evidence] = []
    queues = list(groups.values())
    i = 0
    while queues:
        q = queues[i % len(queues)]
        out.append(q.pop(0))
        if not q:
            queues.remove(q)
        else:
            i += 1
    return out


def build_result(meta: RepoMeta, files: list[FileEvidence], refused: list[str], *,
                 worker: str = "", bytes_read: int = 0) -> RepoResult:
    """The repository's result from the evidence of all its files."""
    w, strong, counted = weights(meta, files)
    backend, backend_items = keras_backend(files)
    ordered = _interleave(sorted(counted + backend_items,
                                 key=lambda e: (-e.weight, e.file, e.line or 0)))
    notes = [f"{f.path}: {f.note}" for f in files if f.note]
    if len(ordered) > rules.MAX_EVIDENCE:
        notes.append(f"{len(ordered) - rules.MAX_EVIDENCE} more evidence items not listed")
    skipped = list(refused) + [f"{f.path}: {f.skipped}" for f in files if f.skipped]
    url, url_source = meta.url, meta.url_source
    if url is None:
        from fwatlas.scan.urls import pick_repo_url

        url = pick_repo_url([u for f in files for u in f.urls])
        url_source = "package metadata" if url else None
    return RepoResult(
        path=meta.path, source_type=meta.source_type, content_hash=meta.content_hash,
        scanner=rules.signature(),
        frameworks=dict(sorted(w.items(), key=lambda kv: (-kv[1], kv[0]))),
        primary=primary(w, strong), keras_backend=backend,
        date=meta.date, date_source=meta.date_source, url=url, url_source=url_source,
        files_scanned=sum(1 for f in files if f.skipped is None),
        files_skipped=len(skipped), skipped_files=tuple(sorted(skipped)),
        evidence=tuple(ordered[:rules.MAX_EVIDENCE]), notes=tuple(notes), worker=worker,
        files_parsed=sum(1 for f in files if f.parsed_with_ast), bytes_read=bytes_read,
    )
