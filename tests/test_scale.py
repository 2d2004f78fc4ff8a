"""Scale: the whole coding path in N processes gives the same results in the same order, Ctrl-C
stops every worker with one line and commits nothing half-done, and writes are bulk appends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from eventcoder.pipeline import Coder, make_document
from eventcoder.records import CodedDocument, Rejected

COUNTRIES = ["Chile", "Peru", "Kenya", "Uganda", "Norway", "Sweden", "Ghana", "Togo", "India", "Japan"]


def _docs(n: int) -> list[dict]:
    """Our own short articles: each names two countries and does something between them."""
    out = []
    for i in range(n):
        a, b = COUNTRIES[i % len(COUNTRIES)], COUNTRIES[(i * 3 + 1) % len(COUNTRIES)]
        out.append({"id": f"s-{i}", "date": f"2024-0{i % 9 + 1}-1{i % 9}",
                    "text": f"{a} condemned {b} over the border incident number {i}. "
                            f"{b} rejected the accusation and recalled its ambassador from {a}. "
                            f"Officials from {a} and {b} will meet in Geneva next week."})
    return out


def test_workers_give_the_same_results_in_the_same_order(coder: Coder) -> None:
    items = [make_document(d["text"], id=d["id"], date=d["date"]) for d in _docs(13)]
    items.insert(5, Rejected("bad-1", "x.txt", "binary", "not text"))
    one = list(coder.code_documents(items))
    two = list(coder.code_documents(items, workers=2))
    assert [type(r).__name__ for r in one] == [type(r).__name__ for r in two]
    assert [r.doc_id if isinstance(r, Rejected) else r.document.id for r in two] == \
        [r.doc_id if isinstance(r, Rejected) else r.document.id for r in one]
    assert [r.events for r in one if isinstance(r, CodedDocument)] == \
        [r.events for r in two if isinstance(r, CodedDocument)]
    assert [r.mentions for r in one if isinstance(r, CodedDocument)] == \
        [r.mentions for r in two if isinstance(r, CodedDocument)]
    assert sum(len(r.events) for r in one if isinstance(r, CodedDocument)) >= 13


def test_ctrl_c_stops_all_workers_with_one_line_and_keeps_whole_batches(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps(d) + "\n" for d in _docs(3000)), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "eventcoder.cli", "ingest", str(src), "--db", str(db),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120  # a guard against a hang, not a speed requirement
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            con = None
            try:
                con = duckdb.connect(str(db), read_only=True)
                stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
            except duckdb.Error:
                stored = 0
            finally:
                if con is not None:
                    con.close()
            if stored >= 100:
                break
        time.sleep(0.3)
    assert proc.poll() is None, "the ingest ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the parent and its workers
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Traceback" not in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert [line for line in lines if "interrupted" in line] == lines[-1:], err
    assert len(lines) <= 2, err  # the progress line at most, then one line
    con = duckdb.connect(str(db), read_only=True)
    docs, bad = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE n_events <> (SELECT count(*) FROM event_documents ed "
        "WHERE ed.doc_id = d.doc_id)) FROM documents d").fetchone()
    con.close()
    assert 100 <= docs < 3000 and docs % 50 == 0  # whole batches only
    assert bad == 0
    leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == []  # no worker outlives the command
