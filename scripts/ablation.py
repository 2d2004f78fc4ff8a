"""Score every gold set with each knowledge layer on or off (what each layer adds).

    .venv/bin/python scripts/ablation.py [--layers hand,petrarch,curated ...] [--json OUT]

Each configuration is a fresh `Coder` with `Settings(layers=...)`; sets whose files are
absent (no ../shared) are skipped. Prints one row per (configuration, set).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eventcoder.config import Settings
from eventcoder.eval import harness
from eventcoder.pipeline import Coder

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = {
    "hand lexicon alone": "hand",
    "converted dictionaries alone": "petrarch",
    "hand + converted": "hand,petrarch",
    "all (hand + converted + curated/places)": "hand,petrarch,curated",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", nargs="*", help="only these configurations (comma-separated layer lists)")
    ap.add_argument("--json", type=Path, help="write the results here as JSON")
    args = ap.parse_args()
    configs = {c: c for c in args.layers} if args.layers else CONFIGS
    sets = harness.load_floors(ROOT / "eval" / "floors.json")
    rows = []
    for label, layers in configs.items():
        coder = Coder.load(Settings(layers=frozenset(layers.split(","))))
        for s in sets:
            if not s.gold.exists() or any(not Path(p).exists() for p in s.inputs):
                continue
            sc, _ = harness.evaluate(s.gold, list(s.inputs), s.level, coder)
            rows.append({"config": label, "set": s.name, "level": s.level, "tp": sc.tp, "fp": sc.fp, "fn": sc.fn,
                         "precision": round(sc.precision, 3), "recall": round(sc.recall, 3), "f1": round(sc.f1, 3)})
            r = rows[-1]
            print(f"{label:42} {s.name:12} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
                  f"(tp {sc.tp}, fp {sc.fp}, fn {sc.fn})", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
