"""Coding a corpus on a Ray cluster (Ray Data, an actor pool with one coder per actor).

    eventcoder ingest s3://bucket/news/*.jsonl --engine ray --address ray://head:10001 \\
        --parquet-out s3://bucket/coded/ --db news.duckdb

Inputs are JSONL (read line by line, so one bad line is one rejected document, as locally)
or Parquet with the JSONL fields as columns, on any filesystem pyarrow knows (local paths,
``s3://``, ``gs://``, ``hdfs://``). Each actor loads the coder once and turns a batch of
documents into rows of three tables, written as Parquet shards under ``--parquet-out``:

- ``documents/``: one row per document with its status (ok / skipped / error and why);
- ``events/``: the export schema (`export.schema`), exactly as `eventcoder events` writes it;
- ``actors/``: the store's per-document actor rows.

With ``--db`` the shards are then loaded into DuckDB with the same rules as a local ingest
(`Store.load_shards`): idempotent, one row per event, a failed re-read never replacing a
stored document. A killed actor is restarted by Ray and its batch re-run; outputs are
deterministic and only a finished task's output is kept, so nothing is lost or doubled.
"""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..config import Settings
from ..errors import ConfigError, Reason, RunnerError, UsageError
from ..records import Document, Rejected, make_document
from ..store.shards import KINDS

DOC_COLUMNS = ("doc_id", "content_hash", "title", "date", "url", "author", "source", "text", "status", "reason",
               "detail", "coder_version", "n_events")


@dataclass(frozen=True)
class RayRun:
    documents: int
    ok: int
    rejected: int
    events: int
    parquet_dir: str
    loaded: dict[str, int] | None


def _ipc(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(io.BytesIO(data)).read_all()


def _line_id(where: str, line: object) -> str:
    """A stable id for a line that is no document (Ray reads lines without their numbers)."""
    import hashlib

    return f"{where}#" + hashlib.sha256(str(line).encode("utf-8", "replace")).hexdigest()[:12]


def _row_document(row: dict[str, Any], date: str | None) -> Document | Rejected:
    """A document from a JSONL line (``line`` column) or a Parquet row, as the local reader makes it."""
    from ..ingest.files import document_from_record

    where = str(row.get("path") or "ray")
    if "line" in row:
        line = row["line"]
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, TypeError) as exc:
            why = f"not JSON ({getattr(exc, 'msg', exc)})"
            return Rejected(_line_id(where, line), where, Reason.BAD_JSON.value, why)
        if not isinstance(obj, dict):
            return Rejected(_line_id(where, line), where, Reason.BAD_JSON.value, "not a JSON object")
    else:
        obj = {k: v for k, v in row.items() if k != "path" and v is not None}
    result = next(iter(document_from_record(obj, where)))
    if isinstance(result, Document) and result.date is None and date is not None:
        result = make_document(result.text, id=result.id, title=result.title, date=date, url=result.url,
                               author=result.author, source=result.source)
    return result


class CoderActor:
    """One per Ray actor: loads the coder once, codes batches into the three shard tables."""

    def __init__(self, settings: Settings, date: str | None) -> None:
        from ..pipeline import Coder

        self.coder = Coder.load(settings)
        self.date = date

    def __call__(self, batch: pa.Table) -> pa.Table:
        from ..query.coded import coded_tables

        items = [_row_document(row, self.date) for row in batch.to_pylist()
                 if (row.get("line") or "").strip() or "line" not in row]
        tables = coded_tables(self.coder.code_documents(items))
        # One row per batch: Ray Data moves one Arrow table, so the four travel as IPC blobs.
        return pa.table({**{k: [_ipc(t)] for k, t in zip(KINDS, tables, strict=True)}, "n": [tables[0].num_rows]})


# Reading, unpacking and writing take no CPU slot: the coder actors hold one each, and on a
# small cluster (2 CPUs, 2 actors) a read task waiting for a slot would wait forever.
_LIGHT: dict[str, Any] = {"num_cpus": 0}


def _as_lines(batch: pa.Table) -> pa.Table:
    """read_text calls a line "text"; here it is a JSONL line, not a document's text."""
    return batch.rename_columns(["line" if c == "text" else c for c in batch.column_names])


def _read(inputs: list[str]) -> Any:
    import ray.data

    jsonl = [i for i in inputs if i.lower().endswith((".jsonl", ".jsonl.gz", ".ndjson"))]
    parquet = [i for i in inputs if i.lower().endswith(".parquet") or i.endswith("/")]
    other = set(inputs) - set(jsonl) - set(parquet)
    if other:
        raise UsageError(f"--engine ray reads JSONL and Parquet (local or object-store paths); not {sorted(other)}")
    parts = []
    if jsonl:
        parts.append(ray.data.read_text(jsonl, include_paths=True, **_LIGHT)
                     .map_batches(_as_lines, batch_format="pyarrow", batch_size=None, **_LIGHT))
    if parquet:
        parts.append(ray.data.read_parquet(parquet, include_paths=True, **_LIGHT))
    ds = parts[0]
    for p in parts[1:]:
        ds = ds.union(p)
    return ds


def run(inputs: list[str], *, settings: Settings, parquet_out: str | None, db: Path | None,
        address: str | None = None, actors: int = 2, batch_size: int = 16, date: str | None = None,
        progress: bool = False) -> RayRun:
    """Code ``inputs`` on Ray; write the shards; load them into ``db`` when given."""
    try:
        import ray
    except ImportError:
        raise ConfigError("--engine ray needs the ray package: pip install 'ray[data]==2.60.0'") from None
    out = parquet_out or tempfile.mkdtemp(prefix="eventcoder-ray-")
    import logging
    import warnings

    logging.getLogger("ray.data").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message=".*ray_remote_args.*deprecated", category=DeprecationWarning)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False,
                 ignore_reinit_error=True)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = progress
        coded = _read(inputs).map_batches(
            CoderActor, fn_constructor_args=(settings, date), batch_size=batch_size, batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=actors), num_cpus=1, max_restarts=-1, max_task_retries=-1,
        ).materialize()
        counts = _write_shards(coded, out)
    except (UsageError, ConfigError):
        raise
    except Exception as exc:  # noqa: BLE001 - a cluster failure is one clear line, not a Ray traceback
        raise RunnerError(f"the Ray run failed: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}") from None
    finally:
        if started_here:
            ray.shutdown()
    loaded = None
    if db is not None:
        from ..store import Store

        with Store.open(db) as store:
            loaded = store.load_shards(out)
    return RayRun(counts["documents"], counts["ok"], counts["documents"] - counts["ok"], counts["events"], out,
                  loaded)


def _explode(kind: str) -> Any:
    def unpack(batch: pa.Table) -> pa.Table:
        tables = [_from_ipc(b) for b in batch.column(kind).to_pylist()]
        return pa.concat_tables(tables) if tables else pa.table({})
    return unpack


def _write_shards(coded: Any, out: str) -> dict[str, int]:
    """Write each kind of table as Parquet shards, in parallel from the workers."""
    root = out if "://" in out else str(Path(out).resolve())
    for kind in KINDS:
        coded.map_batches(_explode(kind), batch_format="pyarrow", batch_size=None, **_LIGHT).write_parquet(
            f"{root}/{kind}", ray_remote_args=_LIGHT)
    from ..store.shards import dataset

    docs = dataset(root, "documents")
    events = dataset(root, "events")
    status = docs.to_table(columns=["status"]).column("status").to_pylist() if docs is not None else []
    return {"documents": len(status), "ok": status.count("ok"),
            "events": events.count_rows() if events is not None else 0}


