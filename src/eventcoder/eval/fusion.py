"""Fusion quality: do reports of one happening end up in one fused event, and only those?

Gold (``eval/fusion.jsonl``): one short report a line, with the happening it reports
(``happening``) and its main event (``event_type``, ``source_actor``, ``target_actor``).
Each report is ingested (real coder, real store, real fusion); the report's predicted
cluster is the fused event of its main event (the first event of the gold type between the
gold actors, either order for symmetric types). A report whose main event the coder missed
is its own cluster. Scores are pairwise precision/recall/F1 over report pairs and B-cubed.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fusion.rules import SYMMETRIC


@dataclass(frozen=True)
class FusionScore:
    reports: int
    found: int  # reports whose main event was coded
    pairwise: tuple[float, float, float]
    b_cubed: tuple[float, float, float]
    clusters: dict[str, str]  # report id -> predicted cluster

    def to_dict(self) -> dict[str, Any]:
        return {"reports": self.reports, "found": self.found,
                "pairwise": dict(zip(("precision", "recall", "f1"), self.pairwise, strict=True)),
                "b_cubed": dict(zip(("precision", "recall", "f1"), self.b_cubed, strict=True))}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    ids = sorted(gold)
    same_gold = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if gold[a] == gold[b]}
    same_pred = {(a, b) for i, a in enumerate(ids) for b in ids[i + 1:] if pred[a] == pred[b]}
    tp = len(same_gold & same_pred)
    p = tp / len(same_pred) if same_pred else 1.0
    r = tp / len(same_gold) if same_gold else 1.0
    return round(p, 4), round(r, 4), round(_f1(p, r), 4)


def b_cubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    ps, rs = [], []
    for a in gold:
        g = {b for b in gold if gold[b] == gold[a]}
        c = {b for b in pred if pred[b] == pred[a]}
        ps.append(len(g & c) / len(c))
        rs.append(len(g & c) / len(g))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return round(p, 4), round(r, 4), round(_f1(p, r), 4)


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predicted_clusters(db: Path, gold: Sequence[dict[str, Any]]) -> dict[str, str]:
    """Report id -> the fused id of its main event (or a cluster of its own)."""
    from ..query.filters import EventQuery
    from ..query.table import events_table
    from ..store import Store

    out: dict[str, str] = {}
    with Store.open(db, read_only=True) as store:
        for g in gold:
            rows = events_table(store, EventQuery(doc_id=g["id"], raw=True)).to_pylist()
            want = {(g["source_actor"], g["target_actor"])}
            if g["event_type"] in SYMMETRIC:
                want.add((g["target_actor"], g["source_actor"]))
            match = [r for r in rows if r["event_type"] == g["event_type"]
                     and (r["source_country"] or r["source_igo"], r["target_country"] or r["target_igo"]) in want]
            out[g["id"]] = (match[0]["fused_id"] or match[0]["event_id"]) if match else f"missed:{g['id']}"
    return out


def evaluate(path: Path, coder: Any = None, order: Sequence[int] | None = None) -> FusionScore:
    """Ingest the reports (in ``order`` when given), fuse, and score against the happenings."""
    from ..pipeline import default_coder, make_document
    from ..store import ingest_results

    gold = load(path)
    items = [gold[i] for i in order] if order is not None else gold
    coder = coder or default_coder()
    docs = [make_document(g["text"], id=g["id"], title=g.get("title"), date=g.get("date"), source=g.get("source"))
            for g in items]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "fusion.duckdb"
        ingest_results(db, coder.code_documents(docs))
        pred = predicted_clusters(db, gold)
    truth = {g["id"]: g["happening"] for g in gold}
    found = sum(1 for v in pred.values() if not v.startswith("missed:"))
    return FusionScore(len(gold), found, pairwise(truth, pred), b_cubed(truth, pred), pred)
