"""Coder behaviour on sentences written for these tests: roles, modality, metonyms, dates."""

from __future__ import annotations

import pytest

from eventcoder.records import Modality
from tests.conftest import events_of


def triples(events) -> set[tuple]:
    return {(e.event_type, e.source.key() if e.source else None, e.target.key() if e.target else None,
             e.modality.value) for e in events}


def test_reported_claim_is_claimed_by_speaker_not_asserted(coder) -> None:
    events = events_of(coder, "Iran says Azerbaijan helped Israel.")
    assert ("AID", "AZE", "ISR", "claimed") in triples(events)
    aid = next(e for e in events if e.event_type == "AID")
    assert aid.claimed_by is not None and aid.claimed_by.country == "IRN"
    assert not any(e.event_type == "AID" and e.modality is Modality.ASSERTED for e in events)


def test_self_report_stays_asserted(coder) -> None:
    events = events_of(coder, "Russia said it expelled two Polish diplomats.")
    assert ("SANCTION", "RUS", "POL", "asserted") in triples(events)
    assert all(e.claimed_by is None for e in events if e.event_type == "SANCTION")


def test_claim_noun_gives_speaker_accusation(coder) -> None:
    events = events_of(coder, "The official Syrian narrative is that Turkey supplied weapons to the rebels.")
    assert ("ACCUSE", "SYR", "TUR", "asserted") in triples(events)
    assert all(e.modality is Modality.CLAIMED for e in events if e.event_type == "AID")


def test_accused_is_source_of_embedded_act(coder) -> None:
    events = events_of(coder, "Armenia accused Azerbaijan of shelling Armenian villages.")
    assert ("ACCUSE", "ARM", "AZE", "asserted") in triples(events)
    assert not any(e.event_type == "ASSAULT" and e.source.key() == "ARM" for e in events)


def test_negation(coder) -> None:
    events = events_of(coder, "Israel did not attack Syria.")
    assert triples(events) == {("ASSAULT", "ISR", "SYR", "negated")}


@pytest.mark.parametrize("text, expected", [
    ("Kyiv was attacked by Russia.", ("ASSAULT", "RUS", "UKR", "asserted")),
    ("Tehran condemned Washington.", ("ACCUSE", "IRN", "USA", "asserted")),
    ("Pakistan expelled three Indian diplomats.", ("SANCTION", "PAK", "IND", "asserted")),
    ("The United Nations imposed sanctions on North Korea.", ("SANCTION", "igo:UNO", "PRK", "asserted")),
    ("Egypt and Qatar held talks with Hamas in Cairo.", ("CONSULT", "EGY", "PSE", "asserted")),
])
def test_roles_from_parse(coder, text, expected) -> None:
    assert expected in triples(events_of(coder, text))


def test_future_cooperation_is_a_promise(coder) -> None:
    events = events_of(coder, "Germany will send tanks to Ukraine.")
    assert ("AGREE", "DEU", "UKR", "asserted") in triples(events)
    assert not any(e.event_type == "AID" for e in events)


def test_person_role_and_country_learned_from_title(coder) -> None:
    events = events_of(coder, "Chilean Foreign Minister Alberto van Klaveren met with the President of Peru "
                              "Dina Boluarte in Lima.")
    (meet,) = [e for e in events if e.event_type == "CONSULT"]
    assert meet.source.country == "CHL" and meet.source.role and "minister" in meet.source.role
    assert meet.target.country == "PER" and "Boluarte" in meet.target.name
    assert meet.location is not None and meet.location.country == "PER"


def test_pronoun_refers_to_last_subject_person(coder) -> None:
    text = ("Brazilian President Luiz Lula visited Angola on Monday. "
            "He met with the Angolan defence minister.")
    events = events_of(coder, text)
    meets = [e for e in events if "He met" in e.sentence]
    assert meets and meets[0].source.country == "BRA"


def test_dates_resolved_against_publication(coder) -> None:
    events = events_of(coder, "On Sep. 3 Iran attacked Iraq.", date="2021-09-05")
    assert events[0].date == "2021-09-03" and events[0].date_precision == "day"
    events = events_of(coder, "Last year Iran attacked Iraq.", date="2021-09-05")
    assert events[0].date == "2020" and events[0].date_precision == "year"
    events = events_of(coder, "Iran attacked Iraq on Tuesday.")
    assert events[0].date is None and events[0].date_precision == "unknown"


def test_offsets_slice_to_sentence(coder) -> None:
    text = "Background first.\n\nFrance condemned Russia. Then Japan praised India."
    from eventcoder.pipeline import make_document

    result = coder.code_document(make_document(text))
    assert len(result.events) == 2
    for e in result.events:
        assert text[e.start:e.end] == e.sentence
        assert 0 < e.confidence <= 1 and e.rule


def test_ids_are_stable_and_content_based(coder) -> None:
    text = "Morocco recalled its ambassador from Algeria. Algeria condemned Morocco."
    a = events_of(coder, text)
    b = events_of(coder, text)
    assert [e.id for e in a] == [e.id for e in b] and len({e.id for e in a}) == len(a)
    c = events_of(coder, text + " Spain praised Morocco.")
    assert {e.id for e in a}.isdisjoint({e.id for e in c})  # a different text is a different document


def test_boilerplate_lines_give_no_events_or_actors(coder) -> None:
    from eventcoder.pipeline import make_document

    text = "Chad accused Sudan of arming rebels.\n\nMore stories from the region\n\nMost read"
    result = coder.code_document(make_document(text))
    assert all("stories" not in e.sentence for e in result.events)
    assert all("stories" not in m.text and "Most" not in m.text for m in result.mentions)


@pytest.mark.parametrize("text, expected", [
    # refusing or failing to cooperate is REJECT, asserted
    ("Colombia would not meet the Venezuelan delegation, its foreign minister said.",
     ("REJECT", "COL", "VEN", "asserted")),
    ("Bolivia and Chile failed to reach an agreement on water rights.", ("REJECT", "BOL", "CHL", "asserted")),
    ("Malta vowed not to extradite the Libyan businessman to Tunisia.", ("REJECT", "MLT", None, "asserted")),
    # "X said Y must ..." is X's demand of Y
    ("Norway said Denmark must release the fishing crews.", ("REQUEST", "NOR", "DNK", "asserted")),
    # a threat's target is who its condition is about
    ("Ghana threatened to close the border unless Togo pays its debts.", ("THREATEN", "GHA", "TGO", "asserted")),
    # "it" is the clause's governing actor
    ("Estonia said it had expelled a Russian diplomat.", ("SANCTION", "EST", "RUS", "asserted")),
    # ethnic groups are residents of where they live
    ("Ethnic Serbs in Croatia protested against the government in Zagreb.", ("PROTEST", "HRV", "HRV", "asserted")),
    # a politician attacking a policy attacks with words
    ("The Danish finance minister attacked the Swedish government's tax plan.", ("ACCUSE", "DNK", "SWE", "asserted")),
    # a planned use of force is a threat; preparing it is mobilisation
    ("Azerbaijan plans to impose sanctions on Armenia.", ("THREATEN", "AZE", "ARM", "asserted")),
    ("The Georgian army prepared to shell Abkhaz positions near Russia.", ("MOBILIZE", "GEO", "RUS", "asserted")),
])
def test_modality_and_type_rules(coder, text, expected) -> None:
    got = triples(events_of(coder, text))
    assert any(g[0] == expected[0] and g[1] == expected[1] and (expected[2] is None or g[2] == expected[2])
               and g[3] == expected[3] for g in got), got


def test_agentless_killing_has_an_unidentified_attacker(coder) -> None:
    (e,) = [e for e in events_of(coder, "Five Malian soldiers were killed in an ambush near Gao.")
            if e.event_type == "ASSAULT"]
    assert e.source is not None and e.source.sector == "UAF" and e.source.country is None
    assert e.target is not None and e.target.country == "MLI"
    assert events_of(coder, "The town, where 40 people were killed in 2012, is quiet now.") == []


@pytest.mark.parametrize("text, name, country, sector", [
    ("Kurdistan Workers' Party fighters attacked a Turkish army post.", "Kurdistan Workers' Party", "TUR", "REB"),
    ("Hezbollah fired rockets at an Israeli town.", "Hezbollah", "LBN", "REB"),
    ("Kenya's Supreme Court ordered the election commission to recount the votes.", "Supreme Court", "KEN", "JUD"),
    ("The Polish parliament condemned the Belarusian crackdown.", "parliament", "POL", "LEG"),
    ("A Russian state newspaper accused Finland of provocations.", "newspaper", "RUS", "JRN"),
    ("Opposition groups in Uganda demanded that the president step down.", "Opposition groups", "UGA", "OPP"),
    ("The Chinese company Huawei sued the Swedish government.", "Huawei", "CHN", "BUS"),
])
def test_non_state_actors_keep_name_country_and_sector(coder, text, name, country, sector) -> None:
    events = events_of(coder, text)
    assert events, text
    src = events[0].source
    assert src is not None and name in src.name and src.country == country and src.sector == sector, src


def test_conjoined_actors_each_get_the_event(coder) -> None:
    got = triples(events_of(coder, "Israel and Azerbaijan signed a defence agreement with Georgia."))
    assert {("AGREE", "ISR", "GEO", "asserted"), ("AGREE", "AZE", "GEO", "asserted")} <= got
    got = triples(events_of(coder, "Saudi Arabia urged US and British forces to leave the port."))
    assert {("REQUEST", "SAU", "USA", "asserted"), ("REQUEST", "SAU", "GBR", "asserted")} <= got


@pytest.mark.parametrize("text, date, precision", [
    ("On Sep. 3 Iran attacked Iraq.", "2021-09-03", "day"),
    ("Iran attacked Iraq on Friday.", "2021-09-03", "day"),  # publication Sunday 2021-09-05
    ("Iran attacked Iraq last week.", "2021-08-23", "week"),  # the Monday of the week before
    ("Iran attacked Iraq in 2018.", "2018", "year"),
    ("Iran attacked Iraq in March.", "2021-03", "month"),
])
def test_dates_have_precision(coder, text, date, precision) -> None:
    (e,) = events_of(coder, text, date="2021-09-05")
    assert (e.date, e.date_precision) == (date, precision)


def test_definite_event_nouns_point_back_to_earlier_events(coder) -> None:
    text = ("North Korea warned South Korea to stop the broadcasts. Seoul rejected the warning. "
            "Turkish jets struck Kurdish positions in Syria. Syria condemned the strikes.")
    got = triples(events_of(coder, text))
    assert ("REJECT", "KOR", "PRK", "asserted") in got
    assert ("ACCUSE", "SYR", "TUR", "asserted") in got
    got = triples(events_of(coder, "Iran says Azerbaijan helped Israel. Baku denied the allegation."))
    assert ("REJECT", "AZE", "IRN", "asserted") in got


def test_the_two_leaders_and_the_bloc(coder) -> None:
    text = ("Kenyan President William Ruto met Ethiopian Prime Minister Abiy Ahmed in Addis Ababa. "
            "The two leaders signed a trade agreement.")
    assert ("AGREE", "KEN", "ETH", "asserted") in triples(events_of(coder, text))
    text = "EU ministers met in Brussels on Monday. Lithuania urged the bloc to ban Belarusian potash."
    assert ("REQUEST", "LTU", "igo:EUR", "asserted") in triples(events_of(coder, text))


def test_object_pronoun_and_participle_subject(coder) -> None:
    got = triples(events_of(coder, "Poland expelled three Russian diplomats, accusing them of espionage."))
    assert {("SANCTION", "POL", "RUS", "asserted"), ("ACCUSE", "POL", "RUS", "asserted")} <= got


@pytest.mark.parametrize("text", [
    "The prime minister took personal charge of the response to the floods.",
    "She will be in charge of the company's sales in Japan.",
    "Ministers should be fighting crime, not each other's budgets.",
    "The central bank released growth figures showing Malaysia's economy expanded.",
    "The company blamed poor sales for the loss.",
    "Ms Smith said she recognised people's concerns about the plan.",
])
def test_words_that_only_look_like_events(coder, text) -> None:
    assert events_of(coder, text) == [], text


def test_context_sets_modality(coder) -> None:
    barred = events_of(coder, "A US judge barred French banks from providing loans to Iran.")
    (e,) = [x for x in barred if x.event_type == "AID"]
    assert e.modality is Modality.NEGATED and (e.source.country, e.target.country) == ("FRA", "IRN")
    events = events_of(coder, "Analysts raised fears of a war between Iran and Israel.")
    assert events and all(e.modality is not Modality.ASSERTED for e in events if e.event_type == "ASSAULT")
    (wish,) = events_of(coder, "Japan wants to meet China to discuss the islands.")[:1]
    assert (wish.event_type, wish.modality) == ("CONSULT", Modality.INTENDED)
    (plan,) = events_of(coder, "Greece plans to expel two Turkish diplomats.")[:1]
    assert (plan.event_type, plan.modality) == ("THREATEN", Modality.ASSERTED)


@pytest.mark.parametrize("text, expected", [
    ("Ukraine struck a gas deal with Turkmenistan.", ("AGREE", "UKR", "TKM", "asserted")),
    ("Sudanese government forces broke the ceasefire with the rebels.", ("REJECT", "SDN", "SDN", "asserted")),
    ("The United States terminated its trade agreement with Mexico.", ("REJECT", "USA", "MEX", "asserted")),
    ("Oxfam welcomed the G7 statement on debt relief.", ("SUPPORT", "igo:NGO", "igo:IGO", "asserted")),
])
def test_agreements_made_and_broken(coder, text, expected) -> None:
    assert expected in triples(events_of(coder, text))


@pytest.mark.parametrize("text, expected", [
    ("Chile condemned as unacceptable Peru's decision to close the border.", ("ACCUSE", "CHL", "PER")),
    ("Two hundred fighters laid down their arms.", ("RETREAT", None, None)),
    ("Detainees staged a riot at a camp outside Tripoli.", ("PROTEST", "LBY", None)),
    ("Teachers walked out across Ghana on Monday.", ("PROTEST", "GHA", "GHA")),
    ("Eritrea said it was ready to pull its forces back from the border.", ("CONCEDE", "ERI", None)),
    ("Colombia and the ELN went back to the negotiating table.", ("CONSULT", "COL", "COL")),
    ("A French journalist was detained in Tehran.", ("COERCE", "IRN", "FRA")),
    ("Emmanuel Macron flew to Madrid. He met Pedro Sanchez.", ("CONSULT", "FRA", "ESP")),
    ("Downing Street condemned the attack.", ("ACCUSE", "GBR", None)),
])
def test_everyday_reports_of_each_kind(coder, text, expected) -> None:
    """Constructions the lexicon once lacked (light verbs, particles, readiness, agentless arrests)."""
    got = {(e.event_type, e.source.country if e.source else None, e.target.country if e.target else None)
           for e in events_of(coder, text)}
    assert expected in got, got


def test_reactions_tacked_onto_a_report_target_its_actor(coder) -> None:
    got = {(e.event_type, e.source.key(), e.target.key() if e.target else None) for e in events_of(
        coder, "Turkey launched an offensive in Syria, drawing swift condemnation from the European Union.")}
    assert ("ACCUSE", "igo:EUR", "TUR") in got
    got = {(e.event_type, e.source.key(), e.target.key() if e.target else None) for e in events_of(
        coder, "Brazil recognised Palestine, a move hailed by Egypt and criticised by Israel.")}
    assert {("SUPPORT", "EGY", "BRA"), ("ACCUSE", "ISR", "BRA")} <= got


def test_readers_do_not_import_the_coder() -> None:
    """ingest/ builds documents with records.make_document; it never pulls in spaCy or the pipeline."""
    import ast

    from tests.conftest import ROOT
    for path in (ROOT / "src" / "eventcoder" / "ingest").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in modules if m.endswith(("pipeline", "events.coder")) or m.startswith("spacy")}, path


def test_neutral_sourcing_asserts_but_a_states_report_is_its_claim(coder) -> None:
    (reported,) = events_of(coder, "Congolese rebels shelled the town of Goma on Friday, a UN spokesman said.")
    assert (reported.event_type, reported.modality) == ("ASSAULT", Modality.ASSERTED)
    (claimed,) = events_of(coder, "Congolese rebels shelled the town of Goma on Friday, Rwanda said.")
    assert (claimed.event_type, claimed.modality, claimed.claimed_by.country) == ("ASSAULT", Modality.CLAIMED, "RWA")
