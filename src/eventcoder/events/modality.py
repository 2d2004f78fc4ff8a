"""Modality: how the text presents an event (asserted, claimed, negated, intended, hypothetical)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ..actors.doc_actors import DocActors
from ..records import Actor, Modality
from .arguments import Arguments, _key, _subject
from .lexicon import Pattern
from .triggers import Triggers
from .words import (
    CLAIM_COPULA,
    COOP_TYPES,
    FUTURE_AUX,
    HYPOTHETICAL_AUX,
    LIGHT_VERBS,
    MATERIAL_CONFLICT,
    NEG_WORDS,
    NEUTRAL_SPEAKERS,
    NOMINAL_PATH,
    OBLIGATION,
    PLAN_VERBS,
    PREPARE_VERBS,
    PREVENT_VERBS,
    PROPOSAL_NOUNS,
    REPORTING_VERBS,
    SPECULATION_NOUNS,
    VOICED_BY_PROTEST,
    WILLING_ADJ,
)


@dataclass(frozen=True)
class Frame:
    modality: Modality
    claimed_by: Actor | None
    note: str


class ModalityReader:
    """Reads the frames around a trigger: speech and claims, denials, plans, conditionals, tense."""

    def __init__(self, triggers: Triggers, arguments: Arguments) -> None:
        self.triggers = triggers
        self.arguments = arguments

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
            hp = self.triggers.match(head)
            if rel == "ccomp" and _obligation(cur) and hp is not None and hp.frame == "speech":
                return None  # "Norway said Denmark must release them": coded as the speaker's demand
            if (cur is tok and rel in {"advcl", "xcomp", "acl"} and p.event_type in VOICED_BY_PROTEST
                    and self.arguments._protest_at(head)):
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
                        speaker = self.arguments._noun_speaker(head, actors)
                    else:
                        found = actors.actors_for(speaker_tok) if speaker_tok is not None else []
                        speaker = found[0] if found else None
                    trailing = hp.pos == "verb" and head.i > cur.i and head.lemma_ in {"say", "report", "tell"}
                    if speaker is not None and trailing and _neutral(speaker, speaker_tok):
                        # "..., a UN spokesman said", "..., residents said": sourcing, not a party's claim
                        note = note or f"+reported:{hp.name}"
                    elif speaker is not None and modality is Modality.ASSERTED:
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
            if rel in {"ccomp", "acl"} and head.pos_ == "NOUN" and head.lemma_ in PROPOSAL_NOUNS and cur is tok:
                return None  # "dismissed a US demand that it pull out": the demand is the event, not the pull-out
            if (rel == "xcomp" and head.pos_ == "ADJ" and head.lemma_ in WILLING_ADJ
                    and modality is Modality.ASSERTED):
                # "said it was ready to pull back": an announced act (CONCEDE, AGREE, THREATEN)
                modality, note = Modality.INTENDED, f"+intent:{head.lemma_}"
            if (rel == "pcomp" and head.lower_ == "from" and head.head.lemma_ in PREVENT_VERBS
                    and modality is Modality.ASSERTED):
                modality, note = Modality.NEGATED, f"+prevented:{head.head.lemma_}"  # "barred banks from providing"
            if head.lemma_ in CLAIM_COPULA and rel == "ccomp":
                subj = next((s for s in head.children if s.dep_ == "nsubj"), None)
                sp = self.triggers.match(subj) if subj is not None else None
                if sp is not None and sp.frame == "accuse" and subj is not None:
                    speaker = self.arguments._noun_speaker(subj, actors)
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
        # "said Britain would expel ...": in reported speech "would" is the reporter's "will"
        reported = tok.dep_ == "ccomp" and tok.head.lemma_ in REPORTING_VERBS and "would" in auxes
        future = bool(auxes & FUTURE_AUX) or frame.note.startswith("+intent") or reported
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


def _speculated(noun: Token) -> bool:
    """An event noun that is only talked about: "suggestions of strikes", "the risk of war"."""
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in {"of", "about", "over"}:
        return head.head.lemma_.lower() in SPECULATION_NOUNS
    return False


def _obligation(verb: Token) -> bool:
    """ "must drop", "should ensure", "has to agree": a clause that states a demand."""
    if any(c.dep_ == "aux" and c.lower_ in OBLIGATION for c in verb.children):
        return True
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    singular = subject is not None and subject.tag_ in {"NNP", "NN"}
    if (verb.dep_ == "ccomp" and subject is not None and (verb.tag_ == "VB" or (verb.tag_ == "VBP" and singular))
            and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children)):
        return True  # the subjunctive: "insisted that the firm pay damages"
    return verb.lemma_ in {"have", "need"} and any(c.dep_ == "xcomp" for c in verb.children)


def _self_report(speaker: Actor, source: Actor) -> bool:
    """The source itself, or its own state speaking for it ("its foreign minister said")."""
    if _key(speaker) == _key(source):
        return True
    return (speaker.key() is not None and speaker.key() == source.key() and speaker.sector in {None, "GOV", "MIL"}
            and source.kind in {"state", "org"})


def _neutral(speaker: Actor, speaker_tok: Token | None) -> bool:
    """A source that reports rather than takes sides: the UN, an NGO, the press, witnesses, police."""
    if speaker.igo in {"UNO", "NGO"} or speaker.sector in {"JRN"}:
        return True
    head = speaker_tok.lower_ if speaker_tok is not None else ""
    return head in NEUTRAL_SPEAKERS
