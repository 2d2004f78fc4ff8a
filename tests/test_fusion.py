"""Event fusion: one fused event per happening, whatever the ingest order; near-misses stay apart."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

from eventcoder.eval import fusion as fusion_eval
from eventcoder.fusion.rules import FusionRules, Mention, cluster, combined_confidence
from eventcoder.pipeline import Coder, make_document
from eventcoder.query.filters import EventQuery
from eventcoder.query.table import events_table
from eventcoder.store import Store, ingest_results

from .conftest import ROOT

FLOORS = ROOT / "eval" / "floors.json"
GOLD = ROOT / "eval" / "fusion.jsonl"

# Our own reports: three of one meeting (different outlets, wording and naming), the same pair
# meeting again two weeks later, and a same-day report of a different type between them.
REPORTS = [
    {"id": "m-1", "date": "2024-05-08", "source": "Harbor Wire",
     "text": "Greek Prime Minister Kyriakos Mitsotakis met Turkish President Recep Tayyip Erdogan in Ankara on "
             "Tuesday to discuss maritime borders."},
    {"id": "m-2", "date": "2024-05-08", "source": "Daily Meridian",
     "text": "Greece and Turkey held talks in Ankara on Tuesday, their first in a year."},
    {"id": "m-3", "date": "2024-05-09", "source": "Steppe Times",
     "text": "Mitsotakis held talks with Erdogan in Ankara on May 7, officials said afterwards."},
    {"id": "m-4", "date": "2024-05-22", "source": "Harbor Wire",
     "text": "Greece and Turkey held talks in Athens on Tuesday on migration."},
    {"id": "m-5", "date": "2024-05-08", "source": "Coastal Herald",
     "text": "Greece accused Turkey of violating its airspace on Tuesday."},
]


def _ingest(coder: Coder, reports: list[dict], db: Path) -> None:
    docs = [make_document(r["text"], id=r["id"], date=r["date"], source=r["source"]) for r in reports]
    ingest_results(db, coder.code_documents(docs))


def _fused(db: Path) -> dict[str, str | None]:
    with Store.open(db, read_only=True) as s:
        rows = events_table(s, EventQuery(raw=True)).to_pylist()
    return {r["event_id"]: r["fused_id"] for r in rows}


def _partition(db: Path) -> set[frozenset[str]]:
    groups: dict[str | None, set[str]] = {}
    for event, fid in _fused(db).items():
        groups.setdefault(fid, set()).add(event)
    return {frozenset(g) for g in groups.values()}


def test_three_reports_of_one_meeting_fuse_and_near_misses_do_not(coder: Coder, tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    _ingest(coder, REPORTS, db)
    with Store.open(db, read_only=True) as s:
        raw = events_table(s, EventQuery.parse(event_type="CONSULT", raw=True)).to_pylist()
        fused = events_table(s, EventQuery.parse(event_type="CONSULT")).to_pylist()
        accuse = events_table(s, EventQuery.parse(event_type="ACCUSE")).to_pylist()
    meeting = {r["doc_id"]: r["fused_id"] for r in raw if r["doc_id"] in {"m-1", "m-2", "m-3"}}
    assert set(meeting) == {"m-1", "m-2", "m-3"} and len(set(meeting.values())) == 1
    later = [r for r in raw if r["doc_id"] == "m-4"]
    assert later and later[0]["fused_id"] not in meeting.values()
    one = next(r for r in fused if r["fused_id"] == next(iter(meeting.values())))
    assert one["fused_documents"] == 3 and one["fused_sources"] == 3 and one["asserted_sources"] == 3
    assert one["first_reported"] == dt.date(2024, 5, 8) and one["doc_id"] in {"m-1", "m-2"}
    assert one["fused_confidence"] > max(r["confidence"] for r in raw if r["doc_id"] in meeting)
    assert len(fused) == len(raw) - 2  # three mentions, one row
    assert accuse and accuse[0]["fused_documents"] == 1


def test_fusion_does_not_depend_on_ingest_order(coder: Coder, tmp_path: Path) -> None:
    partitions = []
    for n, order in enumerate([REPORTS, list(reversed(REPORTS)), REPORTS[2:] + REPORTS[:2]]):
        db = tmp_path / f"o{n}.duckdb"
        _ingest(coder, order, db)
        partitions.append((_partition(db), _fused(db)))
    assert partitions[0] == partitions[1] == partitions[2]


def _m(event_id: str, doc: str, day: int | None, *, etype: str = "CONSULT", src: str = "GRC", tgt: str = "TUR",
       modality: str = "asserted", place: str | None = None, sentence: str = "", precise: bool = True) -> Mention:
    start = dt.date(2024, 5, day) if day else None
    end = start if precise or start is None else dt.date(2024, 5, 31)
    if not precise and start is not None:
        start = dt.date(2024, 5, 1)
    return Mention(event_id, doc, etype, src, tgt, src, tgt, modality, start, end, dt.date(2024, 5, 8), place,
                   sentence, outlet=doc, confidence=0.6)


def test_rules_of_compatibility() -> None:
    rules = FusionRules()
    a = _m("e1", "d1", 7)
    assert rules.compatible(a, _m("e2", "d2", 7))
    assert rules.compatible(a, _m("e2", "d2", 7, src="TUR", tgt="GRC"))  # meetings are unordered
    assert not rules.compatible(a, _m("e2", "d2", 7, etype="ACCUSE"))
    assert not rules.compatible(_m("e1", "d1", 7, etype="ACCUSE"), _m("e2", "d2", 7, etype="ACCUSE", src="TUR",
                                                                       tgt="GRC"))  # accusations are directed
    assert not rules.compatible(a, _m("e2", "d2", 21))  # two weeks later
    assert not rules.compatible(_m("e1", "d1", 7, place="geneva"), _m("e2", "d2", 7, place="vienna"))
    assert rules.compatible(_m("e1", "d1", 7, place="geneva"), _m("e2", "d2", 7))  # one place unstated
    assert not rules.compatible(a, _m("e2", "d1", 7))  # two events of one report stay two
    assert rules.compatible(a, _m("e2", "d2", 7, modality="claimed"))
    assert not rules.compatible(a, _m("e2", "d2", 7, modality="negated"))
    vague = _m("e2", "d2", 9, precise=False, sentence="Greece and Turkey talked in May.")
    assert rules.compatible(a, vague)  # a day falls inside a month
    both_vague = [_m("e1", "d1", 9, precise=False, sentence="Officials met over Cyprus in May."),
                  _m("e2", "d2", 9, precise=False, sentence="The two sides discussed trade in May.")]
    assert not rules.compatible(*both_vague)  # vague dates need shared names in the evidence
    def person(eid: str, doc: str, src: str, kind: str | None, role: str | None) -> Mention:
        return Mention(eid, doc, "CONSULT", src, "TUR:recep-tayyip-erdogan", "GRC", "TUR", "asserted",
                       dt.date(2024, 5, 7), dt.date(2024, 5, 7), None, "", source_kind=kind, target_kind="person",
                       source_role=role, target_role="president")

    persons = [person("e1", "d1", "GRC:kyriakos-mitsotakis", "person", "prime minister"),
               person("e2", "d2", "GRC", "state", None),
               person("e3", "d3", "GRC:nikos-dendias", "person", "foreign minister"),
               person("e4", "d4", "GRC:greek-prime-minister", "person", "prime minister"),
               person("e5", "d5", "GRC:greek-officials", "group", None)]
    assert rules.compatible(persons[0], persons[1])  # the state and its leader
    assert not rules.compatible(persons[0], persons[2])  # two different ministers
    assert rules.compatible(persons[0], persons[3])  # "the Greek prime minister" and Mitsotakis
    assert rules.compatible(persons[0], persons[4])  # officials of the state


def test_clusters_are_the_same_for_every_order() -> None:
    mentions = [_m("e1", "d1", 7), _m("e2", "d2", 7), _m("e3", "d3", 7, src="TUR", tgt="GRC"), _m("e4", "d4", 21),
                _m("e5", "d5", 7, etype="ACCUSE"), _m("e6", "d6", 21, modality="claimed")]
    results = {tuple(tuple(m.event_id for m in g) for g in cluster(p)) for p in itertools.permutations(mentions)}
    assert results == {(("e1", "e2", "e3"), ("e4", "e6"), ("e5",))} or len(results) == 1
    assert combined_confidence([_m("e1", "d1", 7), _m("e2", "d2", 7)]) > 0.6


def test_fusion_set_stays_above_its_floors(coder: Coder) -> None:
    if not GOLD.exists():
        pytest.skip("eval/fusion.jsonl is not present")
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["fusion"]
    score = fusion_eval.evaluate(GOLD, coder)
    assert score.pairwise[2] >= floors["min_pairwise_f1"], score.to_dict()
    assert score.b_cubed[2] >= floors["min_b3_f1"], score.to_dict()
    assert floors["min_pairwise_f1"] == max(floors["history_pairwise_f1"])
    assert floors["min_b3_f1"] == max(floors["history_b3_f1"])
    n = len(fusion_eval.load(GOLD))
    reordered = fusion_eval.evaluate(GOLD, coder, order=list(reversed(range(n))))
    assert reordered.pairwise == score.pairwise and reordered.b_cubed == score.b_cubed
