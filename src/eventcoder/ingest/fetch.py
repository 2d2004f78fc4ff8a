"""Polite, bounded fetching of the URLs and feeds a user names (httpx).

Only http(s); connect/read timeouts; a size cap enforced while streaming; a redirect
limit; HTML/text/XML content types only; an identifying user agent. A failed fetch is
a `Rejected` naming the URL and the reason, never an exception that ends the batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlparse
from xml.etree import ElementTree

import httpx

from ..config import CODER_VERSION
from ..errors import Reason
from ..records import Document, Rejected

USER_AGENT = f"eventcoder/{CODER_VERSION} (+https://pypi.org/project/eventcoder/)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass
class Fetcher:
    """Fetches pages and feeds; ``transport`` lets tests inject `httpx.MockTransport`."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_feed_items: int = 200
    transport: httpx.BaseTransport | None = None
    _client: httpx.Client | None = field(default=None, init=False, repr=False)

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                follow_redirects=True, max_redirects=self.max_redirects,
                headers={"User-Agent": USER_AGENT}, transport=self.transport)
        return self._client

    def get(self, url: str) -> tuple[str, bytes] | Rejected:
        if urlparse(url).scheme not in {"http", "https"}:
            return Rejected(url, url, Reason.FETCH.value, "only http and https URLs are fetched")
        try:
            with self.client().stream("GET", url) as resp:
                if resp.status_code >= 400:
                    return Rejected(url, url, Reason.FETCH.value, f"HTTP {resp.status_code}")
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and not ctype.startswith(PAGE_TYPES + FEED_TYPES):
                    return Rejected(url, url, Reason.FETCH.value, f"unsupported content type {ctype!r}")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        return Rejected(url, url, Reason.TOO_LARGE.value, f"more than {self.max_bytes:,} bytes")
                    chunks.append(chunk)
                return ctype, b"".join(chunks)
        except httpx.TooManyRedirects:
            return Rejected(url, url, Reason.FETCH.value, f"more than {self.max_redirects} redirects")
        except httpx.TimeoutException:
            return Rejected(url, url, Reason.FETCH.value, f"timed out after {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return Rejected(url, url, Reason.FETCH.value, f"{type(exc).__name__}: {exc}")

    def documents(self, url: str) -> Iterator[Document | Rejected]:
        from .files import decode_bytes, document_from_html, document_from_text

        got = self.get(url)
        if isinstance(got, Rejected):
            yield got
            return
        ctype, body = got
        if ctype.startswith(FEED_TYPES) or body.lstrip()[:200].lower().startswith((b"<?xml", b"<rss", b"<feed")):
            links = feed_links(body)[: self.max_feed_items]
            if links:
                for link in links:
                    yield from self.documents(link)
                return
        text = decode_bytes(body)
        if isinstance(text, tuple):
            yield Rejected(url, url, text[0].value, text[1])
        elif ctype == "text/plain":
            yield from document_from_text(text, source=url, url=url)
        else:
            yield from document_from_html(text, source=url, doc_id=None, url=url)


def feed_links(body: bytes) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed (empty if the body is not a feed)."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return []
    links: list[str] = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "item":
            link = next((c.text for c in el if c.tag.rsplit("}", 1)[-1] == "link" and c.text), None)
            if link:
                links.append(link.strip())
        elif tag == "entry":
            for c in el:
                if c.tag.rsplit("}", 1)[-1] == "link" and c.get("href") and c.get("rel", "alternate") == "alternate":
                    links.append(c.get("href", "").strip())
                    break
    return links
