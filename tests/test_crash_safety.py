"""Kill an ingest with SIGKILL midway, rerun it: the database equals an uninterrupted run.

Uses the first articles of the shared BBC corpus (skipped when ../shared is absent);
`scripts/crash_drill.py` runs the same drill on the whole corpus.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.store import Store
from tests.conftest import ROOT

N_ARTICLES = 240


def _ingest_cmd(src: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "eventcoder.cli", "ingest", str(src), "--db", str(db)]


def snapshot(db: Path) -> dict[str, object]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        docs = conn.execute("SELECT doc_id, status, content_hash, n_events FROM documents ORDER BY doc_id").fetchall()
        events = conn.execute("SELECT id FROM events ORDER BY id").fetchall()
        links = conn.execute("SELECT event_id, doc_id FROM event_documents ORDER BY ALL").fetchall()
        actors = conn.execute("SELECT doc_id, canonical, role, mentions FROM actors ORDER BY ALL").fetchall()
    finally:
        conn.close()
    return {"documents": docs, "events": events, "links": links, "actors": actors}


def _committed(db: Path) -> int:
    """Documents committed so far, read while the ingest is writing."""
    with Store.open(db, read_only=True, wait=60) as store:
        return store.counts()["documents"]


def test_sigkill_midway_then_resume_equals_an_uninterrupted_run(shared: Path, tmp_path: Path) -> None:
    corpus = shared / "corpora" / "bbc" / "articles.jsonl"
    src = tmp_path / "bbc.jsonl"
    with corpus.open(encoding="utf-8") as fh, src.open("w", encoding="utf-8") as out:
        for _, line in zip(range(N_ARTICLES), fh, strict=False):
            out.write(line)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    reference = tmp_path / "reference.duckdb"
    subprocess.run(_ingest_cmd(src, reference), env=env, check=True, capture_output=True)

    crashed = tmp_path / "crashed.duckdb"
    proc = subprocess.Popen(_ingest_cmd(src, crashed), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        seen = 0
        reads = 0
        cli_reads = []
        while proc.poll() is None and seen < N_ARTICLES // 3:
            if crashed.exists():
                seen = _committed(crashed)  # a reader working while the ingest writes
                reads += 1
                if seen and not cli_reads:  # and the CLI's own query, mid-ingest
                    cli_reads.append(CliRunner().invoke(app, ["documents", "--db", str(crashed)]))
            time.sleep(0.2)
        assert proc.poll() is None, "the ingest finished before it could be killed; raise N_ARTICLES"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert reads > 0
    assert cli_reads and cli_reads[0].exit_code == 0 and "documents" in cli_reads[0].output
    partial = snapshot(crashed)
    assert 0 < len(partial["documents"]) < N_ARTICLES  # type: ignore[arg-type]

    resumed = subprocess.run(_ingest_cmd(src, crashed), env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    final = snapshot(crashed)
    assert final == snapshot(reference)
    ids = [e[0] for e in final["events"]]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))
    assert len(final["documents"]) == N_ARTICLES  # type: ignore[arg-type]

    # Re-ingesting the same input changes nothing.
    again = subprocess.run(_ingest_cmd(src, crashed), env=env, capture_output=True, text=True)
    assert again.returncode == 0
    assert snapshot(crashed) == final
