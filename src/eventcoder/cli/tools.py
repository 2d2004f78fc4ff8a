"""Commands for the people who maintain the coder: dictionary builds and the evaluation gate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from .. import errors
from .common import app, handled, out


def _actor_label(a: dict[str, Any] | None) -> str:
    if not a:
        return "-"
    code = a.get("country") or a.get("igo") or "?"
    return f"{a.get('name') or ''} ({code}{'/' + a['sector'] if a.get('sector') else ''})".strip()


DEFAULT_FLOORS = Path("eval/floors.json")


dictionaries_app = typer.Typer(help="Build the packaged knowledge from open dictionaries.", no_args_is_help=True)
app.add_typer(dictionaries_app, name="dictionaries")


@dictionaries_app.command("build")
@handled
def dictionaries_build(
    source: Annotated[Path, typer.Argument(help="The PETRARCH-2 dictionary folder (shared/dictionaries/petrarch2).")],
    codebook: Annotated[Path, typer.Option("--codebook", help="PLOVER codebook.json with the CAMEO crosswalk.")] = Path(
        "../shared/eval/plover/codebook.json"),
    out_dir: Annotated[Path, typer.Option("--out", help="Where to write the converted files.")] = Path(
        "src/eventcoder/data/petrarch"),
) -> None:
    """Convert PETRARCH-2 verb, actor, agent and discard dictionaries into eventcoder data files."""
    from ..dictionaries.petrarch import build

    try:
        counts = build(source, codebook, out_dir)
    except OSError as exc:
        raise errors.DataFileError(f"{source}: {exc.strerror or exc}") from None
    for key, value in counts.items():
        out.print(f"{value:>8,}  {key}", highlight=False)
    out.print(f"written to {out_dir}", highlight=False)


@app.command("eval")
@handled
def evaluate(
    gold: Annotated[Path | None, typer.Argument(help="Gold JSONL (records with text, or name --input).")] = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", help="Documents to code, when the gold has no text.")]
    = None,
    level: Annotated[str, typer.Option(help="triple or sentence (see shared/eval/score_events.py).")] = "triple",
    errors_shown: Annotated[int, typer.Option("--errors", help="List this many misses and extras.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    gate: Annotated[bool, typer.Option("--gate", help="Check every gold set in the floors file.")] = False,
    floors: Annotated[Path, typer.Option(help="Floors file for --gate.")] = DEFAULT_FLOORS,
) -> None:
    """Score the coder on a gold set: P/R/F1 overall and per type, a confusion table, error kinds.

    With --gate, score every set in the floors file and exit 1 if any falls below its floor.
    """
    from ..eval import harness

    if level not in {"triple", "sentence"}:
        raise typer.BadParameter("level must be 'triple' or 'sentence'", param_hint="--level")
    if gate:
        results = harness.run_gate(floors)
        _gate_table(results)
        fusion_ok = _fusion_gate(floors)
        raise typer.Exit(errors.EXIT_OK if all(r.passed for r in results) and fusion_ok else errors.EXIT_FAILURE)
    if gold is None:
        raise typer.BadParameter("name a gold file, or use --gate", param_hint="GOLD")
    score, preds = harness.evaluate(gold, inputs, level)
    kinds = harness.error_kinds(score, preds)
    if as_json:
        sys.stdout.write(json.dumps({
            "level": level, "tp": score.tp, "fp": score.fp, "fn": score.fn, "forbidden": score.forbidden,
            "precision": round(score.precision, 4), "recall": round(score.recall, 4), "f1": round(score.f1, 4),
            "per_type": {t: {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": n}
                         for t, (p, r, f, n) in score.type_f1().items()},
            "confusion": [{"gold": g, "predicted": p, "n": n} for (g, p), n in sorted(score.confusion.items())],
            "error_kinds": dict(kinds.most_common()),
        }, indent=1) + "\n")
        return
    out.print(f"[bold]{gold}[/bold] level={level}: tp={score.tp} fp={score.fp} fn={score.fn} "
              f"forbidden={score.forbidden}  P={score.precision:.3f} R={score.recall:.3f} F1={score.f1:.3f}",
              highlight=False)
    table = Table(title="per type", show_header=True, header_style="bold")
    for col in ("type", "P", "R", "F1", "support"):
        table.add_column(col, justify="right" if col != "type" else "left")
    for t, (p, r, f, n) in score.type_f1().items():
        table.add_row(t, f"{p:.2f}", f"{r:.2f}", f"{f:.2f}", str(n))
    out.print(table)
    _confusion_table(score.confusion)
    kt = Table(title="error kinds", show_header=True, header_style="bold")
    kt.add_column("n", justify="right")
    kt.add_column("kind")
    for k, n in kinds.most_common(15):
        kt.add_row(str(n), k)
    out.print(kt)
    for m in score.misses[:errors_shown]:
        g = m["gold"]
        out.print(f"MISS  {m['doc_id']}: {g.get('event_type')} {_actor_label(g.get('source'))} -> "
                  f"{_actor_label(g.get('target'))}", highlight=False)
    for x in score.extras[:errors_shown]:
        p = x["pred"]
        out.print(f"EXTRA {x['doc_id']}: {p.get('event_type')} {_actor_label(p.get('source'))} -> "
                  f"{_actor_label(p.get('target'))} [{p.get('rule')}]", highlight=False)


def _fusion_gate(floors: Path) -> bool:
    """The fusion set of the floors file, scored pairwise and by B-cubed."""
    from ..eval import fusion

    spec = json.loads(floors.read_text(encoding="utf-8")).get("fusion")
    if not spec:
        return True
    gold = floors.parent / spec["gold"]
    if not gold.exists():
        out.print(f"fusion: {gold} absent, skipped", highlight=False)
        return True
    score = fusion.evaluate(gold)
    ok = score.pairwise[2] >= spec["min_pairwise_f1"] and score.b_cubed[2] >= spec["min_b3_f1"]
    out.print(f"fusion ({score.reports} reports, main event found in {score.found}): pairwise P/R/F1 "
              f"{score.pairwise[0]:.3f}/{score.pairwise[1]:.3f}/{score.pairwise[2]:.3f} (floor "
              f"{spec['min_pairwise_f1']}), B-cubed {score.b_cubed[0]:.3f}/{score.b_cubed[1]:.3f}/"
              f"{score.b_cubed[2]:.3f} (floor {spec['min_b3_f1']}): {'pass' if ok else 'FAIL'}", highlight=False)
    return ok


def _confusion_table(confusion: dict[tuple[str, str], int]) -> None:
    gold_types = sorted({g for g, _ in confusion})
    pred_types = sorted({p for _, p in confusion})
    table = Table(title="confusion (rows: gold type, '-' none; columns: coded type, '-' none)",
                  show_header=True, header_style="bold")
    table.add_column("gold\\coded")
    for p in pred_types:
        table.add_column(p[:8], justify="right")
    for g in gold_types:
        table.add_row(g[:12], *(str(confusion.get((g, p), "")) for p in pred_types))
    out.print(table)


def _gate_table(results: list[Any]) -> None:
    table = Table(title="evaluation gate", show_header=True, header_style="bold")
    for col in ("set", "level", "P", "R", "F1", "floor F1", "floor P", "forbidden", "result"):
        table.add_column(col)
    for r in results:
        s = r.gold_set
        if r.score is None:
            table.add_row(s.name, s.level, "", "", "", str(s.min_f1), str(s.min_precision), "",
                          "skipped (gold absent)")
            continue
        sc = r.score
        table.add_row(s.name, s.level, f"{sc.precision:.3f}", f"{sc.recall:.3f}", f"{sc.f1:.3f}", str(s.min_f1),
                      str(s.min_precision), str(sc.forbidden), "pass" if r.passed else "FAIL: " + "; ".join(r.failures))
    out.print(table)
