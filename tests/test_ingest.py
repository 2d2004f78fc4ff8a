"""Reading inputs: every form in the contract; bad documents become reasons, not crashes."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from eventcoder.errors import InputError
from eventcoder.ingest.files import read_inputs
from eventcoder.records import Document, Rejected


def _all(paths: list[str], **kw) -> list:
    return list(read_inputs(paths, **kw))


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    f = tmp_path / "docs.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "a", "text": "France condemned Russia.", "date": "2024-01-02"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "html": "<html><body><article><p>" + "Chile praised Peru. " * 20 +
                    "</p></article></body></html>"}),
    ]), encoding="utf-8")
    results = _all([str(f)])
    assert [type(r).__name__ for r in results] == ["Document", "Rejected", "Rejected", "Rejected", "Document"]
    assert results[0].date == "2024-01-02" and results[0].id == "a"
    assert results[1].reason == "bad_json" and ":2" in results[1].doc_id
    assert results[2].reason == "missing_field"
    assert "Chile praised Peru" in results[4].text


def test_text_html_gzip_folder_and_default_date(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Headline here\n\nIndia thanked Japan.", encoding="utf-8")
    with gzip.open(tmp_path / "sub" / "b.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("Kenya praised Uganda.")
    (tmp_path / "sub" / "c.html").write_text(
        "<html><head><title>T</title></head><body><nav>Home</nav><article><p>"
        + "Ghana condemned Togo over the border incident. " * 10 + "</p></article><footer>Footer</footer></body>"
        "</html>", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"\x00\x01")
    results = _all([str(tmp_path)], date="2023-05-01")
    skipped = [r for r in results if isinstance(r, Rejected)]
    assert [(r.reason, r.status.value) for r in skipped] == [("unsupported", "skipped")]
    assert skipped[0].source.endswith("ignored.bin")
    docs = [d for d in results if isinstance(d, Document)]
    assert len(docs) == 3
    assert docs[0].title == "Headline here" and all(d.date == "2023-05-01" for d in docs)
    assert "Footer" not in docs[2].text


@pytest.mark.parametrize("payload, reason", [
    (b"", "empty"), (b"   \n\t ", "empty"), (b"%PDF-1.7 binary", "binary"), (b"ab\x00\x00cd", "binary"),
    (b"ok \xc3\x28\xa0\xa1" * 100, "decode"),
])
def test_unreadable_files_are_rejected_with_reason(tmp_path: Path, payload: bytes, reason: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(payload)
    (result,) = _all([str(f)])
    assert isinstance(result, Rejected) and result.reason == reason and str(f) in result.doc_id


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes("Turkey condemned Greece.".encode("utf-16"))
    (doc,) = _all([str(f)])
    assert isinstance(doc, Document) and doc.text == "Turkey condemned Greece."


def test_stdin_jsonl_and_missing_path() -> None:
    stream = io.StringIO(json.dumps({"id": "s1", "text": "Peru praised Chile."}) + "\n")
    (doc,) = _all(["-"], stdin=stream)
    assert doc.id == "s1"
    with pytest.raises(InputError):
        _all(["/no/such/path"])
    with pytest.raises(InputError):
        _all(["-"], date="yesterday", stdin=io.StringIO(""))
