"""Event writers: JSONL, CSV, JSON and Parquet, all from the contract's event dicts."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from .errors import ConfigError
from .store import write_parquet

FORMATS = ("jsonl", "csv", "json", "parquet")
CSV_FIELDS = ["id", "doc_id", "event_type", "mode", "quad_class", "context", "source_name", "source_country",
              "source_igo", "source_sector", "target_name", "target_country", "target_igo", "target_sector",
              "modality", "claimed_by", "date", "date_precision", "location", "sentence", "start", "end",
              "confidence", "rule", "coder_version"]


def flat(event: dict[str, Any]) -> dict[str, Any]:
    """One CSV row: actor objects spread over columns, lists joined."""
    row: dict[str, Any] = {k: event.get(k) for k in CSV_FIELDS if k in event}
    for side in ("source", "target"):
        a = event.get(side) or {}
        for k in ("name", "country", "igo", "sector"):
            row[f"{side}_{k}"] = a.get(k)
    row["context"] = ";".join(event.get("context") or [])
    claimed = event.get("claimed_by") or {}
    row["claimed_by"] = claimed.get("country") or claimed.get("igo") or claimed.get("name")
    loc = event.get("location") or {}
    row["location"] = loc.get("name")
    return row


def write_events(events: Iterable[dict[str, Any]], fmt: str, out: IO[str] | None = None,
                 path: str | Path | None = None) -> int:
    """Write events to ``out`` (text formats) or ``path``; returns how many were written."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if path is None:
            raise ConfigError("Parquet needs an output file (-o PATH)")
        rows = list(events)
        write_parquet(rows, path)
        return len(rows)
    close = False
    if out is None:
        if path is None:
            raise ConfigError("no output given")
        out = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        close = True
    n = 0
    try:
        if fmt == "jsonl":
            for e in events:
                out.write(json.dumps(e, ensure_ascii=False) + "\n")
                n += 1
        elif fmt == "json":
            rows = list(events)
            json.dump(rows, out, ensure_ascii=False, indent=1)
            out.write("\n")
            n = len(rows)
        else:
            writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore")
            writer.writeheader()
            for e in events:
                writer.writerow(flat(e))
                n += 1
    finally:
        if close:
            out.close()
    return n
