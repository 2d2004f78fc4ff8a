"""The actor registry and recoding: list, export, correct, merge, split, load; recode."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer

from .. import errors
from ..errors import UsageError
from .common import DEFAULT_DB, DbOption, OutputOption, ProgressOption, app, emit, err, handled, progress

registry_app = typer.Typer(help="What the corpus taught us about persons and organisations, and corrections.",
                           no_args_is_help=True)
app.add_typer(registry_app, name="registry")


def _writable(db: Path):  # noqa: ANN202 - a Store
    from ..store import Store

    if not db.exists():
        raise UsageError(f"--db {db}: no such database (run `eventcoder ingest` first)")
    return Store.open(db)


def _edit(db: Path, action: str, actor_id: str, done: str, **fields: object) -> None:
    """Record one registry edit and say what it did."""
    from ..store.registry import edit

    with _writable(db) as store:
        edit(store, action, actor_id, **fields)  # type: ignore[arg-type]
    err.print(done, highlight=False)


def _day(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from ..query.filters import parse_date

    return parse_date(option, value)


@registry_app.command("list")
@handled
def registry_list(db: DbOption = DEFAULT_DB,
                  fmt: Annotated[str, typer.Option("--format", help="table, csv, jsonl, json or parquet.")] = "table",
                  output: OutputOption = None,
                  name: Annotated[str | None, typer.Option(help="Only entries with this word in a name.")] = None,
                  disputed: Annotated[bool, typer.Option(help="Only names seen with two countries.")] = False) -> None:
    """List the registry: names, countries (with evidence), dated roles, first and last seen."""
    from ..store import Store
    from ..store.registry import entries

    with Store.open(db, read_only=True) as store:
        rows = [e.to_dict() for e in entries(store).values()]
    if name:
        rows = [r for r in rows if any(name.lower() in n.lower() for n in r["names"])]
    if disputed:
        rows = [r for r in rows if r["disputed"]]
    flat = [{"actor_id": r["actor_id"], "name": r["name"], "kind": r["kind"], "names": "; ".join(r["names"]),
             "countries": "; ".join(f"{c} ({len(d)} docs)" for c, d in r["countries"].items()),
             "roles": "; ".join(f"{x['role']} {x['country'] or ''} since {x['since'] or '?'}".strip()
                                for x in r["roles"]),
             "first_seen": r["first_seen"], "last_seen": r["last_seen"], "documents": r["documents"],
             "corrected": r["corrected"], "disputed": r["disputed"],
             "evidence": json.dumps(r["evidence"], ensure_ascii=False)} for r in rows]
    schema = pa.schema([(k, pa.bool_() if k in {"corrected", "disputed"} else pa.int64() if k == "documents"
                         else pa.string()) for k in ("actor_id", "name", "kind", "names", "countries", "roles",
                                                     "first_seen", "last_seen", "documents", "corrected",
                                                     "disputed", "evidence")])
    emit(pa.Table.from_pylist(flat, schema=schema), fmt, output, title="registry entries",
         columns=["actor_id", "name", "countries", "roles", "first_seen", "last_seen", "documents", "disputed"]
         if fmt == "table" else None)


@registry_app.command("correct")
@handled
def registry_correct(
    actor_id: Annotated[str, typer.Argument(help="Registry id, e.g. person:benny-gantz.")],
    db: DbOption = DEFAULT_DB,
    country: Annotated[str | None, typer.Option(help="ISO3 country the actor belongs to.")] = None,
    role: Annotated[str | None, typer.Option(help="Role, e.g. 'defence minister'.")] = None,
    sector: Annotated[str | None, typer.Option(help="PLOVER sector, e.g. GOV, MIL.")] = None,
    name: Annotated[str | None, typer.Option(help="The name to show.")] = None,
    since: Annotated[str | None, typer.Option(help="The correction holds from this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="... until this date.")] = None,
) -> None:
    """Correct an entry (its country, role or name); `recode` applies it to stored documents."""
    from ..query.filters import actor_code

    if not any((country, role, sector, name)):
        raise UsageError("say what to correct: --country, --role, --sector or --name")
    _edit(db, "correct", actor_id, f"corrected {actor_id}; run `eventcoder recode --db {db}` to apply it to stored "
          "events", country=actor_code("--country", country) if country else None, role=role,
          sector=sector.upper() if sector else None, name=name, start=_day("--since", since),
          end=_day("--until", until))


@registry_app.command("merge")
@handled
def registry_merge(keep: Annotated[str, typer.Argument(help="The entry that stays.")],
                   other: Annotated[str, typer.Argument(help="The entry merged into it.")],
                   db: DbOption = DEFAULT_DB) -> None:
    """Merge two entries that are one actor ("Ampofo-Darko" and "Kwesi Ampofo-Darko")."""
    _edit(db, "merge", keep, f"merged {other} into {keep}", other=other)


@registry_app.command("split")
@handled
def registry_split(actor_id: Annotated[str, typer.Argument(help="The entry to split.")],
                   name: Annotated[str, typer.Argument(help="The name (as written) that is someone else.")],
                   db: DbOption = DEFAULT_DB) -> None:
    """Split a name off an entry: the observations under that name become their own entry."""
    _edit(db, "split", actor_id, f"split {name!r} off {actor_id}", other=name)


@registry_app.command("load")
@handled
def registry_load(file: Annotated[Path, typer.Argument(help="CSV: name,aliases,country,igo,sector,role,start,end.")],
                  db: DbOption = DEFAULT_DB) -> None:
    """Load a curated actor file; its rows take precedence over what was learned."""
    from ..store.registry import load_file

    text = file.read_text(encoding="utf-8")
    with _writable(db) as store:
        n = load_file(store, text, str(file))
    err.print(f"loaded {n:,} curated rows from {file}", highlight=False)


@app.command()
@handled
def recode(db: DbOption = DEFAULT_DB,
           workers: Annotated[int, typer.Option("--workers", min=1, max=256, help="Code in this many processes.")]
           = 1,
           show_progress: ProgressOption = None) -> None:
    """Code every stored document again from its stored text, with the registry as it is now
    (corrections included); events, actors, fusion and the registry follow."""
    from ..config import Settings
    from ..pipeline import default_coder
    from ..records import make_document
    from ..store import Store, ingest_results

    if not db.exists():
        raise UsageError(f"--db {db}: no such database")
    with Store.open(db, read_only=True) as store:
        layer = store.registry_layer()
        n = (store.one("SELECT count(*) FROM documents WHERE status = 'ok'") or (0,))[0]
    coder = default_coder(Settings.from_env()).with_knowledge(layer)

    def documents():  # noqa: ANN202 - an iterator of Documents, read in pages (nothing held in memory)
        last = ""
        while True:
            with Store.open(db, read_only=True) as store:
                page = store.arrow("SELECT doc_id, text, title, date, url, author, source FROM documents "
                                   "WHERE status = 'ok' AND doc_id > ? ORDER BY doc_id LIMIT 500", [last]).to_pylist()
            if not page:
                return
            for r in page:
                yield make_document(r["text"], id=r["doc_id"], title=r["title"], date=r["date"], url=r["url"],
                                    author=r["author"], source=r["source"])
            last = page[-1]["doc_id"]

    # Pages are read between batch writes, each on its own short connection, as ingest reads files.
    summary = ingest_results(db, progress(coder.code_documents(documents(), workers=workers), "recoding", n,
                                          show_progress), replace=True)
    err.print(f"recoded {summary.ok:,} documents: {summary.events:,} events", highlight=False)
    raise typer.Exit(errors.EXIT_PARTIAL if summary.rejected else errors.EXIT_OK)


