"""Evaluation harness: code a gold set, score it, explain the errors, enforce floors.

A gold file is JSONL with one document per line: ``id``, ``events`` (and optionally
``optional``/``forbidden``), plus ``text`` (and ``date``/``title``) when the text lives
in the gold itself; otherwise the texts come from separate inputs (any form
`eventcoder ingest` reads) whose document ids match. Scoring follows
``shared/eval/score_events.py`` (see `eventcoder.eval.score`).

The gate reads a floors file (``eval/floors.json``): named gold sets, each with the
level it is scored at and its floors (``min_f1``, ``min_precision``, ``max_forbidden``).
Floors only go up: each set keeps the ``history`` of its F1 floor and the current floor
must equal its maximum (a test checks this).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import DataFileError
from ..records import CodedDocument, Document, Rejected, make_document
from .score import Score, gold_types, identity, score


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Read a gold JSONL file; a malformed line is a `DataFileError` naming the line."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read gold file ({exc.strerror})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(rec, dict) or "id" not in rec or not isinstance(rec.get("events", []), list):
            raise DataFileError(f"{path}:{n}: a gold record needs an 'id' and a list of 'events'")
        out.append(rec)
    return out


def gold_documents(gold: list[dict[str, Any]]) -> Iterator[Document]:
    """The documents of a gold file that carries its own texts."""

    for rec in gold:
        if isinstance(rec.get("text"), str):
            yield make_document(rec["text"], id=str(rec["id"]), title=rec.get("title"), date=rec.get("date"))


def predictions(results: Iterable[CodedDocument | Rejected]) -> list[dict[str, Any]]:
    return [e.to_dict() for r in results if isinstance(r, CodedDocument) for e in r.events]


def evaluate(gold_path: Path, inputs: list[str] | None = None, level: str = "triple",
             coder: Any = None) -> tuple[Score, list[dict[str, Any]]]:
    """Code the gold set's texts (or ``inputs``) and score them; returns the score and predictions."""
    from ..ingest.files import read_inputs
    from ..pipeline import default_coder

    gold = load_gold(gold_path)
    coder = coder or default_coder()
    docs: Iterable[Document | Rejected]
    if inputs:
        # The gold may name a few documents of a large corpus: code only those.
        wanted = {str(r["id"]) for r in gold}
        docs = (d for d in read_inputs(inputs) if (d.id if isinstance(d, Document) else d.doc_id) in wanted)
    else:
        docs = list(gold_documents(gold))
        if not docs:
            raise DataFileError(f"{gold_path}: the gold records have no 'text'; name the input documents too")
    preds = predictions(coder.code_documents(docs))
    return score(gold, preds, level), preds


# ---- error analysis ----------------------------------------------------------------------


def error_kinds(result: Score, preds: list[dict[str, Any]]) -> Counter[str]:
    """Sort each miss and each extra into a kind an engineer can act on."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for p in preds:
        by_doc.setdefault(str(p.get("doc_id")), []).append(p)
    kinds: Counter[str] = Counter()
    for m in result.misses:
        g = m["gold"]
        doc_preds = by_doc.get(str(m["doc_id"]), [])
        types = gold_types(g)
        same_type = [p for p in doc_preds if types is None or p.get("event_type") in types]
        label = "/".join(sorted(types)) if types else "*"
        if not doc_preds:
            kinds["missed: no event coded in the document"] += 1
        elif not same_type:
            got = Counter(p.get("event_type") for p in doc_preds).most_common(1)[0][0]
            kinds[f"wrong type: {label} coded as {got}"] += 1
        else:
            kinds[_actor_error(g, same_type)] += 1
    for x in result.extras:
        p = x["pred"]
        if x.get("forbidden"):
            kinds[f"forbidden event coded: {p.get('event_type')} ({p.get('modality')})"] += 1
        elif any(str(m["doc_id"]) == str(x["doc_id"]) for m in result.misses):
            continue  # counted with its miss
        else:
            kinds[f"extra event: {p.get('event_type')}"] += 1
    return kinds


def _actor_error(g: dict[str, Any], preds: list[dict[str, Any]]) -> str:
    gs, gt = identity(g.get("source")), identity(g.get("target"))
    p = preds[0]
    ps, pt = identity(p.get("source")), identity(p.get("target"))
    if gs is not None and ps != gs:
        return "source: no country/organisation" if ps is None else "source: wrong actor"
    if gt is not None and pt != gt:
        return "target: not found" if p.get("target") is None else (
            "target: no country/organisation" if pt is None else "target: wrong actor")
    return "evidence or names differ (sentence level)"


# ---- the gate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSet:
    name: str
    gold: Path
    inputs: tuple[str, ...]
    level: str
    min_f1: float
    min_precision: float
    max_forbidden: int | None
    history: tuple[float, ...]
    sha256: str | None = None  # pinned hash of the gold file: a blind set is never edited to fit the coder


@dataclass(frozen=True)
class GateResult:
    gold_set: GoldSet
    score: Score | None  # None: the gold file is absent here (shared data not mounted)
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def load_floors(path: Path) -> list[GoldSet]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read floors ({exc})") from None
    sets = []
    for i, item in enumerate(data.get("sets", [])):
        where = f"{path}: set {i}"
        try:
            base = path.parent
            sets.append(GoldSet(
                name=str(item["name"]),
                gold=(base / item["gold"]).resolve(),
                inputs=tuple(str((base / p).resolve()) for p in item.get("inputs", [])),
                level=str(item.get("level", "triple")),
                min_f1=float(item["min_f1"]),
                min_precision=float(item.get("min_precision", 0.0)),
                max_forbidden=item.get("max_forbidden"),
                history=tuple(float(x) for x in item.get("history", [item["min_f1"]])),
                sha256=item.get("sha256"),
            ))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"{where}: {exc!r}") from None
        if sets[-1].level not in {"triple", "sentence"}:
            raise DataFileError(f"{where}: level must be 'triple' or 'sentence'")
    return sets


def shared_scorer(floors: Path) -> Any:
    """``shared/eval/score_events.py`` as a module, when the shared data sits beside the project."""
    import importlib.util

    candidate = floors.resolve().parent.parent.parent / "shared" / "eval" / "score_events.py"
    if not candidate.is_file():
        return None
    spec = importlib.util.spec_from_file_location("shared_score_events", candidate)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_gate(path: Path, coder: Any = None) -> list[GateResult]:
    results = []
    for s in load_floors(path):
        if not s.gold.exists() or any(not Path(p).exists() for p in s.inputs):
            results.append(GateResult(s, None, ()))
            continue
        failures = []
        if s.sha256 and gold_hash(s.gold) != s.sha256:
            failures.append(f"{s.gold.name} changed: its sha256 is pinned in the floors file")
        sc, preds = evaluate(s.gold, list(s.inputs), s.level, coder)
        official = shared_scorer(path)
        if official is not None:
            # The project's scorer of record decides; ours (per type, confusion) must agree with it.
            r = official.score(load_gold(s.gold), preds, s.level)
            if (r["tp"], r["fp"], r["fn"], r["forbidden_hits"]) != (sc.tp, sc.fp, sc.fn, sc.forbidden):
                failures.append(f"our scorer disagrees with score_events.py: {(sc.tp, sc.fp, sc.fn)} vs "
                                f"{(r['tp'], r['fp'], r['fn'])}")
            sc = replace(sc, tp=r["tp"], fp=r["fp"], fn=r["fn"], forbidden=r["forbidden_hits"])
        if round(sc.f1, 4) < s.min_f1:
            failures.append(f"F1 {sc.f1:.4f} < floor {s.min_f1}")
        if round(sc.precision, 4) < s.min_precision:
            failures.append(f"precision {sc.precision:.4f} < floor {s.min_precision}")
        if s.max_forbidden is not None and sc.forbidden > s.max_forbidden:
            failures.append(f"{sc.forbidden} forbidden events > {s.max_forbidden}")
        results.append(GateResult(s, sc, tuple(failures)))
    return results
