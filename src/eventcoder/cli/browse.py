"""Commands that read a stored corpus: events, counts, dyads, actors, arms, plots, serve."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer

from .. import errors
from ..errors import UsageError
from .common import (
    DEFAULT_DB,
    DbOption,
    LimitOption,
    OutputOption,
    app,
    check_output,
    choose,
    emit,
    err,
    handled,
    out,
)

PAGE = 50_000  # rows per query page when exporting


def _store(db: Path) -> Any:
    from ..store import Store

    return Store.open(db, read_only=True)


TypeOpt = Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated (e.g. ASSAULT).")]
QuadOpt = Annotated[str | None, typer.Option("--quad", help="Quad class: verbal_coop, material_coop, "
                                                            "verbal_conflict, material_conflict, or 1-4.")]
ModalityOpt = Annotated[str | None, typer.Option(help="asserted, claimed, negated, intended, hypothetical.")]
ContextOpt = Annotated[str | None, typer.Option(help="PLOVER context(s), e.g. military.")]
CountryOpt = Annotated[str | None, typer.Option(help="ISO3 or IGO code on either side.")]
SourceOpt = Annotated[str | None, typer.Option(help="Source country or IGO code.")]
TargetOpt = Annotated[str | None, typer.Option(help="Target country or IGO code.")]
ActorOpt = Annotated[str | None, typer.Option(help="Actor id (ISR:benny-gantz) or resolved name, either side.")]
TextOpt = Annotated[str | None, typer.Option("--text", help="Words in the evidence sentence or title.")]
SinceOpt = Annotated[str | None, typer.Option(help="Events on or after (YYYY, YYYY-MM or YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option(help="Events on or before (YYYY, YYYY-MM or YYYY-MM-DD).")]
DocOpt = Annotated[str | None, typer.Option(help="Only this document.")]
RawOpt = Annotated[bool, typer.Option(
    "--raw", help="Every mention, not one row per fused event (reports of one happening in several documents).")]


def _query(**raw: Any) -> Any:
    from ..query.filters import EventQuery

    return EventQuery.parse(**raw)


def _label(row: dict[str, Any], prefix: str) -> str:
    name = row.get(f"{prefix}_name")
    if not name:
        return "-"
    code = row.get(f"{prefix}_country") or row.get(f"{prefix}_igo") or "?"
    sector = row.get(f"{prefix}_sector")
    return f"{name} ({code}{'/' + sector if sector else ''})"


def _event_rows_for_table(table: pa.Table) -> pa.Table:
    rows = []
    for r in table.to_pylist():
        from ..export.formats import partial_date

        modality = r["modality"] + (f" by {r['claimant_name']}" if r.get("claimant_name") else "")
        sentence = r["sentence"] if len(r["sentence"]) < 90 else r["sentence"][:87] + "..."
        rows.append({"date": partial_date(r) or "?", "type": r["event_type"], "mode": r["mode"] or "",
                     "source": _label(r, "source"), "target": _label(r, "target"), "modality": modality,
                     "sentence": sentence})
    cols = ["date", "type", "mode", "source", "target", "modality", "sentence"]
    return pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in cols]))


@app.command()
@handled
def events(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl, json, csv, parquet, plover, acled or gdelt.")]
    = "table",
    output: OutputOption = None,
    event_type: TypeOpt = None, quad: QuadOpt = None, modality: ModalityOpt = None, context: ContextOpt = None,
    country: CountryOpt = None, source: SourceOpt = None, target: TargetOpt = None, actor: ActorOpt = None,
    text: TextOpt = None, since: SinceOpt = None, until: UntilOpt = None, doc: DocOpt = None,
    order: Annotated[str, typer.Option(help="document, date or date_desc.")] = "document",
    raw: RawOpt = False,
    limit: LimitOption = None,
    offset: Annotated[int, typer.Option(help="Skip this many rows first.")] = 0,
) -> None:
    """List stored events, filtered, in any export format (see README "Export schema")."""
    from ..export import FORMATS, Writer
    from ..query.filters import check_limit
    from ..query.table import events_table

    fmt = choose("--format", fmt, ("table", *FORMATS))
    check_output(output)
    check_limit(limit, offset, maximum=None)
    q = _query(event_type=event_type, quad_class=quad, modality=modality, context=context, country=country,
               source=source, target=target, actor=actor, text=text, since=since, until=until, doc_id=doc,
               order=order, raw=raw or None)
    with _store(db) as store:
        if fmt == "table":
            table = events_table(store, q, limit=limit if limit is not None else 1000, offset=offset)
            emit(_event_rows_for_table(table), "table", output, title="events")
            return

        def pages() -> Iterator[pa.Table]:
            done, start = 0, offset
            while limit is None or done < limit:
                size = PAGE if limit is None else min(PAGE, limit - done)
                page = events_table(store, q, limit=size, offset=start)
                if page.num_rows:
                    yield page
                done += page.num_rows
                start += page.num_rows
                if page.num_rows < size:
                    return

        with Writer(fmt, path=output, stream=None if output else sys.stdout) as writer:
            for page in pages():
                writer.write(page)
    if output:
        err.print(f"{writer.count:,} events -> {output}", highlight=False)


@app.command()
@handled
def actors(
    db: DbOption = DEFAULT_DB,
    doc: DocOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl, json or parquet.")] = "table",
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List the actors found: states, organisations and persons with country, sector and role."""
    from ..query.filters import check_limit

    check_limit(limit, 0, maximum=None)
    with _store(db) as store:
        rows = store.actors(doc_id=doc, limit=limit)
    schema = pa.schema([(c, pa.string()) for c in ("name", "canonical", "country", "igo", "sector", "role", "kind")]
                       + [("mentions", pa.int64()), ("documents", pa.int64())])
    emit(pa.Table.from_pylist(rows, schema=schema), fmt, output, title="actors",
         columns=["name", "country", "igo", "sector", "role", "kind", "mentions"] if fmt == "table" else None)


@app.command()
@handled
def show(doc_id: Annotated[str, typer.Argument(help="Document id.")], db: DbOption = DEFAULT_DB,
         fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
         output: OutputOption = None) -> None:
    """Show one stored document with its status, events and actors."""
    from ..query.filters import EventQuery
    from ..query.table import events_table

    fmt = choose("--format", fmt, ("text", "json"))
    check_output(output)
    with _store(db) as store:
        doc = store.document(doc_id)
        table = events_table(store, EventQuery(doc_id=doc_id, raw=True)) if doc else None
    if doc is None or table is None:
        err.print(f"[red]error[/red] no document {doc_id!r} in {db}", highlight=False)
        raise typer.Exit(errors.EXIT_FAILURE)
    if fmt == "json":
        from ..export.formats import nested

        doc["events"] = [nested(r) for r in table.to_pylist()]
        text = json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n"
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return
    out.print(f"[bold]{doc.get('title') or doc_id}[/bold]  ({doc_id})", highlight=False, markup=False)
    out.print(f"status: {doc['status']}" + (f" ({doc['reason']}: {doc['detail']})" if doc.get("reason") else "")
              + f"  date: {doc.get('date') or '?'}  source: {doc.get('source') or '?'}", highlight=False,
              markup=False)
    emit(_event_rows_for_table(table), "table", output, title="events")


@app.command()
@handled
def documents(db: DbOption = DEFAULT_DB,
              status: Annotated[str | None, typer.Option(help="ok, skipped or error.")] = None,
              fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl, json or parquet.")] = "table",
              output: OutputOption = None) -> None:
    """List stored documents with their status (ok / skipped / error and why)."""
    if status is not None:
        status = choose("--status", status, ("ok", "skipped", "error"))
    with _store(db) as store:
        rows = store.documents(status)
    cols = ["doc_id", "status", "reason", "detail", "title", "date", "source"]
    schema = pa.schema([(c, pa.string()) for c in cols] + [("n_events", pa.int64())])
    emit(pa.Table.from_pylist(rows, schema=schema), fmt, output, title="documents",
         columns=["doc_id", "status", "reason", "detail", "n_events", "title"] if fmt == "table" else None)


@app.command()
@handled
def dyad(
    a: Annotated[str, typer.Argument(help="First actor: country/IGO code, actor id or resolved name.")],
    b: Annotated[str, typer.Argument(help="Second actor.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl, json or parquet.")] = "table",
    output: OutputOption = None,
    event_type: TypeOpt = None, quad: QuadOpt = None, modality: ModalityOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, raw: RawOpt = False,
) -> None:
    """Events between two actors per month, type and direction."""
    from ..query import summaries

    q = _query(event_type=event_type, quad_class=quad, modality=modality, since=since, until=until, raw=raw)
    with _store(db) as store:
        table = summaries.dyad(store, a, b, q)
    emit(table, fmt, output, title=f"rows: {a} / {b} by month and type")


@app.command()
@handled
def top(
    what: Annotated[str, typer.Argument(help="actors or dyads.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl, json or parquet.")] = "table",
    output: OutputOption = None,
    limit: Annotated[int, typer.Option(help="How many.")] = 20,
    event_type: TypeOpt = None, quad: QuadOpt = None, modality: ModalityOpt = None, country: CountryOpt = None,
    since: SinceOpt = None, until: UntilOpt = None, raw: RawOpt = False,
) -> None:
    """The actors or the source->target dyads in most events."""
    from ..query import summaries

    what = choose("WHAT", what, ("actors", "dyads"))
    q = _query(event_type=event_type, quad_class=quad, modality=modality, country=country, since=since,
               until=until, raw=raw)
    with _store(db) as store:
        table = (summaries.top_actors if what == "actors" else summaries.top_dyads)(store, q, limit)
    emit(table, fmt, output, title=what)


@app.command()
@handled
def actor(
    key: Annotated[str, typer.Argument(help="Actor id (e.g. ISR:benny-gantz, AZE) or resolved name.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    output: OutputOption = None,
) -> None:
    """An actor's profile: names, roles, countries, sectors, first and last seen, event counts."""
    from ..query import summaries

    fmt = choose("--format", fmt, ("text", "json"))
    check_output(output)
    with _store(db) as store:
        profile = summaries.actor_profile(store, key)
    if profile is None:
        err.print(f"[red]error[/red] no actor {key!r} in {db}", highlight=False, markup=False)
        raise typer.Exit(errors.EXIT_FAILURE)
    data = profile.to_dict()
    text = (json.dumps(data, ensure_ascii=False, indent=1) + "\n" if fmt == "json" else
            "\n".join(f"{k:>11}: {', '.join(v) if isinstance(v, list) else v}" for k, v in data.items()) + "\n")
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


@app.command()
@handled
def arms(
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl, json or parquet.")] = "table",
    output: OutputOption = None,
    country: CountryOpt = None, modality: ModalityOpt = None, since: SinceOpt = None, until: UntilOpt = None,
) -> None:
    """The arms-transfer register: supplier, recipient, system as written, status, date, evidence."""
    from ..query.transfers import register

    q = _query(country=country, modality=modality, since=since, until=until)
    with _store(db) as store:
        table = register(store, q)
    cols = None
    if fmt == "table":
        table = table.append_column("supplier", pa.array([r["supplier_name"] for r in table.to_pylist()],
                                                         pa.string()))
        table = table.append_column("recipient", pa.array([r["recipient_name"] for r in table.to_pylist()],
                                                          pa.string()))
        cols = ["date", "supplier", "recipient", "description", "status", "use_reported", "modality", "doc_id"]
    emit(table, fmt, output, title="arms transfers", columns=cols)


@app.command()
@handled
def plot(
    kind: Annotated[str, typer.Argument(help="timeline, types, network or map.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="PNG file to write.")],
    db: DbOption = DEFAULT_DB,
    event_type: TypeOpt = None, quad: QuadOpt = None, modality: ModalityOpt = None, country: CountryOpt = None,
    source: SourceOpt = None, target: TargetOpt = None, since: SinceOpt = None, until: UntilOpt = None,
) -> None:
    """Draw a plot of the filtered events as PNG (dyad timeline: --source A --target B)."""
    kind = choose("KIND", kind, ("timeline", "types", "network", "map"))
    check_output(output)
    if output.suffix.lower() != ".png":
        raise UsageError(f"-o {output}: plots are written as PNG; name a .png file")
    q = _query(event_type=event_type, quad_class=quad, modality=modality, country=country, source=source,
               target=target, since=since, until=until)
    from ..web.charts import chart_for

    with _store(db) as store:
        chart = chart_for(store, kind, q)
    chart.to_png(output)
    err.print(f"{kind} -> {output}", highlight=False)


@app.command()
@handled
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to bind (default: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port.")] = 8000,
) -> None:
    """Serve the dashboard and its JSON API over the database (read-only; ingest may run meanwhile)."""
    import uvicorn

    from ..web.app import create_app

    if not db.exists():
        raise UsageError(f"--db {db}: no such database (run `eventcoder ingest` first)")
    if host not in {"127.0.0.1", "localhost", "::1"}:
        err.print(f"[yellow]warning[/yellow] binding {host}: the dashboard is reachable from other machines",
                  highlight=False)
    err.print(f"serving {db} on http://{host}:{port}/ (Ctrl-C to stop)", highlight=False)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
