"""Arguments: the source and target of a trigger, read from the dependency parse."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..actors.doc_actors import DocActors
from ..records import Actor, Location
from .lexicon import Pattern
from .triggers import Triggers
from .words import (
    ACCUSED_IS_AGENT,
    ACT_NOUNS,
    ARMED_SECTORS,
    CLAIM_COPULA,
    COMPLEMENT_DEPS,
    HUMAN_SECTORS,
    LIGHT_VERBS,
    LOCATIVE,
    MEASURE_NOUNS,
    NOT_TARGET_PREPS,
    OBJECT_CONTROL,
    PREVENT_VERBS,
    REACTION_VERBS,
    RELATIVE,
    SUBJ,
)


class Arguments:
    """Finds who acts and who is acted on: subjects, agents, possessors, lexicon roles, complements."""

    def __init__(self, triggers: Triggers) -> None:
        self.triggers = triggers

    def _verb_args(self, tok: Token, p: Pattern, actors: DocActors) -> tuple[list[Actor], list[Actor], str]:
        # "a move criticised by Israel": a reduced relative is passive with only its "by" agent
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} or (c.dep_ == "agent" and tok.tag_ == "VBN")
                      for c in tok.children)
        rule = f"{p.name}"
        if passive:
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            src_tok = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None
            patient = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
            rule += ":passive"
        else:
            src_tok, via = _subject(tok)
            patient = None
            rule += f":{via}" if via != "nsubj" else ""
        sources = actors.actors_for(src_tok) if src_tok is not None else []
        targets = self._targets(tok, p, actors, patient)
        own = {a.canonical for a in sources}
        targets = [t for t in targets if t.canonical not in own]  # "imposed curbs on its own exports"
        if not targets and p.event_type == "THREATEN":
            targets = _condition_subjects(tok, actors, own)  # "... unless Togo pays"
        if not targets and not p.reverse and p.frame != "speech" and not p.only_roles:
            targets = _complement_actors(tok, actors, sources, skip={src_tok.i} if src_tok is not None else set())
            rule += ":complement" if targets else ""
        if p.reverse:
            sources, targets = targets, sources
        return sources, targets, rule

    def _targets(self, tok: Token, p: Pattern, actors: DocActors, patient: Token | None) -> list[Actor]:
        obj = patient or next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None and not any(c.dep_ in {"prep", "dative"} for c in tok.children):
            # "invaded and occupied Kuwait": conjoined verbs share the later verb's object
            obj = next((g for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB"
                        for g in c.children if g.dep_ == "dobj"), None)
        holders = [tok] + ([obj] if obj is not None else [])
        for role in p.targets:
            cands: list[Token] = []
            if role == "dobj" and obj is not None and not p.objects:
                cands = [obj]
            elif role == "dative":
                cands = [c for c in tok.children if c.dep_ == "dative" and c.pos_ != "ADP"]
                cands += [g for c in tok.children if c.dep_ == "dative" and c.pos_ == "ADP"
                          for g in c.children if g.dep_ == "pobj"]
                if not cands and obj is not None and any(c.dep_ == "prep" and c.lower_ == "with"
                                                         for c in tok.children):
                    cands = [obj]  # "supplied Azerbaijan with weapons": the object is the recipient
            elif role.startswith("prep:"):
                word = role[5:]
                cands = [g for h in holders for c in h.children if c.dep_ in {"prep", "dative", "agent"}
                         and c.lower_ == word for g in c.children if g.dep_ == "pobj"]
            elif role == "pobj" and p.particle:
                cands = [g for c in tok.children if c.lower_ == p.particle for g in c.children if g.dep_ == "pobj"]
                if not cands:
                    cands = [c for c in tok.children if c.dep_ == "dobj"]
            elif role == "dobj_poss" and obj is not None:
                cands = [c for c in obj.children if c.dep_ == "poss"]
            elif role == "pobj_poss" and p.particle:
                pobjs = [g for c in tok.children if c.lower_ == p.particle for g in c.children if g.dep_ == "pobj"]
                cands = [g for o in pobjs for c in o.children if c.dep_ == "prep" and
                         c.lower_ in {"against", "on", "for", "of"} for g in c.children if g.dep_ == "pobj"]
            elif role == "ccomp_subj":
                cands = [s for c in tok.children if c.dep_ == "ccomp" for s in c.children if s.dep_ in SUBJ]
            elif role == "xcomp_obj":
                for x in (c for c in tok.children if c.dep_ == "xcomp"):
                    sub = Pattern("verb", x.lemma_, None, targets=("dobj", "dative", "prep:to", "prep:against",
                                                                    "prep:on", "prep:with", "prep:from"))
                    found = self._targets(x, sub, actors, None)
                    if found:
                        return found
            elif role == "between":
                cands = _between(tok)
            for c in cands:
                found = actors.actors_for(c)
                if not found and c.lower_ not in {"it", "they", "them"} and not p.only_roles:
                    found = [a for cc in c.children if cc.dep_ == "poss" for a in actors.actors_for(cc)]
                if found:
                    return found
        return []

    def _noun_args(self, tok: Token, p: Pattern, actors: DocActors) -> tuple[list[Actor], list[Actor], str]:
        rule = p.name
        target_preps = {r[5:] for r in p.targets if r.startswith("prep:")}
        sources: list[Actor] = []
        for c in tok.children:
            if c.dep_ == "poss" or (c.dep_ in {"amod", "compound", "nmod"} and c.i in actors.by_token):
                sources = actors.actors_for(c)
                if sources:
                    rule += ":modifier"
                    break
        if not sources:
            for c in tok.children:
                if c.dep_ in {"prep", "agent"} and c.lower_ in {"of", "by", "from"} - target_preps:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            sources = actors.actors_for(g)
                    if sources:
                        rule += f":{c.lower_}"
                        break
        if not sources and tok.dep_ == "dobj" and tok.head.lemma_ in REACTION_VERBS:
            # "..., prompting a sharp rebuke from Washington": the reaction's author hangs on the participle
            for c in tok.head.children:
                if c.dep_ == "prep" and c.lower_ == "from":
                    sources = [a for g in c.children if g.dep_ == "pobj" for a in actors.actors_for(g)]
                    if sources:
                        rule += ":from"
                        break
        between = _between(tok)
        if not sources and between and "between" in p.targets:
            pair = [a for b in between for a in actors.actors_for(b)]
            if len(pair) >= 2:
                return pair[:1], pair[1:2], rule + ":between"
        if not sources:
            gov = _governing_subject(tok)
            if gov is not None:
                sources = actors.actors_for(gov)
                rule += ":governor"
        if p.frame == "accuse":
            targets = self._accused(tok, actors)
            if targets:
                return sources, targets, rule + ":claim"
        targets = self._targets(tok, p, actors, None)
        if not targets:
            # a noun's own phrase only, two prepositions deep: "sanctions against the banks of X"
            light = tok.dep_ == "dobj" and tok.head.lemma_ in LIGHT_VERBS
            targets = _complement_actors(tok, actors, sources, skip=set(), max_depth=5, places=not light)
            if not targets and light:
                # "opened an inquiry into X": the light verb holds the noun's target
                subj, _ = _subject(tok.head)
                skip = {tok.i} | ({subj.i} if subj is not None else set())
                targets = (_complement_actors(tok.head, actors, sources, skip=skip, places=False)
                           or _complement_actors(tok, actors, sources, skip=set(), max_depth=5))
            rule += ":complement" if targets else ""
        return sources, targets, rule

    def _accused(self, noun: Token, actors: DocActors) -> list[Actor]:
        """Whom a claim noun accuses: the subject of "... is that <clause>"."""
        head = noun.head
        if noun.dep_ != "nsubj" or head.lemma_ not in CLAIM_COPULA:
            return []
        for c in head.children:
            if c.dep_ == "ccomp":
                subj = next((s for s in c.children if s.dep_ in SUBJ), None)
                if subj is None:
                    continue
                found = actors.actors_for(subj)
                if not found:
                    found = [a for cc in subj.children if cc.dep_ == "poss" for a in actors.actors_for(cc)]
                return found
        return []

    def _protest_at(self, verb: Token) -> bool:
        """Is ``verb`` a protest, itself or through its object ("staged rallies")?"""
        for t in [verb, *(c for c in verb.children if c.dep_ == "dobj")]:
            p = self.triggers.match(t)
            if p is not None and p.event_type == "PROTEST":
                return True
        return False

    def _protest_aim(self, tok: Token, actors: DocActors, sources: list[Actor]) -> list[Actor]:
        """Whom a protest is aimed at, from its purpose: "to demand the resignation of X",
        "calling for the governor's removal", "in protest against the ministry's decision"."""
        verb = tok.head if tok.pos_ == "NOUN" and tok.dep_ in {"dobj", "pobj"} else tok
        own = {s.canonical for s in sources}
        for holder in dict.fromkeys([tok, verb]):
            for c in holder.children:
                if c.dep_ in {"advcl", "xcomp", "acl"} or (c.dep_ == "prep" and any(
                        g.lemma_ in {"protest", "defiance", "opposition", "response"} for g in c.children)):
                    found = _complement_actors(c, actors, sources, skip=set())
                    if not found and c.dep_ != "prep":
                        found = [a for a in actors.actors_for(c) if a.canonical not in own]
                    if found:
                        return found
        return []

    def _noun_speaker(self, noun: Token, actors: DocActors) -> Actor | None:
        for c in noun.children:
            if c.dep_ in {"poss", "amod", "compound", "nmod"} and c.i in actors.by_token:
                found = actors.actors_for(c)
                if found:
                    return found[0]
            if c.dep_ == "prep" and c.lower_ in {"from", "by", "of"}:
                for g in c.children:
                    if g.dep_ == "pobj":
                        found = actors.actors_for(g)
                        if found:
                            return found[0]
        return None

    def _location(self, tok: Token, sent: Span, actors: DocActors) -> Location | None:
        for t in [tok, *tok.subtree, *tok.head.children]:
            if t.dep_ == "prep" and t.lower_ in LOCATIVE:
                for g in t.children:
                    if g.dep_ != "pobj":
                        continue
                    m = actors.by_token.get(g.i)
                    if m is not None and m.actor.kind == "state":
                        return Location(m.text, m.actor.country)
                    if g.ent_type_ in {"GPE", "LOC", "FAC"}:
                        ent = actors.ent_at.get(g.i)
                        return Location(ent.text if ent is not None else g.text, None)
        return None


def _subject(verb: Token, depth: int = 0) -> tuple[Token | None, str]:
    """The subject of ``verb``, inherited through conjunction, control and "efforts to" chains."""
    if depth > 6:
        return None, "none"
    if depth == 0 and not any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in verb.children):
        # "Turkey massed troops": the small model sometimes parses a sentence-initial name as npadvmod
        first = next((c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i < verb.i
                      and c.i == c.sent.start), None)
        if first is not None:
            return first, "nsubj"
    for c in verb.children:
        if c.dep_ in {"nsubj", "csubj"} or (c.dep_ == "nsubjpass" and depth > 0):
            if c.lower_ in RELATIVE and verb.dep_ == "relcl":
                return verb.head, "relative"
            if c.pos_ == "VERB":  # "The charity working in Yemen said": the parser's subject is the participle
                inner = next((g for g in c.children if g.dep_ == "nsubj"), None)
                if inner is not None:
                    return inner, "nsubj"
            return c, "nsubj" if depth == 0 else "inherited"
    head = verb.head
    if head.i == verb.i:
        return None, "none"
    if verb.dep_ == "conj" and head.pos_ in {"VERB", "AUX"}:
        return _subject(head, depth + 1)
    if verb.dep_ == "acomp" and head.pos_ in {"AUX", "VERB"}:
        return _subject(head, depth + 1)  # "it was ready to withdraw": the copula's subject
    if verb.dep_ == "xcomp":
        if head.lemma_ in OBJECT_CONTROL:
            obj = next((c for c in head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, "controller"
        return _subject(head, depth + 1)
    if verb.dep_ in {"advcl", "pcomp"} and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return _subject(head, depth + 1)
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(c.dep_ == "mark" for c in verb.children):
        return _subject(head, depth + 1)  # "Poland expelled them, accusing them of spying"
    if verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        noun = head
        if noun.dep_ in {"dobj", "attr"} and noun.head.pos_ in {"VERB", "AUX"}:
            return _subject(noun.head, depth + 1)
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        if head.lower_ == "from" and head.head.lemma_ in PREVENT_VERBS:
            # "barred French banks from lending": the banks would have lent
            obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, "controller"
        if head.head.lemma_ in ACCUSED_IS_AGENT:
            # "Armenia accused Azerbaijan of shelling": the accused is who shelled.
            obj = next((c for c in head.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, "accused"
        return _subject(head.head, depth + 1)
    return None, "none"


def _governing_subject(noun: Token) -> Token | None:
    """The actor behind an event noun used with a light verb: "Israel launched strikes".

    Only the noun's own verb counts (as its object, or through one preposition:
    "took part in a bitter feud"), never a verb further up through other nouns.
    """
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.lemma_ in ACCUSED_IS_AGENT:
        # "Kyiv blamed Moscow for the blackout": the accused did it
        return next((c for c in noun.head.head.children if c.dep_ == "dobj"), None)
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_ in MEASURE_NOUNS:
        noun = noun.head.head  # "held a second day of talks": the measure stands in the noun's place
    if noun.dep_ in {"dobj", "attr", "oprd"}:
        verb = noun.head
    elif noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in {"VERB", "AUX", "ADJ"}:
        verb = noun.head.head
    elif (noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.dep_ in {"advmod", "prt"}
          and noun.head.head.head.pos_ in {"VERB", "AUX"}):
        verb = noun.head.head.head  # "went back to the negotiating table"
    else:
        return None
    for _ in range(3):
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((g for g in agent.children if g.dep_ == "pobj"), None)
            # "Militias were involved in the massacre": an adjectival passive's subject acts
            return next((c for c in verb.children if c.dep_ == "nsubjpass"), None) if noun.dep_ == "pobj" else None
        subj, _ = _subject(verb)
        if subj is not None:
            return subj
        if verb.dep_ not in {"acomp", "xcomp"}:
            return None
        verb = verb.head
    return None


def _complement_actors(tok: Token, actors: DocActors, sources: list[Actor], skip: set[int],
                       max_depth: int = 9, places: bool = True) -> list[Actor]:
    """The first actor in what the trigger governs when the lexicon's roles found none.

    "demanded an apology from Beijing", "threatened to cut off water to
    Uzbekistan", "rejected a Turkish ultimatum": the target sits inside the object
    or complement. Clauses hanging off a noun (relative clauses), time phrases and the
    source itself are passed over; places ("in Tokyo") count only when nothing else does.
    """
    own = {a.canonical for a in sources}
    in_places: list[Actor] = []
    unplaced: list[Actor] = []  # groups the text gives no country: kept only if no placed actor follows

    def walk(t: Token, depth: int) -> list[Actor]:
        if depth > max_depth:
            return []
        for c in t.children:
            if c.i in skip:
                continue
            nested = depth > 0 and (c.dep_ in {"conj", "appos", "acl", "poss"}
                                    or (c.dep_ in {"nsubj", "nsubjpass"} and t.dep_ in {"ccomp", "xcomp"}))
            if c.dep_ not in COMPLEMENT_DEPS and not nested:
                continue
            if c.dep_ == "prep" and c.lower_ in NOT_TARGET_PREPS:
                continue
            own_group = any(g.dep_ == "poss" and g.lower_ in {"his", "her", "its", "their"} for g in c.children)
            found = ([a for a in actors.actors_for(c) if a.canonical not in own]
                     if c.pos_ in {"NOUN", "PROPN"} and not own_group else [])  # "his fighters" are his side
            if found:
                if c.dep_ == "pobj" and t.lower_ in LOCATIVE:
                    in_places.extend(found)
                    continue
                if all(a.key() is None for a in found) and found[0].kind in {"group", "org"}:
                    # "defend its fishermen against Chinese coast guard ships": a placed actor
                    # further in beats an unplaced group that would only get a guessed country
                    unplaced.extend(a for a in found if not unplaced)
                else:
                    return found
            deeper = walk(c, depth + 1)
            if deeper:
                return deeper
        return []

    found = walk(tok, 0)
    if not found:
        # a purpose clause names the beneficiary: "opened the crossing to let fuel reach Gaza"
        for c in tok.children:
            if c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                found = walk(c, 1)
                if found:
                    break
    return found or unplaced[:1] or (in_places[:1] if places else [])


def _condition_subjects(verb: Token, actors: DocActors, own: set[str]) -> list[Actor]:
    """A threat's target is whoever its condition is about: "unless Baghdad accepts"."""
    for c in [*verb.children, *(g for x in verb.children if x.dep_ == "xcomp" for g in x.children)]:
        if c.dep_ == "advcl" and any(m.lower_ in {"if", "unless"} for m in c.children if m.dep_ == "mark"):
            subj = next((s for s in c.children if s.dep_ in SUBJ), None)
            found = [a for a in actors.actors_for(subj) if a.canonical not in own] if subj is not None else []
            if found:
                return found
    return []


def _between(tok: Token) -> list[Token]:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "between":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return [pobj, *pobj.conjuncts]
    return []


def _agentless(verb: Token) -> bool:
    """A main-clause passive with no "by" agent: "four soldiers were killed in an ambush".

    Background clauses ("the village where 30 people were killed in 2012") do not count."""
    if any(t.dep_ in {"relcl", "acl"} for t in [verb, *verb.ancestors]):
        return False
    return any(c.dep_ == "nsubjpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children)


def _human(actor: Actor | None) -> bool:
    """People, or a body of people: what an unidentified attacker can kill or wound."""
    return actor is not None and (actor.kind == "person" or actor.sector in HUMAN_SECTORS)


def _verbal_attack(src: Actor, tgt: Actor | None) -> bool:
    """A civilian person "attacking" a person or an organisation's policy attacks in words;
    an attack on a state, or by anyone armed, stays an assault."""
    return (src.kind == "person" and src.sector not in ARMED_SECTORS and tgt is not None
            and tgt.kind != "state" and tgt.sector not in ARMED_SECTORS)


def _unplaced(src: Actor, tgt: Actor | None) -> bool:
    """Neither side is a state, organisation or person the text or dictionaries name."""
    def named(a: Actor) -> bool:
        return a.key() is not None or a.kind in {"person", "igo"}
    return not named(src) or (tgt is not None and not named(tgt))


def _clause_subject(tok: Token, actors: DocActors) -> list[Actor]:
    """The actors of the nearest verb above ``tok`` that has a subject of its own."""
    for anc in tok.ancestors:
        if anc.pos_ in {"VERB", "AUX"}:
            subj, _ = _subject(anc)
            if subj is not None:
                return actors.actors_for(subj)
    return []


def _reacted_to(tok: Token, actors: DocActors) -> list[Actor]:
    """Whom a reaction tacked onto a report is aimed at: the main clause's actor.

    "Turkey launched an offensive, drawing condemnation from the EU" (EU -> Turkey);
    "Brazil recognised Palestine, a move hailed by the PA and criticised by Israel"
    (PA -> Brazil, Israel -> Brazil); "X accused Y of torture, an allegation Y rejected".
    """
    if tok.pos_ == "NOUN" and tok.dep_ == "dobj" and tok.head.lemma_ in REACTION_VERBS and tok.head.tag_ == "VBG":
        return _clause_subject(tok.head, actors)
    verb = tok
    while verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        verb = verb.head  # "hailed by X and criticised by Y"
    if verb.dep_ in {"acl", "relcl"} and verb.head.lemma_ in ACT_NOUNS:
        noun = verb.head
        if noun.dep_ in {"appos", "npadvmod", "dobj", "attr"} or (noun.head.dep_ == "appos"):
            return _clause_subject(noun, actors)
    return []


def _key(a: Actor | None) -> str | None:
    return None if a is None else a.canonical
