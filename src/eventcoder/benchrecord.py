"""`eventcoder bench --record DIR`: one run that measures everything the scale work promises.

In one run, on the same documents and machine:
- bare spaCy `nlp.pipe` in 1 and 2 processes, the coder in 1 and 2 workers (in-process,
  models loaded before timing), and the full file -> DuckDB ingest in 1 and 2 workers with
  the share of time spent writing;
- whole processes, loading included: a bare-spaCy script against `eventcoder ingest`;
- peak resident memory of ingesting 1x, 2x and 4x the corpus (copies with new ids), each in
  its own process, to show memory is flat in corpus size.
Writes ``bench-<timestamp>.json`` and ``bench-<timestamp>.md`` under DIR. No thresholds.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .records import Document

_RSS_CHILD = """
import json, resource, sys
from eventcoder.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
sys.stderr.write("\\nRSS " + json.dumps({"self_mb": round(own, 1), "children_mb": round(kids, 1)}) + "\\n")
"""

_BARE_SCRIPT = """
import json, sys, spacy
nlp = spacy.load(sys.argv[2])
texts = (json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8") if line.strip())
n = sum(1 for _ in nlp.pipe(texts, batch_size=16, n_process=int(sys.argv[3])))
"""


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        info["memory_gb"] = round(int(mem.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration):
        pass
    return info


def _write_jsonl(docs: Sequence[Document], path: Path, copies: int = 1) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for c in range(copies):
            for d in docs:
                fh.write(json.dumps({"id": f"{d.id}#{c}" if c else d.id, "text": d.text, "title": d.title,
                                     "date": d.date}) + "\n")


def _timed(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode not in (0, 4):
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed: {proc.stderr[-500:]}")
    return time.perf_counter() - started, proc.stderr


def _rates(n_docs: int, sentences: int, words: int, seconds: float) -> dict[str, float]:
    return {"seconds": round(seconds, 2), "docs_per_s": round(n_docs / seconds, 2),
            "sentences_per_s": round(sentences / seconds, 1), "words_per_s": round(words / seconds)}


def run_record(docs: Sequence[Document], out_dir: Path, scales: Sequence[int] = (1, 2, 4),
               label: str = "") -> dict[str, Any]:
    from dataclasses import replace

    import spacy

    from .config import Settings
    from .pipeline import Coder, default_coder
    from .store import ingest_results

    settings = Settings.from_env()
    coder = default_coder(settings)
    texts = [d.text for d in docs]
    bare = spacy.load(settings.spacy_model)
    list(bare.pipe(texts[:2]))
    list(coder.code_documents(docs[:2]))
    n, words = len(docs), sum(len(t.split()) for t in texts)

    timings: dict[str, float] = {}
    start = time.perf_counter()
    sentences = sum(len(list(doc.sents)) for doc in bare.pipe(texts, batch_size=16))
    timings["spacy_1"] = time.perf_counter() - start
    start = time.perf_counter()
    list(bare.pipe(texts, batch_size=16, n_process=2))
    timings["spacy_2"] = time.perf_counter() - start
    for w in (1, 2):
        start = time.perf_counter()
        list(coder.code_documents(docs, workers=w))
        timings[f"coder_{w}"] = time.perf_counter() - start
    # The same coder with the first pass off: every sentence through every component.
    full = Coder.load(replace(settings, prefilter=False))
    list(full.code_documents(docs[:2]))
    start = time.perf_counter()
    list(full.code_documents(docs))
    timings["coder_full_parse_1"] = time.perf_counter() - start
    del full
    kept = _kept_words(coder, texts) / max(1, words)

    store_share: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for w in (1, 2):
            db = Path(tmp) / f"ingest{w}.duckdb"
            start = time.perf_counter()
            summary = ingest_results(db, coder.code_documents(docs, workers=w))
            timings[f"ingest_{w}"] = time.perf_counter() - start
            store_share[f"ingest_{w}"] = round(summary.store_seconds / timings[f"ingest_{w}"], 3)

        corpus = Path(tmp) / "corpus.jsonl"
        _write_jsonl(docs, corpus)
        py = sys.executable
        whole = {
            "bare_spacy_script": _timed([py, "-c", _BARE_SCRIPT, str(corpus), settings.spacy_model, "1"])[0],
            "eventcoder_ingest": _timed([py, "-m", "eventcoder.cli", "ingest", str(corpus), "--db",
                                         str(Path(tmp) / "w1.duckdb"), "--no-progress"])[0],
            "eventcoder_ingest_workers_2": _timed([py, "-m", "eventcoder.cli", "ingest", str(corpus), "--db",
                                                   str(Path(tmp) / "w2.duckdb"), "--workers", "2",
                                                   "--no-progress"])[0],
        }
        memory = []
        for k in scales:
            path = Path(tmp) / f"x{k}.jsonl"
            _write_jsonl(docs, path, copies=k)
            seconds, err = _timed([py, "-c", _RSS_CHILD, "ingest", str(path), "--db", str(Path(tmp) / f"m{k}.duckdb"),
                                   "--workers", "2", "--no-progress"])
            rss = json.loads(next(line[4:] for line in err.splitlines() if line.startswith("RSS ")))
            memory.append({"copies": k, "documents": n * k, "seconds": round(seconds, 1), **rss})
            path.unlink()

    result = {
        "label": label, "date": dt.datetime.now().isoformat(timespec="seconds"), "machine": _machine(),
        "documents": n, "sentences": sentences, "words": words,
        "in_process": {k: _rates(n, sentences, words, v) for k, v in timings.items()},
        "ratios": {
            "coder_vs_spacy_1_process": round(timings["spacy_1"] / timings["coder_1"], 3),
            "coder_full_parse_vs_spacy_1_process": round(timings["spacy_1"] / timings["coder_full_parse_1"], 3),
            "first_pass_words_kept": round(kept, 3),
            "coder_vs_spacy_2_processes": round(timings["spacy_2"] / timings["coder_2"], 3),
            "ingest_vs_spacy_1_process": round(timings["spacy_1"] / timings["ingest_1"], 3),
            "spacy_2_vs_1": round(timings["spacy_1"] / timings["spacy_2"], 3),
            "coder_2_vs_1": round(timings["coder_1"] / timings["coder_2"], 3),
            "ingest_2_vs_1": round(timings["ingest_1"] / timings["ingest_2"], 3),
            "whole_process_ingest_vs_bare_script": round(whole["bare_spacy_script"] / whole["eventcoder_ingest"], 3),
            "whole_process_ingest_2_vs_1": round(whole["eventcoder_ingest"] / whole["eventcoder_ingest_workers_2"],
                                                 3),
        },
        "store_share": store_share,
        "whole_process_seconds": {k: round(v, 2) for k, v in whole.items()},
        "memory_by_corpus_size": memory,
        "this_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out_dir / f"bench-{stamp}.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (out_dir / f"bench-{stamp}.md").write_text(markdown(result), encoding="utf-8")
    return result


def _kept_words(coder: Any, texts: Sequence[str]) -> int:
    """Words left for the model after the first pass blanks the sentences without triggers."""
    if coder.sentence_filter is None:
        return sum(len(t.split()) for t in texts)
    return sum(len(coder.sentence_filter.mask(t)[0].split()) for t in texts)


def markdown(r: dict[str, Any]) -> str:
    """The short table that goes next to the JSON."""
    m = r["machine"]
    lines = [f"# eventcoder benchmark {r['date']} {r['label']}".rstrip(), "",
             f"{r['documents']:,} documents, {r['sentences']:,} sentences, {r['words']:,} words; "
             f"{m.get('cpu', '?')}, {m.get('cpus')} CPUs, {m.get('memory_gb', '?')} GB, Python {m['python']}", "",
             "| run | seconds | docs/s | sentences/s | words/s |", "|---|---|---|---|---|"]
    for k, v in r["in_process"].items():
        lines.append(f"| {k} | {v['seconds']} | {v['docs_per_s']} | {v['sentences_per_s']} | {v['words_per_s']} |")
    lines += ["", "| ratio | value |", "|---|---|"] + [f"| {k} | {v} |" for k, v in r["ratios"].items()]
    lines += ["", "| store share of ingest time | value |", "|---|---|"] + [
        f"| {k} | {v:.1%} |" for k, v in r["store_share"].items()]
    lines += ["", "| whole process | seconds |", "|---|---|"] + [
        f"| {k} | {v} |" for k, v in r["whole_process_seconds"].items()]
    lines += ["", "| corpus copies | documents | seconds | peak RSS parent (MB) | peak RSS worker (MB) |",
              "|---|---|---|---|---|"] + [
        f"| {x['copies']} | {x['documents']:,} | {x['seconds']} | {x['self_mb']} | {x['children_mb']} |"
        for x in r["memory_by_corpus_size"]]
    return "\n".join(lines) + "\n"
