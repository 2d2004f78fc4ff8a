"""Throughput and memory of the coder, as ratios against bare spaCy on the same texts.

`run_bench(documents)` times, on the same machine and in the same run:
1. the baseline: the packaged English model alone (`spacy.load(...).pipe`), and
2. eventcoder's whole coding path (our pipeline, actors, events, dates),
then reports documents a second for each and the ratio (coder time / baseline time),
plus the process's peak resident memory. No threshold lives here or in a test:
the numbers are for people to compare across versions and machines.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .records import CodedDocument, Document


@dataclass(frozen=True)
class BenchResult:
    documents: int
    characters: int
    events: int
    baseline_seconds: float
    coder_seconds: float
    workers: int
    peak_rss_mb: float

    @property
    def ratio(self) -> float:
        """How many times longer coding takes than bare spaCy parsing."""
        return self.coder_seconds / self.baseline_seconds if self.baseline_seconds else float("inf")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["baseline_docs_per_second"] = round(self.documents / self.baseline_seconds, 2) if self.baseline_seconds \
            else None
        out["coder_docs_per_second"] = round(self.documents / self.coder_seconds, 2) if self.coder_seconds else None
        out["ratio"] = round(self.ratio, 3)
        return out


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def run_bench(documents: Sequence[Document], workers: int = 1, batch_size: int = 16) -> BenchResult:
    import spacy

    from .config import Settings
    from .pipeline import default_coder

    coder = default_coder(Settings.from_env())  # forked workers inherit it instead of loading their own
    texts = [d.text for d in documents]
    bare = spacy.load(coder.settings.spacy_model)
    for _ in bare.pipe(texts[:2]):
        pass  # warm up both, so neither pays first-call costs inside the timing
    list(coder.code_documents(documents[:2]))

    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=batch_size, n_process=workers):
        pass
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    events = sum(len(r.events) for r in coder.code_documents(documents, batch_size=batch_size, workers=workers)
                 if isinstance(r, CodedDocument))
    coded = time.perf_counter() - start
    return BenchResult(len(documents), sum(len(t) for t in texts), events, round(baseline, 3), round(coded, 3),
                       workers, round(_peak_rss_mb(), 1))
