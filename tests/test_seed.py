"""The founding acceptance test: the seed article coded right end to end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.ingest.files import read_file
from eventcoder.store import Store

runner = CliRunner()


def _score(shared: Path, gold: Path, pred: Path, level: str) -> dict:
    proc = subprocess.run([sys.executable, str(shared / "eval" / "score_events.py"), str(gold), str(pred),
                           "--level", level, "--json"], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def test_seed_scores_perfectly_at_sentence_level(shared: Path, tmp_path: Path) -> None:
    seed = shared / "acceptance" / "seed"
    out = tmp_path / "seed.jsonl"
    result = runner.invoke(app, ["code", str(seed / "input.jsonl"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    score = _score(shared, seed / "gold.jsonl", out, "sentence")
    assert score["forbidden_hits"] == 0, score["extras"]
    assert score["f1"] == 1.0, (score["misses"], score["extras"])


def test_seed_claims_are_never_asserted(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "seed.jsonl"
    runner.invoke(app, ["code", str(shared / "acceptance" / "seed" / "input.jsonl"), "-o", str(out)])
    events = [json.loads(line) for line in out.read_text().splitlines()]
    narrative = [e for e in events if "operational freedom" in e["sentence"]]
    assert any(e["event_type"] == "ACCUSE" and e["source"]["country"] == "IRN" and e["modality"] == "asserted"
               for e in narrative)
    for e in narrative:
        if e["source"]["country"] == "AZE":
            assert e["modality"] == "claimed" and e["claimed_by"]["country"] == "IRN"


def test_seed_actors(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "seed.duckdb"
    result = runner.invoke(app, ["ingest", str(shared / "acceptance" / "seed" / "input.jsonl"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    gold = json.loads((shared / "acceptance" / "seed" / "gold.jsonl").read_text().splitlines()[0])
    with Store.open(db, read_only=True) as store:
        actors = store.actors()
    names = {a["name"]: a for a in actors}
    for expected in gold["actors"]:
        match = [a for n, a in names.items() if expected["name"].split()[-1] in n.split()
                 or expected["name"] == n]
        assert match, f"{expected['name']} not found among {sorted(names)}"
        assert match[0]["country"] == expected["country"], (expected, match[0])
        if expected.get("sector"):
            assert match[0]["sector"] in expected["sector"], (expected, match[0])
    for bad in gold["not_actors"]:
        assert all(bad.lower() != n.lower() and bad.lower() not in n.lower().split() for n in names), bad


TEMPLATE = """<!DOCTYPE html><html><head><title>{title} | Defence Wire</title>
<meta name="author" content="{author}"><meta property="article:published_time" content="{date}"></head>
<body><header><nav><a href="/">Home</a> <a href="/air">Air</a> <a href="/land">Land</a>
<a href="/naval">Naval</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>{paragraphs}</article>
<aside class="related"><h2>Related news &amp; articles</h2><ul>
<li><a href="/r1">Navy orders new patrol boats for coastal duty</a></li>
<li><a href="/r2">Air force receives first trainer jets from supplier</a></li></ul>
<h2>Latest news</h2><ul><li><a href="/l1">Army tests new radar in desert exercise</a></li></ul></aside>
</main><footer><p>About us | Contact | Privacy policy</p><p>Copyright Defence Wire. All rights reserved.</p>
</footer></body></html>"""


def _html_page(record: dict) -> str:
    body = record["text"].split("Related news")[0]
    paras = [p.strip() for p in body.split("\n\n") if p.strip()][2:]  # drop the title and byline lines
    from html import escape

    return TEMPLATE.format(title=escape(record["title"]), author=escape(record.get("author", "Staff")),
                           date=record["date"], paragraphs="".join(f"<p>{escape(p)}</p>\n" for p in paras))


def test_html_rendering_gives_the_same_events(shared: Path, seed_record: dict, coder, tmp_path: Path) -> None:
    page = tmp_path / "seed.html"
    page.write_text(_html_page(seed_record), encoding="utf-8")
    (doc,) = list(read_file(page))
    assert "Related news" not in doc.text and "Latest news" not in doc.text and "Subscribe" not in doc.text
    assert doc.title == seed_record["title"] and doc.date == seed_record["date"]

    def key(e) -> tuple:
        return (e.event_type, e.source.key() if e.source else None, e.target.key() if e.target else None,
                re.sub(r"\s+", " ", e.sentence.strip()), e.modality.value)

    from eventcoder.pipeline import make_document

    from_html = {key(e) for e in coder.code_document(doc).events}
    plain = make_document(seed_record["text"], id=seed_record["id"], date=seed_record["date"])
    from_text = {key(e) for e in coder.code_document(plain).events}
    assert from_html == from_text
