"""Where the time goes: each spaCy component and each coder stage on the same documents.

    python scripts/profile_pipeline.py ../shared/corpora/bbc/articles.jsonl --limit 200
"""

from __future__ import annotations

import argparse
import json
import time
from itertools import islice

from eventcoder.ingest.files import read_inputs
from eventcoder.pipeline import Coder
from eventcoder.records import Document


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--limit", type=int, default=200)
    args = ap.parse_args()
    docs = [d for d in islice(read_inputs(args.inputs), args.limit * 2) if isinstance(d, Document)][: args.limit]
    coder = Coder.load()
    nlp = coder.nlp
    list(coder.code_documents(docs[:2]))
    times: dict[str, float] = {}
    t = time.perf_counter()
    parsed = [nlp.make_doc(d.text) for d in docs]
    times["tokenizer"] = time.perf_counter() - t
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        parsed = list(proc.pipe(parsed, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in parsed]
        times[f"spacy:{name}"] = time.perf_counter() - t
    resolved = []
    t = time.perf_counter()
    for sd, d in zip(parsed, docs, strict=True):
        resolved.append(coder.resolver.resolve(sd, d.date))
    times["coder:actors"] = time.perf_counter() - t
    t = time.perf_counter()
    n_events = 0
    for actors, d in zip(resolved, docs, strict=True):
        n_events += len(coder.coder.code(d, actors, coder.settings.max_sentence_chars))
    times["coder:events"] = time.perf_counter() - t
    total = sum(times.values())
    sentences = sum(len(list(sd.sents)) for sd in parsed)
    print(json.dumps({"documents": len(docs), "sentences": sentences, "events": n_events,
                      "seconds": {k: round(v, 3) for k, v in times.items()},
                      "share": {k: round(v / total, 3) for k, v in times.items()}}, indent=1))


if __name__ == "__main__":
    main()
