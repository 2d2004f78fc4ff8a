"""The DuckDB store: idempotent ingest, status rows, no data lost to a bad re-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventcoder.errors import UsageError
from eventcoder.pipeline import make_document
from eventcoder.query.filters import EventQuery
from eventcoder.query.table import events_table
from eventcoder.records import Rejected
from eventcoder.store import Store

TEXTS = {
    "d1": "Ecuador expelled two Colombian diplomats. Colombia condemned Ecuador.",
    "d2": "Norway praised Sweden. Finland held talks with Estonia in Helsinki.",
}


def _events(store: Store, **filters: str) -> list[dict]:
    return [dict(r, id=r["event_id"]) for r in events_table(store, EventQuery.parse(**filters)).to_pylist()]


def _ingest(coder, db: Path, docs) -> object:
    with Store.open(db) as store:
        return store.add_results(coder.code_documents(docs))


def test_reingest_changes_nothing(coder, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    docs = [make_document(t, id=i) for i, t in TEXTS.items()]
    first = _ingest(coder, db, docs)
    with Store.open(db, read_only=True) as s:
        before = (s.counts(), [e["id"] for e in _events(s)])
    second = _ingest(coder, db, docs)
    with Store.open(db, read_only=True) as s:
        after = (s.counts(), [e["id"] for e in _events(s)])
    assert first.ok == 2 and first.events >= 3
    assert second.unchanged == 2 and second.events == 0
    assert before == after


def test_same_text_in_two_documents_is_one_event(coder, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    _ingest(coder, db, [make_document(TEXTS["d1"], id="x"), make_document(TEXTS["d1"], id="y")])
    with Store.open(db, read_only=True) as s:
        events = _events(s)
        links = s.conn.execute("SELECT count(*) FROM event_documents").fetchone()[0]
    assert len(events) == len({e["id"] for e in events}) and links == 2 * len(events)


def test_rejection_never_replaces_stored_document(coder, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    _ingest(coder, db, [make_document(TEXTS["d2"], id="d2")])
    summary = _ingest(coder, db, [Rejected("d2", "x.txt", "decode", "garbage"),
                                  make_document("Different text entirely. Chile praised Peru.", id="d2"),
                                  Rejected("d3", "y.txt", "empty", "no text")])
    with Store.open(db, read_only=True) as s:
        d2 = s.document("d2")
        d3 = s.document("d3")
        found = _events(s, doc_id="d2")
    assert d2 is not None and d2["status"] == "ok" and d2["text"] == TEXTS["d2"] and found
    assert d3 is not None and d3["status"] == "skipped" and d3["reason"] == "empty"
    assert summary.reasons == {"decode": 1, "duplicate": 1, "empty": 1}


def test_filters_are_parameterised(coder, tmp_path: Path) -> None:
    db = tmp_path / "e.duckdb"
    _ingest(coder, db, [make_document(t, id=i) for i, t in TEXTS.items()])
    with Store.open(db, read_only=True) as s:
        assert _events(s, country="ECU")
        with pytest.raises(UsageError):
            _events(s, country="ECU' OR '1'='1")
        assert _events(s, text="Ecuador' OR '1'='1") == []
        assert _events(s, text="expelled") and _events(s, actor="Ecuador' --") == []
        assert all(e["event_type"] == "CONSULT" for e in _events(s, event_type="consult"))
