"""Shared fixtures: one real coder per test session; ../shared data when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder.load()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "acceptance" / "seed" / "input.jsonl").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seed_record(shared: Path) -> dict:
    return json.loads((shared / "acceptance" / "seed" / "input.jsonl").read_text(encoding="utf-8").splitlines()[0])


def events_of(coder: Coder, text: str, date: str | None = None) -> list:
    from eventcoder.pipeline import make_document

    result = coder.code_document(make_document(text, date=date))
    return list(getattr(result, "events", ()))


# ---- stored corpora for the query, export and web tests ------------------------------------

HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_DOC = {
    "id": "hostile-1", "date": "2024-06-02", "title": HOSTILE_TITLE,
    "url": "javascript:alert(1)", "author": "\"><img src=x onerror=alert('author')>", "source": "<b>Outlet</b>",
    "text": "Syria accused Turkey of shelling villages near <script>alert('text')</script> the border. "
            "Russia delivered <img src=x onerror=alert(2)> drones to Syria in May.",
}
# Our own sentences: a small corpus with dated, claimed and arms events between known states.
OWN_DOCS = [
    {"id": "own-1", "date": "2023-09-20", "title": "Talks in Ankara",
     "text": "Greek Prime Minister Kyriakos Mitsotakis met Turkish President Recep Tayyip Erdogan in Ankara "
             "on Tuesday. Greece and Turkey agreed to reopen a hotline between their armies."},
    {"id": "own-2", "date": "2023-10-04", "title": "Arms request",
     "text": "Ukraine asked Germany for more Taurus cruise missiles. Germany delivered two Patriot air defence "
             "systems to Ukraine in August. Berlin refused to supply Kyiv with fighter jets."},
    {"id": "own-3", "date": "2023-11-12", "title": "Claims over a strike",
     "text": "Iran says Azerbaijan helped Israel. Azerbaijan denied the claim on Sunday."},
    {"id": "own-4", "date": "2023-12-08", "title": "Deals",
     "text": "Chile and Argentina signed a trade agreement last week. Peru condemned Bolivia in 2019."},
]


def _write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def build_db(coder: Coder, path: Path, docs: list[dict], extra_inputs: list[str] = ()) -> Path:
    """A real DuckDB file built by the real ingest path (reader -> coder -> store)."""
    from eventcoder.ingest.files import read_inputs
    from eventcoder.store import ingest_results

    src = _write_jsonl(path.with_suffix(".jsonl"), docs)
    ingest_results(path, coder.code_documents(read_inputs([str(src), *extra_inputs])))
    return path


@pytest.fixture(scope="session")
def corpus_db(coder: Coder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Examples, our own sentences and a hostile document (plus the seed when ../shared is here)."""
    extra = [str(EXAMPLES / "articles")]
    seed = SHARED / "acceptance" / "seed" / "input.jsonl"
    if seed.exists():
        extra.append(str(seed))
    return build_db(coder, tmp_path_factory.mktemp("corpus") / "corpus.duckdb", [*OWN_DOCS, HOSTILE_DOC], extra)


@pytest.fixture(scope="session")
def second_db(coder: Coder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A different corpus (no claims, no locations) whose exports must still concatenate with the first."""
    docs = [{"id": "b-1", "text": "Chile praised Peru for the fisheries deal."},
            {"id": "b-2", "date": "2022-01-05", "text": "Kenya and Uganda held talks in Nairobi."}]
    return build_db(coder, tmp_path_factory.mktemp("second") / "second.duckdb", docs)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def live_server(corpus_db: Path, tmp_path: Path):
    """`eventcoder serve` in its own process on a free port, on a copy of the corpus database."""
    import shutil
    import subprocess
    import sys
    import time
    import urllib.request

    db = tmp_path / "live.duckdb"
    shutil.copy(corpus_db, db)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "eventcoder.cli", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/overview", timeout=2).read()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("server did not start: " + (proc.stdout.read() if proc.stdout else "")) from None
            time.sleep(0.2)
    yield base, db, port
    proc.terminate()
    proc.wait(timeout=10)
