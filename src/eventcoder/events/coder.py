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

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..actors.doc_actors import DocActors
from ..records import Actor, Document, Event, Modality
from .arguments import (
    Arguments,
    _agentless,
    _human,
    _key,
    _reacted_to,
    _subject,
    _unplaced,
    _verbal_attack,
)
from .dates import DateResolver
from .discourse import _fill_home_countries, _infer_host_countries, answered
from .ids import event_id
from .lexicon import Codebook, Lexicon, Pattern
from .modality import Frame, ModalityReader, _obligation, _self_report
from .triggers import Triggers
from .words import (
    BASE_CONFIDENCE,
    BODY_NOUNS,
    CROWD_WORDS,
    GENERIC_SOURCES,
    JAILING_VERBS,
    MOTION_VERBS,
    MUTUAL_OBJECTS,
    PLACE_NOUNS,
    PLACE_TARGET_TYPES,
    POPULATION_NOUNS,
    SUBJ,
    VIOLENT_VERBS,
)

TRIGGER_POS = frozenset({"VERB", "AUX", "NOUN", "PROPN"})  # the parts of speech `Triggers.match` reads


class EventCoder:
    """Codes the sentences of one parsed document into `Event` records."""

    def __init__(self, lexicon: Lexicon, codebook: Codebook, contexts: dict[str, str], version: str) -> None:
        self.lexicon = lexicon
        self.triggers = Triggers(lexicon)
        self.arguments = Arguments(self.triggers)
        self.modality = ModalityReader(self.triggers, self.arguments)
        self.codebook = codebook
        self.context_cues = contexts  # lemma or phrase -> context
        self.version = version
        self.dates = DateResolver()
        self._heads: frozenset[int] | None = None  # lexicon head words as string hashes (on first use)
        self._trigger_pos: frozenset[int] = frozenset()

    # ---- entry point --------------------------------------------------------------------

    def code(self, document: Document, actors: DocActors, max_sentence_chars: int) -> list[Event]:
        events: list[Event] = []
        for sent in actors.sents:
            if not any(t.is_alpha for t in sent):
                continue
            start, end = _sentence_offsets(sent)  # a blanked neighbour's spaces are no part of it
            if end - start > max_sentence_chars:
                continue
            events.extend(self._code_sentence(sent, document, actors, events))
        return _fill_home_countries(_infer_host_countries(events, actors), actors)

    def codable_sentences(self, doc: Doc) -> list[Span]:
        """The sentences holding a trigger this coder acts on (an event word or a speech verb).

        Only tokens whose part of speech and lemma (or word) could head a lexicon entry
        are matched in full, read from the document's arrays without building a token each.
        """
        heads = self._trigger_hashes(doc)
        rows = doc.to_array(["POS", "LEMMA", "LOWER"]).tolist()
        hits = [i for i, (pos, lemma, lower) in enumerate(rows) if pos in self._trigger_pos
                and (lemma in heads or lower in heads or doc.vocab.strings[lower].endswith("ed"))]
        out: list[Span] = []
        for i in hits:
            tok = doc[i]
            if out and out[-1].start <= i < out[-1].end:
                continue
            p = self.triggers.match(tok)
            if p is not None and (p.event_type is not None or (p.frame == "speech" and any(_demand_clauses(tok)))):
                out.append(tok.sent)
        return out

    def _trigger_hashes(self, doc: Doc) -> frozenset[int]:
        if self._heads is None:
            strings = doc.vocab.strings
            self._trigger_pos = frozenset(strings[p] for p in TRIGGER_POS)
            self._heads = frozenset(strings.add(w) for w in (*self.lexicon.verbs, *self.lexicon.nouns))
        return self._heads

    # ---- sentences ----------------------------------------------------------------------

    def _code_sentence(self, sent: Span, document: Document, actors: DocActors, prior: list[Event]
                       ) -> list[Event]:
        consumed: set[int] = set()
        found: list[Event] = []
        for tok in sent:
            if tok.i in consumed:
                continue
            pattern = self.triggers.match(tok)
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


    # ---- one trigger's events -------------------------------------------------------------

    def _events_for(self, tok: Token, p: Pattern, sent: Span, document: Document,
                    actors: DocActors, earlier: tuple[list[Event], list[Event]]) -> Iterator[Event]:
        frame = self.modality._frame(tok, p, actors)
        if frame is None:
            return  # subsumed by a matrix verb's own event ("agreed to set up")
        if (p.mode == "visit" and p.pos == "verb" and tok.lemma_ in MOTION_VERBS
                and any(c.dep_ == "dobj" for c in tok.children)):
            return  # "flew him to Costa Rica" carries someone; it is no visit
        if p.pos == "verb":
            sources, targets, rule = self.arguments._verb_args(tok, p, actors)
        else:
            sources, targets, rule = self.arguments._noun_args(tok, p, actors)
        if (not sources and p.event_type == "ASSAULT" and targets and p.pos == "verb" and _agentless(tok)
                and tok.lemma_ in VIOLENT_VERBS and all(_human(t) for t in targets)):
            # "A car bomb killed two police officers", "villagers were killed in an ambush":
            # the attack is real even though the text names no attacker (PLOVER sector UAF).
            sources = [Actor("unidentified attackers", "unidentified attackers", None, None, "UAF", None, "unknown")]
            rule += ":unidentified"
        if not sources and p.event_type in {"COERCE", "SANCTION"} and p.pos == "verb" and _agentless(tok):
            # "A French journalist was detained in Tehran": arrests and sentences are the
            # acts of the authorities where they happen.
            place = self.arguments._location(tok, sent, actors)
            if place is not None and place.country:
                authority = f"authorities in {place.name}"
                sources = [Actor(authority, authority, place.country, None, "GOV", None, "org")]
                rule += ":place-authority"
        if self.codebook.quad_class.get(p.event_type or "", "").startswith("verbal"):
            sources = [a for a in sources if a.name.lower() not in GENERIC_SOURCES]  # "people asked ..."
        if not sources:
            return
        reciprocal = False
        joint = any(c.dep_ == "amod" and c.lower_ in {"joint", "combined"} for c in [
            *tok.children, *(g for o in tok.children if o.dep_ == "dobj" for g in o.children)])
        if joint and len(sources) > 1:
            # "Mexican and Guatemalan troops launched joint patrols": they act together
            sources, targets, reciprocal = sources[:1], sources[1:], True
            rule += ":joint"
        mutual = p.pos == "noun" or p.event_type in {"CONSULT", "AGREE", "COOPERATE", "ASSAULT"} or any(
            c.dep_ == "poss" and c.lower_ == "their" for o in tok.children if o.dep_ == "dobj" for c in o.children) or (
            any(o.dep_ == "dobj" and o.lemma_ in MUTUAL_OBJECTS for o in tok.children))  # "restored relations"
        complement_only = rule.endswith(":complement") and p.event_type in {"AGREE", "CONSULT", "COOPERATE"}
        if (not targets or complement_only) and len(sources) > 1 and mutual:
            # "Peru and Chile again could not settle the quota dispute": the parties are each other's
            sources, targets, reciprocal = sources[:1], sources[1:], True
        if not targets:
            targets = answered(tok, earlier, sources, self.triggers.match)
            rule += ":anaphor" if targets else ""
        if not targets:
            targets = [a for a in _reacted_to(tok, actors) if a.canonical not in {s.canonical for s in sources}]
            rule += ":reaction" if targets else ""
        if not targets and p.event_type == "PROTEST":
            targets = self.arguments._protest_aim(tok, actors, sources)
            rule += ":aim" if targets else ""
        if not targets and p.event_type in PLACE_TARGET_TYPES:
            # "Turkish jets struck positions in northern Syria": an attack on a place targets its state.
            place = self.arguments._location(tok, sent, actors)
            domestic_ok = p.event_type in {"PROTEST", "COERCE"}
            if place is not None and place.country and (domestic_ok or all(place.country != s.country
                                                                           for s in sources)):
                targets = [Actor(place.name, place.name, place.country, None, None, None, "state")]
                rule += ":place"
        event_type, mode, modality, claimed_by = self.modality._type_and_modality(tok, p, frame)
        if p.frame == "commit" and event_type == "AGREE":
            # "agreed to withdraw its troops", "promised to free prisoners": an announced retreat is CONCEDE
            inner = next((self.triggers.match(c) for c in tok.children if c.dep_ == "xcomp"), None)
            if inner is not None and ((inner.event_type == "CONCEDE" and inner.origin == "hand") or (
                    inner.event_type == "RETREAT" and inner.mode in {"withdraw", "release", "disarm", "ceasefire",
                                                                     "resign"})):
                event_type, mode = "CONCEDE", None
            elif inner is not None and inner.event_type in {"ASSAULT", "COERCE", "SANCTION"}:
                event_type, mode = "THREATEN", None  # "vowed to strike back": an announced use of force
        if reciprocal and event_type in {"MOBILIZE", "ASSAULT"} and rule.endswith(":joint"):
            event_type, mode = "COOPERATE", None
        if reciprocal and event_type == "MOBILIZE":
            event_type, mode = "COOPERATE", None  # "India and France hold naval drills": joint, so cooperation
        if not targets and event_type == "COERCE" and mode in {"curfew", "martial-law"}:
            # "imposed a state of emergency": emergency rule falls on the source's own country
            home = next((s for s in sources if s.country), None)
            if home is not None:
                name = home.country or ""
                targets = [Actor(name, name, home.country, None, None, None, "state")]
                rule += ":domestic"
        if not targets and event_type == "ASSAULT" and any(
                c.dep_ == "dobj" and c.lemma_ in PLACE_NOUNS for c in tok.children):
            targets = [None]  # type: ignore[list-item]  # "shelled villages": an attack on no one we can name
            rule += ":unplaced"
        if not targets:
            # "will not accept the plan": a refusal to agree or meet needs no named target
            refused = event_type == "REJECT" and p.event_type in {"AGREE", "CONSULT"}
            if not (p.target_optional or refused):
                return
            targets = [None]  # type: ignore[list-item]
        pairs = [(s, t) for s in sources for t in targets]
        if reciprocal and event_type == p.event_type == "ASSAULT":
            pairs += [(t, s) for s, t in pairs if t is not None]  # "Indian and Pakistani troops exchanged fire"
        for src, tgt in pairs:
            if p.origin == "cameo" and _unplaced(src, tgt):
                # Converted PETRARCH-2 patterns, like PETRARCH itself, code only between actors
                # the dictionaries place: "the firm argued ..." is no political event.
                continue
            kind, kind_mode = event_type, mode
            if kind == "ASSAULT" and _verbal_attack(src, tgt):
                kind = "ACCUSE"  # "Howard attacked Blair": politicians attack with words
            elif kind == "ASSAULT" and tok.lemma_ in {"raid", "search", "storm"} and src.sector == "COP":
                kind, kind_mode = "COERCE", "seize"  # a police raid is coercion, not an armed attack
            elif (kind == "ASSAULT" and tok.lemma_ == "strike" and tok.pos_ == "NOUN"
                  and src.sector in {"LAB", "CVL", "EDU", "MED", "AGR", "OPP", "BUS"}):
                kind, kind_mode = "PROTEST", "strike"  # "oil workers extended their strike"
            elif kind == "ASSAULT" and set(src.name.lower().split()) & CROWD_WORDS:
                kind, kind_mode = "PROTEST", "riot"  # "protesters stormed the residence": a riot
            elif (kind == "RETREAT" and (mode == "withdraw" or tok.lemma_ in {"quit", "leave", "exit"})
                  and tgt is not None and (tgt.kind == "igo" or set(tgt.name.lower().split()) & BODY_NOUNS)):
                kind, kind_mode = "SANCTION", "withdraw"  # "pulled out of the ICC": leaving a body
            if tgt is not None and (src.canonical == tgt.canonical or src.name == tgt.name):
                continue
            if (tgt is not None and kind in {"AGREE", "AID", "CONCEDE", "SUPPORT", "CONSULT", "COOPERATE", "THREATEN"}
                    and tgt.kind in {"group", "org"} and _population(tgt.name)):
                continue  # "promised every pupil a laptop": the public at large is no one's counterpart
            if mode == "visit" and tgt is not None and tgt.kind == "org" and tgt.sector is None:
                continue  # "visits Torbay": a place we cannot place is no one visited
            if modality is Modality.CLAIMED and claimed_by is not None and _self_report(claimed_by, src):
                modality, who = Modality.ASSERTED, None  # a self-report is the source's own statement
            else:
                who = claimed_by if modality is Modality.CLAIMED else None
            if kind == "SANCTION" and tok.lemma_ in JAILING_VERBS and tgt is not None:
                # "sentenced him to 12 years in prison": a conviction that also detains
                yield self._make(tok, p, sent, document, src, tgt, "COERCE", "arrest", modality, who,
                                 rule + ":jailed" + frame.note, actors)
            # a type changed here keeps only a mode chosen for it ("PROTEST riot"), never the old type's
            yield self._make(tok, p, sent, document, src, tgt, kind,
                             kind_mode if kind == event_type or kind_mode != mode else None,
                             modality, who,
                             rule + ("+reciprocal" if reciprocal else "") + frame.note, actors)

    def _demands(self, tok: Token, p: Pattern, sent: Span, document: Document, actors: DocActors) -> list[Event]:
        """ "Norway said Denmark must release the crews": the speaker demands of Sudan (REQUEST)."""
        out: list[Event] = []
        clauses, blamed = _demand_clauses(tok)
        speaker_tok, _ = _subject(tok)
        sources = actors.actors_for(speaker_tok) if (clauses or blamed) and speaker_tok is not None else []
        if not sources:
            return out
        frame = self.modality._frame(tok, p, actors) or Frame(Modality.ASSERTED, None, "")
        accuse = replace(p, event_type="ACCUSE", frame=None)
        for clause in blamed:
            # "Washington said Iran was responsible": the speaker accuses whoever it holds responsible
            subj = next((s for s in clause.children if s.dep_ in SUBJ), None)
            for src in sources:
                for tgt in actors.actors_for(subj) if subj is not None else []:
                    if src.canonical != tgt.canonical:
                        out.append(self._make(tok, accuse, sent, document, src, tgt, "ACCUSE", "allege",
                                              frame.modality, frame.claimed_by, f"{p.name}+blame" + frame.note,
                                              actors))
        demand = replace(p, event_type="REQUEST", frame=None)
        rule = f"{p.name}+must"
        for clause in clauses:
            subj = clause if clause.dep_ == "dobj" else next((s for s in clause.children if s.dep_ in SUBJ), None)
            targets = actors.actors_for(subj) if subj is not None else []
            for src in sources:
                for tgt in targets:
                    if src.canonical != tgt.canonical:
                        out.append(self._make(tok, demand, sent, document, src, tgt, "REQUEST", None,
                                              frame.modality, frame.claimed_by, rule + frame.note, actors))
        return out

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
            location=self.arguments._location(tok, sent, actors),
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


# ---- helpers ----------------------------------------------------------------------------


def _sentence_offsets(sent: Span) -> tuple[int, int]:
    toks = [t for t in sent if not t.is_space]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _demand_clauses(tok: Token) -> tuple[list[Token], list[Token]]:
    """A speech verb's clauses that state a demand ("said Y must ..."; "told them to move",
    where the addressee stands for the clause) and those that lay blame ("said Iran was responsible")."""
    clauses = [c for c in tok.children if c.dep_ == "ccomp" and _obligation(c)]
    blamed = [c for c in tok.children if c.dep_ == "ccomp" and _blame(c)]
    told = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if tok.lemma_ == "tell" and told is not None and any(
            c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for c in tok.children):
        clauses.append(told)  # "told the Palestinians to move south": an order to them
    return clauses, blamed


def _blame(clause: Token) -> bool:
    """ "Iran was (directly) responsible", "the rebels were behind the attack", "Kyiv was to blame"."""
    if clause.lemma_ != "be":
        return False
    for c in clause.children:
        if c.dep_ == "acomp" and c.lemma_ in {"responsible", "guilty", "culpable", "liable"}:
            return True
        if c.dep_ == "prep" and c.lower_ == "behind":
            return True
        if c.dep_ == "xcomp" and c.lemma_ == "blame":
            return True
    return False


def _population(name: str) -> bool:
    """The public at large, not an actor: "people", "every pupil", "many small firms", "voters"."""
    words = name.lower().split()
    return bool(words) and (words[0] in {"every", "many", "all", "some", "most", "ordinary"}
                            or words[-1] in POPULATION_NOUNS)
