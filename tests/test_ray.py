"""The Ray runner on a real local Ray cluster: the same events (same ids) as a local ingest, and a
coder actor killed mid-run loses nothing and duplicates nothing."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import duckdb
import pytest

from eventcoder.config import Settings
from eventcoder.store import Store, ingest_results

from .test_scale import _docs

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, object_store_memory=200_000_000, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    yield
    ray.shutdown()


def _corpus(path: Path, n: int) -> Path:
    lines = [json.dumps(d) for d in _docs(n)]
    lines.insert(3, "{this is not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _local(coder, src: Path, db: Path) -> Path:
    from eventcoder.ingest.files import read_inputs

    ingest_results(db, coder.code_documents(read_inputs([str(src)])))
    return db


def _events(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute("SELECT id, doc_id, event_type, source_canonical, target_canonical, modality, date, "
                                  "start_char, end_char FROM events").fetchall())
    finally:
        con.close()


def _doc_rows(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute("SELECT doc_id, status, n_events FROM documents WHERE status = 'ok'").fetchall())
    finally:
        con.close()


def test_ray_and_local_runs_store_the_same_events(cluster, coder, tmp_path: Path) -> None:
    from eventcoder.runner import ray_runner

    src = _corpus(tmp_path / "in.jsonl", 40)
    local = _local(coder, src, tmp_path / "local.duckdb")
    run = ray_runner.run([str(src)], settings=Settings.from_env(), parquet_out=str(tmp_path / "lake"),
                         db=tmp_path / "ray.duckdb", actors=2, batch_size=8)
    assert run.documents == 41 and run.rejected == 1 and run.ok == 40
    assert _events(tmp_path / "ray.duckdb") == _events(local) and len(_events(local)) >= 40
    assert _doc_rows(tmp_path / "ray.duckdb") == _doc_rows(local)
    with Store.open(tmp_path / "ray.duckdb", read_only=True) as s:
        bad = s.documents("error")
    assert len(bad) == 1 and bad[0]["reason"] == "bad_json"
    # Loading the same shards again changes nothing (the rejected line's status row is rewritten, as a
    # local re-ingest rewrites it).
    with Store.open(tmp_path / "ray.duckdb") as s:
        again = s.load_shards(str(tmp_path / "lake"))
    assert again["events"] == 0 and again["unchanged"] == 40 and again["stored"] == 1
    assert _events(tmp_path / "ray.duckdb") == _events(local) and _doc_rows(tmp_path / "ray.duckdb") == _doc_rows(local)


def test_a_killed_actor_loses_and_duplicates_nothing(cluster, coder, tmp_path: Path) -> None:
    import subprocess

    from eventcoder.runner import ray_runner

    src = _corpus(tmp_path / "in.jsonl", 240)
    local = _local(coder, src, tmp_path / "local.duckdb")
    result: dict = {}

    def drive() -> None:
        try:
            result["run"] = ray_runner.run([str(src)], settings=Settings.from_env(), parquet_out=str(tmp_path / "lake"),
                                           db=tmp_path / "ray.duckdb", actors=2, batch_size=4)
        except Exception as exc:  # noqa: BLE001 - reported below
            result["error"] = exc

    thread = threading.Thread(target=drive)
    thread.start()
    killed = None
    deadline = time.monotonic() + 180  # a guard against a hang, not a speed requirement
    while killed is None and time.monotonic() < deadline and thread.is_alive():
        # Ray names each actor process after its class: "ray::MapWorker(MapBatches(CoderActor))".
        found = subprocess.run(["pgrep", "-f", r"MapBatches\(CoderActor\)"], capture_output=True, text=True)
        alive = [int(p) for p in found.stdout.split()]
        if len(alive) == 2:
            time.sleep(6)  # let both load the coder and take batches
            killed = alive[0]
            assert thread.is_alive(), "the run ended before an actor could be killed"
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.5)
    thread.join(timeout=600)
    assert killed is not None, "no coder actor to kill"
    assert "error" not in result, result.get("error")
    run = result["run"]
    assert run.documents == 241 and run.ok == 240
    events = _events(tmp_path / "ray.duckdb")
    assert events == _events(local)
    assert len({e[0] for e in events}) == len(events)
    assert _doc_rows(tmp_path / "ray.duckdb") == _doc_rows(local)
