"""Streaming writers: export-schema tables in, one file (or stdout) out, page by page.

A writer takes any number of Arrow tables in the export schema and writes them as one
output, so a database larger than memory exports in pages with the same result as one
table. Formats:

- ``parquet``: the schema itself, types and all (the one to load into other tools);
- ``csv``: the schema flattened (context joined with ``;``, dates ISO), header row;
- ``jsonl`` / ``json``: the contract's nested event objects (one per line / one array);
- ``plover``: PLOVER v2 JSON records, one array;
- ``acled`` / ``gdelt``: the ACLED-like and GDELT-like flat profiles, CSV with a header row.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import UsageError
from . import formats
from .schema import COLUMNS, EXPORT_SCHEMA

FORMATS = ("jsonl", "json", "csv", "parquet", "plover", "acled", "gdelt")
BINARY_FORMATS = frozenset({"parquet"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def _schema_csv(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


class Writer:
    """Write export tables in one format to a path or a text stream; `close` finishes the file."""

    def __init__(self, fmt: str, path: str | Path | None = None, stream: IO[str] | None = None) -> None:
        if fmt not in FORMATS:
            raise UsageError(f"--format: unknown value {fmt!r}; choose from {', '.join(FORMATS)}")
        if fmt in BINARY_FORMATS and path is None:
            raise UsageError(f"{fmt} is a binary format: give an output file with -o PATH")
        if path is None and stream is None:
            raise UsageError("no output given")
        self.fmt = fmt
        self.path = Path(path) if path is not None else None
        self.count = 0
        self._parquet: pq.ParquetWriter | None = None
        self._stream: IO[str] | None = stream
        self._owns_stream = False
        self._csv: csv.DictWriter[str] | None = None
        self._first_json = True
        self._started = False

    def _text(self) -> IO[str]:
        """The text stream, opened (and a JSON array begun) on first use."""
        if self._stream is None:
            assert self.path is not None
            self._stream = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._owns_stream = True
        if not self._started:
            self._started = True
            if self.fmt in {"json", "plover"}:
                self._stream.write("[")
        return self._stream

    def write(self, table: pa.Table) -> None:
        if self.fmt == "parquet":
            if self._parquet is None:
                assert self.path is not None
                self._parquet = pq.ParquetWriter(self.path, EXPORT_SCHEMA)
            self._parquet.write_table(table)
            self.count += table.num_rows
            return
        shape, columns = _SHAPES[self.fmt]
        out = self._text()
        for row in table.to_pylist():
            record = shape(row)
            if self.fmt == "jsonl":
                out.write(json.dumps(record, ensure_ascii=False, default=_plain) + "\n")
            elif self.fmt in {"json", "plover"}:
                out.write(("\n" if self._first_json else ",\n") + json.dumps(record, ensure_ascii=False,
                                                                           default=_plain))
                self._first_json = False
            else:
                if self._csv is None:
                    self._csv = csv.DictWriter(out, fieldnames=columns)
                    self._csv.writeheader()
                self._csv.writerow(record)
            self.count += 1

    def close(self) -> None:
        """Finish the output; an empty export still gets its header, schema or brackets."""
        if self.fmt == "parquet":
            if self._parquet is None:
                assert self.path is not None
                self._parquet = pq.ParquetWriter(self.path, EXPORT_SCHEMA)
            self._parquet.close()
            return
        out = self._text()
        if self.fmt in {"json", "plover"}:
            out.write("\n]\n")
        elif self.fmt not in {"jsonl"} and self._csv is None:
            csv.DictWriter(out, fieldnames=_SHAPES[self.fmt][1]).writeheader()
        if self._owns_stream:
            out.close()
        else:
            out.flush()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_SHAPES: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], list[str]]] = {
    "jsonl": (formats.nested, []),
    "json": (formats.nested, []),
    "plover": (formats.plover, []),
    "csv": (_schema_csv, list(COLUMNS)),
    "acled": (lambda r: {k: _plain(v) for k, v in formats.acled(r).items()}, formats.ACLED_COLUMNS),
    "gdelt": (formats.gdelt, formats.GDELT_COLUMNS),
}


def write_tables(tables: Iterable[pa.Table], fmt: str, path: str | Path | None = None,
                 stream: IO[str] | None = None) -> int:
    """Write pages of export rows; returns how many rows were written."""
    with Writer(fmt, path=path, stream=stream) as writer:
        for table in tables:
            writer.write(table)
    return writer.count
