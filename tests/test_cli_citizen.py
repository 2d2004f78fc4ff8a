"""The CLI as a good citizen: help, version, every bad option or path refused cleanly, -o everywhere."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.config import CODER_VERSION
from eventcoder.errors import EXIT_FAILURE, EXIT_NOTHING_READ, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result.exit_code, result.output


def test_help_and_version() -> None:
    code, out = _run("-h")
    assert code == EXIT_OK and "events" in out and "serve" in out and "arms" in out
    code, out = _run("--version")
    assert code == EXIT_OK and out.strip() == f"eventcoder {CODER_VERSION}"
    code, out = _run("events", "-h")
    assert code == EXIT_OK and "--country" in out


BAD = [
    (["events", "--country", "irnn"], "alpha-3"),
    (["events", "--type", "FOO"], "ASSAULT"),
    (["events", "--modality", "claim"], "claimed"),
    (["events", "--since", "garbage"], "YYYY-MM-DD"),
    (["events", "--since", "05/09/2021"], "YYYY-MM-DD"),
    (["events", "--limit", "-1"], "negative"),
    (["events", "--format", "xml"], "plover"),
    (["events", "--format", "parquet"], "-o"),
    (["events", "--quad", "9"], "verbal_coop"),
    (["events", "--order", "random"], "date"),
    (["actors", "--format", "yaml"], "csv"),
    (["documents", "--status", "weird"], "error"),
    (["show", "x", "--format", "xml"], "json"),
    (["top", "countries"], "dyads"),
    (["plot", "pie", "-o", "x.png"], "timeline"),
    (["arms", "--country", "zz"], "alpha-3"),
    (["dyad", "ISR", "AZE", "--since", "2021-13"], "calendar"),
]


@pytest.mark.parametrize("args, named", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_values_are_usage_errors_without_traceback(args: list[str], named: str, corpus_db: Path) -> None:
    code, out = _run(*args, "--db", str(corpus_db))
    assert code == EXIT_USAGE, out
    assert named in out.replace("\n", " ")


@pytest.mark.parametrize("command", [["events", "--format", "csv"], ["actors", "--format", "csv"],
                                     ["documents", "--format", "jsonl"], ["arms", "--format", "csv"],
                                     ["top", "actors"], ["events"], ["actor", "GRC"]])
def test_output_into_a_missing_folder_is_refused(command: list[str], corpus_db: Path, tmp_path: Path) -> None:
    code, out = _run(*command, "--db", str(corpus_db), "-o", str(tmp_path / "missing" / "x.out"))
    assert code == EXIT_USAGE and "does not exist" in out


def test_missing_database_and_input_paths_are_one_line_errors(tmp_path: Path) -> None:
    code, out = _run("events", "--db", str(tmp_path / "nope.duckdb"))
    assert code == EXIT_FAILURE and "no such database" in out
    code, out = _run("code", str(tmp_path / "nope.txt"))
    assert code == EXIT_FAILURE and "no such file" in out
    code, out = _run("serve", "--db", str(tmp_path / "nope.duckdb"))
    assert code == EXIT_USAGE and "no such database" in out


def test_every_format_is_honoured_and_o_writes_files(corpus_db: Path, tmp_path: Path) -> None:
    table = tmp_path / "t.txt"
    code, _ = _run("events", "--db", str(corpus_db), "--format", "table", "-o", str(table))
    assert code == EXIT_OK and "events" in table.read_text(encoding="utf-8")
    code, out = _run("actors", "--db", str(corpus_db), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == EXIT_OK and rows and {"name", "country", "mentions"} <= set(rows[0])
    code, out = _run("documents", "--db", str(corpus_db), "--format", "jsonl")
    assert code == EXIT_OK and all(json.loads(line)["status"] for line in out.strip().splitlines())
    shown = tmp_path / "show.json"
    code, _ = _run("show", "own-2", "--db", str(corpus_db), "--format", "json", "-o", str(shown))
    assert code == EXIT_OK and json.loads(shown.read_text(encoding="utf-8"))["events"]
    code, out = _run("top", "dyads", "--db", str(corpus_db), "--format", "json", "--limit", "3")
    assert code == EXIT_OK and len(json.loads(out)) == 3
    code, out = _run("arms", "--db", str(corpus_db), "--format", "jsonl")
    assert code == EXIT_OK and any(json.loads(line)["status"] == "requested" for line in out.splitlines())


@pytest.mark.parametrize("kind", ["timeline", "types", "network", "map"])
def test_plots_are_png(kind: str, corpus_db: Path, tmp_path: Path) -> None:
    png = tmp_path / f"{kind}.png"
    code, out = _run("plot", kind, "-o", str(png), "--db", str(corpus_db))
    assert code == EXIT_OK, out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_empty_input_exits_3_and_each_skipped_file_has_a_status_row(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out = _run("ingest", str(empty), "--db", str(tmp_path / "e.duckdb"))
    assert code == EXIT_NOTHING_READ and "no documents" in out
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Brazil praised Argentina.", encoding="utf-8")
    (docs / "blob.bin").write_bytes(b"\x00\x01\x02")
    db = tmp_path / "d.duckdb"
    code, out = _run("ingest", str(docs), "--db", str(db))
    assert code == EXIT_PARTIAL and "blob.bin" in out
    code, out = _run("documents", "--db", str(db), "--format", "jsonl")
    rows = {Path(json.loads(r)["doc_id"]).name: json.loads(r) for r in out.strip().splitlines()}
    assert rows["blob.bin"]["status"] == "skipped" and rows["blob.bin"]["reason"] == "unsupported"


def test_progress_bar_reports_rate_and_eta(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"p{i}", "text": f"Chile praised Peru {i} times."}) + "\n"
                           for i in range(3)), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(src), "--db", str(tmp_path / "p.duckdb"), "--progress"])
    assert result.exit_code == EXIT_OK, result.output
    assert "3/3" in result.output and "docs/s" in result.output
