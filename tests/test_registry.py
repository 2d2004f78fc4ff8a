"""The actor registry: learned from the corpus, used by later documents, corrected by users."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from eventcoder.cli import app
from eventcoder.store import Store
from eventcoder.store.registry import entries

runner = CliRunner()

# Our own fictional people, so no packaged dictionary knows them.
FIRST = {"id": "reg-1", "date": "2024-02-01", "title": "Border talks",
         "text": "Ghanaian Interior Minister Kwesi Ampofo-Darko met Togolese officials in Lome on Monday to discuss "
                 "smuggling across the border."}
LATER = {"id": "reg-2", "date": "2024-03-05",
         "text": "Ampofo-Darko accused Togo of sheltering smuggling gangs on Tuesday."}
TWO_COUNTRIES = [
    {"id": "reg-3", "date": "2024-04-01", "text": "Nigerian Trade Minister Tunde Oyelaran-Bassey met Chadian envoys "
                                                   "in Abuja on Monday."},
    {"id": "reg-4", "date": "2024-04-09", "text": "Kenyan Trade Minister Tunde Oyelaran-Bassey met Ugandan envoys "
                                                   "in Nairobi on Monday."},
]


def _jsonl(path: Path, docs: list[dict]) -> str:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return str(path)


def _ingest(db: Path, src: str) -> None:
    result = runner.invoke(app, ["ingest", src, "--db", str(db)])
    assert result.exit_code == 0, result.output


def _accusations(db: Path) -> list[dict]:
    with Store.open(db, read_only=True) as s:
        from eventcoder.query.filters import EventQuery
        from eventcoder.query.table import events_table

        return events_table(s, EventQuery.parse(doc_id="reg-2", event_type="ACCUSE")).to_pylist()


def test_a_person_introduced_once_is_known_by_surname_later_and_corrections_follow(tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    _ingest(db, _jsonl(tmp_path / "a.jsonl", [FIRST]))
    with Store.open(db, read_only=True) as s:
        entry = entries(s)["person:kwesi-ampofo-darko"].to_dict()
    assert entry["countries"] == {"GHA": ["reg-1"]} and entry["roles"][0]["role"] == "interior minister"
    assert entry["first_seen"] == "2024-02-01" and entry["evidence"][0]["sentence"]

    _ingest(db, _jsonl(tmp_path / "b.jsonl", [LATER]))
    (accuse,) = _accusations(db)
    assert accuse["source_name"] == "Kwesi Ampofo-Darko" and accuse["source_country"] == "GHA"
    assert accuse["source_role"] == "interior minister" and accuse["target_country"] == "TGO"

    # A user says he is Ivorian from 2024-03-01; `recode` re-codes the stored texts with it.
    result = runner.invoke(app, ["registry", "correct", "person:kwesi-ampofo-darko", "--country", "civ",
                                 "--since", "2024-03-01", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert _accusations(db)[0]["source_country"] == "GHA"  # nothing changes until recode
    result = runner.invoke(app, ["recode", "--db", str(db)])
    assert result.exit_code == 0, result.output
    (accuse,) = _accusations(db)
    assert accuse["source_country"] == "CIV"
    listed = runner.invoke(app, ["registry", "list", "--db", str(db), "--format", "jsonl"])
    row = next(json.loads(x) for x in listed.output.splitlines() if "ampofo" in x)
    assert row["corrected"] and "CIV" in row["countries"]


def test_a_name_seen_with_two_countries_keeps_both_and_resolves_nothing(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    _ingest(db, _jsonl(tmp_path / "t.jsonl", TWO_COUNTRIES))
    with Store.open(db, read_only=True) as s:
        entry = entries(s)["person:tunde-oyelaran-bassey"].to_dict()
        layer = s.registry_layer()
    assert entry["countries"] == {"NGA": ["reg-3"], "KEN": ["reg-4"]} and entry["disputed"]
    assert "oyelaran bassey" not in layer and "tunde oyelaran bassey" not in layer


def test_merge_split_and_load(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    _ingest(db, _jsonl(tmp_path / "m.jsonl", [FIRST, *TWO_COUNTRIES]))
    curated = tmp_path / "curated.csv"
    curated.write_text("name,aliases,country,igo,sector,role,start,end\n"
                       "Tunde Oyelaran-Bassey,T. Oyelaran-Bassey,NGA,,GOV,trade minister,2023-06-01,\n",
                       encoding="utf-8")
    assert runner.invoke(app, ["registry", "load", str(curated), "--db", str(db)]).exit_code == 0
    with Store.open(db, read_only=True) as s:
        layer = s.registry_layer()
    assert layer["tunde oyelaran bassey"].role_on(None).country == "NGA"  # the curated row decides
    assert runner.invoke(app, ["registry", "merge", "person:nope", "person:kwesi-ampofo-darko", "--db",
                               str(db)]).exit_code == 2
    result = runner.invoke(app, ["registry", "split", "person:kwesi-ampofo-darko", "Kwesi Ampofo-Darko", "--db",
                                 str(db)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["registry", "merge", "person:kwesi-ampofo-darko", "person:kwesi-ampofo-darko-2",
                                 "--db", str(db)])
    assert result.exit_code == 2  # no such entry: a clean usage error
