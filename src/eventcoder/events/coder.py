"""Sentence -> events: lexicon triggers, arguments from the dependency parse, modality.

For each trigger (a verb or event noun in the lexicon) the coder finds the source
(subject, agent, possessor, or the subject inherited through "made efforts to ...",
conjoined verbs and light verbs such as "launched strikes"), the target (the roles the
lexicon entry names), and how the text presents the event: asserted, claimed by a
speaker other than the source, negated, intended or hypothetical. A claim frame
("X accused Y of ...", "the Iranian narrative is that ...") yields the speaker's
ACCUSE as asserted and the embedded event only as claimed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import chain

from spacy.tokens import Span, Token

from ..actors.resolve import DocActors
from ..records import Actor, Document, Event, Location, Mention, Modality
from .dates import DateResolver
from .ids import event_id
from .lexicon import Codebook, Lexicon, Pattern

SUBJ = {"nsubj", "nsubjpass", "csubj"}
RELATIVE = {"that", "which", "who", "whom", "whose"}
OBJECT_CONTROL = {"ask", "urge", "order", "press", "force", "allow", "call", "invite", "persuade", "tell",
                  "encourage", "help", "enable", "permit", "require", "compel", "warn", "prompt", "lead", "cause",
                  "spur", "push", "drive", "move", "oblige", "authorise", "authorize", "instruct", "direct"}
ACCUSED_IS_AGENT = {"accuse", "blame", "charge", "suspect", "convict", "condemn", "criticize", "criticise"}
CLAIM_COPULA = {"be"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
HYPOTHETICAL_AUX = {"would", "could", "might", "may", "should"}
COOP_TYPES = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
MATERIAL_CONFLICT = {"ASSAULT", "COERCE", "SANCTION"}
NEG_WORDS = {"not", "n't", "never", "no"}
LOCATIVE = {"in", "at", "near", "inside", "outside"}
PLACE_TARGET_TYPES = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
BASE_CONFIDENCE = {"verb": 0.85, "noun": 0.75}
# Verbs that only carry an event noun: "opened an investigation", "staged a protest".
LIGHT_VERBS = {"open", "launch", "hold", "conduct", "carry", "begin", "start", "stage", "mount", "make", "take", "give",
               "pay", "impose", "declare", "issue", "lodge", "file", "announce", "continue", "resume", "order",
               "step", "wage", "undertake", "initiate", "organise", "organize", "call"}
NOMINAL_PATH = {"dobj", "pobj", "prep", "compound", "nmod", "amod", "pcomp", "appos"}
OBLIGATION = {"must", "should"}
PREPARE_VERBS = {"prepare", "ready", "gear"}
# Participles that introduce a reaction to the main clause: "..., drawing condemnation from Paris".
REACTION_VERBS = {"draw", "prompt", "trigger", "spark", "provoke", "earn", "attract", "bring", "elicit", "invite"}
# Nouns that stand for the main clause's act: "..., a move hailed by Kyiv".
ACT_NOUNS = {"move", "decision", "step", "action", "measure", "act", "deal", "plan", "attack", "operation", "raid",
             "offensive", "strike", "ban", "policy", "announcement", "statement", "allegation", "accusation", "charge",
             "claim", "demand", "request", "call", "proposal", "offer", "visit", "vote", "ruling", "verdict"}
SELF_DIRECTED_OPTIONAL = {"RETREAT", "CONCEDE", "MOBILIZE"}
WILLING_ADJ = {"ready", "willing", "prepared", "eager", "determined", "keen", "poised", "set"}
PREVENT_VERBS = {"bar", "ban", "prevent", "stop", "block", "prohibit", "forbid", "keep", "refrain", "deter"}
PLAN_VERBS = {"plan", "intend", "prepare", "aim", "decide", "resolve", "schedule"}
VOICED_BY_PROTEST = {"REQUEST", "ACCUSE", "PROTEST", "REJECT"}


@dataclass(frozen=True)
class Frame:
    modality: Modality
    claimed_by: Actor | None
    note: str


class EventCoder:
    """Codes the sentences of one parsed document into `Event` records."""

    def __init__(self, lexicon: Lexicon, codebook: Codebook, contexts: dict[str, str], version: str) -> None:
        self.lexicon = lexicon
        self.codebook = codebook
        self.context_cues = contexts  # lemma or phrase -> context
        self.version = version
        self.dates = DateResolver()

    # ---- entry point --------------------------------------------------------------------

    def code(self, document: Document, actors: DocActors, max_sentence_chars: int) -> list[Event]:
        events: list[Event] = []
        for sent in actors.sents:
            if len(sent.text) > max_sentence_chars or not any(t.is_alpha for t in sent):
                continue
            events.extend(self._code_sentence(sent, document, actors, events))
        return _fill_home_countries(_infer_host_countries(events, actors), actors)

    # ---- triggers -----------------------------------------------------------------------

    def _code_sentence(self, sent: Span, document: Document, actors: DocActors, prior: list[Event]
                       ) -> list[Event]:
        consumed: set[int] = set()
        found: list[Event] = []
        for tok in sent:
            if tok.i in consumed:
                continue
            pattern = self._match(tok)
            if pattern is not None and pattern.frame == "speech":
                found.extend(self._demands(tok, pattern, sent, document, actors))
            if pattern is not None and pattern.objects:
                for c in tok.children:  # "held talks", "took charge": the object noun is not its own event
                    if c.dep_ in {"dobj", "nsubjpass"}:
                        consumed.add(c.i)
            if pattern is None or pattern.event_type is None:
                continue
            for ev in self._events_for(tok, pattern, sent, document, actors, (prior, found)):
                key = (ev.event_type, _key(ev.source), _key(ev.target), ev.modality)
                if all((e.event_type, _key(e.source), _key(e.target), e.modality) != key for e in found):
                    found.append(ev)
        # "went on hunger strike ... in protest against the ministry": the targeted reading says it all.
        targeted = {(e.event_type, _key(e.source)) for e in found if e.target is not None}
        return [e for e in found if e.target is not None or (e.event_type, _key(e.source)) not in targeted]

    def _match(self, tok: Token) -> Pattern | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and lemma not in {"be", "have", "do"}):
            if lemma not in self.lexicon.verbs and tok.lower_.endswith("ed"):
                lemma = tok.lower_[:-1]  # the tagger's odd lemmas: "fined" -> "fin"
            for p in self.lexicon.verbs.get(lemma, ()):
                if self._verb_fits(tok, p):
                    return p
            return None
        if tok.pos_ in {"NOUN", "PROPN"}:
            for p in self.lexicon.nouns.get(lemma, ()) or self.lexicon.nouns.get(tok.lower_, ()):
                if self._noun_fits(tok, p):
                    return p
        return None

    def _verb_fits(self, tok: Token, p: Pattern) -> bool:
        if p.particle:
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            # "fired missiles on Friday" has no particle "on": a date is not the verb's object
            has = any(c.dep_ in {"prt", "prep", "agent"} and c.lower_ == p.particle and not _temporal(c)
                      for c in tok.children)
            if not has and not (nxt is not None and nxt.lower_ == p.particle):
                return False
        else:
            if any(c.dep_ == "prt" for c in tok.children) and p.frame is None and tok.lemma_ not in {"beat"}:
                # "pull out", "carry out" need their own entries; "strike" is not "strike out".
                prts = {c.lower_ for c in tok.children if c.dep_ == "prt"}
                if prts - {"up", "down"}:
                    return False
        if p.objects:
            objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
            if p.particle:  # "went on strike": the particle's own object
                objs += [g for c in tok.children if c.dep_ in {"prep", "agent"} and c.lower_ == p.particle
                         for g in c.children if g.dep_ == "pobj"]
            objs += [cc for o in objs for cc in o.conjuncts]
            if not any(o.lemma_.lower() in p.objects or o.lower_ in p.objects for o in objs):
                return False
        return True

    def _noun_fits(self, tok: Token, p: Pattern) -> bool:
        doc = tok.doc
        if p.before:
            n = len(p.before)
            if tok.i - n < 0 or [t.lower_ for t in doc[tok.i - n:tok.i]] != list(p.before):
                return False
        if p.then:
            n = len(p.then)
            if [t.lower_ for t in doc[tok.i + 1:tok.i + 1 + n]] != list(p.then):
                return False
        return True

    # ---- arguments ----------------------------------------------------------------------

    def _events_for(self, tok: Token, p: Pattern, sent: Span, document: Document,
                    actors: DocActors, earlier: tuple[list[Event], list[Event]]) -> Iterator[Event]:
        frame = self._frame(tok, p, actors)
        if frame is None:
            return  # subsumed by a matrix verb's own event ("agreed to set up")
        if p.pos == "verb":
            sources, targets, rule = self._verb_args(tok, p, actors)
        else:
            sources, targets, rule = self._noun_args(tok, p, actors)
        if (not sources and p.event_type == "ASSAULT" and targets and p.pos == "verb" and _agentless(tok)
                and tok.lemma_ in VIOLENT_VERBS and all(_human(t) for t in targets)):
            # "A car bomb killed two police officers", "villagers were killed in an ambush":
            # the attack is real even though the text names no attacker (PLOVER sector UAF).
            sources = [Actor("unidentified attackers", "unidentified attackers", None, None, "UAF", None, "unknown")]
            rule += ":unidentified"
        if not sources and p.event_type in {"COERCE", "SANCTION"} and p.pos == "verb" and _agentless(tok):
            # "A French journalist was detained in Tehran": arrests and sentences are the
            # acts of the authorities where they happen.
            place = self._location(tok, sent, actors)
            if place is not None and place.country:
                who = f"authorities in {place.name}"
                sources = [Actor(who, who, place.country, None, "GOV", None, "org")]
                rule += ":place-authority"
        if self.codebook.quad_class.get(p.event_type or "", "").startswith("verbal"):
            sources = [a for a in sources if a.name.lower() not in GENERIC_SOURCES]  # "people asked ..."
        if not sources:
            return
        reciprocal = False
        mutual = p.pos == "noun" or p.event_type in {"CONSULT", "AGREE", "COOPERATE", "ASSAULT"} or any(
            c.dep_ == "poss" and c.lower_ == "their" for o in tok.children if o.dep_ == "dobj" for c in o.children)
        complement_only = rule.endswith(":complement") and p.event_type in {"AGREE", "CONSULT", "COOPERATE"}
        if (not targets or complement_only) and len(sources) > 1 and mutual:
            # "Peru and Chile again could not settle the quota dispute": the parties are each other's
            sources, targets, reciprocal = sources[:1], sources[1:], True
        if not targets:
            targets = self._answered(tok, earlier, sources)
            rule += ":anaphor" if targets else ""
        if not targets:
            targets = [a for a in _reacted_to(tok, actors) if a.canonical not in {s.canonical for s in sources}]
            rule += ":reaction" if targets else ""
        if not targets and p.event_type == "PROTEST":
            targets = self._protest_aim(tok, actors, sources)
            rule += ":aim" if targets else ""
        if not targets and p.event_type in PLACE_TARGET_TYPES:
            # "Turkish jets struck positions in northern Syria": an attack on a place targets its state.
            place = self._location(tok, sent, actors)
            domestic_ok = p.event_type in {"PROTEST", "COERCE"}
            if place is not None and place.country and (domestic_ok or all(place.country != s.country
                                                                           for s in sources)):
                targets = [Actor(place.name, place.name, place.country, None, None, None, "state")]
                rule += ":place"
        event_type, mode, modality, claimed_by = self._type_and_modality(tok, p, frame)
        if reciprocal and event_type == "MOBILIZE":
            event_type, mode = "COOPERATE", None  # "India and France hold naval drills": joint, so cooperation
        if not targets and event_type == "COERCE" and mode in {"curfew", "martial-law"}:
            # "imposed a state of emergency": emergency rule falls on the source's own country
            home = next((s for s in sources if s.country), None)
            if home is not None:
                name = home.country or ""
                targets = [Actor(name, name, home.country, None, None, None, "state")]
                rule += ":domestic"
        if not targets:
            # "will not accept the plan": a refusal to agree or meet needs no named target
            refused = event_type == "REJECT" and p.event_type in {"AGREE", "CONSULT"}
            if not (p.target_optional or refused):
                return
            targets = [None]  # type: ignore[list-item]
        for src in sources:
            for tgt in targets:
                if p.origin == "cameo" and _unplaced(src, tgt):
                    # Converted PETRARCH-2 patterns, like PETRARCH itself, code only between actors
                    # the dictionaries place: "the firm argued ..." is no political event.
                    continue
                kind = event_type
                if kind == "ASSAULT" and _verbal_attack(src, tgt):
                    kind = "ACCUSE"  # "Howard attacked Blair": politicians attack with words
                if tgt is not None and (src.canonical == tgt.canonical or src.name == tgt.name):
                    continue
                if mode == "visit" and tgt is not None and tgt.kind == "org" and tgt.sector is None:
                    continue  # "visits Torbay": a place we cannot place is no one visited
                if modality is Modality.CLAIMED and claimed_by is not None and _self_report(claimed_by, src):
                    modality, who = Modality.ASSERTED, None  # a self-report is the source's own statement
                else:
                    who = claimed_by if modality is Modality.CLAIMED else None
                yield self._make(tok, p, sent, document, src, tgt, kind, mode if kind == event_type else None,
                                 modality, who,
                                 rule + ("+reciprocal" if reciprocal else "") + frame.note, actors)

    def _demands(self, tok: Token, p: Pattern, sent: Span, document: Document, actors: DocActors) -> list[Event]:
        """ "Norway said Denmark must release the crews": the speaker demands of Sudan (REQUEST)."""
        out: list[Event] = []
        clauses = [c for c in tok.children if c.dep_ == "ccomp" and _obligation(c)]
        speaker_tok, _ = _subject(tok)
        sources = actors.actors_for(speaker_tok) if clauses and speaker_tok is not None else []
        if not sources:
            return out
        demand = replace(p, event_type="REQUEST", frame=None)
        rule = f"{p.name}+must"
        frame = self._frame(tok, p, actors) or Frame(Modality.ASSERTED, None, "")
        for clause in clauses:
            subj = next((s for s in clause.children if s.dep_ in SUBJ), None)
            targets = actors.actors_for(subj) if subj is not None else []
            for src in sources:
                for tgt in targets:
                    if src.canonical != tgt.canonical:
                        out.append(self._make(tok, demand, sent, document, src, tgt, "REQUEST", None,
                                              frame.modality, frame.claimed_by, rule + frame.note, actors))
        return out

    def _verb_args(self, tok: Token, p: Pattern, actors: DocActors) -> tuple[list[Actor], list[Actor], str]:
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children)
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

    # ---- modality -----------------------------------------------------------------------

    def _frame(self, tok: Token, p: Pattern, actors: DocActors) -> Frame | None:
        modality = Modality.ASSERTED
        claimed_by: Actor | None = None
        note = ""
        cur = tok
        embedded = True  # still inside the trigger's own noun phrase or infinitive chain
        while cur.head.i != cur.i:
            head = cur.head
            rel = cur.dep_
            infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) or rel == "pcomp"
            embedded = embedded and (rel in NOMINAL_PATH or (rel in {"xcomp", "advcl", "acl"} and infinitive))
            hp = self._match(head)
            if rel == "ccomp" and _obligation(cur) and hp is not None and hp.frame == "speech":
                return None  # "Norway said Denmark must release them": coded as the speaker's demand
            if (cur is tok and rel in {"advcl", "xcomp", "acl"} and p.event_type in VOICED_BY_PROTEST
                    and self._protest_at(head)):
                return None  # "held rallies to demand new elections": the demand is the protest's aim
            if hp is not None and rel in {"xcomp", "ccomp", "pcomp", "advcl", "conj", "prep", "pobj", "dobj",
                                          "acl", "relcl", "compound", "nmod", "amod"}:
                # "agreed to set up", "pledged $10 million in aid": the matrix verb codes it.
                nominal = rel in {"dobj", "pobj", "prep"} and tok.pos_ == "NOUN"
                # "ordered an offensive": a light verb's event noun is the event itself
                light = rel == "dobj" and tok is cur and head.lemma_ in LIGHT_VERBS
                if hp.frame == "commit" and (rel == "xcomp" or nominal) and not light:
                    return None
                # "rejected a Swiss offer to host talks", "stepped down to make way for a successor": the
                # nouns and purpose infinitives inside another event are part of it.
                if (embedded and hp.event_type is not None and hp.frame in {None, "commit"} and not light
                        and (tok.pos_ == "NOUN" or tok is not cur or infinitive) and rel != "conj"):
                    return None
                if hp.frame in {"speech", "accuse"} and rel in {"ccomp", "pcomp", "prep", "pobj"}:
                    speaker_tok, _ = _subject(head)
                    if hp.pos == "noun":
                        speaker = self._noun_speaker(head, actors)
                    else:
                        found = actors.actors_for(speaker_tok) if speaker_tok is not None else []
                        speaker = found[0] if found else None
                    if speaker is not None and modality is Modality.ASSERTED:
                        modality, claimed_by, note = Modality.CLAIMED, speaker, f"+claimed:{hp.name}"
                elif hp.frame in {"deny", "fail"} and rel in {"ccomp", "xcomp", "dobj", "pcomp"}:
                    modality, note = Modality.NEGATED, f"+{'denied' if hp.frame == 'deny' else 'failed'}:{hp.name}"
                elif (hp.frame == "intent" and modality is Modality.ASSERTED
                      and (rel in {"xcomp", "ccomp"} or (rel == "dobj" and tok.pos_ == "NOUN"))):
                    # "plans to impose sanctions" is announced (a threat); "wants to", "seeks sanctions" only intended
                    modality = Modality.INTENDED
                    note = f"+{'intent' if head.lemma_ in PLAN_VERBS else 'wish'}:{hp.name}"
                    if head.lemma_ in PREPARE_VERBS:
                        note = f"+prepare:{hp.name}"
            if (rel == "xcomp" and head.pos_ == "ADJ" and head.lemma_ in WILLING_ADJ
                    and modality is Modality.ASSERTED):
                # "said it was ready to pull back": an announced act (CONCEDE, AGREE, THREATEN)
                modality, note = Modality.INTENDED, f"+intent:{head.lemma_}"
            if (rel == "pcomp" and head.lower_ == "from" and head.head.lemma_ in PREVENT_VERBS
                    and modality is Modality.ASSERTED):
                modality, note = Modality.NEGATED, f"+prevented:{head.head.lemma_}"  # "barred banks from providing"
            if head.lemma_ in CLAIM_COPULA and rel == "ccomp":
                subj = next((s for s in head.children if s.dep_ == "nsubj"), None)
                sp = self._match(subj) if subj is not None else None
                if sp is not None and sp.frame == "accuse" and subj is not None:
                    speaker = self._noun_speaker(subj, actors)
                    if speaker is not None:
                        modality, claimed_by, note = Modality.CLAIMED, speaker, f"+claimed:{sp.name}"
            if rel in {"advcl"} and any(c.lower_ in {"if", "unless"} for c in cur.children if c.dep_ == "mark"):
                modality, note = Modality.HYPOTHETICAL, "+conditional"
            if rel in {"relcl", "acl"} and cur.pos_ == "VERB" and cur is not tok:
                break
            cur = head
        according = self._according_to(tok, actors)
        if according is not None and modality is Modality.ASSERTED:
            modality, claimed_by, note = Modality.CLAIMED, according, "+claimed:according_to"
        return Frame(modality, claimed_by, note)

    def _answered(self, tok: Token, earlier: tuple[list[Event], list[Event]], sources: list[Actor]
                  ) -> list[Actor]:
        """ "Seoul rejected the warning", "Syria condemned the strikes": a definite event noun
        points back to the latest earlier event of its type (this sentence's, then the
        document's); its source is the target."""
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        objs += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        own = {a.canonical for a in sources}
        for obj in objs:
            if not any(d.lower_ in {"the", "this", "these", "those", "that"} for d in obj.lefts):
                continue
            p = self._match(obj)
            if p is None or p.event_type is None:
                continue
            for e in chain(reversed(earlier[1]), reversed(earlier[0])):
                if e.event_type == p.event_type and e.source is not None and e.source.canonical not in own:
                    return [e.source]
                if (p.event_type == "ACCUSE" and e.claimed_by is not None
                        and e.claimed_by.canonical not in own):
                    return [e.claimed_by]  # "the allegation": whoever made the reported claim
        return []

    def _protest_at(self, verb: Token) -> bool:
        """Is ``verb`` a protest, itself or through its object ("staged rallies")?"""
        for t in [verb, *(c for c in verb.children if c.dep_ == "dobj")]:
            p = self._match(t)
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

    def _according_to(self, tok: Token, actors: DocActors) -> Actor | None:
        sent = tok.sent
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < sent.end and t.nbor(1).lower_ == "to":
                pobj = next((g for g in t.nbor(1).children if g.dep_ == "pobj"), None)
                if pobj is None:
                    continue
                # Only when the attribution governs the trigger's clause, not a neighbouring one.
                anc = {a.i for a in tok.ancestors} | {tok.i}
                if t.head.i in anc or t.head.dep_ == "ROOT":
                    found = actors.actors_for(pobj)
                    if found:
                        return found[0]
        return None

    def _type_and_modality(self, tok: Token, p: Pattern, frame: Frame
                           ) -> tuple[str, str | None, Modality, Actor | None]:
        event_type = p.event_type or ""
        mode = p.mode
        modality = frame.modality
        chain = [tok] + [h for h in tok.ancestors if tok.dep_ in {"xcomp", "conj"}][:1]
        negs = {c.lower_ for t in chain for c in t.children if c.dep_ == "neg"}
        if tok.pos_ == "NOUN" and tok.dep_ in {"dobj", "nsubjpass"} and tok.head.pos_ in {"VERB", "AUX"}:
            chain.append(tok.head)  # "will tighten the blockade": the noun's verb carries its tense
        auxes = {c.lower_ for t in chain for c in t.children if c.dep_ in {"aux", "auxpass"}}
        if tok.pos_ == "NOUN" and _speculated(tok) and modality is Modality.ASSERTED:
            modality = Modality.HYPOTHETICAL  # "suggestions of strikes on Iran", "fears of a war"
        negated = bool(negs & NEG_WORDS) or any(c.lower_ == "no" and c.dep_ == "det" for c in tok.children)
        if p.frame == "commit" and any(c.dep_ == "neg" for x in tok.children if x.dep_ == "xcomp"
                                       for c in x.children):
            negated = True  # "vowed not to extradite him": a promise not to is a refusal
        stated = Modality.CLAIMED if modality is Modality.CLAIMED else Modality.ASSERTED
        coop = event_type in COOP_TYPES | {"AGREE", "CONCEDE"}
        if coop and (negated or frame.note.startswith("+failed")):
            # PLOVER: refusing cooperation is itself an event ("would not meet", "failed to agree").
            return "REJECT", None, stated, frame.claimed_by
        if negated or frame.note.startswith(("+denied", "+failed")):
            return event_type, mode, Modality.NEGATED, frame.claimed_by
        if frame.note.startswith("+prepare") and event_type in MATERIAL_CONFLICT:
            return "MOBILIZE", None, stated, frame.claimed_by  # "prepared to resume shelling"
        future = bool(auxes & FUTURE_AUX) or frame.note.startswith("+intent")
        if future and modality in {Modality.ASSERTED, Modality.CLAIMED, Modality.INTENDED}:
            # PLOVER codes an announced cooperative act as the promise of it (AGREE), an
            # announced retreat as CONCEDE, an announced use of force as THREATEN; the
            # promise or threat is itself asserted (or claimed, if reported).
            if event_type in COOP_TYPES:
                return "AGREE", None, stated, frame.claimed_by
            if event_type == "RETREAT":
                return "CONCEDE", None, stated, frame.claimed_by
            if event_type in MATERIAL_CONFLICT:
                return "THREATEN", None, stated, frame.claimed_by
            if modality is Modality.ASSERTED:
                modality = Modality.INTENDED
        elif auxes & HYPOTHETICAL_AUX and modality is Modality.ASSERTED:
            modality = Modality.HYPOTHETICAL
        return event_type, mode, modality, frame.claimed_by

    # ---- assembly -----------------------------------------------------------------------

    def _make(self, tok: Token, p: Pattern, sent: Span, document: Document, src: Actor, tgt: Actor | None,
              event_type: str, mode: str | None, modality: Modality, claimed_by: Actor | None, rule: str,
              actors: DocActors) -> Event:
        start, end = _sentence_offsets(sent)
        context = tuple(dict.fromkeys(p.context + self._contexts(tok)))
        resolved = self.dates.resolve(actors.ents_in(sent), tok, document.date)
        confidence = BASE_CONFIDENCE[p.pos]
        if ":" in rule.split(p.name, 1)[-1]:
            confidence -= 0.1
        if src.name.lower() in {"he", "she", "his", "her"} or (tgt and tgt.name.lower() in {"he", "she"}):
            confidence -= 0.1
        ev = Event(
            id="",
            doc_id=document.id,
            event_type=event_type,
            mode=mode if mode in self.codebook.modes.get(event_type, frozenset()) else None,
            context=context,
            quad_class=self.codebook.quad_class[event_type],
            source=src,
            target=tgt,
            modality=modality,
            claimed_by=claimed_by,
            date=resolved.date,
            date_precision=resolved.precision,
            location=self._location(tok, sent, actors),
            sentence=document.text[start:end],
            start=start,
            end=end,
            trigger=tok.text,
            confidence=round(max(0.1, min(1.0, confidence)), 2),
            rule=rule,
            coder_version=self.version,
        )
        return replace(ev, id=event_id(document, ev, tok.idx))

    def _contexts(self, tok: Token) -> tuple[str, ...]:
        words = " ".join(t.lemma_.lower() for t in tok.sent)
        found = []
        for cue, ctx in self.context_cues.items():
            if f" {cue} " in f" {words} ":
                found.append(ctx)
        return tuple(sorted(set(found)))

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


# ---- helpers ----------------------------------------------------------------------------


def _key(a: Actor | None) -> str | None:
    return None if a is None else a.canonical


def _sentence_offsets(sent: Span) -> tuple[int, int]:
    toks = [t for t in sent if not t.is_space]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


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
    if noun.dep_ in {"dobj", "attr", "oprd"}:
        verb = noun.head
    elif noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in {"VERB", "AUX", "ADJ"}:
        verb = noun.head.head
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


COMPLEMENT_DEPS = {"dobj", "dative", "prep", "xcomp", "ccomp", "attr", "oprd", "pcomp", "pobj", "acomp", "agent",
                   "nsubjpass", "advmod", "prt"}
NOT_TARGET_PREPS = {"during", "after", "before", "since", "until", "despite", "because", "following", "amid",
                    "like", "than", "as", "within"}


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
            found = [a for a in actors.actors_for(c) if a.canonical not in own] if c.pos_ in {"NOUN", "PROPN"} else []
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


SPECULATION_NOUNS = {"suggestion", "speculation", "fear", "rumour", "rumor", "possibility", "prospect", "risk",
                     "danger", "talk", "likelihood", "chance", "threat", "spectre", "specter", "question"}


def _speculated(noun: Token) -> bool:
    """An event noun that is only talked about: "suggestions of strikes", "the risk of war"."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in {"of", "about", "over"}:
        return head.head.lemma_.lower() in SPECULATION_NOUNS
    return False


def _condition_subjects(verb: Token, actors: DocActors, own: set[str]) -> list[Actor]:
    """A threat's target is whoever its condition is about: "unless Baghdad accepts"."""
    for c in [*verb.children, *(g for x in verb.children if x.dep_ == "xcomp" for g in x.children)]:
        if c.dep_ == "advcl" and any(m.lower_ in {"if", "unless"} for m in c.children if m.dep_ == "mark"):
            subj = next((s for s in c.children if s.dep_ in SUBJ), None)
            found = [a for a in actors.actors_for(subj) if a.canonical not in own] if subj is not None else []
            if found:
                return found
    return []


def _self_report(speaker: Actor, source: Actor) -> bool:
    """The source itself, or its own state speaking for it ("its foreign minister said")."""
    if _key(speaker) == _key(source):
        return True
    return (speaker.key() is not None and speaker.key() == source.key() and speaker.sector in {None, "GOV", "MIL"}
            and source.kind in {"state", "org"})


ARMED_SECTORS = {"MIL", "REB", "UAF", "CRM", "PRM", "COP", "SPY"}


def _verbal_attack(src: Actor, tgt: Actor | None) -> bool:
    """A civilian person "attacking" a person or an organisation's policy attacks in words;
    an attack on a state, or by anyone armed, stays an assault."""
    return (src.kind == "person" and src.sector not in ARMED_SECTORS and tgt is not None
            and tgt.kind != "state" and tgt.sector not in ARMED_SECTORS)


# Verbs whose agentless passive still reports an attack ("were killed", not "was targeted by critics").
VIOLENT_VERBS = {"kill", "wound", "injure", "shoot", "bomb", "shell", "ambush", "behead", "assassinate", "massacre",
                 "murder", "abduct", "kidnap", "torture", "rape", "lynch", "stab", "execute", "gun"}
HUMAN_SECTORS = {"CVL", "MIL", "COP", "REF", "JRN", "MED", "EDU", "GOV", "REB", "LAB", "AGR", "REL", "LEG", "JUD",
                 "OPP", "PRM", "SPY"}
GENERIC_SOURCES = {"people", "public", "residents", "citizens", "many", "others", "some", "observers", "critics",
                   "analysts", "experts", "voters", "everyone", "someone", "nobody"}


def _human(actor: Actor | None) -> bool:
    """People, or a body of people: what an unidentified attacker can kill or wound."""
    return actor is not None and (actor.kind == "person" or actor.sector in HUMAN_SECTORS)


def _agentless(verb: Token) -> bool:
    """A main-clause passive with no "by" agent: "four soldiers were killed in an ambush".

    Background clauses ("the village where 30 people were killed in 2012") do not count."""
    if any(t.dep_ in {"relcl", "acl"} for t in [verb, *verb.ancestors]):
        return False
    return any(c.dep_ == "nsubjpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children)


def _obligation(verb: Token) -> bool:
    """ "must drop", "should ensure", "has to agree": a clause that states a demand."""
    if any(c.dep_ == "aux" and c.lower_ in OBLIGATION for c in verb.children):
        return True
    return verb.lemma_ in {"have", "need"} and any(c.dep_ == "xcomp" for c in verb.children)


def _between(tok: Token) -> list[Token]:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "between":
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None:
                return [pobj, *pobj.conjuncts]
    return []


def _home_country(mentions: list[Mention], strict: bool = False) -> str | None:
    """The country a stretch of text is about: the most named one (the earliest on a tie);
    ``strict`` (a whole article) also wants it named twice and at least half the time."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in mentions:
        if m.actor.country and m.actor.kind in {"state", "group"}:
            counts[m.actor.country] += 1
            first.setdefault(m.actor.country, m.start)
    if not counts:
        return None
    best = min(counts, key=lambda c: (-counts[c], first[c]))
    if strict and (counts[best] < 2 or counts[best] * 2 < sum(counts.values())):
        return None  # no country dominates the article: leave the actor unplaced rather than guess
    return best


def _fill_home_countries(events: list[Event], actors: DocActors) -> list[Event]:
    """Domestic actors the text does not place ("the judge", "opposition leader X",
    "Islamic fundamentalists") belong to the country their sentence, else their
    document, is about. The rule string records it (``+home``)."""
    if not events:
        return events
    doc_home = _home_country(actors.mentions, strict=len(actors.sents) > 1)
    sent_homes: dict[tuple[int, int], str | None] = {}  # one count per sentence, not per event
    out = []
    for e in events:
        if (e.start, e.end) not in sent_homes:
            sent_homes[(e.start, e.end)] = _home_country([m for m in actors.mentions if e.start <= m.start < e.end])
        sent_home = sent_homes[(e.start, e.end)]
        changed = {}
        for role in ("source", "target", "claimed_by"):
            a = getattr(e, role)
            if a is not None and a.country is None and a.igo is None and a.kind in {"person", "org", "group"}:
                # A person belongs to the country the article is about; a group to its sentence's.
                home = (doc_home or sent_home) if a.kind == "person" else (sent_home or doc_home)
                other = e.target if role == "source" else e.source
                if (home is not None and a.kind == "person" and e.event_type == "CONSULT" and other is not None
                        and other.country == home):
                    # A visitor or a host's guest is the one actor here who is NOT from the
                    # country the article is about: unknown beats that guess.
                    continue
                if (home is not None and role == "target" and e.source is not None and e.source.country == home
                        and e.source.kind == "state" and e.event_type in SELF_DIRECTED_OPTIONAL):
                    changed[role] = None  # "Ethiopia ... withdraw its troops": no one else is the target
                    continue
                if home is not None:
                    changed[role] = replace(a, country=home)
        out.append(replace(e, **changed, rule=e.rule + "+home") if changed else e)
    return out


def _infer_host_countries(events: list[Event], actors: DocActors) -> list[Event]:
    """A person met during a visit, with no country of their own in the text, is the host's.

    "On a visit to Peru, Minister Ortiz met his counterpart, General Soto": the text never
    says Soto is Peruvian, but Ortiz is visiting Peru, so the host side is PER.
    """
    hosts = {e.source.country: e.target.country for e in events
             if e.event_type == "CONSULT" and e.mode == "visit" and e.source and e.target
             and e.source.country and e.target.country and e.source.country != e.target.country}
    if not hosts:
        return events
    changed: dict[str, Actor] = {}
    meeting = actors.dictionary.titles.meeting_verbs
    for e in events:
        t = e.target
        if (e.event_type == "CONSULT" and e.source and e.source.country in hosts and t is not None
                and t.country is None and t.igo is None and (e.trigger.lower() in meeting or e.mode is None
                                                              or t.kind in {"person", "org"})):
            host = hosts[e.source.country]
            if t.kind == "person" and t.canonical in actors.persons:
                changed[t.canonical] = actors.update_person(t.canonical, country=host)
            else:
                changed[t.canonical] = replace(t, country=host)
    if not changed:
        return events
    out = []
    for e in events:
        src, tgt = e.source, e.target
        if src is not None and src.canonical in changed:
            src = replace(changed[src.canonical], name=src.name)
        if tgt is not None and tgt.canonical in changed:
            tgt = replace(changed[tgt.canonical], name=tgt.name)
        out.append(replace(e, source=src, target=tgt))
    return out


def _unplaced(src: Actor, tgt: Actor | None) -> bool:
    """Neither side is a state, organisation or person the text or dictionaries name."""
    def named(a: Actor) -> bool:
        return a.key() is not None or a.kind in {"person", "igo"}
    return not named(src) or (tgt is not None and not named(tgt))


def _temporal(prep: Token) -> bool:
    """A preposition whose object is a date or time ("on Friday", "in March")."""
    return any(g.dep_ == "pobj" and g.ent_type_ in {"DATE", "TIME"} for g in prep.children)


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
