"""Inputs -> a stream of `Document` or `Rejected`: files, folders, JSONL, gzip, stdin, URLs.

Each input yields results one document at a time, so a folder of thousands of files
or a multi-gigabyte JSONL is never held in memory, and one unreadable document yields
a `Rejected` naming it and the reason while the rest go on.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, Reason
from ..records import Document, Rejected, make_document
from .html import extract_html

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
ALL_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
# Byte limits follow the character limit on a document (Settings.max_doc_chars): UTF-8
# text needs at most 4 bytes a character; an HTML page or a JSONL line (which may hold
# HTML) is allowed 20 bytes of markup a character. Larger inputs are rejected unread.
TEXT_BYTES_PER_CHAR = 4
HTML_BYTES_PER_CHAR = 20
DEFAULT_MAX_DOC_CHARS = 1_000_000

Result = Document | Rejected
Fetcher = Callable[[str], Iterable[Result]]


def read_inputs(inputs: Iterable[str], *, date: str | None = None, fetch: Fetcher | None = None,
                stdin: IO[str] | None = None, max_doc_chars: int = DEFAULT_MAX_DOC_CHARS) -> Iterator[Result]:
    """Every document named by ``inputs``, in order; ``date`` fills in missing publication dates."""
    if date is not None:
        _check_date(date)
    for item in inputs:
        for result in _read_one(item, fetch, stdin, max_doc_chars):
            if isinstance(result, Document) and result.date is None and date is not None:
                result = make_document(result.text, id=result.id, title=result.title, date=date,
                                       url=result.url, author=result.author, source=result.source)
            yield result


def _check_date(date: str) -> None:
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise InputError(f"--date must be YYYY-MM-DD, got {date!r}") from None


def _read_one(item: str, fetch: Fetcher | None, stdin: IO[str] | None, max_chars: int) -> Iterator[Result]:
    if item == "-":
        yield from read_jsonl_lines(_bounded_lines(stdin or sys.stdin, max_chars * HTML_BYTES_PER_CHAR), "stdin")
        return
    if item.startswith(("http://", "https://")):
        if fetch is None:
            raise InputError(f"{item}: fetching URLs is not enabled here")
        yield from fetch(item)
        return
    path = Path(item)
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                child = Path(root) / name
                if _suffix(child) in ALL_SUFFIXES:
                    yield from read_file(child, max_chars)
                elif not name.startswith("."):  # every visible file gets a status row, skipped or read
                    yield Rejected(str(child), str(child), Reason.UNSUPPORTED.value,
                                   f"skipped: not a supported file type ({_suffix(child) or 'no extension'})")
        return
    if not path.exists():
        raise InputError(f"{item}: no such file or folder")
    yield from read_file(path, max_chars)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def read_file(path: Path, max_doc_chars: int = DEFAULT_MAX_DOC_CHARS) -> Iterator[Result]:
    """One file: JSONL gives many documents (streamed), text and HTML one."""
    source = str(path)
    kind = _suffix(path)
    if kind not in ALL_SUFFIXES:
        yield Rejected(source, source, Reason.UNSUPPORTED.value, f"unsupported file type {kind or '(none)'!r}")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Rejected(source, source, Reason.DECODE.value, f"cannot read: {exc.strerror}")
        return
    if kind in JSONL_SUFFIXES:
        opener = gzip.open if path.suffix.lower() == ".gz" else open
        try:
            with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
                yield from read_jsonl_lines(_bounded_lines(fh, max_doc_chars * HTML_BYTES_PER_CHAR), source)
        except (OSError, EOFError) as exc:
            yield Rejected(source, source, Reason.DECODE.value, f"cannot read: {exc}")
        return
    limit = max_doc_chars * (HTML_BYTES_PER_CHAR if kind in HTML_SUFFIXES else TEXT_BYTES_PER_CHAR)
    if size > limit:
        yield Rejected(source, source, Reason.TOO_LARGE.value,
                       f"{size:,} bytes; the limit is {limit:,} (EVENTCODER_MAX_DOC_CHARS={max_doc_chars:,})")
        return
    try:
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as gz:
                raw = gz.read(limit + 1)  # a gzip bomb stops here
            if len(raw) > limit:
                yield Rejected(source, source, Reason.TOO_LARGE.value, f"more than {limit:,} bytes uncompressed")
                return
        else:
            raw = path.read_bytes()
    except (OSError, EOFError) as exc:
        yield Rejected(source, source, Reason.DECODE.value, f"cannot read: {exc}")
        return
    text_or_reason = decode_bytes(raw)
    if isinstance(text_or_reason, tuple):
        yield Rejected(source, source, text_or_reason[0].value, text_or_reason[1])
        return
    if kind in HTML_SUFFIXES:
        yield from document_from_html(text_or_reason, source=source, doc_id=None)
    else:
        yield from document_from_text(text_or_reason, source=source)


def decode_bytes(raw: bytes) -> str | tuple[Reason, str]:
    """Bytes -> text, honouring BOMs; binary files and undecodable text give a reason instead."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return Reason.DECODE, "UTF-16 byte order mark but invalid UTF-16"
    if raw.startswith(b"%PDF"):
        return Reason.BINARY, "PDF data, not text"
    head = raw[:8192]
    if b"\x00" in head:
        return Reason.BINARY, "binary data (NUL bytes), not text"
    text = raw.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    if bad and bad > max(8, len(text) // 100):
        return Reason.DECODE, f"not UTF-8 ({bad:,} undecodable bytes)"
    return text


def document_from_text(text: str, *, source: str, doc_id: str | None = None, title: str | None = None,
                       date: str | None = None, url: str | None = None, author: str | None = None
                       ) -> Iterator[Result]:
    if not text.strip():
        yield Rejected(doc_id or source, source, Reason.EMPTY.value, "no text")
        return
    if title is None:
        first, _, rest = text.strip().partition("\n")
        if rest.strip() and len(first) < 200 and not first.rstrip().endswith((".", "!", "?")):
            title = first.strip()
    yield make_document(text, id=doc_id, title=title, date=date, url=url, author=author, source=source)


def document_from_html(html: str, *, source: str, doc_id: str | None, url: str | None = None,
                       title: str | None = None, date: str | None = None, author: str | None = None
                       ) -> Iterator[Result]:
    extracted = extract_html(html, url=url)
    if extracted is None:
        yield Rejected(doc_id or source, source, Reason.NO_MAIN_TEXT.value, "no main text found in the HTML")
        return
    yield make_document(extracted.text, id=doc_id, title=title or extracted.title, date=date or extracted.date,
                        url=url, author=author or extracted.author, source=source)


class _Oversized(str):
    """A JSONL line longer than the limit; only its length is kept."""


def _bounded_lines(fh: IO[str], limit: int) -> Iterator[str]:
    """Lines of ``fh``, never holding more than ``limit`` characters of one in memory."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith("\n"):
            while True:  # drain the rest of the monster line
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith("\n"):
                    break
            yield _Oversized("")
            continue
        yield line


def read_jsonl_lines(lines: Iterable[str], source: str) -> Iterator[Result]:
    """One document per line; a bad line is rejected with its line number, the rest go on."""
    for n, line in enumerate(lines, 1):
        where = f"{source}:{n}"
        if isinstance(line, _Oversized):
            yield Rejected(where, where, Reason.TOO_LARGE.value, f"line {n} is longer than the size limit")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejected(where, where, Reason.BAD_JSON.value, f"line {n} is not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            yield Rejected(where, where, Reason.BAD_JSON.value, f"line {n} is not a JSON object")
            continue
        yield from document_from_record(obj, where)


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def document_from_record(obj: dict[str, Any], where: str) -> Iterator[Result]:
    raw_id = obj.get("id")
    doc_id = None if raw_id is None else str(raw_id)
    text, html = obj.get("text"), obj.get("html")
    if text is None and html is None:
        yield Rejected(doc_id or where, where, Reason.MISSING_FIELD.value, "needs a 'text' or 'html' field")
        return
    if (text is not None and not isinstance(text, str)) or (html is not None and not isinstance(html, str)):
        yield Rejected(doc_id or where, where, Reason.MISSING_FIELD.value, "'text'/'html' must be a string")
        return
    date = _opt_str(obj, "date")
    if date:
        try:
            dt.date.fromisoformat(date[:10])
            date = date[:10]
        except ValueError:
            date = None
    meta = {"title": _opt_str(obj, "title"), "date": date, "url": _opt_str(obj, "url"),
            "author": _opt_str(obj, "author")}
    source = _opt_str(obj, "source") or where
    if text is not None:
        yield from document_from_text(text, source=source, doc_id=doc_id, **meta)
    else:
        yield from document_from_html(str(html), source=source, doc_id=doc_id, **meta)


def count_documents(inputs: Iterable[str]) -> int | None:
    """How many results reading ``inputs`` will give, for a progress bar's ETA; None when unknown
    without reading compressed or remote data (stdin, URLs, gzipped JSONL)."""
    total = 0
    for item in inputs:
        if item == "-" or item.startswith(("http://", "https://")):
            return None
        path = Path(item)
        files = ([Path(r) / n for r, _, names in os.walk(path) for n in names if not n.startswith(".")]
                 if path.is_dir() else [path])
        for f in files:
            if _suffix(f) not in JSONL_SUFFIXES:
                total += 1
                continue
            if f.suffix.lower() == ".gz":
                return None
            try:
                total += _count_lines(f)
            except OSError:
                total += 1
    return total


def _count_lines(path: Path) -> int:
    n = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
    return n
