"""The dashboard's API and pages against a real DuckDB file built by the real ingest.

Every page is checked for escaping with a hostile document in the corpus; every filter
with hostile values; every response for its Content-Security-Policy.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from eventcoder.web.app import create_app

from .conftest import HOSTILE_TITLE


@pytest.fixture(scope="module")
def client(corpus_db: Path) -> TestClient:
    return TestClient(create_app(corpus_db), raise_server_exceptions=False)


def _pages(client: TestClient) -> list[str]:
    events = client.get("/api/events", params={"limit": 1000}).json()["events"]
    actor_ids = [a["id"] for a in client.get("/api/actors", params={"limit": 50}).json()["actors"]]
    docs = [d["doc_id"] for d in client.get("/api/documents", params={"limit": 1000}).json()["documents"]]
    return (["/", "/events", "/actors", "/dyads", "/arms", "/documents", "/dyads/SYR/TUR", "/registry"]
            + [f"/events/{e['id']}" for e in events] + [f"/actors/{a}" for a in actor_ids]
            + [f"/documents/{d}" for d in docs])


def test_events_api_lists_events_in_the_contract_shape(client: TestClient) -> None:
    body = client.get("/api/events", params={"limit": 5}).json()
    first_list = next(v for v in body.values() if isinstance(v, list))
    assert first_list is body["events"] and len(body["events"]) == 5 and body["total"] > 5
    e = body["events"][0]
    assert {"id", "doc_id", "event_type", "mode", "context", "quad_class", "source", "target", "modality",
            "claimed_by", "date", "date_precision", "sentence", "start", "end", "confidence", "rule"} <= set(e)
    only = client.get("/api/events", params={"country": "grc", "type": "consult"}).json()["events"]
    assert only and all(e["event_type"] == "CONSULT" and "GRC" in (e["source"]["country"], e["target"]["country"])
                        for e in only)


def test_every_page_has_a_json_twin_and_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/events", "/api/events/{event_id}", "/api/actors", "/api/actors/{actor_id}", "/api/dyads",
              "/api/dyads/{a}/{b}", "/api/arms", "/api/documents", "/api/documents/{doc_id}", "/api/overview",
              "/api/registry"):
        assert p in paths, p
    assert client.get("/api/documents/own-2").json()["events"]
    assert client.get("/api/dyads/UKR/DEU").json()["months"]
    greek = client.get("/api/registry", params={"name": "Mitsotakis"}).json()["registry"]
    assert greek and greek[0]["countries"] == {"GRC": ["own-1"]}


def test_seed_events_and_arms_register(client: TestClient, shared: Path) -> None:
    events = client.get("/api/events", params={"doc": "seed-aze-isr", "limit": 100}).json()["events"]
    assert {("REQUEST", "AZE", "ISR"), ("AID", "ISR", "AZE")} <= {
        (e["event_type"], e["source"]["country"], e["target"]["country"]) for e in events if e["source"] and
        e["target"]}
    rows = client.get("/api/arms", params={"limit": 1000}).json()["arms"]
    seed = {(r["supplier"]["country"], r["recipient"]["country"], r["status"]) for r in rows
            if r["doc_id"] == "seed-aze-isr"}
    assert ("ISR", "AZE", "delivered") in seed and ("ISR", "AZE", "requested") in seed
    assert {"supplier", "recipient", "description", "status", "date", "event_id", "doc_id", "sentence"} <= set(rows[0])


def test_hostile_document_text_never_appears_unescaped(client: TestClient) -> None:
    pages = _pages(client)
    assert any(p == "/documents/hostile-1" for p in pages)
    for page in pages:
        r = client.get(page)
        assert r.status_code == 200, page
        body = r.text
        assert "<script" not in body.lower(), page
        assert not re.search(r"<img[^>]*onerror", body, re.I), page
        assert 'href="javascript:' not in body.lower(), page
    doc_page = client.get("/documents/hostile-1").text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in doc_page or \
        "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in doc_page
    assert client.get("/api/documents/hostile-1").json()["title"] == HOSTILE_TITLE  # JSON keeps the data


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/events", "/static/style.css", "/nope", "/events?since=garbage"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"


HOSTILE_VALUES = [
    ("country", "' OR 1=1 --", 400), ("type", "ACCUSE; DROP TABLE events", 400), ("since", "2021' --", 400),
    ("text", "' OR '1'='1", 200), ("actor", "x' UNION SELECT * FROM documents --", 200),
    ("text", "<script>alert(1)</script>", 200), ("text", "a" * 60_000, 400), ("text", "\u202e\u0000\ufeff🙂", 200),
    ("limit", "-1", 422), ("limit", "10000000000", 422), ("offset", "-5", 422), ("offset", "99999999999", 422),
    ("limit", "abc", 422), ("quad", "verbal_coop' --", 400), ("modality", "ASSERTED", 200),
]


@pytest.mark.parametrize("name, value, status", HOSTILE_VALUES, ids=[f"{n}={v[:20]!r}" for n, v, _ in HOSTILE_VALUES])
def test_hostile_filter_values_give_a_clean_4xx_or_an_empty_result(client: TestClient, name: str, value: str,
                                                                   status: int) -> None:
    for path in ("/api/events", "/events", "/api/arms", "/api/dyads"):
        r = client.get(path, params={name: value})
        assert r.status_code == status, (path, r.status_code, r.text[:200])
        assert "Traceback" not in r.text
        if r.headers["content-type"].startswith("text/html"):
            assert "<script" not in r.text.lower()
        else:  # data stays data in JSON; nosniff keeps a browser from reading it as HTML
            assert r.headers["content-type"] == "application/json"
        if status == 200 and path == "/api/events" and name in {"text", "actor"}:
            assert r.json()["events"] == []


def test_unknown_ids_and_paths_are_404(client: TestClient) -> None:
    for path in ("/events/nope", "/api/events/%3Cscript%3E", "/api/documents/..%2F..%2Fetc%2Fpasswd",
                 "/actors/XXX:nobody", "/static/../pyproject.toml", "/download/events.exe"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "<script>" not in r.text


def test_downloads_of_the_current_view(client: TestClient, tmp_path: Path) -> None:
    import pandas as pd

    csv_r = client.get("/download/events.csv", params={"country": "UKR"})
    assert csv_r.status_code == 200 and "attachment" in csv_r.headers["content-disposition"]
    (tmp_path / "v.csv").write_bytes(csv_r.content)
    df = pd.read_csv(tmp_path / "v.csv")
    assert len(df) and ((df["source_country"] == "UKR") | (df["target_country"] == "UKR")).all()
    pq_r = client.get("/download/events.parquet", params={"country": "UKR"})
    (tmp_path / "v.parquet").write_bytes(pq_r.content)
    assert len(pd.read_parquet(tmp_path / "v.parquet")) == len(df)


def test_serve_binds_loopback_only_by_default(live_server: tuple[str, Path, int]) -> None:
    base, _, port = live_server
    assert urllib.request.urlopen(base + "/api/overview", timeout=5).status == 200
    tcp = Path("/proc/net/tcp")
    if not tcp.exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    listening = [line.split()[1] for line in tcp.read_text().splitlines()[1:] if line.split()[3] == "0A"]
    ours = [addr for addr in listening if int(addr.split(":")[1], 16) == port]
    assert ours == ["0100007F:" + format(port, "04X")]  # 127.0.0.1, not 0.0.0.0


def test_a_100_kb_query_against_the_real_server_is_a_clean_4xx(live_server: tuple[str, Path, int]) -> None:
    import http.client

    _, _, port = live_server
    for path in ("/api/events?text=" + "a" * 100_000, "/events?country=" + "%3Cscript%3E" * 10_000):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path)
            status = conn.getresponse().status
        except (ConnectionError, http.client.HTTPException):
            status = 400  # the server refused the request line outright: also clean
        finally:
            conn.close()
        assert 400 <= status < 500
    assert urllib.request.urlopen(f"http://127.0.0.1:{port}/api/overview", timeout=5).status == 200
