"""Where the time goes: the first pass, each spaCy component and each coder stage on the same
documents, the way `Coder.code_documents` runs them (blanked text, recogniser on chosen sentences).

    python scripts/profile_pipeline.py ../shared/corpora/bbc/articles.jsonl --limit 200
    EVENTCODER_PREFILTER=0 python scripts/profile_pipeline.py ...   # every sentence, every component
"""

from __future__ import annotations

import argparse
import json
import time
from itertools import islice

from eventcoder.ingest.files import read_inputs
from eventcoder.nlp.pipeline import recognise_selected
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
    masked = [coder.sentence_filter.mask(d.text) if coder.sentence_filter else (d.text, []) for d in docs]
    times["first pass"] = time.perf_counter() - t
    t = time.perf_counter()
    parsed = [nlp.make_doc(text) for text, _ in masked]
    times["tokenizer"] = time.perf_counter() - t
    selective = coder.sentence_filter is not None
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        if name == "ner" and selective:
            for i in range(0, len(parsed), 16):
                recognise_selected(proc, parsed[i:i + 16], coder._named_sentences, 16)
        else:
            parsed = list(proc.pipe(parsed, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in parsed]
        times[f"spacy:{name}"] = time.perf_counter() - t
    resolved = []
    t = time.perf_counter()
    for sd, d, (_, skipped) in zip(parsed, docs, masked, strict=True):
        resolved.append(coder.resolver.resolve(sd, d.date, skipped))
    times["coder:actors"] = time.perf_counter() - t
    t = time.perf_counter()
    n_events = 0
    for actors, d in zip(resolved, docs, strict=True):
        n_events += len(coder.coder.code(d, actors, coder.settings.max_sentence_chars))
    times["coder:events"] = time.perf_counter() - t
    total = sum(times.values())
    words = sum(len(d.text.split()) for d in docs)
    kept = sum(len(text.split()) for text, _ in masked)
    print(json.dumps({"documents": len(docs), "words": words, "words_kept_by_first_pass": round(kept / words, 3),
                      "events": n_events, "seconds": {k: round(v, 3) for k, v in times.items()},
                      "share": {k: round(v / total, 3) for k, v in times.items()}}, indent=1))


if __name__ == "__main__":
    main()
