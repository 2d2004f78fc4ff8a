"""Commands that read documents: code (no storing), ingest (into DuckDB) and bench."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .. import errors
from ..config import Settings
from ..errors import UsageError
from ..records import CodedDocument, Rejected
from .common import DEFAULT_DB, DbOption, OutputOption, ProgressOption, app, check_output, err, handled, out, progress

Inputs = Annotated[list[str], typer.Argument(
    help="Files (.txt, .html, .jsonl, .gz), folders, '-' for JSONL on stdin, or http(s) URLs.")]
DateOption = Annotated[str | None, typer.Option(
    "--date", help="Publication date (YYYY-MM-DD) for documents that have none.")]
WorkersOption = Annotated[int, typer.Option(
    "--workers", min=1, max=256, help="Code in this many processes (whole path: parse, actors, events).")]
RobotsOption = Annotated[bool, typer.Option("--ignore-robots", help="Fetch URLs even where robots.txt forbids.")]
PrivateOption = Annotated[bool, typer.Option(
    "--allow-private", help="Let URLs (and feed items) point at loopback, private or link-local addresses.")]


def _check_date(date: str | None) -> None:
    if date is not None:
        from ..query.filters import parse_date

        parse_date("--date", date)


def _results(inputs: list[str], date: str | None, settings: Settings, workers: int = 1,
             ignore_robots: bool = False, allow_private: bool = False, db: Path | None = None
             ) -> Iterator[CodedDocument | Rejected]:
    from ..ingest.fetch import Fetcher
    from ..ingest.files import read_inputs
    from ..pipeline import default_coder

    fetcher = Fetcher(respect_robots=not ignore_robots, allow_private=allow_private)
    coder = default_coder(settings).with_knowledge(_registry_of(db))
    # The model and dictionaries live as long as the process: leave them out of every
    # garbage-collector pass (a few hundred milliseconds over a long run).
    gc.freeze()
    docs = read_inputs(inputs, date=date, fetch=fetcher.documents, max_doc_chars=settings.max_doc_chars)
    try:
        yield from coder.code_documents(docs, workers=workers)
    finally:
        fetcher.close()


def _registry_of(db: Path | None) -> dict:
    """What the database's registry knows, for coding documents into it (empty for a new one)."""
    if db is None or not db.exists():
        return {}
    from ..store import Store

    with Store.open(db, read_only=True) as store:
        if store.one("SELECT count(*) FROM information_schema.tables WHERE table_name = 'registry_edits'") == (0,):
            return {}  # a database from before the registry: it learns at the end of this ingest
        return store.registry_layer()


def _estimate(inputs: list[str]) -> int | None:
    """How many documents the inputs hold, when counting is cheap (for the ETA); else None."""
    from ..ingest.files import count_documents

    return count_documents(inputs)


def _report(rejected: list[Rejected], total: int) -> int:
    for r in rejected[:50]:
        err.print(f"[yellow]{r.status.value}[/yellow] {r.doc_id}: {r.reason}: {r.detail}", highlight=False)
    if len(rejected) > 50:
        err.print(f"... and {len(rejected) - 50} more (see `eventcoder documents --status error`)")
    if total == 0:
        err.print("[red]no documents[/red] in the inputs")
        return errors.EXIT_NOTHING_READ
    if len(rejected) == total:
        return errors.EXIT_NOTHING_READ
    return errors.EXIT_PARTIAL if rejected else errors.EXIT_OK


@app.command()
@handled
def code(
    inputs: Inputs,
    output: OutputOption = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, json, csv, parquet, plover, acled or gdelt.")]
    = "jsonl",
    date: DateOption = None,
    workers: WorkersOption = 1,
    ignore_robots: RobotsOption = False,
    allow_private: PrivateOption = False,
    show_progress: ProgressOption = None,
) -> None:
    """Code documents without storing them; write events in the export schema."""
    from ..export import FORMATS, Writer
    from ..query.coded import export_tables
    from ..store.store import IngestSummary
    from .common import choose

    fmt = choose("--format", fmt, FORMATS)
    check_output(output)
    _check_date(date)
    settings = Settings.from_env()
    summary = IngestSummary()
    results = progress(_results(inputs, date, settings, workers, ignore_robots, allow_private), "coding",
                       _estimate(inputs), show_progress)
    with Writer(fmt, path=output, stream=None if output else sys.stdout) as writer:
        for table in export_tables(results, summary):
            writer.write(table)
    if output is not None:
        err.print(f"{writer.count:,} events from {summary.ok + summary.unchanged:,} documents -> {output}",
                  highlight=False)
    raise typer.Exit(_report(summary.rejected, summary.documents))


@app.command()
@handled
def ingest(inputs: Inputs, db: DbOption = DEFAULT_DB, date: DateOption = None, workers: WorkersOption = 1,
           ignore_robots: RobotsOption = False, allow_private: PrivateOption = False,
           show_progress: ProgressOption = None,
           engine: Annotated[str, typer.Option(help="local (this machine) or ray (a Ray cluster).")] = "local",
           address: Annotated[str | None, typer.Option(
               help="Ray cluster address (ray://host:10001 or auto); default: start a local one.")] = None,
           parquet_out: Annotated[str | None, typer.Option(
               "--parquet-out", help="With --engine ray: write Parquet shards here (local path or s3://...).")]
           = None,
           parquet_only: Annotated[bool, typer.Option(
               "--parquet-only", help="With --engine ray: write the shards only, no DuckDB.")] = False) -> None:
    """Code documents and store documents, actors and events in DuckDB (idempotent)."""
    from ..store import ingest_results
    from .common import choose

    engine = choose("--engine", engine, ("local", "ray"))
    _check_date(date)
    settings = Settings.from_env()
    if engine == "ray":
        _ingest_ray(inputs, db, date, workers, address, parquet_out, parquet_only, settings, show_progress)
        return
    if parquet_out or parquet_only or address:
        raise UsageError("--address, --parquet-out and --parquet-only go with --engine ray")
    check_output(db)
    summary = ingest_results(db, progress(_results(inputs, date, settings, workers, ignore_robots, allow_private,
                                                   db), "ingesting", _estimate(inputs), show_progress))
    table = Table(title=f"ingest into {db}", show_header=True)
    for col in ("documents", "stored", "unchanged", "skipped", "errors", "events"):
        table.add_column(col, justify="right")
    table.add_row(*(f"{v:,}" for v in (summary.documents, summary.ok, summary.unchanged, summary.skipped,
                                        summary.errors, summary.events)))
    err.print(table)
    if summary.reasons:
        err.print("reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.reasons.items())))
    raise typer.Exit(_report(summary.rejected, summary.documents))


def _ingest_ray(inputs: list[str], db: Path, date: str | None, workers: int, address: str | None,
                parquet_out: str | None, parquet_only: bool, settings: Settings, show: bool | None) -> None:
    from ..runner import ray_runner

    if parquet_only and not parquet_out:
        raise UsageError("--parquet-only needs --parquet-out DIR")
    if not parquet_only:
        check_output(db)
    run = ray_runner.run(inputs, settings=settings, parquet_out=parquet_out, db=None if parquet_only else db,
                         address=address, actors=max(1, workers), date=date,
                         progress=err.is_terminal if show is None else show)
    err.print(f"ray: {run.documents:,} documents ({run.ok:,} coded, {run.rejected:,} rejected or skipped), "
              f"{run.events:,} events -> {run.parquet_dir}", highlight=False)
    if run.loaded is not None:
        err.print(f"loaded into {db}: " + ", ".join(f"{k} {v:,}" for k, v in run.loaded.items()), highlight=False)
    if run.documents == 0:
        raise typer.Exit(errors.EXIT_NOTHING_READ)
    raise typer.Exit(errors.EXIT_PARTIAL if run.rejected else errors.EXIT_OK)


@app.command()
@handled
def bench(
    inputs: Annotated[list[str] | None, typer.Argument(help="Documents to time (default: the bundled examples).")]
    = None,
    limit: Annotated[int, typer.Option(min=1, help="Use at most this many documents.")] = 500,
    workers: WorkersOption = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    record: Annotated[Path | None, typer.Option(
        "--record", help="Measure everything (spaCy, coder, ingest; 1 and 2 workers; memory at 1x/2x/4x the "
                         "corpus) and write JSON and a table into this folder.")] = None,
    scales: Annotated[str, typer.Option(help="With --record: corpus copies for the memory runs.")] = "1,2,4",
) -> None:
    """Time coding against bare spaCy on the same texts; report docs/s, the ratio and peak memory."""
    from itertools import islice

    from ..bench import run_bench
    from ..ingest.files import read_inputs
    from ..records import Document

    paths = inputs or [str(Path(__file__).resolve().parents[3] / "examples" / "articles")]
    docs = [d for d in islice(read_inputs(paths), limit * 2) if isinstance(d, Document)][:limit]
    if not docs:
        err.print("[red]error[/red] no readable document to time")
        raise typer.Exit(errors.EXIT_NOTHING_READ)
    if record is not None:
        from ..benchrecord import markdown, run_record

        try:
            copies = [int(x) for x in scales.split(",") if x.strip()]
        except ValueError:
            raise UsageError(f"--scales: {scales!r} is not a comma-separated list of integers") from None
        if not copies or min(copies) < 1:
            raise UsageError("--scales: give positive integers, e.g. 1,2,4")
        rec = run_record(docs, record, copies)
        sys.stdout.write(json.dumps(rec) + "\n" if as_json else markdown(rec))
        return
    result = run_bench(docs, workers=workers)
    data = result.to_dict()
    if as_json:
        sys.stdout.write(json.dumps(data) + "\n")
        return
    out.print(f"{data['documents']:,} documents, {data['characters']:,} characters, {data['events']:,} events, "
              f"{workers} worker(s)", highlight=False)
    out.print(f"bare spaCy : {data['baseline_seconds']:.2f} s ({data['baseline_docs_per_second']} docs/s)",
              highlight=False)
    out.print(f"eventcoder : {data['coder_seconds']:.2f} s ({data['coder_docs_per_second']} docs/s), "
              f"{data['ratio']:.2f} x bare spaCy; peak memory {data['peak_rss_mb']:.0f} MB", highlight=False)


@app.command()
@handled
def fuse(db: DbOption = DEFAULT_DB) -> None:
    """Recompute fused events (reports of one happening across documents); ingest does this itself."""
    from ..store import Store

    if not db.exists():
        raise UsageError(f"--db {db}: no such database (run `eventcoder ingest` first)")
    with Store.open(db) as store:
        counts = store.refresh_fusion()
    err.print(f"{counts['events']:,} events -> {counts['fused']:,} fused events "
              f"({counts['multi']:,} reported by more than one document)", highlight=False)
