"""Closed-class words and grammatical categories the coder's rules read.

The word lists live in ``data/patterns/constructions.yaml`` (validated on load); they are
part of the grammar, like the rules that read them, so they are read once from the
package and have no user override. The sets below them are dependency labels and PLOVER
type groups, which belong to the code.
"""

from __future__ import annotations

from importlib import resources

from ..datafiles import Entry, read_yaml, validate
from ..errors import DataFileError

CONSTRUCTIONS = "patterns/constructions.yaml"


class Constructions(Entry):
    relative: list[str]
    object_control: list[str]
    accused_is_agent: list[str]
    claim_copula: list[str]
    future_aux: list[str]
    hypothetical_aux: list[str]
    neg_words: list[str]
    locative: list[str]
    light_verbs: list[str]
    obligation: list[str]
    prepare_verbs: list[str]
    reaction_verbs: list[str]
    act_nouns: list[str]
    willing_adj: list[str]
    prevent_verbs: list[str]
    plan_verbs: list[str]
    speculation_nouns: list[str]
    violent_verbs: list[str]
    generic_sources: list[str]
    not_target_preps: list[str]


def load_constructions() -> Constructions:
    text = resources.files("eventcoder").joinpath("data", *CONSTRUCTIONS.split("/")).read_text(encoding="utf-8")
    name = f"eventcoder/data/{CONSTRUCTIONS}"
    data = read_yaml(name, text)
    words = validate(Constructions, name, 1, data)
    for field, values in words.model_dump().items():
        if any(v != v.lower().strip() or not v for v in values):
            raise DataFileError(f"{name}: {field}: words must be lower case and non-empty")
    return words


_WORDS = load_constructions()
RELATIVE = frozenset(_WORDS.relative)
OBJECT_CONTROL = frozenset(_WORDS.object_control)
ACCUSED_IS_AGENT = frozenset(_WORDS.accused_is_agent)
CLAIM_COPULA = frozenset(_WORDS.claim_copula)
FUTURE_AUX = frozenset(_WORDS.future_aux)
HYPOTHETICAL_AUX = frozenset(_WORDS.hypothetical_aux)
NEG_WORDS = frozenset(_WORDS.neg_words)
LOCATIVE = frozenset(_WORDS.locative)
LIGHT_VERBS = frozenset(_WORDS.light_verbs)
OBLIGATION = frozenset(_WORDS.obligation)
PREPARE_VERBS = frozenset(_WORDS.prepare_verbs)
REACTION_VERBS = frozenset(_WORDS.reaction_verbs)
ACT_NOUNS = frozenset(_WORDS.act_nouns)
WILLING_ADJ = frozenset(_WORDS.willing_adj)
PREVENT_VERBS = frozenset(_WORDS.prevent_verbs)
PLAN_VERBS = frozenset(_WORDS.plan_verbs)
SPECULATION_NOUNS = frozenset(_WORDS.speculation_nouns)
VIOLENT_VERBS = frozenset(_WORDS.violent_verbs)
GENERIC_SOURCES = frozenset(_WORDS.generic_sources)
NOT_TARGET_PREPS = frozenset(_WORDS.not_target_preps)

SUBJ = {"nsubj", "nsubjpass", "csubj"}
COOP_TYPES = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
MATERIAL_CONFLICT = {"ASSAULT", "COERCE", "SANCTION"}
PLACE_TARGET_TYPES = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
BASE_CONFIDENCE = {"verb": 0.85, "noun": 0.75}
NOMINAL_PATH = {"dobj", "pobj", "prep", "compound", "nmod", "amod", "pcomp", "appos"}
SELF_DIRECTED_OPTIONAL = {"RETREAT", "CONCEDE", "MOBILIZE"}
VOICED_BY_PROTEST = {"REQUEST", "ACCUSE", "PROTEST", "REJECT"}
COMPLEMENT_DEPS = {"dobj", "dative", "prep", "xcomp", "ccomp", "attr", "oprd", "pcomp", "pobj", "acomp", "agent",
                   "nsubjpass", "advmod", "prt"}
ARMED_SECTORS = {"MIL", "REB", "UAF", "CRM", "PRM", "COP", "SPY"}
HUMAN_SECTORS = {"CVL", "MIL", "COP", "REF", "JRN", "MED", "EDU", "GOV", "REB", "LAB", "AGR", "REL", "LEG", "JUD",
                 "OPP", "PRM", "SPY"}
# Nouns for places: attacked, they are no actor, but the attack is an event.
PLACE_NOUNS = frozenset({"village", "town", "city", "area", "region", "district", "province", "camp", "position",
                         "base", "outpost", "neighbourhood", "neighborhood", "suburb", "settlement", "border"})
# Objects that make a verb with conjoined subjects reciprocal: "Britain and Argentina restored relations".
MUTUAL_OBJECTS = frozenset({"relation", "relations", "tie", "ties", "contact", "contacts", "dialogue", "cooperation"})
# Types the scorer and PLOVER treat as symmetric: one event covers both directions.
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE"})
# Nouns that measure an event noun: "held a second day of talks", "a round of talks".
MEASURE_NOUNS = frozenset({"day", "days", "round", "rounds", "hour", "hours", "week", "weeks", "series", "month",
                           "months", "session", "sessions", "year", "years"})
# Verbs of travel that make a visit only when they carry no one ("flew to Madrid", not "flew him to").
MOTION_VERBS = frozenset({"fly", "travel", "arrive", "head", "go", "come", "return"})
# Words naming a crowd: a crowd that storms or torches is rioting, not mounting an armed attack.
CROWD_WORDS = frozenset({"protesters", "protestors", "demonstrators", "rioters", "students", "mob", "crowd",
                         "crowds", "marchers", "looters"})
# Bodies one leaves by a SANCTION (withdrawal from a treaty or an organisation), not a RETREAT.
BODY_NOUNS = frozenset({"treaty", "court", "tribunal", "organisation", "organization", "union", "alliance", "pact",
                        "accord", "agreement", "convention", "council", "commission", "bloc", "deal", "coalition"})
# Nouns whose clause is unrealised: "a US demand that it pull its troops out".
PROPOSAL_NOUNS = frozenset({"demand", "call", "request", "proposal", "plan", "offer", "bid", "ultimatum", "appeal",
                            "suggestion", "idea", "hope", "wish"})
# Court verbs whose sentence is also a detention: coded SANCTION (convict) and COERCE (arrest).
JAILING_VERBS = frozenset({"sentence", "jail", "imprison"})
# The public at large: never the counterpart of an event.
POPULATION_NOUNS = frozenset({"people", "public", "citizens", "residents", "voters", "pupils", "taxpayers",
                              "pensioners", "patients", "consumers", "households", "families", "parents",
                              "motorists", "customers", "shoppers", "viewers", "population"})
# Verbs of reporting: "would" in their clause is a future ("announced it would withdraw").
REPORTING_VERBS = frozenset({"say", "announce", "state", "declare", "tell", "add", "insist", "confirm", "report",
                             "promise", "pledge", "vow", "warn", "indicate", "signal", "reveal"})
# Heads of attributions that report rather than take sides ("..., witnesses said").
NEUTRAL_SPEAKERS = frozenset({"residents", "witnesses", "police", "officials", "sources", "spokesman", "spokeswoman",
                              "spokesperson", "agency", "media", "reports", "medics", "doctors", "observers",
                              "monitors", "correspondents", "journalists", "diplomats", "tallies"})
