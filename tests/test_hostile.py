"""Hostile documents: each gets a status and a reason, the good ones around them are stored."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.errors import EXIT_NOTHING_READ, EXIT_PARTIAL
from eventcoder.ingest.files import read_inputs
from eventcoder.pipeline import Coder, make_document
from eventcoder.records import CodedDocument, Rejected
from tests.hostile import write_hostile

runner = CliRunner()


def _statuses(db: Path) -> dict[str, tuple[str, str | None, str | None, int | None]]:
    conn = duckdb.connect(str(db), read_only=True)
    try:
        rows = conn.execute("SELECT doc_id, source, status, reason, n_events FROM documents").fetchall()
    finally:
        conn.close()
    out = {}
    for doc_id, source, status, reason, n in rows:
        out[doc_id] = (status, reason, source, n)
        if source:
            out.setdefault(source, (status, reason, source, n))
    return out


def test_hostile_folder_gives_every_document_a_status(tmp_path: Path) -> None:
    cases = write_hostile(tmp_path / "in")
    db = tmp_path / "h.duckdb"
    result = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert result.exit_code == EXIT_PARTIAL, result.output
    assert "Traceback" not in result.output
    statuses = _statuses(db)
    for case in cases:
        assert case.doc_id in statuses, f"{case.name}: no status row"
        status, reason, _, n_events = statuses[case.doc_id]
        assert status == case.status, (case.name, status, reason)
        if case.reason:
            assert reason == case.reason, (case.name, reason)
    # the good documents around the bad ones were coded, not just stored
    assert statuses["j-good-1"][3] and statuses[str(tmp_path / "in" / "good.txt")][3]
    # the summary names each reason
    for reason in ("binary", "decode", "bad_json", "missing_field", "no_main_text", "too_large", "empty", "duplicate"):
        assert reason in result.output

    # Re-ingesting the same folder changes nothing.
    conn = duckdb.connect(str(db), read_only=True)
    before = conn.execute("SELECT count(*), (SELECT count(*) FROM events) FROM documents").fetchone()
    conn.close()
    again = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert again.exit_code == EXIT_PARTIAL
    conn = duckdb.connect(str(db), read_only=True)
    after = conn.execute("SELECT count(*), (SELECT count(*) FROM events) FROM documents").fetchone()
    dup = conn.execute("SELECT text FROM documents WHERE doc_id = 'j-dup'").fetchone()
    conn.close()
    assert before == after
    assert dup is not None and dup[0].startswith("Chile and Peru held talks")  # first text kept, not overwritten


def test_nothing_readable_exits_3(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.duckdb")])
    assert result.exit_code == EXIT_NOTHING_READ


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["ingest"]).exit_code == 2
    assert runner.invoke(app, ["events", "--limit", "many"]).exit_code == 2


def test_hostile_texts_never_break_the_coder(coder: Coder, tmp_path: Path) -> None:
    texts = [
        "", " ", "\x00\x01", "(" * 20_000 + ")" * 20_000, "a" * 50_000,
        "\u202e\u0627\u0644\u0639\u0631\u0627\u0642\U0001f525" * 500,
        "Hamas." * 3000, "(" * 5000 + ")" * 5000, "Mr. " * 2000, "\n" * 10_000, "U.S." * 4000,
        "Israel attacked Iran. " * 2000,
    ]
    docs = [make_document(t, id=f"t{i}", date="2024-01-01") for i, t in enumerate(texts) if t.strip()]
    results = list(coder.code_documents(docs))
    assert len(results) == len(docs)
    assert all(isinstance(r, CodedDocument) for r in results)
    repeated = results[-1]
    assert isinstance(repeated, CodedDocument) and repeated.events  # a long but normal text is still coded


def test_jsonl_line_longer_than_the_limit_is_rejected_without_stopping(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "Chile and Peru held talks."}\n'
                    + '{"id": "big", "text": "' + "x" * 50_000 + '"}\n'
                    + '{"id": "b", "text": "Peru recalled its envoy."}\n')
    out = list(read_inputs([str(path)], max_doc_chars=1000))
    assert [getattr(r, "id", None) or r.doc_id for r in out] == ["a", f"{path}:2", "b"]
    assert isinstance(out[1], Rejected) and out[1].reason == "too_large"


def test_gzip_bomb_is_stopped_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
        for _ in range(60):
            gz.write(b"a" * 1_000_000)
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 1_000_000
    (r,) = list(read_inputs([str(path)], max_doc_chars=1_000_000))
    assert isinstance(r, Rejected) and r.reason == "too_large"


@pytest.mark.parametrize("cap", [50, 200])
def test_sentence_cap_skips_only_the_long_sentence(cap: int) -> None:
    from eventcoder.config import Settings

    settings = Settings.from_env(max_sentence_chars=cap)
    c = Coder.load(settings)
    long = "Officials " + "said that " * 30 + "nothing happened. "
    text = long + "Chile recalled its ambassador from Peru."
    result = c.code_document(make_document(text, date="2024-01-01"))
    assert isinstance(result, CodedDocument)
    assert [(e.event_type, e.source.country if e.source else None) for e in result.events] == [("SANCTION", "CHL")]


def test_a_coder_failure_costs_one_document_not_the_batch(coder: Coder, monkeypatch: pytest.MonkeyPatch) -> None:
    real = coder.coder.code

    def flaky(document, actors, max_chars):  # type: ignore[no-untyped-def]
        if "explode" in document.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(document, actors, max_chars)

    monkeypatch.setattr(coder.coder, "code", flaky)
    docs = [make_document(t, id=f"d{i}", date="2024-01-01") for i, t in enumerate(
        ["Chile recalled its ambassador from Peru.", "This text will explode the coder.", "Japan sent aid to Fiji."])]
    results = list(coder.code_documents(docs))
    assert [type(r).__name__ for r in results] == ["CodedDocument", "Rejected", "CodedDocument"]
    bad = results[1]
    assert isinstance(bad, Rejected) and bad.reason == "coding_failed" and "RecursionError" in bad.detail
    assert bad.status.value == "error"
