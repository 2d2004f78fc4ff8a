"""Event scoring with the semantics of the shared scorer (``shared/eval/score_events.py``).

A gold event matches a prediction on (event_type, source, target) per document, where
an actor is its country, else its organisation code; null gold fields are wildcards,
CONSULT/AGREE/COOPERATE are symmetric, ``--level sentence`` also checks the evidence
snippet and actor names. Optional gold events are neither rewarded nor penalised;
a prediction matching a forbidden one is a false positive counted apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

ALWAYS_SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
GENERIC_ORGS = frozenset({"IGO", "NGO", "IMG", "ISM"})


def _squash(s: str | None) -> str:
    return " ".join((s or "").lower().split())


def identity(actor: dict[str, Any] | None) -> str | None:
    actor = actor or {}
    if actor.get("country"):
        return str(actor["country"])
    return f"igo:{actor['igo']}" if actor.get("igo") else None


def gold_types(g: dict[str, Any]) -> frozenset[str] | None:
    t = g.get("event_type")
    if t is None:
        return None
    base = {t} if isinstance(t, str) else set(t)
    return frozenset(base | set(g.get("alt_event_types") or ()))


def _same_actor(gold: str | None, pred: str | None) -> bool:
    if gold is None or gold == pred:
        return True
    return gold.removeprefix("igo:") in GENERIC_ORGS and (pred or "").startswith("igo:")


def is_match(g: dict[str, Any], p: dict[str, Any], level: str) -> bool:
    types = gold_types(g)
    if types is not None and p.get("event_type") not in types:
        return False
    if g.get("modality") and p.get("modality") != g["modality"]:
        return False
    gs, gt = identity(g.get("source")), identity(g.get("target"))
    ps, pt = identity(p.get("source")), identity(p.get("target"))
    symmetric = bool(g.get("symmetric")) or (types is not None and types <= ALWAYS_SYMMETRIC)
    forward = _same_actor(gs, ps) and _same_actor(gt, pt)
    if not (forward or (symmetric and _same_actor(gs, pt) and _same_actor(gt, ps))):
        return False
    if level == "sentence" or types is None:
        snippet = g.get("sentence_contains")
        if snippet and _squash(snippet) not in _squash(p.get("sentence")):
            return False
    if level == "sentence":
        names = _squash((p.get("source") or {}).get("name")) + " | " + _squash((p.get("target") or {}).get("name"))
        for key in ("source_name", "target_name"):
            if g.get(key) and _squash(g[key]) not in names:
                return False
    return True


def _type_label(g: dict[str, Any]) -> str:
    t = g.get("event_type")
    return t if isinstance(t, str) else "/".join(t or ["*"])


@dataclass
class Score:
    level: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    forbidden: int = 0
    per_type: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    confusion: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    misses: list[dict[str, Any]] = field(default_factory=list)
    extras: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def type_f1(self) -> dict[str, tuple[float, float, float, int]]:
        out = {}
        for t, c in sorted(self.per_type.items()):
            tp, fp, fn = c["tp"], c["fp"], c["fn"]
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            out[t] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, tp + fn)
        return out


def _dedupe(preds: list[dict[str, Any]], level: str) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in preds:
        key: tuple[Any, ...] = (p.get("event_type"), identity(p.get("source")), identity(p.get("target")))
        if level == "sentence":
            key += (_squash(p.get("sentence")),)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def score(gold: list[dict[str, Any]], preds: list[dict[str, Any]], level: str = "triple") -> Score:
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in preds:
        by_doc[str(p.get("doc_id"))].append(p)
    result = Score(level)
    for doc in gold:
        doc_preds = _dedupe(by_doc.get(str(doc["id"]), []), level)
        used = [False] * len(doc_preds)
        required = list(doc.get("events", []))
        if level == "triple":
            seen: set[tuple[Any, ...]] = set()
            unique = []
            for g in required:
                t = gold_types(g)
                k = (tuple(sorted(t)) if t else None, identity(g.get("source")), identity(g.get("target")),
                     bool(g.get("symmetric")))
                if k not in seen:
                    seen.add(k)
                    unique.append(g)
            required = unique
        required.sort(key=lambda g: (identity(g.get("source")) is None) + (identity(g.get("target")) is None))
        for g in required:
            label = _type_label(g)
            hit = next((i for i, p in enumerate(doc_preds) if not used[i] and is_match(g, p, level)), None)
            if hit is None:
                result.fn += 1
                result.per_type[label]["fn"] += 1
                result.misses.append({"doc_id": doc["id"], "gold": g})
                near = next((p for p in doc_preds if is_match({**g, "event_type": None}, p, "triple")), None)
                result.confusion[(label, near.get("event_type", "-") if near else "-")] += 1
            else:
                used[hit] = True
                result.tp += 1
                result.per_type[label]["tp"] += 1
                result.confusion[(label, str(doc_preds[hit].get("event_type")))] += 1
        for i, p in enumerate(doc_preds):
            if used[i]:
                continue
            label = str(p.get("event_type"))
            if any(is_match(g, p, "sentence") for g in doc.get("forbidden", [])):
                result.forbidden += 1
                result.fp += 1
                result.per_type[label]["fp"] += 1
                result.extras.append({"doc_id": doc["id"], "forbidden": True, "pred": p})
            elif not any(is_match(g, p, level) for g in doc.get("optional", [])):
                result.fp += 1
                result.per_type[label]["fp"] += 1
                result.confusion[("-", label)] += 1
                result.extras.append({"doc_id": doc["id"], "pred": p})
    return result
