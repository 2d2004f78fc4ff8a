"""Queries: validated filters, summaries that agree with the rows, and the arms-transfer register."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from eventcoder import query
from eventcoder.errors import UsageError
from eventcoder.query import summaries
from eventcoder.query.filters import EventQuery, parse_date
from eventcoder.query.table import count, events_table
from eventcoder.query.transfers import ArmsLexicon, describe, register, register_rows
from eventcoder.store import Store


def test_filter_values_are_normalised_case_insensitively() -> None:
    q = EventQuery.parse(event_type="accuse, assault", country="irn", modality="Claimed", quad_class="4",
                         context="Military")
    assert q.event_type == ("ACCUSE", "ASSAULT") and q.country == ("IRN",) and q.modality == ("claimed",)
    assert q.quad_class == ("material_conflict",) and q.context == ("military",)
    assert EventQuery.parse(quad_class="verbal-coop").quad_class == ("verbal_coop",)


@pytest.mark.parametrize("field, value, named", [
    ("event_type", "FOO", "ASSAULT"), ("event_type", "accusation", "ACCUSE"), ("modality", "claim", "claimed"),
    ("country", "irnn", "alpha-3"), ("country", "IR", "IRN"), ("quad_class", "7", "verbal_coop"),
    ("context", "weapons", "military"), ("since", "garbage", "YYYY-MM-DD"), ("since", "05/09/2021", "YYYY-MM-DD"),
    ("until", "2021-02-30", "calendar"), ("text", "x" * 100_000, "longer"),
])
def test_unknown_values_are_usage_errors_naming_the_allowed_ones(field: str, value: str, named: str) -> None:
    with pytest.raises(UsageError, match=re.escape(named)):
        EventQuery.parse(**{field: value})


def test_partial_dates_cover_their_period() -> None:
    assert parse_date("since", "2021-09") == dt.date(2021, 9, 1)
    assert parse_date("until", "2021-09", end=True) == dt.date(2021, 9, 30)
    assert parse_date("until", "2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_date("until", "2021", end=True) == dt.date(2021, 12, 31)
    with pytest.raises(UsageError):
        EventQuery.parse(since="2022", until="2021")


def test_filters_select_what_they_say(corpus_db: Path) -> None:
    with Store.open(corpus_db, read_only=True) as s:
        everything = events_table(s).to_pylist()
        for q, ok in [
            (EventQuery.parse(country="grc"), lambda r: "GRC" in (r["source_country"], r["target_country"])),
            (EventQuery.parse(source="UKR"), lambda r: r["source_country"] == "UKR"),
            (EventQuery.parse(event_type="consult,agree"), lambda r: r["event_type"] in {"CONSULT", "AGREE"}),
            (EventQuery.parse(modality="claimed"), lambda r: r["modality"] == "claimed"),
            (EventQuery.parse(text="HOTLINE"), lambda r: "hotline" in r["sentence"].lower()),
            (EventQuery.parse(since="2023-10", until="2023-10"),
             lambda r: r["event_date"] and r["event_date"] <= dt.date(2023, 10, 31)
             and r["event_date_end"] >= dt.date(2023, 10, 1)),
        ]:
            got = events_table(s, q).to_pylist()
            assert got, q
            assert all(ok(r) for r in got), q
            assert {r["event_id"] for r in got} == {r["event_id"] for r in everything if ok(r)}, q
            assert count(s, q) == len(got)
        page1 = events_table(s, EventQuery(), limit=3, offset=0).column("event_id").to_pylist()
        page2 = events_table(s, EventQuery(), limit=3, offset=3).column("event_id").to_pylist()
        assert len(page1) == 3 and not set(page1) & set(page2)


def test_a_state_has_one_id_whatever_names_it(corpus_db: Path) -> None:
    """"Baku said" and "Azerbaijan said" are the same actor: one id, one row in the top actors."""
    tops = query.top_actors(corpus_db, limit=500)
    states = tops[tops["kind"] == "state"]
    assert states["id"].str.fullmatch(r"[A-Z]{3}").all() and states["id"].is_unique


def test_summaries_agree_with_the_rows(corpus_db: Path) -> None:
    with Store.open(corpus_db, read_only=True) as s:
        rows = events_table(s).to_pylist()
        mix = {r["event_type"]: r["n"] for r in summaries.type_mix(s).to_pylist()}
        months = summaries.timeline(s).to_pylist()
        dyads = summaries.top_dyads(s, limit=50).to_pylist()
        tops = summaries.top_actors(s, limit=5).to_pylist()
        over = summaries.overview(s)
    assert sum(mix.values()) == len(rows) == over["events"]
    assert sum(m["n"] for m in months) == sum(1 for r in rows if r["event_date"])
    ukr_deu = next(d for d in dyads if (d["source"], d["target"]) == ("UKR", "DEU"))
    assert ukr_deu["n"] == sum(1 for r in rows if r["source_country"] == "UKR" and r["target_country"] == "DEU")
    assert [t["n"] for t in tops] == sorted((t["n"] for t in tops), reverse=True)


def test_dyad_summary_counts_both_directions_per_month(corpus_db: Path) -> None:
    df = query.dyad(corpus_db, "ukr", "DEU")
    assert set(df["direction"]) == {"a->b", "b->a"}
    assert (df[df["direction"] == "a->b"]["event_type"] == "REQUEST").any()
    assert (df[df["direction"] == "b->a"]["event_type"] == "AID").any()
    assert set(df["month"].dropna()) <= {"2023-08", "2023-10"}


def test_actor_profile_collects_names_roles_and_first_seen(corpus_db: Path) -> None:
    tops = query.top_actors(corpus_db, limit=200)
    person = tops[(tops["kind"] == "person") & (tops["country"] == "GRC")].iloc[0]
    profile = query.actor(corpus_db, person["id"])
    assert profile is not None and profile["countries"] == ["GRC"] and profile["roles"]
    assert profile["first_seen"] == "2023-09-19" or profile["first_seen"].startswith("2023-09")
    assert profile["events"] >= 1 and query.actor(corpus_db, "XXX:nobody") is None


LEX = ArmsLexicon.load()


@pytest.mark.parametrize("sentence, phrase", [
    ("Poland ordered 250 Abrams tanks from the United States.", "250 Abrams tanks"),
    ("The navy received two new frigates and a submarine.", "two new frigates"),
    ("Ankara bought Russian-made air defence missile systems.", "Russian-made air defence missile systems"),
    ("They asked for more, much cheaper artillery shells.", "cheaper artillery shells"),
])
def test_the_system_is_described_as_written(sentence: str, phrase: str) -> None:
    match = LEX.pattern().search(sentence)
    assert match is not None
    assert describe(sentence, match, LEX.stop_forms(), LEX.tail()) == phrase


def _row(event_type: str, trigger: str, sentence: str, modality: str = "asserted") -> dict:
    base = {f"{p}_{f}": None for p in ("source", "target") for f in ("name", "id", "country", "igo", "sector",
                                                                    "role", "kind")}
    base.update(source_name="A", source_country="AAA", target_name="B", target_country="BBB")
    return {**base, "event_id": "e", "doc_id": "d", "event_type": event_type, "trigger": trigger,
            "sentence": sentence, "modality": modality, "claimant_name": None, "event_date": None,
            "date_precision": "unknown", "doc_title": None, "doc_url": None, "doc_outlet": None}


@pytest.mark.parametrize("event_type, trigger, sentence, modality, status, supplier", [
    ("AID", "delivered", "A delivered howitzers to B.", "asserted", "delivered", "A"),
    ("AID", "send", "A will send drones to B.", "intended", "offered", "A"),
    ("REQUEST", "asked", "A asked B for tanks.", "asserted", "requested", "B"),
    ("AGREE", "offered", "A offered B fighter jets.", "asserted", "offered", "A"),
    ("COOPERATE", "bought", "A bought missiles from B.", "asserted", "ordered", "B"),
    ("SANCTION", "imposed", "A imposed an arms embargo on B.", "asserted", "embargoed", "A"),
    ("SANCTION", "suspended", "A suspended deliveries of weapons to B.", "asserted", "cancelled", "A"),
    ("REJECT", "refused", "A refused to sell B rifles.", "asserted", "refused", "A"),
    ("AID", "gave", "A gave B food and medicine.", "asserted", None, None),
    ("ASSAULT", "shelled", "A shelled B with artillery.", "asserted", None, None),
])
def test_register_status_and_direction(event_type: str, trigger: str, sentence: str, modality: str,
                                       status: str | None, supplier: str | None) -> None:
    rows = register_rows([_row(event_type, trigger, sentence, modality)], LEX)
    if status is None:
        assert rows == []
        return
    (row,) = rows
    assert row["status"] == status and row["supplier_name"] == supplier


def test_register_of_a_stored_corpus(corpus_db: Path) -> None:
    with Store.open(corpus_db, read_only=True) as s:
        rows = register(s).to_pylist()
    by = {(r["supplier_country"], r["recipient_country"], r["status"]): r for r in rows}
    assert ("DEU", "UKR", "requested") in by
    assert "Taurus cruise missiles" in by[("DEU", "UKR", "requested")]["description"]
    assert ("DEU", "UKR", "delivered") in by
    assert by[("DEU", "UKR", "delivered")]["date"] == dt.date(2023, 8, 1)


def test_seed_register_has_the_request_and_the_supply(corpus_db: Path, shared: Path) -> None:
    df = query.arms(corpus_db)
    seed = df[df["doc_id"] == "seed-aze-isr"]
    got = {(r.supplier_country, r.recipient_country, r.status) for r in seed.itertuples()}
    assert ("ISR", "AZE", "requested") in got and ("ISR", "AZE", "delivered") in got
    supply = seed[seed["status"] == "delivered"].iloc[0]
    assert supply["use_reported"] and "weapon systems" in supply["description"]
