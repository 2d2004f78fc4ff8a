"""Crash drill on a whole corpus: SIGKILL an ingest midway, resume it, compare with a clean run.

    python scripts/crash_drill.py [../shared/corpora/bbc/articles.jsonl] [--kill-at 0.5]

Prints documents, events, duplicates and missing ids; exits 1 if the resumed database
differs from the uninterrupted one.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_crash_safety import _committed, _ingest_cmd, snapshot  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpora" / "bbc" / "articles.jsonl"))
    ap.add_argument("--kill-at", type=float, default=0.5, help="fraction of documents committed before the kill")
    a = ap.parse_args()
    src = Path(a.corpus)
    total = sum(1 for line in src.open(encoding="utf-8") if line.strip())
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    work = Path(tempfile.mkdtemp(prefix="crash-drill-"))
    ref, crashed = work / "reference.duckdb", work / "crashed.duckdb"

    t0 = time.monotonic()
    subprocess.run(_ingest_cmd(src, ref), env=env, check=False, capture_output=True)
    t_ref = time.monotonic() - t0

    log = (work / "killed-ingest.log").open("w")
    proc = subprocess.Popen(_ingest_cmd(src, crashed), env=env, stdout=log, stderr=log)
    seen = reads = 0
    while proc.poll() is None and seen < total * a.kill_at:
        if crashed.exists():
            seen = _committed(crashed)
            reads += 1
        time.sleep(0.5)
    if proc.poll() is not None:
        print(f"the ingest ended (exit {proc.returncode}) before {a.kill_at:.0%} was committed; see {log.name}")
        return 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = len(snapshot(crashed)["documents"])  # type: ignore[arg-type]
    subprocess.run(_ingest_cmd(src, crashed), env=env, check=False, capture_output=True)
    final, expected = snapshot(crashed), snapshot(ref)
    ids = [e[0] for e in final["events"]]  # type: ignore[union-attr]
    doc_ids = {d[0] for d in final["documents"]}  # type: ignore[union-attr]
    exp_ids = {d[0] for d in expected["documents"]}  # type: ignore[union-attr]
    print(f"corpus {src}: {total} documents; uninterrupted ingest {t_ref:.0f} s")
    print(f"killed (SIGKILL) with {at_kill} documents committed; {reads} reads during the ingest")
    print(f"after resume: {len(doc_ids)} documents, {len(ids)} events; duplicates {len(ids) - len(set(ids))}; "
          f"missing {len(exp_ids - doc_ids)}; extra {len(doc_ids - exp_ids)}; "
          f"equal to the uninterrupted run: {final == expected}")
    return 0 if final == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
