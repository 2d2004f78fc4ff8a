"""Polite, bounded fetching of the URLs and feeds a user names (httpx).

Only http(s); connect and read timeouts plus a deadline for the whole response (a
server that drips one byte a second cannot hold a worker); a size cap enforced while
streaming; a redirect limit; HTML/text/XML content types only; an identifying user
agent; retries with exponential backoff on 429 and 5xx (honouring a short
``Retry-After``); robots.txt respected unless the user opts out. A failed fetch is a
`Rejected` naming the URL and the reason, never an exception that ends the batch.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import httpx

from ..config import CODER_VERSION
from ..errors import Reason
from ..records import Document, Rejected

USER_AGENT = f"eventcoder/{CODER_VERSION} (+https://pypi.org/project/eventcoder/)"
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_ROBOTS_BYTES = 500_000


class _Deadline(Exception):
    pass


class _Private(Exception):
    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is a loopback, private or link-local address ({address}); "
                         "refused unless --allow-private")


def private_address(host: str) -> str | None:
    """The first loopback/private/link-local/reserved address ``host`` names or resolves to, else None.

    A host that does not resolve is left to the request itself to fail.
    """
    host = host.strip("[]")
    try:
        candidates = [ipaddress.ip_address(host)]
    except ValueError:
        if host.lower() == "localhost" or host.lower().endswith(".localhost"):
            return host
        try:
            infos = socket.getaddrinfo(host, None)
        except (OSError, UnicodeError):
            return None
        candidates = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for ip in candidates:
        if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved or ip.is_multicast \
                or ip.is_unspecified:
            return str(ip)
    return None


@dataclass(frozen=True)
class _Retry:
    after: float  # seconds the server asked for (0: none)
    why: str


@dataclass
class Fetcher:
    """Fetches pages and feeds. ``transport`` lets tests inject `httpx.MockTransport`;
    ``sleep`` lets them observe backoff without waiting."""

    timeout: float = 15.0  # connect and per-read timeout, seconds
    deadline: float = 60.0  # the whole response, seconds
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_feed_items: int = 200
    retries: int = 3  # extra attempts after a 429/5xx or a connection error
    backoff: float = 0.5  # first wait; doubles each retry
    max_retry_after: float = 30.0  # a longer Retry-After is not waited for
    respect_robots: bool = True
    allow_private: bool = False  # fetch loopback/private/link-local hosts (refused by default: SSRF)
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict, init=False, repr=False)

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 10.0)),
                follow_redirects=True, max_redirects=self.max_redirects,
                headers={"User-Agent": USER_AGENT}, transport=self.transport,
                event_hooks={"request": [self._check_host]})
        return self._client

    def _check_host(self, request: httpx.Request) -> None:
        """Every request, redirects included, is refused when it points inside the network."""
        if self.allow_private:
            return
        address = private_address(request.url.host)
        if address is not None:
            raise _Private(request.url.host, address)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # ---- one URL ------------------------------------------------------------------------

    def get(self, url: str) -> tuple[str, bytes] | Rejected:
        """The content type and body of ``url``, or why not."""
        if urlparse(url).scheme not in {"http", "https"}:
            return Rejected(url, url, Reason.FETCH.value, "only http and https URLs are fetched")
        if self.respect_robots and not self._allowed(url):
            return Rejected(url, url, Reason.FETCH.value, "disallowed by the site's robots.txt")
        wait = self.backoff
        attempt = 0
        while True:
            result = self._attempt(url)
            if not isinstance(result, _Retry):
                return result
            if attempt == self.retries:
                return Rejected(url, url, Reason.FETCH.value, f"{result.why} after {attempt + 1} attempts")
            self.sleep(max(wait, result.after))
            wait *= 2
            attempt += 1

    def _attempt(self, url: str) -> tuple[str, bytes] | Rejected | _Retry:
        """One request: the page, a final rejection, or a retry to make."""
        started = time.monotonic()
        try:
            with self.client().stream("GET", url) as resp:
                if resp.status_code in RETRY_STATUSES:
                    after = _retry_after(resp.headers.get("retry-after"))
                    if after is not None and after > self.max_retry_after:
                        return Rejected(url, url, Reason.FETCH.value,
                                        f"HTTP {resp.status_code}, Retry-After {after:g} s is too long")
                    return _Retry(after or 0.0, f"HTTP {resp.status_code}")
                if resp.status_code >= 400:
                    return Rejected(url, url, Reason.FETCH.value, f"HTTP {resp.status_code}")
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and not ctype.startswith(PAGE_TYPES + FEED_TYPES):
                    return Rejected(url, url, Reason.FETCH.value, f"unsupported content type {ctype!r}")
                declared = resp.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    return Rejected(url, url, Reason.TOO_LARGE.value,
                                    f"{int(declared):,} bytes declared; the limit is {self.max_bytes:,}")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        return Rejected(url, url, Reason.TOO_LARGE.value, f"more than {self.max_bytes:,} bytes")
                    if time.monotonic() - started > self.deadline:
                        raise _Deadline
                    chunks.append(chunk)
                return ctype, b"".join(chunks)
        except _Deadline:
            return Rejected(url, url, Reason.FETCH.value, f"response took longer than {self.deadline:g} s")
        except _Private as exc:
            return Rejected(url, url, Reason.FETCH.value, str(exc))
        except httpx.TooManyRedirects:
            return Rejected(url, url, Reason.FETCH.value, f"more than {self.max_redirects} redirects")
        except httpx.TimeoutException:
            return Rejected(url, url, Reason.FETCH.value, f"timed out (no data for {self.timeout:g} s)")
        except httpx.TransportError as exc:
            return _Retry(0.0, f"connection failed ({type(exc).__name__})")  # refused or reset: try again
        except httpx.HTTPError as exc:
            return Rejected(url, url, Reason.FETCH.value, f"{type(exc).__name__}: {exc}")

    def _allowed(self, url: str) -> bool:
        parts = urlparse(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            self._robots[root] = self._load_robots(urljoin(root, "/robots.txt"))
        rules = self._robots[root]
        return rules is None or rules.can_fetch(USER_AGENT, url)

    def _load_robots(self, robots_url: str) -> RobotFileParser | None:
        """The site's rules; a missing or unreadable robots.txt allows everything."""
        try:
            with self.client().stream("GET", robots_url) as resp:
                if resp.status_code >= 400:
                    return None
                body = b""
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > MAX_ROBOTS_BYTES:
                        return None
        except (httpx.HTTPError, _Private):
            return None
        parser = RobotFileParser()
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
        return parser

    # ---- documents ----------------------------------------------------------------------

    def documents(self, url: str) -> Iterator[Document | Rejected]:
        """The document at ``url``, or one per item when it is an RSS/Atom feed."""
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
                    yield from self.documents(urljoin(url, link))
                return
        text = decode_bytes(body)
        if isinstance(text, tuple):
            yield Rejected(url, url, text[0].value, text[1])
        elif ctype == "text/plain":
            yield from document_from_text(text, source=url, url=url)
        else:
            yield from document_from_html(text, source=url, doc_id=None, url=url)


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def feed_links(body: bytes) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed (empty if the body is not a feed)."""
    if b"<!ENTITY" in body[:10_000].upper():
        return []  # no entity expansion games
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
