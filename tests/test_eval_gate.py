"""The evaluation gate CI enforces: every gold set at or above its pinned floor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.errors import DataFileError
from eventcoder.eval import harness
from eventcoder.pipeline import Coder
from tests.conftest import ROOT

FLOORS = ROOT / "eval" / "floors.json"
HARD = ROOT / "eval" / "hard_cases.jsonl"
runner = CliRunner()


@pytest.mark.parametrize("gold_set", harness.load_floors(FLOORS), ids=lambda s: s.name)
def test_gold_set_stays_above_its_floor(gold_set: harness.GoldSet, coder: Coder) -> None:
    missing = [p for p in (str(gold_set.gold), *gold_set.inputs) if not Path(p).exists()]
    if missing:
        pytest.skip(f"{missing[0]} is not present")
    score, _ = harness.evaluate(gold_set.gold, list(gold_set.inputs), gold_set.level, coder)
    assert round(score.f1, 4) >= gold_set.min_f1, (gold_set.name, score.f1, score.misses[:10], score.extras[:10])
    assert round(score.precision, 4) >= gold_set.min_precision, (gold_set.name, score.precision, score.extras[:10])
    if gold_set.max_forbidden is not None:
        assert score.forbidden <= gold_set.max_forbidden, score.extras


def test_floors_never_go_down() -> None:
    for s in harness.load_floors(FLOORS):
        assert s.min_f1 == max(s.history), f"{s.name}: the floor must be the highest it has been"
        assert list(s.history) == sorted(s.history), f"{s.name}: history must only rise"


def test_hard_cases_are_many_and_varied() -> None:
    gold = harness.load_gold(HARD)
    assert len(gold) >= 60
    assert len({r["text"] for r in gold}) == len(gold)
    assert sum(1 for r in gold if not r["events"]) >= 5  # background sentences with no event
    modalities = {e.get("modality") for r in gold for e in r["events"] + r.get("forbidden", [])}
    assert {"claimed", "negated", "asserted"} <= modalities


def test_eval_command_reports_per_type_confusion_and_error_kinds(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Russia expelled two Estonian diplomats.", "date": "2024-01-02",
         "events": [{"event_type": "SANCTION", "source": {"country": "RUS"}, "target": {"country": "EST"}}]},
        {"id": "b", "text": "Kenya praised Uganda's reforms.", "date": "2024-01-02",
         # deliberately wrong gold type, so the confusion table has an off-diagonal cell
         "events": [{"event_type": "ACCUSE", "source": {"country": "KEN"}, "target": {"country": "UGA"}}]},
    ]) + "\n")
    result = runner.invoke(app, ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["tp"], report["fp"], report["fn"]) == (1, 1, 1)
    assert report["per_type"]["SANCTION"]["f1"] == 1.0
    assert report["per_type"]["ACCUSE"]["recall"] == 0.0
    assert {"gold": "ACCUSE", "predicted": "SUPPORT", "n": 1} in report["confusion"]
    assert report["error_kinds"] == {"wrong type: ACCUSE coded as SUPPORT": 1}


def test_gate_fails_below_a_floor(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": "The weather was mild in Oslo.", "date": "2024-01-02",
                                "events": [{"event_type": "AID", "source": {"country": "NOR"},
                                            "target": {"country": "SWE"}}]}) + "\n")
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"sets": [{"name": "tiny", "gold": "g.jsonl", "min_f1": 0.5}]}))
    result = runner.invoke(app, ["eval", "--gate", "--floors", str(floors)])
    assert result.exit_code == 1
    assert "FAIL" in result.output


def test_bad_gold_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "events": []}\n{not json\n')
    with pytest.raises(DataFileError, match=r"bad.jsonl:2"):
        harness.load_gold(bad)
    result = runner.invoke(app, ["eval", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:2" in result.output
