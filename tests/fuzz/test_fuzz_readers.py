"""Property-based fuzzing of every reader (issue 15): mutated real-format samples – byte flips,
truncation, type swaps, huge fields, deep nesting, repeated lines – may only be *accepted*
(items skipped are listed) or *rejected whole* with one line (exit 2: ``InputError``) and the
store unchanged. Any other exception, a multi-line message or a changed store after a reject
fails the property.

``make test`` runs a bounded number of inputs per reader (``FWATLAS_FUZZ_EXAMPLES``, default
20); ``make fuzz`` runs 1,000 per reader and writes its figures to
``test-artifacts/fuzz-figures.json``. Each reader runs against one in-memory store (the same
``run_session`` an ``fwatlas ingest`` uses, without opening a file per input).
"""

from __future__ import annotations

import csv
import io
import json
import os
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT

EXAMPLES = int(os.environ.get("FWATLAS_FUZZ_EXAMPLES", "20"))
FIGURES: dict[str, Counter[str]] = {}
SLOWEST: dict[str, float] = {}


# --- seeds: small inputs in each reader's real format --------------------------------------------

def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _models() -> bytes:
    return _jsonl([{"modelId": f"org/m{i}", "tags": ["pytorch", "en"], "downloads": 10 * i,
                    "likes": i, "library_name": "transformers", "pipeline_tag": "fill-mask",
                    "lastModified": f"2022-01-0{i + 1}T00:00:00.000Z",
                    "siblings": [{"rfilename": "pytorch_model.bin"}]} for i in range(6)])


def _models_csv() -> bytes:
    return ("modelId,tags,downloads,lastModified,library_name\n" + "".join(
        f'org/m{i},"[\'pytorch\', \'tf\']",{i * 7},2022-01-0{i + 1}T00:00:00Z,transformers\n'
        for i in range(6))).encode()


def _paper_list() -> bytes:
    return json.dumps([{"id": f"p{i}", "name": f"Paper {i}", "authors": ["A. B", "C. D"],
                        "conference": "icml", "year": 2019, "pdf_link": "x",
                        "metadata": {"words": ["pytorch", "tf"][: i % 3], "affiliation": []}}
                       for i in range(6)]).encode()


def _links() -> bytes:
    return json.dumps([{"paper_url": f"https://paperswithcode.com/paper/p{i}",
                        "paper_title": f"T{i}", "paper_arxiv_id": f"19{i + 1:02d}.0000{i}",
                        "repo_url": f"https://github.com/a/r{i}", "is_official": i % 2 == 0,
                        "mentioned_in_paper": True, "mentioned_in_github": False,
                        "framework": ["pytorch", "tf", "jax", "none"][i % 4]}
                       for i in range(6)]).encode()


def _dump() -> bytes:
    return json.dumps({"last_update": "2024-01-01 00:00:00", "rows": [
        {"project": p, "download_count": 1000 - i} for i, p in
        enumerate(["torch", "tensorflow", "jax", "keras", "numpy"])]}).encode()


def _registry() -> bytes:
    return json.dumps({"info": {"name": "torch", "version": "2.1.0",
                                "requires_dist": ["numpy"], "requires_python": ">=3.8"},
                       "releases": {v: [{"upload_time_iso_8601": f"2023-0{i + 1}-01T00:00:00Z",
                                         "yanked": False}] for i, v in
                                    enumerate(["2.0.0", "2.0.1", "2.1.0"])},
                       "urls": [{"filename": "torch-2.1.0-cp311-none-linux_x86_64.whl",
                                 "packagetype": "bdist_wheel", "python_version": "cp311",
                                 "upload_time_iso_8601": "2023-03-01T00:00:00Z", "size": 5,
                                 "yanked": False}]}).encode()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("pkg/__init__.py", "import torch\nfrom torch import nn\n")
        z.writestr("pkg/train.py", "import jax.numpy as jnp\n")
        z.writestr("requirements.txt", "torch>=2.0\nnumpy\n")
    return buf.getvalue()


def _paper_code_csv() -> bytes:
    # the shared data set's code_links.csv form (venue_year,title,github_repo,source_blob)
    rows = [("cvpr2022", "360MonoDepth: High-Resolution 360° Monocular Depth Estimation",
             "manurare/360monodepth"),
            ("cvpr2022", "3D Shape Reconstruction From 2D Images", "junshengzhou/3DAttriFlow"),
            ("naacl2024", "A Study, With Commas", "https://github.com/a-b/c.d"),
            ("corl2024", "Robots", "org/robots.git")]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["venue_year", "title", "github_repo", "source_blob"])
    w.writerows([*r, "704594cce9d403a46f4959054418dc15b48fb85a"] for r in rows)
    return out.getvalue().encode()


def _paper_copilot() -> bytes:
    # a Paper Copilot list: title, author, status, site, github (often empty, sometimes several)
    return json.dumps([{"title": f"Paper {i}", "author": "A. B;C. D", "status": "Poster",
                        "site": f"https://openaccess.thecvf.com/p{i}",
                        "github": ["https://github.com/org/r0", "", "org/r2",
                                   "https://github.com/o/r3; https://x.example/y"][i % 4]}
                       for i in range(6)]).encode()


def _coverage() -> bytes:
    # the head of transformers_arch_framework_coverage.csv (the shared data set)
    return (b"version,wheel_build_date,n_arch_any,n_pytorch,n_tensorflow,n_flax,n_tf_and_pt,"
            b"n_flax_and_pt,n_pt_only,n_tf_only_no_pt,n_flax_only_no_pt,share_tf,share_flax,"
            b"wheel,sha256\n"
            b"3.0.0,2020-06-29,25,25,17,0,17,0,8,0,0,0.68,0.0,"
            b"transformers-3.0.0-py3-none-any.whl,679f0060e47e740f\n"
            b"4.0.0,2020-11-30,38,38,26,2,26,2,12,0,0,0.6842,0.0526,"
            b"transformers-4.0.0-py3-none-any.whl,5b8618e8fe34de07\n"
            b"4.6.0,2021-05-12,56,56,32,3,32,3,24,0,0,0.5714,0.0536,"
            b"transformers-4.6.0-py3-none-any.whl,826e41f7831d967d\n")


def _probe() -> bytes:
    # what `fwatlas probe run` writes: one record per (path, model, size), exactly these fields
    def record(path: str, model: str, ok: bool) -> dict[str, Any]:
        return {"path": path, "model": model, "size": "tiny", "ok": ok, "supported": True,
                "stage": None if ok else "load", "error": None if ok else "InvalidGraph: Erfc",
                "export_s": 1.25 if ok else None, "artifact_bytes": 158_720 if ok else None,
                "latency_ms": 1.6 if ok else None, "latency_p10_ms": 1.5 if ok else None,
                "latency_p90_ms": 1.9 if ok else None, "source_latency_ms": 0.3,
                "max_abs_diff": 2e-7 if ok else None,
                "versions": {"python": "3.11.7", "torch": "2.13.0+cpu"},
                "machine": {"cpu": "Test CPU", "cores": 2, "load_avg": [1.5, 1.0, 0.5],
                            "measured_at": "2026-12-03T08:00:00+00:00"}}
    return _jsonl([record("torch-onnx", "cnn", True), record("torch-onnx", "block", False),
                   record("torch-export", "cnn", True)])


def _best_of(day: str, stars: int) -> bytes:
    # best-of-ml-python's <date>_projects.csv: an unnamed index column, labels as a list literal
    head = (",name,github_id,pypi_id,labels,fork_count,open_issue_count,star_count,"
            "dependent_project_count,github_dependent_project_count,contributor_count,"
            "pypi_dependent_project_count,pypi_monthly_downloads\n")
    rows = [("Tensorflow", "tensorflow/tensorflow", "tensorflow", "['tensorflow']"),
            ("PyTorch", "pytorch/pytorch", "torch", "['pytorch']"),
            ("Flax", "google/flax", "flax", "['jax']")]
    return (head + "".join(
        f'{i},{n},{g},{p},"{lab}",{83340.0 + i},{4158.0},{stars + i}.0,{131920.0},{109396.0},'
        f'{3424.0},{22524.0},{9640712.0}\n' for i, (n, g, p, lab) in enumerate(rows))).encode()


def _best_of_folder() -> dict[str, bytes]:
    # a folder as `fwatlas ingest github DIR` reads it: two weekly files (one snapshot of
    # the group) and a precomputed aggregate that is listed as ignored
    return {"2024-01-04_projects.csv": _best_of("2024-01-04", 150_000),
            "2024-01-11_projects.csv": _best_of("2024-01-11", 151_000),
            "label_aggregates_weekly.csv": b"date,label,stars\n2024-01-04,pytorch,5\n"}


def _papers_metadata() -> dict[str, bytes]:
    # `fwatlas ingest papers DIR --metadata meta.csv`: paper text files named by id, and the
    # metadata CSV (id, title, authors, venue, year) that is mutated
    return {"meta.csv": (b"id,title,authors,venue,year\n"
                         b"p1,Deep Nets,A. B;C. D,ICML,2019\n"
                         b'p2,"Graphs, Fast",E. F,NeurIPS,2019\n'
                         b"p3,Jax Everywhere,G. H,ICML,2019\n"),
            "p1.txt": b"We implement our model in PyTorch (import torch).\n",
            "p2.txt": b"Experiments use TensorFlow 2 and Keras.\n",
            "p3.txt": b"Our code is written in JAX with Flax.\n"}


def _hub_parquet() -> bytes:
    # rows shaped like the cfahlgren1/hub-stats models Parquet (../shared/reference/hub-stats.md)
    import tempfile

    import duckdb

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "models.parquet"
        con = duckdb.connect(":memory:")
        con.execute(f"""COPY (SELECT * FROM (VALUES
            ('org/m0', 'org', TIMESTAMPTZ '2023-01-02 00:00:00+00',
             TIMESTAMPTZ '2024-05-01 10:00:00+00', ['pytorch', 'safetensors', 'en'],
             'transformers', 'fill-mask', 120, 5000, 3,
             {{'models': [{{'_id': 'a1', 'id': 'base/m'}}], 'relation': 'finetune'}},
             {{'parameters': {{'BF16': 1000, 'F32': 20}}, 'total': 1020}}),
            ('org/m1', 'org', TIMESTAMPTZ '2022-03-04 00:00:00+00',
             TIMESTAMPTZ '2023-07-01 00:00:00+00', ['tf', 'keras'], 'keras', NULL, 0, 40, 0,
             NULL, NULL),
            ('x/m2', 'x', TIMESTAMPTZ '2024-02-02 00:00:00+00',
             TIMESTAMPTZ '2024-02-03 00:00:00+00', ['jax', 'gguf'], NULL, 'text-generation',
             7, 7, 1, NULL, NULL))
            AS t(id, author, createdAt, lastModified, tags, library_name, pipeline_tag,
                 downloads, downloadsAllTime, likes, baseModels, safetensors))
            TO '{out}' (FORMAT PARQUET)""")
        con.close()
        return out.read_bytes()


#: a seed: one file's bytes, or several files (relative name -> bytes) of which the SEEDS entry's
#: file name is the one mutated and the rest are written unchanged beside it
Seed = Callable[[], "bytes | dict[str, bytes]"]
#: ingest options that name a file of the input folder (resolved there), and ``_path``: what
#: to ingest (the folder "." instead of the mutated file)
IN_FOLDER_OPTIONS = ("metadata", "_path")

#: reader name -> (kind, file name, seed bytes, ingest options)
SEEDS: dict[str, tuple[str, str, Seed, dict[str, Any]]] = {
    "hub-jsonl": ("hub", "models.jsonl", _models, {}),
    "hub-csv": ("hub", "models.csv", _models_csv, {}),
    "papers-list": ("papers", "icml_2019.json", _paper_list, {}),
    "papers-published": ("papers", "published_counts.csv",
                         lambda: b"ICML,06/19,10,5,40\nNeurIPS,12/19,20,9,60\nICLR,05/20,8,3,22\n",
                         {}),
    "pwc": ("pwc", "links.json", _links, {}),
    "pypi-downloads-dump": ("pypi-downloads", "top-pypi-packages-30-days.json", _dump, {}),
    "pypi-downloads-series": ("pypi-downloads", "series.csv", lambda: (
        b"last_update,window,project,download_count,rank\n2024-01-01,30d,torch,500,1\n"
        b"2024-01-01,30d,jax,100,2\n2024-02-01,30d,torch,600,1\n"), {}),
    "github-daily": ("github", "stars.tsv", lambda: (
        b"timestamp\tname\tstargazers\tforks\n2022-01-01\tpytorch\t50\t3\n"
        b"2022-01-02\tpytorch\t51\t3\n2022-01-01\tjax\t20\t1\n"), {}),
    "jobs-sites": ("jobs", "sites.csv", lambda: (
        b"date,site,framework,postings\n2024-01,a.example,pytorch,5\n"
        b"2024-01,a.example,tensorflow,3\n2024-02,b.example,jax,1\n"), {}),
    "jobs-hn": ("jobs", "hn.csv", lambda: (
        b"month,term,count,num_comments\n2020-01,pytorch,5,400\n2020-01,tensorflow,7,400\n"
        b"2020-02,keras,2,380\n"), {}),
    "qa-counts": ("qa", "frameworks_questions_count.csv", lambda: (
        b"Date,Pytorch_Question_Count,Tensorflow_Question_Count\n2018,100,900\n"
        b"2019,300,1000\n"), {"data_date": "2020-06-01"}),
    "qa-dump": ("qa", "questions.csv", lambda: (
        b"Id,CreationDate,Tags\n1,2019-01-02T10:00:00,<keras><tensorflow>\n"
        b"2,2019-02-03T11:00:00,<pytorch>\n3,2020-03-04T12:00:00,<jax><python>\n"), {}),
    "registry": ("registry", "torch.json", _registry, {}),
    "repos": ("repos", "project.zip", _zip, {}),
    "paper-code-csv": ("paper-code", "code_links.csv", _paper_code_csv, {}),
    "paper-code-copilot": ("paper-code", "cvpr2024.json", _paper_copilot, {}),
    "coverage": ("coverage", "transformers_arch_framework_coverage.csv", _coverage, {}),
    "probe": ("probe", "results.jsonl", _probe, {}),
    "github-best-of": ("github", "2024-01-04_projects.csv", _best_of_folder, {"_path": "."}),
    "papers-metadata": ("papers", "meta.csv", _papers_metadata,
                        {"metadata": "meta.csv", "_path": ".", "workers": 1}),
    "hub-parquet": ("hub", "models.parquet", _hub_parquet, {}),
}


# --- mutations ---------------------------------------------------------------------------------

#: values a swap writes into a slot; the slot comes from the step's integer and the value from
#: its independent float, so every (field, value) pair can occur (one integer picking both
#: left most pairs untried, and hid a superscript year and a 5,000-digit one)
SWAPS: list[Any] = [None, -5, "x", [], {}, 1.5, True, "9" * 2000, [[["deep"]]], 10**30,
                    "<b>x</b>", "²⁰¹⁹", "9" * 5000, "[" * 5000]
CSV_SWAPS = ["-5", "", "x", "1e400", "<b>x</b>", "a\nb", '"', "9" * 200_000, "\x00", "²⁰¹⁹",
             "9" * 5000, "[" * 5000]


def _pick(values: list[Any], where: float) -> Any:
    return values[min(int(where * len(values)), len(values) - 1)]


def _swap_json(data: bytes, pick: int, value: Any) -> bytes:
    try:
        lines = [json.loads(line) for line in data.decode().splitlines()] \
            if data.count(b"\n") > 1 and not data.lstrip().startswith(b"[") \
            and not data.lstrip().startswith(b"{\"info") else [json.loads(data)]
    except (ValueError, RecursionError):  # not JSON (any more): nothing to swap
        return data
    slots: list[tuple[Any, Any]] = []

    def walk(node: Any, depth: int = 0) -> None:
        if depth > 50:
            return
        if isinstance(node, dict):
            for k in node:
                slots.append((node, k))
                walk(node[k], depth + 1)
        elif isinstance(node, list):
            for i in range(len(node)):
                slots.append((node, i))
                walk(node[i], depth + 1)
    for doc in lines:
        walk(doc)
    if not slots:
        return data
    parent, key = slots[pick % len(slots)]
    parent[key] = value
    try:
        return _jsonl(lines) if len(lines) > 1 else json.dumps(lines[0]).encode()
    except (ValueError, RecursionError):
        return data


def _swap_csv(data: bytes, pick: int, value: str, delimiter: str) -> bytes:
    try:
        rows = list(csv.reader(io.StringIO(data.decode()), delimiter=delimiter))
    except (UnicodeDecodeError, csv.Error):
        return data
    cells = [(r, c) for r in range(1, len(rows)) for c in range(len(rows[r]))]
    if not cells:
        return data
    r, c = cells[pick % len(cells)]
    rows[r][c] = value
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode()


def _swap_parquet(data: bytes, pick: int) -> bytes:
    """One column of a Parquet file rewritten with another type or a hostile value: the whole
    column as text, one value null, a negative or huge count, an empty id, a column dropped."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
        return _swap_column(table, pick) if table.num_columns and table.num_rows else data
    except Exception:  # noqa: BLE001 - not Parquet (any more), a flipped name: nothing to swap
        return data


def _swap_column(table: Any, pick: int) -> bytes:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    i = pick % table.num_columns
    name, col = table.column_names[i], table.column(i)
    how = (pick // table.num_columns) % 5
    row = pick % table.num_rows
    if how == 0:
        new = pc.cast(col, pa.string()) if not pa.types.is_nested(col.type) else \
            pa.array([str(v) for v in col.to_pylist()])
    elif how == 1:
        values = col.to_pylist()
        values[row] = None
        new = pa.array(values, col.type)
    elif how == 2 and pa.types.is_integer(col.type):
        values = col.to_pylist()
        values[row] = -5 if row % 2 else (1 << 63) - 1
        new = pa.array(values, pa.int64())
    elif how == 2 and pa.types.is_string(col.type):
        values = col.to_pylist()
        values[row] = "" if row % 2 else "<b>x</b>\n" + "9" * 200_000
        new = pa.array(values, col.type)
    elif how == 3:
        out = io.BytesIO()
        pq.write_table(table.remove_column(i), out)
        return out.getvalue()
    else:
        new = pa.array([1.5] * table.num_rows)
    out = io.BytesIO()
    pq.write_table(table.set_column(i, name, new), out)
    return out.getvalue()


mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("truncate"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("huge"), st.floats(0, 1), st.integers(1, 300_000)),
    st.tuples(st.just("deep"), st.floats(0, 1), st.integers(1, 60_000)),
    st.tuples(st.just("swap"), st.floats(0, 1), st.integers(0, 10_000)),
    st.tuples(st.just("repeat"), st.floats(0, 1), st.integers(1, 50)),
)


def mutate(name: str, data: bytes, steps: list[tuple[str, float, int]]) -> bytes:
    for op, where, n in steps:
        pos = int(where * len(data))
        if op == "flip" and data:
            pos = min(pos, len(data) - 1)
            data = data[:pos] + bytes([n]) + data[pos + 1:]
        elif op == "truncate":
            data = data[:pos]
        elif op == "huge":
            data = data[:pos] + (b"9" if n % 2 else b"a") * n + data[pos:]
        elif op == "deep":
            data = data[:pos] + b"[" * n + data[pos:]
        elif op == "swap":
            kind, fname = SEEDS[name][0], SEEDS[name][1]
            if fname.endswith(".parquet"):
                data = _swap_parquet(data, n)
            elif fname.endswith((".json", ".jsonl")):
                data = _swap_json(data, n, _pick(SWAPS, where))
            elif fname.endswith((".csv", ".tsv")) and kind != "hub" or fname.endswith(".csv"):
                data = _swap_csv(data, n, _pick(CSV_SWAPS, where),
                                 "\t" if fname.endswith(".tsv") else ",")
        elif op == "repeat":
            lines = data.split(b"\n")
            i = int(where * max(len(lines) - 1, 0))
            data = b"\n".join(lines[:i] + [lines[i]] * n + lines[i:])
    return data


# --- the property ------------------------------------------------------------------------------


class Store:
    """One in-memory store per reader: the ingest session exactly as the CLI runs it."""

    def __init__(self, kind: str) -> None:
        import duckdb

        from fwatlas import kinds
        from fwatlas.store import reference, schema
        from fwatlas.store.atlas import Atlas

        self.con = duckdb.connect(":memory:")
        component = kinds.get(kind).component
        self.con.execute("BEGIN")
        schema.migrate(self.con, [component])
        self.con.execute("COMMIT")
        reference.attach(self.con)
        self.atlas = Atlas(con=self.con, path=None, read_only=False)
        self.source = kinds.get(kind)
        self.tables = [r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_catalog = current_database()").fetchall()]

    def state(self) -> tuple[Any, ...]:
        return tuple(self.con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]  # noqa: S608
                     for t in self.tables)

    def ingest(self, path: Path, options: dict[str, Any]) -> Any:
        import datetime as dt

        from fwatlas.ingestion import read_and_derive
        from fwatlas.store.session import run_session

        opts = dict(options)
        when = dt.date.fromisoformat(opts.pop("data_date")) if "data_date" in opts else None
        for key in IN_FOLDER_OPTIONS:
            if key in opts:
                opts[key] = str(path.parent / opts[key])
        path = Path(opts.pop("_path", path))
        return run_session(self.atlas, str(path), lambda s: read_and_derive(
            self.source, s, path, when, opts))


@pytest.fixture(scope="module", autouse=True)
def figures_file():
    yield
    if not FIGURES:
        return
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "fuzz-figures.json").write_text(json.dumps(
        {"examples_per_reader": EXAMPLES,
         "readers": {k: {**dict(v), "inputs": sum(v.values()),
                         "slowest_s": round(SLOWEST.get(k, 0.0), 3)}
                     for k, v in sorted(FIGURES.items())}}, indent=2))


@pytest.mark.parametrize("name", list(SEEDS))
def test_a_mutated_input_is_accepted_or_rejected_whole(name: str, tmp_path: Path) -> None:
    from fwatlas.errors import InputError

    kind, fname, seed, options = SEEDS[name]
    store = Store(kind)
    made = seed()
    beside = made if isinstance(made, dict) else None
    original = made[fname] if isinstance(made, dict) else made
    assert store.ingest(_write(tmp_path, fname, original, beside), options).created, \
        "the unmutated seed must ingest"
    counts = FIGURES.setdefault(name, Counter())

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=False, database=None,
              suppress_health_check=list(HealthCheck))
    @given(steps=st.lists(mutation, min_size=1, max_size=3))
    def check(steps: list[tuple[str, float, int]]) -> None:
        data = mutate(name, original, steps)
        path = _write(tmp_path, fname, data, beside)
        before = store.state()
        start = time.monotonic()
        try:
            result = store.ingest(path, options)
        except InputError as exc:
            text = str(exc)
            assert text and "\n" not in text and "Traceback" not in text, text
            assert store.state() == before, "a rejected input changed the store"
            counts["rejected"] += 1
        else:
            counts["accepted, already ingested" if not result.created
                   else "accepted with skipped items" if result.skipped_items
                   else "accepted clean"] += 1
        finally:
            SLOWEST[name] = max(SLOWEST.get(name, 0.0), time.monotonic() - start)
        assert time.monotonic() - start < 20, "one small input took over 20 s"

    check()


def _write(tmp: Path, name: str, data: bytes, beside: dict[str, bytes] | None = None) -> Path:
    """Write the (mutated) file, and the seed's other files unchanged beside it."""
    path = tmp / "in" / name
    path.parent.mkdir(exist_ok=True)
    for other, content in (beside or {}).items():
        if other != name:
            (path.parent / other).write_bytes(content)
    path.write_bytes(data)
    return path
