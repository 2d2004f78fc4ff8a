#!/usr/bin/env python3
"""Main-text extraction F1 on ../shared/eval/html (the article-extraction-benchmark method).

    python scripts/eval_html.py [--shared ../shared]

Tokens are \\w+ runs; each text becomes a multiset of 4-token shingles; per page,
TP/FP/FN are the shared/surplus/missing shingle counts normalised to sum to 1;
precision is averaged over pages with output, recall over pages with a reference,
and F1 is the harmonic mean of the two means (as the folder's README describes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

from eventcoder.ingest.html import extract_html


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text or "")
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_counts(ref: str, pred: str) -> tuple[float, float, float]:
    r, p = shingles(ref), shingles(pred)
    tp = sum((r & p).values())
    fp = sum((p - r).values())
    fn = sum((r - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[1].parent / "shared"))
    args = ap.parse_args()
    folder = Path(args.shared) / "eval" / "html"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls, exact = [], [], 0
    for page_id, item in sorted(truth.items()):
        html = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        extracted = extract_html(html, url=item.get("url"))
        pred = extracted.text if extracted else ""
        ref = item["articleBody"]
        tp, fp, fn = page_counts(ref, pred)
        if pred.strip():
            precisions.append(tp / (tp + fp) if tp + fp else 0.0)
        if ref.strip():
            recalls.append(tp / (tp + fn) if tp + fn else 0.0)
        exact += re.findall(r"\w+", ref) == re.findall(r"\w+", pred)
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    f1 = 2 * p * r / (p + r)
    print(json.dumps({"pages": len(truth), "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3),
                      "accuracy": round(exact / len(truth), 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
