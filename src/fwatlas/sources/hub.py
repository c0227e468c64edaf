"""Hugging Face Hub model metadata: the reader and its ingest into ``hub_models``.

Accepts Parquet (the ``cfahlgren1/hub-stats`` layout), JSON Lines (``list_models(full=True)``
output, optionally gzipped, as in the 2022 dump) and CSV (list columns as JSON or Python-literal
strings). Every layout is normalised, batch by batch with Arrow compute, to one schema – no
Python object per row – so millions of models stream through in constant memory.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from fwatlas.errors import InputError
from fwatlas.hashing import content_hash
from fwatlas.streams import GuardedReader, SqlRows, describe, report_progress

DATASET = "hub/models"
BATCH_ROWS = 131_072
JSONL_SAMPLE_LINES = 1_000

MIGRATIONS: list[str] = [
    """
    CREATE TABLE hub_models (
        snapshot_id BIGINT NOT NULL,
        id VARCHAR NOT NULL,
        author VARCHAR,
        library_name VARCHAR,
        tags VARCHAR[],
        pipeline_tag VARCHAR,
        downloads BIGINT,
        downloads_all_time BIGINT,
        likes BIGINT,
        created_at TIMESTAMP,
        last_modified TIMESTAMP,
        siblings VARCHAR[]
    );
    CREATE TABLE hub_snapshot_columns (
        snapshot_id BIGINT PRIMARY KEY,
        has_siblings BOOLEAN NOT NULL,
        has_created_at BOOLEAN NOT NULL,
        has_downloads BOOLEAN NOT NULL,
        has_downloads_all_time BOOLEAN NOT NULL,
        has_likes BOOLEAN NOT NULL,
        has_library_name BOOLEAN NOT NULL
    );
    """,
    # 2: the availability cube (fwatlas.analyses.hub_cube)
    """
    CREATE TABLE hub_cube (
        snapshot_id BIGINT NOT NULL,
        vocabulary VARCHAR NOT NULL,
        year VARCHAR NOT NULL,
        task VARCHAR NOT NULL,
        tags_mask UTINYINT NOT NULL,
        files_mask UTINYINT,
        library_mask UTINYINT,
        models BIGINT NOT NULL,
        downloads DOUBLE NOT NULL,
        downloads_all_time DOUBLE NOT NULL
    );
    """,
]

SCHEMA = pa.schema([
    ("id", pa.string()),
    ("author", pa.string()),
    ("library_name", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("pipeline_tag", pa.string()),
    ("downloads", pa.int64()),
    ("downloads_all_time", pa.int64()),
    ("likes", pa.int64()),
    ("created_at", pa.timestamp("us")),
    ("last_modified", pa.timestamp("us")),
    ("siblings", pa.list_(pa.string())),
])

#: source column names -> normalised name (first present wins)
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "modelId"),
    "author": ("author",),
    "library_name": ("library_name",),
    "tags": ("tags",),
    "pipeline_tag": ("pipeline_tag",),
    "downloads": ("downloads",),
    "downloads_all_time": ("downloadsAllTime", "downloads_all_time"),
    "likes": ("likes",),
    "created_at": ("createdAt", "created_at"),
    "last_modified": ("lastModified", "last_modified"),
    "siblings": ("siblings",),
}
REQUIRED = ("id", "tags")


class HubDump:
    """A Hub dump file: its layout, the columns it has, and a guarded stream of batches."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.layout = _layout(path)
        self.columns = _columns(path, self.layout)  # normalised name -> source name
        self.without_id = 0  # records dropped for having no id (item-level problems)
        self.unreadable: dict[str, int] = {}  # column -> values that were not a date
        self.negative = 0  # records dropped for a negative count (item-level problems)
        self.skipped: list[str] = []  # records that could not be read as the declared types
        self.unlisted = 0  # more of them than MAX_LISTED: counted, not listed
        missing = [c for c in REQUIRED if c not in self.columns]
        if missing:
            raise InputError(f"required column {missing[0]!r} missing (a Hub dump needs "
                             "id or modelId, and tags)", path=str(path))

    def has(self, column: str) -> bool:
        return column in self.columns

    def stream(self) -> GuardedReader:
        batches = {"parquet": self._parquet, "jsonl": self._jsonl, "csv": self._csv}[self.layout]
        return GuardedReader(SCHEMA, _nonempty(batches(), self.path, self), str(self.path))

    def listed(self, item: str) -> None:
        """One record that could not be read as the declared types (beyond MAX_LISTED:
        counted, not listed)."""
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append(item.splitlines()[0] if item.strip() else item)
        else:
            self.unlisted += 1

    def first_problem(self) -> str | None:
        """The first item-level problem met so far, for a one-line reject."""
        if self.skipped:
            return self.skipped[0]
        if self.negative:
            return f"{self.negative} record(s): a negative downloads or likes count"
        if self.without_id:
            return f"{self.without_id} record(s): no id or modelId"
        return None

    # --- layouts ---
    def _parquet(self) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(self.path)
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=list(self.columns.values())):
            yield self._normalise(batch)

    def _jsonl(self) -> Iterator[pa.RecordBatch]:
        import pyarrow.json as pj

        schema = _jsonl_schema(self.path, self.columns)
        stream = pa.input_stream(str(self.path), compression=_compression(self.path))
        done = 0  # records read by the fast path; the slow one resumes after them
        try:
            reader = pj.open_json(stream, read_options=pj.ReadOptions(block_size=8 << 20),
                                  parse_options=pj.ParseOptions(
                                      explicit_schema=schema,
                                      unexpected_field_behavior="ignore"))
            for batch in reader:
                done += batch.num_rows
                yield self._normalise(batch)
        except pa.ArrowInvalid:
            # a record Arrow cannot read as the schema: the item-level policy reads the rest
            # record by record in Python, skipping (and listing) the ones that do not fit
            yield from self._jsonl_records(schema, done)

    def _jsonl_records(self, schema: pa.Schema, start: int) -> Iterator[pa.RecordBatch]:
        from fwatlas.decompress import open_decompressed
        from fwatlas.sources.limits import parse_json

        rows: list[dict[str, Any]] = []
        record = 0
        with open_decompressed(self.path, _compression(self.path)) as raw:
            for line_no, line in enumerate(raw, start=1):
                if not line.strip():
                    continue
                record += 1
                if record <= start:
                    continue
                try:
                    obj = parse_json(line.decode("utf-8"))
                    if not isinstance(obj, dict):
                        raise ValueError(f"a JSON {type(obj).__name__}, not a model object")
                    rows.append({f.name: _typed(obj.get(f.name), f) for f in schema})
                except (ValueError, UnicodeDecodeError) as exc:
                    why = f"not valid JSON ({exc.msg})" if isinstance(
                        exc, json.JSONDecodeError) else describe(exc)
                    self.listed(f"line {line_no}: {why}")
                    continue
                if len(rows) >= BATCH_ROWS:
                    yield self._normalise(pa.RecordBatch.from_pylist(rows, schema=schema))
                    rows = []
        if rows:
            yield self._normalise(pa.RecordBatch.from_pylist(rows, schema=schema))

    def _csv(self) -> Iterator[pa.RecordBatch]:
        import pyarrow.csv as pcsv

        names = list(self.columns.values())
        tail = _cut_tail(self.path)

        def invalid(row: Any) -> str:  # a row with the wrong field count: a listed item
            where = f"row {row.number}" if row.number is not None else f"row {row.text[:60]!r}"
            if tail is not None and row.actual_columns < row.expected_columns \
                    and row.text.rstrip("\r\n") == tail:
                self.listed(f"{where}: the last row is cut ({row.actual_columns} of "
                            f"{row.expected_columns} fields; the file ends mid-row)")
            else:
                self.listed(f"{where}: {row.actual_columns} fields, "
                            f"expected {row.expected_columns}")
            return "skip"

        reader = pcsv.open_csv(
            pa.input_stream(str(self.path), compression=_compression(self.path)),
            read_options=pcsv.ReadOptions(block_size=8 << 20),
            parse_options=pcsv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid),
            convert_options=pcsv.ConvertOptions(
                include_columns=names, column_types={n: pa.string() for n in names},
                strings_can_be_null=True),
        )
        for batch in reader:
            yield self._normalise(batch)

    def _drop_mistyped(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """A CSV count that is not a whole number (``many``, ``1.5``) is a skipped item named
        by its model id – one such value used to reject the whole dump (issue 15)."""
        bad: pa.Array | None = None
        ids = batch.column(self.columns["id"])
        for field in SCHEMA:
            src = self.columns.get(field.name)
            if src is None or not pa.types.is_integer(field.type):
                continue
            col = batch.column(src)
            if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
                continue
            text = pc.utf8_trim_whitespace(col)
            ok = pc.fill_null(pc.or_(pc.equal(text, ""), pc.match_substring_regex(
                text, r"^-?[0-9]{1,18}(\.0+)?$")), True)
            wrong = pc.invert(ok)
            if not pc.any(wrong).as_py():
                continue
            for i in pc.indices_nonzero(wrong).to_pylist():
                value = str(text[i].as_py())
                self.listed(f"model {str(ids[i].as_py())[:80]!r}: {field.name} "
                            f"{value[:40]!r} is not a whole number")
            bad = wrong if bad is None else pc.or_(bad, wrong)
        return batch if bad is None else batch.filter(pc.invert(bad))

    def _normalise(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if self.layout == "csv":
            batch = self._drop_mistyped(batch)
        arrays = []
        for field in SCHEMA:
            src = self.columns.get(field.name)
            if src is None:
                arrays.append(pa.nulls(batch.num_rows, field.type))
                continue
            value = _coerce(batch.column(src), field, str(self.path))
            if pa.types.is_timestamp(field.type):
                lost = pc.sum(pc.and_(pc.is_valid(batch.column(src)),
                                      pc.is_null(value)).cast(pa.int64())).as_py() or 0
                if lost:
                    self.unreadable[src] = self.unreadable.get(src, 0) + int(lost)
            arrays.append(value)
        normal = pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)
        has_id = pc.and_(pc.is_valid(normal.column(0)),
                         pc.not_equal(pc.fill_null(normal.column(0), ""), ""))
        dropped = normal.num_rows - int(pc.sum(has_id.cast(pa.int64())).as_py() or 0)
        if dropped:
            self.without_id += dropped
            normal = normal.filter(has_id)
        counts_ok = pc.and_(pc.and_(
            pc.fill_null(pc.greater_equal(normal.column("downloads"), 0), True),
            pc.fill_null(pc.greater_equal(normal.column("downloads_all_time"), 0), True)),
            pc.fill_null(pc.greater_equal(normal.column("likes"), 0), True))
        negative = normal.num_rows - int(pc.sum(counts_ok.cast(pa.int64())).as_py() or 0)
        if negative:  # a negative count is a skipped item, never a stored -5
            self.negative += negative
            normal = normal.filter(counts_ok)
        return normal


def _cut_tail(path: Path) -> str | None:
    """The last line of an uncompressed text file that ends mid-row (no final newline), else
    None: a short last row is then named as cut, not as a row of the wrong width."""
    from fwatlas.sources.limits import ends_mid_row

    if _compression(path) is not None or not ends_mid_row(path):
        return None
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - (1 << 16)))
        last = f.read().rsplit(b"\n", 1)[-1]
    return last.decode("utf-8", "replace").rstrip("\r")


def _nonempty(batches: Iterator[pa.RecordBatch], path: Path,
              dump: HubDump | None = None) -> Iterator[pa.RecordBatch]:
    """Pass batches through; a dump that yields no model is rejected whole – naming the first
    skipped record when there were records, so "empty" is said only of an empty file."""
    seen = 0
    for b in batches:
        seen += b.num_rows
        yield b
    if seen == 0:
        first = dump.first_problem() if dump is not None else None
        if first is not None:
            raise InputError(f"every record of the dump was skipped (first: {first})",
                             path=str(path))
        raise InputError("the dump holds no models (empty input)", path=str(path))


def _compression(path: Path) -> str | None:
    return "gzip" if path.suffix == ".gz" else None


def _open_text(path: Path) -> Any:
    """The dump as text, decompressed within the ratio bound (a bomb is rejected whole)."""
    import io

    from fwatlas.decompress import open_decompressed

    return io.TextIOWrapper(open_decompressed(path, _compression(path)), encoding="utf-8")


def _layout(path: Path) -> str:
    if path.is_dir():
        raise InputError("a Hub dump is one file (Parquet, JSON Lines or CSV), not a directory",
                         path=str(path))
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    raise InputError("unknown file type; expected .parquet, .jsonl[.gz] or .csv[.gz]",
                     path=str(path))


def _pick(names: list[str]) -> dict[str, str]:
    present = set(names)
    out = {}
    for norm, aliases in ALIASES.items():
        for a in aliases:
            if a in present:
                out[norm] = a
                break
    return out


def _columns(path: Path, layout: str) -> dict[str, str]:
    try:
        if layout == "parquet":
            import pyarrow.parquet as pq

            return _pick(pq.read_schema(path).names)
        with _open_text(path) as f:
            if layout == "csv":
                import csv

                header = next(csv.reader(f), None)
                if not header:
                    raise InputError("empty file", path=str(path))
                return _pick(header)
            keys: list[str] = []
            bad = 0  # a bad record is an item the stream skips; only a file of them is bad
            for i, line in enumerate(f):
                if i >= JSONL_SAMPLE_LINES:
                    break
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except (ValueError, RecursionError):
                    record = None
                if not isinstance(record, dict):
                    bad += 1
                    continue
                keys += [k for k in record if k not in keys]
            if not keys:
                raise InputError("not JSON Lines of model objects" if bad else "empty file",
                                 path=str(path))
            picked = _pick(keys)
            # optional columns absent from the first lines may still appear later: read them
            for norm, aliases in ALIASES.items():
                if norm not in REQUIRED:
                    picked.setdefault(norm, aliases[0])
            return picked
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - unreadable as a whole
        from fwatlas.streams import describe

        raise InputError(describe(exc), path=str(path)) from exc


def _jsonl_schema(path: Path, columns: dict[str, str]) -> pa.Schema:
    """An explicit schema for the JSON reader (siblings as strings or {rfilename} objects)."""
    sibling_type: pa.DataType = pa.list_(pa.string())
    with _open_text(path) as f:
        for i, line in enumerate(f):
            try:
                record = json.loads(line) if line.strip() else None
            except (ValueError, RecursionError):
                record = None
            sib = record.get(columns.get("siblings", "")) if isinstance(record, dict) else None
            if isinstance(sib, list) and sib:
                if isinstance(sib[0], dict):
                    sibling_type = pa.list_(pa.struct([("rfilename", pa.string())]))
                break
            if i >= JSONL_SAMPLE_LINES:
                break
    types: dict[str, pa.DataType] = {
        "tags": pa.list_(pa.string()), "siblings": sibling_type,
        "downloads": pa.int64(), "downloads_all_time": pa.int64(), "likes": pa.int64(),
    }
    return pa.schema([(src, types.get(norm, pa.string())) for norm, src in columns.items()])


def _literal_list(arr: pa.Array) -> pa.Array:
    """Parse ``['a', 'b']`` / ``["a", "b"]`` / ``[{'rfilename': 'a'}]`` strings into lists."""
    s = pc.utf8_trim(arr, characters=" ")
    s = pc.replace_substring_regex(s, pattern=r"""\{\s*['"]rfilename['"]\s*:\s*""",
                                   replacement="")
    s = pc.replace_substring_regex(s, pattern=r"^\[|\]$|\}", replacement="")
    parts = pc.split_pattern_regex(s, pattern=r"""['"]\s*,\s*['"]""")
    flat = pc.utf8_trim(pc.list_flatten(parts), characters="'\" ")
    lists = pa.ListArray.from_arrays(parts.offsets, flat, mask=pc.is_null(arr))
    # "[]" splits into one empty string: give those rows an empty list
    empty = pa.scalar([], pa.list_(pa.string()))
    return pc.if_else(pc.equal(s, ""), empty, lists)


def _iso_timestamps(text: pa.Array) -> pa.Array:
    """ISO 8601 strings to naive UTC timestamps, honouring ``Z`` and ``±HH:MM`` offsets
    (``2021-12-31T23:30:00-05:00`` is 2022-01-01 04:30 UTC); unreadable values become null."""
    offset = pc.extract_regex(text, r"(?P<sign>[+-])(?P<hh>\d\d):?(?P<mm>\d\d)$")
    clock = pc.replace_substring_regex(text, r"(Z|[+-]\d\d:?\d\d)$", "")
    clock = pc.replace_substring(clock, "T", " ")
    local = pc.strptime(pc.utf8_slice_codeunits(clock, 0, 19), format="%Y-%m-%d %H:%M:%S",
                        unit="us", error_is_null=True)
    hours = pc.cast(pc.struct_field(offset, "hh"), pa.int64())
    minutes = pc.cast(pc.struct_field(offset, "mm"), pa.int64())
    sign = pc.if_else(pc.equal(pc.struct_field(offset, "sign"), "-"), -1, 1)
    micros = pc.multiply(sign, pc.multiply(pc.add(pc.multiply(hours, 60), minutes), 60_000_000))
    shift = pc.cast(pc.fill_null(micros, 0), pa.duration("us"))
    return pc.subtract(local, shift)


def _coerce(col: pa.Array | pa.ChunkedArray, field: pa.Field, path: str) -> pa.Array:
    arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    t = field.type
    try:
        if pa.types.is_list(t):
            if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
                return _literal_list(arr.cast(pa.string()))
            if pa.types.is_list(arr.type) or pa.types.is_large_list(arr.type):
                vt = arr.type.value_type
                if pa.types.is_struct(vt):
                    values = pc.struct_field(arr.flatten(), "rfilename")
                    return pa.ListArray.from_arrays(
                        arr.offsets, values.cast(pa.string()), mask=pc.is_null(arr))
                if pa.types.is_string(vt) or pa.types.is_large_string(vt):
                    return arr.cast(t)
            raise TypeError(f"{arr.type}")
        if pa.types.is_timestamp(t):
            if pa.types.is_timestamp(arr.type):
                return arr.cast(t)  # tz-aware values are UTC instants; keep them as naive UTC
            if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
                return _iso_timestamps(arr.cast(pa.string()))
            raise TypeError(f"{arr.type}")
        if pa.types.is_integer(t):
            if pa.types.is_string(arr.type):
                arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
                return pc.cast(pc.cast(arr, pa.float64()), pa.int64())
            if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type) \
                    or pa.types.is_null(arr.type):
                return pc.cast(arr, t)
            raise TypeError(f"{arr.type}")
        if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type) \
                or pa.types.is_null(arr.type) or pa.types.is_dictionary(arr.type):
            return arr.cast(pa.string())
        raise TypeError(f"{arr.type}")
    except (TypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise InputError(f"column {field.name!r} has the wrong type ({exc})".splitlines()[0],
                         path=path) from exc


#: item-level problems listed one by one; beyond this many they are counted in one line
MAX_LISTED = 1_000


def _typed(value: Any, field: pa.Field) -> Any:
    """One JSON value checked against the declared Arrow type (never coerced); ValueError."""
    if value is None:
        return None
    t = field.type
    if pa.types.is_integer(t):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{field.name} is a JSON {type(value).__name__}, not a whole number")
        if not -(1 << 63) <= value < (1 << 63):
            raise ValueError(f"{field.name} is out of range")
        return value
    if pa.types.is_list(t):
        vt = t.value_type
        if not isinstance(value, list) or not all(
                isinstance(v, str) if pa.types.is_string(vt)
                else isinstance(v, dict) and isinstance(v.get("rfilename"), str)
                for v in value):
            raise ValueError(f"{field.name} is not a list of "
                             f"{'strings' if pa.types.is_string(vt) else 'file objects'}")
        return value if pa.types.is_string(vt) else [{"rfilename": v["rfilename"]}
                                                      for v in value]
    if not isinstance(value, str):
        raise ValueError(f"{field.name} is a JSON {type(value).__name__}, not a string")
    return value


def _parquet_sql(dump: HubDump) -> dict[str, str] | None:
    """SQL expressions reading the dump's Parquet columns as the normalised schema, or None.

    DuckDB then reads the file itself (in parallel, no Python per batch). Only column types
    whose meaning is exactly that of the Arrow path qualify; any other type (a string date, a
    float count, a list written as text, a mistyped column) takes the Arrow path, which parses
    or rejects it with its own message.
    """
    import pyarrow.parquet as pq

    schema = pq.read_schema(dump.path)
    exprs: dict[str, str] = {}
    for field in SCHEMA:
        src = dump.columns.get(field.name)
        if src is None:
            continue
        t = schema.field(src).type
        col = '"' + src.replace('"', '""') + '"'
        if pa.types.is_dictionary(t):
            t = t.value_type
        if field.type == pa.string():
            if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
                return None
            exprs[field.name] = f"CAST({col} AS VARCHAR)"
        elif pa.types.is_list(field.type):
            if not (pa.types.is_list(t) or pa.types.is_large_list(t)):
                return None
            vt = t.value_type
            if pa.types.is_string(vt) or pa.types.is_large_string(vt):
                exprs[field.name] = f"CAST({col} AS VARCHAR[])"
            elif pa.types.is_struct(vt) and vt.get_field_index("rfilename") >= 0 and \
                    pa.types.is_string(vt.field("rfilename").type):
                exprs[field.name] = f"list_transform({col}, lambda f: f.rfilename)"
            else:
                return None
        elif pa.types.is_integer(field.type):
            if not pa.types.is_integer(t) or t == pa.uint64():
                return None
            exprs[field.name] = f"CAST({col} AS BIGINT)"
        else:  # timestamps: tz-aware values are UTC instants, kept as naive UTC
            if not pa.types.is_timestamp(t) or t.unit not in ("ms", "us"):
                return None
            exprs[field.name] = f"make_timestamp(epoch_us({col}))" if t.tz else \
                f"CAST({col} AS TIMESTAMP)"
    return exprs


#: the rows the Arrow path keeps (``HubDump._normalise``), as SQL over the normalised names
_HAS_ID = "(id IS NOT NULL AND id <> '')"
_COUNTS_OK = " AND ".join(f"coalesce({c} >= 0, true)"
                          for c in ("downloads", "downloads_all_time", "likes"))


def _parquet_rows(dump: HubDump, exprs: dict[str, str]) -> SqlRows:
    """A Parquet dump as SQL DuckDB reads it with: the same checks as the Arrow path.

    Rows without an id and rows with a negative count are left out and counted as skipped
    items; file order is kept, so a repeated id keeps its first record.
    """
    import pyarrow.parquet as pq

    total = pq.ParquetFile(dump.path).metadata.num_rows
    if total == 0:
        raise InputError("the dump holds no models (empty input)", path=str(dump.path))
    for name in ("downloads", "downloads_all_time", "likes"):
        exprs.setdefault(name, "NULL::BIGINT")
    normal = ("SELECT " + ", ".join(f"{e} AS {n}" for n, e in exprs.items())  # noqa: S608
              + " FROM read_parquet(?)")
    return SqlRows(normal, (str(dump.path),), tuple(exprs), f"{_HAS_ID} AND {_COUNTS_OK}",
                   {"without_id": f"NOT {_HAS_ID}",
                    "negative": f"{_HAS_ID} AND NOT ({_COUNTS_OK})"},
                   total, "Parquet", str(dump.path))


def ingest(session: Any, path: Path, *, data_date: dt.date | None,
           options: dict[str, Any]) -> None:
    """Ingest one Hub dump as a snapshot of dataset ``hub/models``."""
    dump = HubDump(path)
    builder = session.new_snapshot(
        kind="hub", dataset=DATASET, content_hash=content_hash(path), data_date=data_date,
        data_date_source="--data-date" if data_date else None)
    if builder is None:
        return
    sql = _parquet_sql(dump) if dump.layout == "parquet" else None
    if sql is not None:
        rows = _parquet_rows(dump, sql)
        left_out = builder.insert_sql("hub_models", rows)
        dump.without_id += left_out["without_id"]
        dump.negative += left_out["negative"]
        report_progress(str(dump.path), rows.total)
    else:
        builder.insert("hub_models", dump.stream())
    if dump.without_id:
        builder.skip(f"{dump.without_id} record(s)", "no id or modelId")
    builder.skipped_items.extend(dump.skipped)
    if dump.unlisted:
        builder.skip(f"{dump.unlisted} more record(s)", "not readable as the declared types")
    if dump.negative:
        builder.skip(f"{dump.negative} record(s)", "a negative downloads or likes count")
    for column, count in dump.unreadable.items():
        builder.skip(f"{count} {column} value(s)", "not an ISO 8601 date; kept the models "
                     "with no date")
    # then the kind's post-ingest steps, in the same transaction (``derive``:
    # fwatlas.analyses.hub_cube): one row per id, the columns present, the data date, the cube
