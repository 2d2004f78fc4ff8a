"""The `eventcoder` command: thin commands over the library; errors become exit codes here only.

Exit codes: 0 success; 1 an eventcoder error (bad option value, unreadable database);
2 usage error; 3 no input document could be read; 4 partial success (some documents
were rejected, the rest were processed; the summary lists why).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from . import errors
from .config import Settings
from .errors import EventcoderError
from .records import CodedDocument, Rejected

app = typer.Typer(
    name="eventcoder",
    help="Turn political and defence news into verifiable PLOVER event data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console(width=None if sys.stdout.isatty() else 160)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.", envvar="EVENTCODER_DB")]
DEFAULT_DB = Path("eventcoder.duckdb")
Inputs = Annotated[list[str], typer.Argument(
    help="Files (.txt, .html, .jsonl, .gz), folders, '-' for JSONL on stdin, or http(s) URLs.")]
DateOption = Annotated[str | None, typer.Option(
    "--date", help="Publication date (YYYY-MM-DD) for documents that have none.")]


def _fail(exc: EventcoderError) -> typer.Exit:
    err.print(f"[red]error[/red] {exc}", highlight=False)
    return typer.Exit(errors.EXIT_FAILURE)


WorkersOption = Annotated[int, typer.Option("--workers", min=1, help="Parse in this many processes.")]
RobotsOption = Annotated[bool, typer.Option("--ignore-robots", help="Fetch URLs even where robots.txt forbids.")]


def _results(inputs: list[str], date: str | None, settings: Settings, workers: int = 1,
             ignore_robots: bool = False) -> Iterator[CodedDocument | Rejected]:
    from .ingest.fetch import Fetcher
    from .ingest.files import read_inputs
    from .pipeline import default_coder

    fetcher = Fetcher(respect_robots=not ignore_robots)
    coder = default_coder(settings)
    docs = read_inputs(inputs, date=date, fetch=fetcher.documents, max_doc_chars=settings.max_doc_chars)
    try:
        yield from coder.code_documents(docs, workers=workers)
    finally:
        fetcher.close()


def _progress(results: Iterator[CodedDocument | Rejected], label: str) -> Iterator[CodedDocument | Rejected]:
    """Count documents on stderr as they pass, when a person is watching."""
    if not err.is_terminal:
        yield from results
        return
    with err.status(f"{label}...") as status:
        n = events = 0
        for r in results:
            n += 1
            if isinstance(r, CodedDocument):
                events += len(r.events)
            status.update(f"{label}: {n:,} documents, {events:,} events")
            yield r


def _report_rejections(rejected: list[Rejected], total: int) -> int:
    for r in rejected[:50]:
        err.print(f"[yellow]{r.status.value}[/yellow] {r.doc_id}: {r.reason}: {r.detail}", highlight=False)
    if len(rejected) > 50:
        err.print(f"... and {len(rejected) - 50} more (see `eventcoder documents --status error`)")
    if total and len(rejected) == total:
        return errors.EXIT_NOTHING_READ
    return errors.EXIT_PARTIAL if rejected else errors.EXIT_OK


@app.command()
def code(
    inputs: Inputs,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write events here (default stdout).")]
    = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, json or parquet.")] = "jsonl",
    date: DateOption = None,
    workers: WorkersOption = 1,
    ignore_robots: RobotsOption = False,
) -> None:
    """Code documents without storing them: one JSON object per event."""
    from .export import write_events

    settings = Settings.from_env()
    rejected: list[Rejected] = []
    total = 0

    def events() -> Iterator[dict[str, Any]]:
        nonlocal total
        for r in _progress(_results(inputs, date, settings, workers, ignore_robots), "coding"):
            total += 1
            if isinstance(r, Rejected):
                rejected.append(r)
                continue
            for e in r.events:
                yield e.to_dict()

    try:
        if output is None:
            write_events(events(), fmt, out=sys.stdout)
        else:
            n = write_events(events(), fmt, path=output)
            err.print(f"{n:,} events from {total - len(rejected):,} documents -> {output}", highlight=False)
    except EventcoderError as exc:
        raise _fail(exc) from None
    raise typer.Exit(_report_rejections(rejected, total))


@app.command()
def ingest(inputs: Inputs, db: DbOption = DEFAULT_DB, date: DateOption = None, workers: WorkersOption = 1,
           ignore_robots: RobotsOption = False) -> None:
    """Code documents and store documents, actors and events in DuckDB (idempotent)."""
    from .store import ingest_results

    settings = Settings.from_env()
    try:
        summary = ingest_results(db, _progress(_results(inputs, date, settings, workers, ignore_robots),
                                               "ingesting"))
    except EventcoderError as exc:
        raise _fail(exc) from None
    table = Table(title=f"ingest into {db}", show_header=True)
    for col in ("documents", "stored", "unchanged", "skipped", "errors", "events"):
        table.add_column(col, justify="right")
    table.add_row(*(f"{v:,}" for v in (summary.documents, summary.ok, summary.unchanged, summary.skipped,
                                        summary.errors, summary.events)))
    err.print(table)
    if summary.reasons:
        err.print("reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.reasons.items())))
    raise typer.Exit(_report_rejections(summary.rejected, summary.documents))


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl, csv, json or parquet.")] = "table",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here (default stdout).")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="PLOVER type, e.g. ASSAULT.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO3 code on either side.")] = None,
    source: Annotated[str | None, typer.Option(help="Source country (ISO3).")] = None,
    target: Annotated[str | None, typer.Option(help="Target country (ISO3).")] = None,
    modality: Annotated[str | None, typer.Option(help="asserted, claimed, negated, intended, hypothetical.")]
    = None,
    doc: Annotated[str | None, typer.Option(help="Only this document.")] = None,
    since: Annotated[str | None, typer.Option(help="Events dated on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Events dated on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
) -> None:
    """List stored events, filtered."""
    from .export import write_events
    from .store import EventFilter, Store

    flt = EventFilter(event_type=event_type, country=country, source=source, target=target, modality=modality,
                      doc_id=doc, since=since, until=until)
    try:
        with Store.open(db, read_only=True) as store:
            rows = store.events(flt, limit=limit)
        if fmt == "table":
            _events_table(rows)
        elif output is None:
            write_events(rows, fmt, out=sys.stdout)
        else:
            write_events(rows, fmt, path=output)
    except EventcoderError as exc:
        raise _fail(exc) from None


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    code = a.get("country") or a.get("igo") or "?"
    return f"{a.get('name') or ''} ({code}{'/' + a['sector'] if a.get('sector') else ''})".strip()


def _events_table(rows: list[dict[str, Any]]) -> None:
    table = Table(show_header=True, header_style="bold", title=f"{len(rows)} events")
    for col in ("date", "type", "mode", "source", "target", "modality", "sentence"):
        table.add_column(col, overflow="fold")
    for r in rows:
        sentence = r["sentence"] if len(r["sentence"]) < 90 else r["sentence"][:87] + "..."
        modality = r["modality"]
        if r.get("claimed_by"):
            modality += f" by {r['claimed_by'].get('country') or r['claimed_by'].get('name')}"
        table.add_row(r["date"] or "?", r["event_type"], r["mode"] or "", _actor_label(r["source"]),
                      _actor_label(r["target"]), modality, sentence)
    out.print(table)


@app.command()
def actors(
    db: DbOption = DEFAULT_DB,
    doc: Annotated[str | None, typer.Option(help="Only this document.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many actors.")] = None,
) -> None:
    """List the actors found: states, organisations and persons with country, sector and role."""
    from .store import Store

    try:
        with Store.open(db, read_only=True) as store:
            rows = store.actors(doc_id=doc, limit=limit)
    except EventcoderError as exc:
        raise _fail(exc) from None
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    table = Table(show_header=True, header_style="bold", title=f"{len(rows)} actors")
    for col in ("name", "country", "igo", "sector", "role", "kind", "mentions"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["country"] or "", r["igo"] or "", r["sector"] or "", r["role"] or "",
                      r["kind"] or "", str(r["mentions"]))
    out.print(table)


@app.command()
def show(doc_id: Annotated[str, typer.Argument(help="Document id.")], db: DbOption = DEFAULT_DB,
         fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text") -> None:
    """Show one stored document with its status, events and actors."""
    from .store import Store

    try:
        with Store.open(db, read_only=True) as store:
            doc = store.document(doc_id)
    except EventcoderError as exc:
        raise _fail(exc) from None
    if doc is None:
        err.print(f"[red]error[/red] no document {doc_id!r} in {db}")
        raise typer.Exit(errors.EXIT_FAILURE)
    if fmt == "json":
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    out.print(f"[bold]{doc.get('title') or doc_id}[/bold]  ({doc_id})", highlight=False)
    out.print(f"status: {doc['status']}" + (f" ({doc['reason']}: {doc['detail']})" if doc.get("reason") else "")
              + f"  date: {doc.get('date') or '?'}  source: {doc.get('source') or '?'}", highlight=False)
    _events_table(doc["events"])


@app.command()
def documents(db: DbOption = DEFAULT_DB,
              status: Annotated[str | None, typer.Option(help="ok, skipped or error.")] = None) -> None:
    """List stored documents with their status (ok / skipped / error and why)."""
    from .store import Store

    try:
        with Store.open(db, read_only=True) as store:
            rows = store.documents(status)
    except EventcoderError as exc:
        raise _fail(exc) from None
    table = Table(show_header=True, header_style="bold", title=f"{len(rows)} documents")
    for col in ("doc_id", "status", "reason", "events", "title"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r["doc_id"], r["status"], f"{r['reason'] or ''} {r['detail'] or ''}".strip(),
                      str(r["n_events"] or 0), r["title"] or "")
    out.print(table)


@app.command()
def bench(
    inputs: Annotated[list[str] | None, typer.Argument(help="Documents to time (default: the bundled examples).")]
    = None,
    limit: Annotated[int, typer.Option(min=1, help="Use at most this many documents.")] = 500,
    workers: WorkersOption = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Time coding against bare spaCy on the same texts; report docs/s, the ratio and peak memory."""
    from itertools import islice

    from .bench import run_bench
    from .ingest.files import read_inputs
    from .records import Document

    paths = inputs or [str(Path(__file__).resolve().parents[2] / "examples" / "articles")]
    try:
        docs = [d for d in islice(read_inputs(paths), limit * 2) if isinstance(d, Document)][:limit]
    except EventcoderError as exc:
        raise _fail(exc) from None
    if not docs:
        err.print("[red]error[/red] no readable document to time")
        raise typer.Exit(errors.EXIT_NOTHING_READ)
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


DEFAULT_FLOORS = Path("eval/floors.json")


dictionaries_app = typer.Typer(help="Build the packaged knowledge from open dictionaries.", no_args_is_help=True)
app.add_typer(dictionaries_app, name="dictionaries")


@dictionaries_app.command("build")
def dictionaries_build(
    source: Annotated[Path, typer.Argument(help="The PETRARCH-2 dictionary folder (shared/dictionaries/petrarch2).")],
    codebook: Annotated[Path, typer.Option("--codebook", help="PLOVER codebook.json with the CAMEO crosswalk.")] = Path(
        "../shared/eval/plover/codebook.json"),
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the converted files.")] = Path(
        "src/eventcoder/data/petrarch"),
) -> None:
    """Convert PETRARCH-2 verb, actor, agent and discard dictionaries into eventcoder data files."""
    from .dictionaries.petrarch import build

    try:
        counts = build(source, codebook, out_dir)
    except EventcoderError as exc:
        raise _fail(exc) from None
    except OSError as exc:
        raise _fail(errors.DataFileError(f"{source}: {exc.strerror or exc}")) from None
    for key, value in counts.items():
        out.print(f"{value:>8,}  {key}", highlight=False)
    out.print(f"written to {out_dir}", highlight=False)


@app.command("eval")
def evaluate(
    gold: Annotated[Path | None, typer.Argument(help="Gold JSONL (records with text, or name --input).")] = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", help="Documents to code, when the gold has no text.")]
    = None,
    level: Annotated[str, typer.Option(help="triple or sentence (see shared/eval/score_events.py).")] = "triple",
    errors_shown: Annotated[int, typer.Option("--errors", help="List this many misses and extras.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    gate: Annotated[bool, typer.Option("--gate", help="Check every gold set in the floors file.")] = False,
    floors: Annotated[Path, typer.Option(help="Floors file for --gate.")] = DEFAULT_FLOORS,
) -> None:
    """Score the coder on a gold set: P/R/F1 overall and per type, a confusion table, error kinds.

    With --gate, score every set in the floors file and exit 1 if any falls below its floor.
    """
    from .eval import harness

    if level not in {"triple", "sentence"}:
        raise typer.BadParameter("level must be 'triple' or 'sentence'", param_hint="--level")
    try:
        if gate:
            results = harness.run_gate(floors)
            _gate_table(results)
            raise typer.Exit(errors.EXIT_OK if all(r.passed for r in results) else errors.EXIT_FAILURE)
        if gold is None:
            raise typer.BadParameter("name a gold file, or use --gate", param_hint="GOLD")
        score, preds = harness.evaluate(gold, inputs, level)
    except EventcoderError as exc:
        raise _fail(exc) from None
    kinds = harness.error_kinds(score, preds)
    if as_json:
        sys.stdout.write(json.dumps({
            "level": level, "tp": score.tp, "fp": score.fp, "fn": score.fn, "forbidden": score.forbidden,
            "precision": round(score.precision, 4), "recall": round(score.recall, 4), "f1": round(score.f1, 4),
            "per_type": {t: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n}
                         for t, (p, r, f, n) in score.type_f1().items()},
            "confusion": [{"gold": g, "predicted": p, "n": n} for (g, p), n in sorted(score.confusion.items())],
            "error_kinds": dict(kinds.most_common()),
        }, indent=1) + "\n")
        return
    out.print(f"[bold]{gold}[/bold] level={level}: tp={score.tp} fp={score.fp} fn={score.fn} "
              f"forbidden={score.forbidden}  P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}",
              highlight=False)
    table = Table(title="per type", show_header=True, header_style="bold")
    for col in ("type", "P", "R", "F1", "support"):
        table.add_column(col, justify="right" if col != "type" else "left")
    for t, (p, r, f, n) in score.type_f1().items():
        table.add_row(t, f"{p:.2f}", f"{r:.2f}", f"{f:.2f}", str(n))
    out.print(table)
    _confusion_table(score.confusion)
    kt = Table(title="error kinds", show_header=True, header_style="bold")
    kt.add_column("n", justify="right")
    kt.add_column("kind")
    for k, n in kinds.most_common(15):
        kt.add_row(str(n), k)
    out.print(kt)
    for m in score.misses[:errors_shown]:
        g = m["gold"]
        out.print(f"MISS  {m['doc_id']}: {g.get('event_type')} {_actor_label(g.get('source'))} -> "
                  f"{_actor_label(g.get('target'))}", highlight=False)
    for x in score.extras[:errors_shown]:
        p = x["pred"]
        out.print(f"EXTRA {x['doc_id']}: {p.get('event_type')} {_actor_label(p.get('source'))} -> "
                  f"{_actor_label(p.get('target'))} [{p.get('rule')}]", highlight=False)


def _confusion_table(confusion: dict[tuple[str, str], int]) -> None:
    gold_types = sorted({g for g, _ in confusion})
    pred_types = sorted({p for _, p in confusion})
    table = Table(title="confusion (rows: gold type, '-' none; columns: coded type, '-' none)",
                  show_header=True, header_style="bold")
    table.add_column("gold\\coded")
    for p in pred_types:
        table.add_column(p[:8], justify="right")
    for g in gold_types:
        table.add_row(g[:12], *(str(confusion.get((g, p), "")) for p in pred_types))
    out.print(table)


def _gate_table(results: list[Any]) -> None:
    table = Table(title="evaluation gate", show_header=True, header_style="bold")
    for col in ("set", "level", "P", "R", "F1", "floor F1", "floor P", "forbidden", "result"):
        table.add_column(col)
    for r in results:
        s = r.gold_set
        if r.score is None:
            table.add_row(s.name, s.level, "", "", "", str(s.min_f1), str(s.min_precision), "",
                          "skipped (gold absent)")
            continue
        sc = r.score
        table.add_row(s.name, s.level, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}", str(s.min_f1),
                      str(s.min_precision), str(sc.forbidden), "pass" if r.passed else "FAIL: " + "; ".join(r.failures))
    out.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
