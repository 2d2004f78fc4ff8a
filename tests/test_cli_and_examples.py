"""CLI commands over the library, exports, and the bundled examples scored against their gold."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.errors import EXIT_PARTIAL
from eventcoder.eval.score import score
from tests.conftest import EXAMPLES

runner = CliRunner()
CONTRACT_FIELDS = {"id", "doc_id", "event_type", "mode", "context", "quad_class", "source", "target", "modality",
                   "claimed_by", "date", "date_precision", "location", "sentence", "start", "end", "confidence",
                   "rule"}


def test_examples_meet_their_gold(tmp_path: Path) -> None:
    out = tmp_path / "ex.jsonl"
    result = runner.invoke(app, ["code", str(EXAMPLES / "articles" / "news.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    gold = [json.loads(line) for line in (EXAMPLES / "gold.jsonl").read_text().splitlines()]
    s = score(gold, preds, "sentence")
    assert s.forbidden == 0, s.extras
    assert s.precision >= 0.9 and s.f1 >= 0.75, (s.precision, s.recall, s.misses, s.extras)
    types = {e["event_type"] for e in preds}
    assert len(types) >= 10
    for e in preds:
        assert set(e) >= CONTRACT_FIELDS


def test_ingest_then_query_in_every_format(tmp_path: Path) -> None:
    db = tmp_path / "ex.duckdb"
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "articles"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["ingest", str(EXAMPLES / "articles"), "--db", str(db)])
    assert again.exit_code == 0
    jsonl = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl", "--type", "SANCTION"])
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert rows and all(r["event_type"] == "SANCTION" for r in rows)
    csv_out = runner.invoke(app, ["events", "--db", str(db), "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert len(table) >= len(rows) and {"source_country", "target_country", "sentence"} <= set(table[0])
    parquet = tmp_path / "ev.parquet"
    assert runner.invoke(app, ["events", "--db", str(db), "--format", "parquet", "-o", str(parquet)]).exit_code == 0
    n = duckdb.connect().execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchone()[0]
    assert n == len(table)
    shown = runner.invoke(app, ["show", "ex-07-release", "--db", str(db), "--format", "json"])
    doc = json.loads(shown.stdout)
    assert doc["status"] == "ok" and any(e["event_type"] == "RETREAT" for e in doc["events"])
    actors = runner.invoke(app, ["actors", "--db", str(db), "--format", "jsonl"])
    assert any(json.loads(line)["name"] == "William Ruto" for line in actors.stdout.splitlines())


def test_partial_failure_exit_code_and_reasons(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Brazil praised Argentina.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"%PDF-1.4\x00\x00")
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == EXIT_PARTIAL
    assert "binary" in result.output


def test_help_reads_well() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("code", "ingest", "events", "actors", "show"):
        assert command in result.stdout


def test_bench_reports_ratio_against_bare_spacy() -> None:
    result = runner.invoke(app, ["bench", str(EXAMPLES / "articles" / "news.jsonl"), "--limit", "4", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert data["documents"] == 4 and data["events"] > 0
    assert data["baseline_seconds"] > 0 and data["coder_seconds"] > 0
    assert data["ratio"] == round(data["coder_seconds"] / data["baseline_seconds"], 3)
    assert data["peak_rss_mb"] > 50
