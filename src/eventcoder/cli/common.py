"""What every command shares: the app, options, error handling, progress and output.

Only this package turns exceptions into exit codes (README "Exit codes"): a command is
wrapped by `handled`, which prints one line for any eventcoder error, unreadable path or
Ctrl-C and exits with the documented code, never a traceback.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any, TypeVar

import pyarrow as pa
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from .. import errors
from ..config import CODER_VERSION
from ..errors import EventcoderError, UsageError
from ..records import CodedDocument, Rejected


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"eventcoder {CODER_VERSION}\n")
        raise typer.Exit(errors.EXIT_OK)


app = typer.Typer(
    name="eventcoder",
    help="Turn political and defence news into verifiable PLOVER event data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Turn political and defence news into verifiable PLOVER event data."""


err = Console(stderr=True, soft_wrap=True)  # one message, one line: no wrapping at 80 columns
out = Console(width=None if sys.stdout.isatty() else 160)

DEFAULT_DB = Path("eventcoder.duckdb")
DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file.", envvar="EVENTCODER_DB")]
OutputOption = Annotated[Path | None, typer.Option("-o", "--output", help="Write here (default stdout).")]
LimitOption = Annotated[int | None, typer.Option(help="At most this many rows.")]
ProgressOption = Annotated[bool | None, typer.Option(
    "--progress/--no-progress", help="Progress bar with rate and ETA (default: when stderr is a terminal).")]

F = TypeVar("F", bound=Callable[..., Any])


def handled(fn: F) -> F:
    """Run a command; eventcoder errors, OS errors and Ctrl-C become one line and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            err.print(f"[red]usage error[/red] {exc}", highlight=False)
            raise typer.Exit(errors.EXIT_USAGE) from None
        except EventcoderError as exc:
            err.print(f"[red]error[/red] {exc}", highlight=False)
            raise typer.Exit(errors.EXIT_FAILURE) from None
        except KeyboardInterrupt:
            err.print("interrupted: stopped; every batch committed before this point is kept")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(errors.EXIT_OK) from None
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            err.print(f"[red]error[/red]{where}: {exc.strerror or exc}", highlight=False)
            raise typer.Exit(errors.EXIT_FAILURE) from None
        except typer.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - a bug is one line for the user, with what to report
            first = str(exc).splitlines()[0][:300] if str(exc) else ""
            err.print(f"[red]internal error[/red] {escape(type(exc).__name__)}: {escape(first)} "
                      "(please report it with the command you ran)", highlight=False)
            raise typer.Exit(errors.EXIT_FAILURE) from None

    return wrapper  # type: ignore[return-value]


def check_output(path: Path | None) -> None:
    """Refuse an output path we cannot write before doing any work."""
    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"-o {path}: is a folder; name a file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"-o {path}: the folder {parent} does not exist")


def choose(option: str, value: str, allowed: tuple[str, ...] | list[str]) -> str:
    v = value.strip().lower()
    if v not in allowed:
        raise UsageError(f"{option}: unknown value {value!r}; choose from {', '.join(allowed)}")
    return v


def progress(results: Iterator[CodedDocument | Rejected], label: str, total: int | None,
             show: bool | None) -> Iterator[CodedDocument | Rejected]:
    """A progress bar on stderr (documents, docs/s, ETA when the total is known)."""
    if not (err.is_terminal if show is None else show):
        yield from results
        return
    columns = [SpinnerColumn(), TextColumn(f"{label}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} docs/s, {task.fields[events]} events"), TimeRemainingColumn()]
    with Progress(*columns, console=err, transient=False) as bar:
        task = bar.add_task(label, total=total, rate="-", events=0)
        n = events = 0
        for r in results:
            n += 1
            if isinstance(r, CodedDocument):
                events += len(r.events)
            speed = bar.tasks[0].speed
            bar.update(task, advance=1, rate=f"{speed:.1f}" if speed else "-", events=f"{events:,}")
            yield r


# ---- output of any table ---------------------------------------------------------------

TABLE_FORMATS = ("table", "csv", "jsonl", "json", "parquet")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return str(v)


def emit(table: pa.Table, fmt: str, output: Path | None, title: str = "",
         columns: list[str] | None = None) -> None:
    """Write any Arrow table as a terminal table, CSV, JSONL, JSON or Parquet; -o honoured for all."""
    import csv

    fmt = choose("--format", fmt, TABLE_FORMATS)
    check_output(output)
    if fmt == "parquet":
        if output is None:
            raise UsageError("parquet is a binary format: give an output file with -o PATH")
        import pyarrow.parquet as pq

        pq.write_table(table, output)
        err.print(f"{table.num_rows:,} rows -> {output}", highlight=False)
        return
    stream: IO[str] = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        if fmt == "table":
            console = Console(file=stream, width=160) if output else out
            t = Table(show_header=True, header_style="bold", title=f"{table.num_rows:,} {title}".strip())
            cols = columns or table.column_names
            for c in cols:
                t.add_column(c, overflow="fold")
            for row in table.select(cols).to_pylist():
                t.add_row(*(_cell(row[c]) for c in cols))
            console.print(t)
        elif fmt == "csv":
            writer = csv.writer(stream)
            writer.writerow(table.column_names)
            for row in table.to_pylist():
                writer.writerow([";".join(map(str, v)) if isinstance(v, list) else v for v in row.values()])
        elif fmt == "jsonl":
            for row in table.to_pylist():
                stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            stream.write(json.dumps(table.to_pylist(), ensure_ascii=False, default=str, indent=1) + "\n")
    finally:
        if output:
            stream.close()
