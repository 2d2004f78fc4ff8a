"""Safe fetching against a real HTTP server on 127.0.0.1 that misbehaves in every way it can."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.errors import EXIT_NOTHING_READ, EXIT_PARTIAL
from eventcoder.ingest.fetch import USER_AGENT, Fetcher
from eventcoder.records import Document, Rejected

ARTICLE = (b"<html><head><title>Border talks</title></head><body><nav>Home | World | Sport</nav><article>"
           b"<h1>Border talks</h1><p>Kenya and Ethiopia held talks in Nairobi on Monday about the disputed border.</p>"
           b"<p>Officials said a second round would follow in Addis Ababa next month.</p></article>"
           b"<footer>Copyright</footer></body></html>")


class Handler(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()
    agents: list[str] = []

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - one route table
        path = self.path
        self.hits[path] += 1
        self.agents.append(self.headers.get("User-Agent", ""))
        try:
            if path in {"/page", "/private/page"}:
                self._send(200, ARTICLE)
            elif path == "/plain":
                self._send(200, b"Chile recalled its ambassador from Peru on Tuesday.", "text/plain")
            elif path == "/robots.txt":
                self._send(200, b"User-agent: *\nDisallow: /private\n", "text/plain")
            elif path == "/slow":
                time.sleep(3)
                self._send(200, ARTICLE)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(200):
                    self.wfile.write(b"<p>.</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path == "/endless":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65_000 + b"</p>"
                while True:
                    self.wfile.write(chunk)
            elif path == "/big":
                self._send(200, b"<p>" + b"y" * 3_000_000 + b"</p>")
            elif path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path == "/missing":
                self._send(404, b"not here")
            elif path == "/broken":
                self._send(500, b"oops")
            elif path == "/flaky":
                if self.hits[path] <= 2:
                    self._send(503, b"busy")
                else:
                    self._send(200, ARTICLE)
            elif path == "/rate-limited":
                if self.hits[path] == 1:
                    self._send(429, b"slow down", Retry_After="1")
                else:
                    self._send(200, ARTICLE)
            elif path == "/rate-limited-long":
                self._send(429, b"come back tomorrow", Retry_After="86400")
            elif path == "/image":
                self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
            elif path == "/feed.xml":
                feed = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
                        b"<item><title>a</title><link>/page</link></item>"
                        b"<item><title>b</title><link>/plain</link></item>"
                        b"<item><title>c</title><link>/missing</link></item></channel></rss>")
                self._send(200, feed, "application/rss+xml")
            else:
                self._send(404, b"?")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetcher(**kw: object) -> tuple[Fetcher, list[float]]:
    slept: list[float] = []
    opts: dict[str, object] = {"timeout": 1.0, "deadline": 2.0, "max_bytes": 1_000_000, "retries": 2,
                               "backoff": 0.01, "sleep": slept.append, "allow_private": True}
    opts.update(kw)
    return Fetcher(**opts), slept  # type: ignore[arg-type]


def one(f: Fetcher, url: str) -> Document | Rejected:
    results = list(f.documents(url))
    assert len(results) == 1, results
    return results[0]


def test_a_good_page_is_extracted_with_an_identifying_user_agent(server: str) -> None:
    f, _ = fetcher()
    doc = one(f, server + "/page")
    assert isinstance(doc, Document)
    assert "held talks in Nairobi" in doc.text and "Home | World" not in doc.text
    assert doc.url == server + "/page"
    assert USER_AGENT in Handler.agents and "eventcoder" in USER_AGENT


@pytest.mark.parametrize(("path", "needle"), [
    ("/slow", "timed out"),
    ("/drip", "longer than 2 s"),
    ("/endless", "more than 1,000,000 bytes"),
    ("/big", "limit is 1,000,000"),
    ("/loop", "more than 5 redirects"),
    ("/missing", "HTTP 404"),
    ("/image", "unsupported content type 'image/png'"),
    ("/rate-limited-long", "Retry-After 86400 s is too long"),
])
def test_bad_responses_become_rejections(server: str, path: str, needle: str) -> None:
    f, _ = fetcher()
    r = one(f, server + path)
    assert isinstance(r, Rejected), r
    assert needle in r.detail
    assert r.doc_id == server + path


def test_server_errors_are_retried_with_backoff_then_given_up(server: str) -> None:
    f, slept = fetcher(retries=2, backoff=0.5)
    r = one(f, server + "/broken")
    assert isinstance(r, Rejected) and "HTTP 500 after 3 attempts" in r.detail
    assert Handler.hits["/broken"] == 3
    assert slept == [0.5, 1.0]  # exponential


def test_transient_failures_recover(server: str) -> None:
    f, slept = fetcher(retries=3, backoff=0.25)
    assert isinstance(one(f, server + "/flaky"), Document)
    assert slept == [0.25, 0.5]
    f, slept = fetcher(retries=3, backoff=0.25)
    assert isinstance(one(f, server + "/rate-limited"), Document)
    assert slept == [1.0]  # the server's Retry-After beats our shorter backoff


def test_robots_txt_is_respected_unless_the_user_opts_out(server: str) -> None:
    f, _ = fetcher()
    r = one(f, server + "/private/page")
    assert isinstance(r, Rejected) and "robots.txt" in r.detail
    f, _ = fetcher(respect_robots=False)
    assert isinstance(one(f, server + "/private/page"), Document)


def test_only_http_and_https(server: str) -> None:
    f, _ = fetcher()
    for url in ("file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://x"):
        r = one(f, url)
        assert isinstance(r, Rejected) and "only http and https" in r.detail


def test_feed_items_are_fetched_each_with_its_own_status(server: str) -> None:
    f, _ = fetcher()
    results = list(f.documents(server + "/feed.xml"))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Document", "Document", "Rejected"]


def test_ingest_of_a_feed_stores_good_items_and_the_failure(server: str, tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    result = CliRunner().invoke(app, ["ingest", server + "/feed.xml", "--db", str(db), "--allow-private"])
    assert result.exit_code == EXIT_PARTIAL, result.output
    conn = duckdb.connect(str(db), read_only=True)
    rows = dict(conn.execute("SELECT coalesce(url, doc_id), status FROM documents").fetchall())
    conn.close()
    assert rows[server + "/page"] == "ok" and rows[server + "/plain"] == "ok"
    assert rows[server + "/missing"] == "error"


def test_private_addresses_are_refused_unless_allowed(server: str, tmp_path: Path) -> None:
    """A hostile feed must not make the tool read internal services: loopback is refused by default."""
    f, _ = fetcher(allow_private=False)
    (rejected,) = list(f.documents(server + "/feed.xml"))
    assert isinstance(rejected, Rejected) and "private" in rejected.detail and "--allow-private" in rejected.detail
    for host in ("http://localhost:9/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data",
                 "http://[::1]:8000/"):
        (r,) = list(f.documents(host))
        assert isinstance(r, Rejected) and "private" in r.detail, host
    db = tmp_path / "p.duckdb"
    result = CliRunner().invoke(app, ["ingest", server + "/feed.xml", "--db", str(db)])
    assert result.exit_code == EXIT_NOTHING_READ, result.output
