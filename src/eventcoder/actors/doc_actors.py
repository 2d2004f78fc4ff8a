"""Who a noun phrase is: the read side of one document's actors.

`DocActors` answers the event coder's question "who is this?" (`actors_for`) from the
mentions `ActorResolver` found: the gazetteer and dictionaries first, then country
attribution from modifiers, places and appositions, then coreference (pronouns, "the
minister", "the two leaders", "the bloc"). It never changes a mention after resolution.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..records import Actor, Mention
from .dictionary import ActorDictionary
from .knowledge import Knowledge

KNOWN_KINDS = {"igo": "igo", "group": "group", "org": "org"}
OFFICE_WORDS = {"administration", "government", "cabinet", "camp", "presidency", "regime"}

PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "itself", "themselves"}
# Heads that name a body of people; their modifiers say which ("opposition groups").
COLLECTIVE_NOUNS = {"group", "groups", "members", "leaders", "elders", "wing", "faction", "factions", "movement",
                    "coalition", "front", "organization", "organisation", "council", "committee", "alliance",
                    "association", "network", "supporters", "youths", "men", "women", "figures", "camp", "bloc",
                    "officers", "chief", "chiefs", "representatives", "circles", "sources", "units"}
IGO_NOUNS = {"bloc", "alliance", "organisation", "organization", "union", "body", "council", "agency", "mission"}
COUNTRY_NOUNS = {"country", "nation", "state", "republic", "kingdom"}
# "Thousands of Georgians", "members of Hamas": the actor is the "of" phrase.
QUANTITY_NOUNS = {"thousands", "hundreds", "dozens", "scores", "millions", "tens", "members", "group", "groups",
                  "some", "many", "most", "all", "crowds", "crowd", "leaders", "representatives", "delegation",
                  "units", "supporters"}


@dataclass
class DocActors:
    """Per-document actor state; built by `ActorResolver`, read by the event coder."""

    doc: Doc
    dictionary: ActorDictionary
    knowledge: Knowledge = field(default_factory=Knowledge.empty)
    day: date | None = None  # the document's date: roles in the dictionaries are dated
    skipped: int = 0  # stretches of text the first pass blanked (`events.prefilter`)
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    persons: dict[str, Actor] = field(default_factory=dict)  # canonical -> person
    person_at: dict[int, str] = field(default_factory=dict)  # token index -> canonical
    # Computed once: spaCy rebuilds doc.ents and doc.sents on every access, which is
    # quadratic over a long document.
    ents: tuple[Span, ...] = ()
    ent_at: dict[int, Span] = field(default_factory=dict)
    sents: tuple[Span, ...] = ()
    _ent_starts: list[int] = field(default_factory=list)
    _resolving: set[int] = field(default_factory=set)  # tokens being resolved now (cycle guard)

    def index(self) -> None:
        self.ents = tuple(self.doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.ent_at = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.sents = tuple(self.doc.sents)

    def ents_in(self, span: Span) -> list[Span]:
        lo = bisect.bisect_left(self._ent_starts, span.start)
        out = []
        for e in self.ents[lo:]:
            if e.start >= span.end:
                break
            if e.end <= span.end:
                out.append(e)
        return out

    def sentences_before(self, i: int, n: int) -> list[Span]:
        """The sentence holding token ``i`` and the ``n - 1`` before it."""
        lo, hi = 0, len(self.sents)
        while lo < hi:  # first sentence starting after i
            mid = (lo + hi) // 2
            if self.sents[mid].start <= i:
                lo = mid + 1
            else:
                hi = mid
        return list(self.sents[max(0, lo - n):lo])

    # ---- public queries -------------------------------------------------------------

    def actors_for(self, tok: Token) -> list[Actor]:
        """The actors a noun phrase headed by ``tok`` refers to, conjuncts included."""
        pair = self._the_two(tok)
        if pair:
            return pair
        vague = tok.lower_ in {"sides", "parties", "factions"}
        if vague and any(c.lower_ in {"two", "both", "all"} for c in tok.lefts):
            return []  # "urged both sides to show restraint" with no two sides named: nobody in particular
        out: list[Actor] = []
        heads = [tok]
        if self._is_state(tok):
            # "Saudi Arabia, the UAE, Bahrain and Egypt": the parser often hangs a list of states
            # on the first as an apposition; a state in apposition to a state is the next item.
            heads += [c for c in tok.children if c.dep_ == "appos" and self._is_state(c)]
        of_states = [c for p in tok.children if p.dep_ == "prep" and p.lower_ == "of" for c in p.children
                     if c.dep_ == "pobj" and self._is_state(c)]
        # Only conjuncts after the head: "Tehran and Baku" from "Tehran", never back to an earlier one.
        for t in [h for head in heads for h in (head, *(c for c in head.conjuncts if c.i > head.i))]:
            actor = self.actor_for(t)
            if (actor is not None and out and t is not tok and actor.kind in {"group", "org"} and actor.country is None
                    and out[0].country and out[0].kind in {"group", "org"} and tok.pos_ == "NOUN"):
                # "Israeli helicopters and tanks": the first conjunct's country modifier covers the second
                actor = replace(actor, country=out[0].country)
            if actor is not None and all(a.canonical != actor.canonical for a in out):
                out.append(actor)
            if actor is not None and actor.kind in {"org", "group"}:
                out += [a for a in self._conjoined_modifiers(t, actor) if all(a.canonical != b.canonical for b in out)]
        if out and out[0].kind in {"org", "group"}:
            # "the foreign ministers of Greece and Turkey", "the independence of Slovenia and Croatia"
            for state in of_states:
                for conj in state.conjuncts:
                    m = self.by_token.get(conj.i)
                    if conj.i > state.i and m is not None and m.actor.kind == "state" and m.actor.country:
                        name = f"{self._phrase_text(tok).split(' of ')[0]} of {m.text}"
                        extra = Actor(name, name, m.actor.country, None, out[0].sector, None, out[0].kind)
                        if all(extra.country != a.country for a in out):
                            out.append(extra)
        return out

    def _is_state(self, tok: Token) -> bool:
        m = self.by_token.get(tok.i)
        return m is not None and m.actor.kind == "state"

    def _the_two(self, tok: Token) -> list[Actor]:
        """ "The two leaders", "both countries", "the two sides": the last two named."""
        low = tok.lower_
        if not any(c.lower_ in {"two", "both"} for c in tok.lefts):
            return []
        if low in {"leaders", "ministers", "presidents", "men", "officials", "premiers"}:
            seen = [self.persons[self.person_at[i]] for i in sorted(self.person_at) if i < tok.i]
        elif low in {"countries", "nations", "sides", "governments", "states", "neighbours", "neighbors"}:
            seen = [m.actor for m in self.mentions if m.end <= tok.idx and m.actor.kind == "state"]
        else:
            return []
        last: list[Actor] = []
        for a in reversed(seen):
            if all(a.canonical != b.canonical for b in last):
                last.append(a)
            if len(last) == 2:
                return list(reversed(last))
        return []

    def _conjoined_modifiers(self, tok: Token, actor: Actor) -> list[Actor]:
        """ "French and German troops": one actor per conjoined country modifier."""
        out = []
        for child in tok.lefts:
            if child.dep_ in {"amod", "compound", "nmod"} and child.i in self.by_token:
                for conj in child.conjuncts:
                    m = self.by_token.get(conj.i)
                    if m is not None and m.actor.kind == "state" and m.actor.country != actor.country:
                        name = f"{m.text} {tok.text}"
                        out.append(Actor(name, name, m.actor.country, None, actor.sector, None, actor.kind))
        return out

    def actor_for(self, tok: Token) -> Actor | None:
        """Who the noun phrase headed by ``tok`` is, or None."""
        if tok.i in self._resolving:
            return None  # "some of them", where "them" points back to "some": no actor, no loop
        self._resolving.add(tok.i)
        try:
            return self._actor_for(tok)
        finally:
            self._resolving.discard(tok.i)

    def _actor_for(self, tok: Token) -> Actor | None:
        low = tok.lower_
        if low in PRONOUNS:
            return self._pronoun(tok)
        if low in GROUP_PRONOUNS:
            return self._group_pronoun(tok)
        if tok.i in self.person_at:
            return self._person_actor(self.person_at[tok.i], tok)
        # A person in apposition or inside the phrase wins over the title or country around it.
        person = self._person_in_phrase(tok)
        if person is not None:
            return person
        mention = self.by_token.get(tok.i)
        if mention is not None:
            if mention.actor.kind == "group" and mention.actor.country is None:
                place = self._attached_place(tok)
                if place is not None:
                    return replace(mention.actor, country=place.actor.country)
            return self.state_actor(mention)
        if tok.lower_ in COUNTRY_NOUNS and any(c.lower_ in {"this", "that"} for c in tok.lefts):
            return self._recent_country(tok)
        if tok.lower_ in IGO_NOUNS and any(c.lower_ == "the" for c in tok.lefts):
            named = [m for m in self.mentions if m.end <= tok.idx and m.actor.kind == "igo"]
            if named:  # "the bloc", "the alliance": the organisation last named
                return named[-1].actor.renamed(self._phrase_text(tok))
        if tok.lower_ in QUANTITY_NOUNS or tok.like_num:
            of = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                       for g in c.children if g.dep_ == "pobj"), None)
            if of is not None:
                return self.actor_for(of)
        if tok.pos_ not in {"NOUN", "PROPN"}:
            return None
        country_mention = self._modifier_mention(tok)
        if country_mention is not None:
            # "Israeli soldiers", "Poland's parliament", "Iraqi towns": the modifier's country acts.
            base = country_mention.actor
            words = self._phrase_text(tok)
            # The noun's own words decide the sector ("PKK fighters" are REB even if the PKK is a party).
            own_words = words.replace(country_mention.text, " ")
            sector = self.dictionary.sector_of(own_words) or base.sector
            org = next((self._org_entity(c) for c in tok.children if c.dep_ == "appos" and c.ent_type_ == "ORG"),
                       None)
            if org is not None:  # "the Chinese company Huawei"
                return Actor(org.name, org.canonical, base.country, None, sector or org.sector, None, "org")
            if self._is_role_head(tok):
                prior = self._recent_person_with_role(tok, base.country)
                if prior is not None:
                    return prior
            # Its own identity ("Iraqi Kurds" can protest against Iraq), its modifier's country.
            return Actor(words, words if words != country_mention.text else base.canonical, base.country,
                         base.igo, sector, None, "org" if base.kind == "state" else base.kind)
        if self._is_role_head(tok) and any(c.dep_ in {"det", "poss"} for c in tok.lefts):
            prior = self._recent_person_with_role(tok, None)
            if prior is not None:
                return prior
            owner = next((c for c in tok.lefts if c.dep_ == "poss" and c.lower_ in GROUP_PRONOUNS), None)
            whose = self.actor_for(owner) if owner is not None else None
            if whose is not None:  # "its foreign minister": an office of the state just named
                words = self._phrase_text(tok)
                return Actor(words, words, whose.country, whose.igo, self.dictionary.sector_of(words), None, "org")
        org = self._org_entity(tok)
        if org is not None:
            return org
        if tok.pos_ == "PROPN":
            known = self._known_surname(tok)
            if known is not None:
                return known
            listed = self.knowledge.lookup(tok.text)
            held = listed.role_on(self.day) if listed is not None and listed.kind != "place" else None
            if listed is not None and held is not None:
                # an acronym the tagger left untyped ("ELN"), a listed surname it took for a place ("Medina")
                kind = KNOWN_KINDS.get(listed.kind, "person")
                return Actor(tok.text, listed.name, held.country, held.igo, held.sector, held.role, kind)
        return self._sector_group(tok)

    def _sector_group(self, tok: Token) -> Actor | None:
        """An unnamed group known by what it is: "opposition groups in Zimbabwe", "the court".

        Kept with its surface name and sector; its country comes from a place attached
        to it ("in Zimbabwe", "based in Trinidad"), else it stays open for the coder's
        document-country rule.
        """
        head_sector = self._sector_word(tok)
        if head_sector is None and tok.lower_ not in COLLECTIVE_NOUNS:
            return None
        words = self._phrase_text(tok)
        sector = self.dictionary.sector_of(words) or head_sector
        if sector is None:
            return None
        if head_sector == "UAF":
            # "gunmen", "assailants": unidentified attackers have no country (not even the place's)
            return Actor(words, words, None, None, "UAF", None, "unknown")
        place = self._attached_place(tok)
        country = place.actor.country if place is not None else None
        return Actor(words, words, country, None, sector, None, "group")

    def _attached_place(self, tok: Token) -> Mention | None:
        """A state named in a place phrase on the noun: "in Zimbabwe", "based in Trinidad"."""
        heads = [tok] + [c for c in tok.children if c.dep_ in {"acl", "amod"} and c.tag_ == "VBN"]
        for h in heads:
            for prep in h.children:
                if prep.dep_ == "prep" and prep.lower_ in {"in", "from", "throughout", "across", "of", "inside"}:
                    for pobj in prep.children:
                        for t in pobj.subtree:
                            m = self.by_token.get(t.i)
                            if m is not None and m.actor.kind == "state" and m.actor.country:
                                return m
        return None

    def _known_surname(self, tok: Token) -> Actor | None:
        """A bare surname the tagger missed ("Ruto met ...") is the person already named."""
        for canonical, person in self.persons.items():
            if len(canonical.split()) > 1 and canonical.split()[-1] == tok.text:
                return person.renamed(tok.text)
        return None

    def all_actors(self) -> list[Actor]:
        seen: dict[str, Actor] = {}
        for m in self.mentions:
            a = self.persons.get(m.actor.canonical, m.actor) if m.actor.kind == "person" else m.actor
            seen.setdefault(a.canonical, a)
        return list(seen.values())

    # ---- internals ----------------------------------------------------------------------

    def _person_actor(self, canonical: str, tok: Token) -> Actor:
        person = self.persons[canonical]
        return person.renamed(self._mention_text(tok) or person.canonical)

    def _mention_text(self, tok: Token) -> str | None:
        m = self.by_token.get(tok.i)
        return m.text if m else None

    @staticmethod
    def state_actor(mention: Mention) -> Actor:
        """A capital that acts is its government: "Tehran said" is IRN GOV."""
        a = mention.actor
        if mention.via == "capital":
            return replace(a, sector="GOV", role="capital as metonym")
        return a

    def _phrase_text(self, tok: Token) -> str:
        left = [t for t in tok.lefts if t.dep_ in {"amod", "compound", "nmod", "det", "poss", "case"}]
        start = min([tok.i] + [t.left_edge.i for t in left])
        end = tok.i + 1
        for r in tok.rights:
            if r.dep_ == "prep" and r.lower_ == "of":
                end = r.right_edge.i + 1
                break
        words = self.doc[start:end]
        text = words.text
        if words and words[0].lower_ in {"the", "a", "an"}:
            text = words[1:].text
        return text

    def _person_in_phrase(self, tok: Token) -> Actor | None:
        for child in tok.children:
            if child.dep_ == "appos":
                for t in child.subtree:
                    if t.i in self.person_at:
                        return self._person_actor(self.person_at[t.i], t)
        if self._is_role_head(tok) or tok.dep_ in {"pobj", "dobj", "nsubj", "nsubjpass"}:
            for t in tok.subtree:
                if t.i in self.person_at and t.i != tok.i:
                    # Only through compounds, appositions and "of": not "near the village of X".
                    path_ok = True
                    h = t
                    while h.i != tok.i and h.head.i != h.i:
                        if h.dep_ not in {"compound", "appos", "pobj", "prep", "nmod", "flat", "amod"} or (
                                h.dep_ == "prep" and h.lower_ != "of"):
                            path_ok = False
                            break
                        h = h.head
                    if path_ok:
                        return self._person_actor(self.person_at[t.i], t)
        return None

    def _modifier_mention(self, tok: Token) -> Mention | None:
        for child in tok.lefts:
            if child.dep_ in {"amod", "compound", "poss", "nmod"}:
                m = self.by_token.get(child.i)
                if m is not None and m.actor.kind != "person":
                    return m
                for grand in child.lefts:  # "Russian Shahed drones", "Israeli army units", "Pakistan-based"
                    located = grand.dep_ == "npadvmod" and child.lower_ in {"based", "led"}
                    # "Sri Lanka's Tamil Tiger rebels"
                    near = grand.dep_ in {"amod", "compound", "nmod", "poss"} or located
                    m = self.by_token.get(grand.i) if near else None
                    if m is not None and m.actor.kind != "person":
                        return m
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in {"of", "from"}:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        m = self.by_token.get(pobj.i)
                        if m is not None and m.actor.kind != "person":
                            return m
        return None

    def _sector_word(self, tok: Token) -> str | None:
        return self.dictionary.sector_of(tok.text) or self.dictionary.sector_of(tok.lemma_)

    def _is_role_head(self, tok: Token) -> bool:
        return tok.lower_ in self.dictionary.titles.role_words and tok.pos_ in {"NOUN", "PROPN"}

    def _recent_person_with_role(self, tok: Token, country: str | None) -> Actor | None:
        word = tok.lower_
        best: tuple[int, str] | None = None
        for i, canonical in self.person_at.items():
            if i >= tok.i:
                continue
            p = self.persons[canonical]
            if p.role and word in p.role.lower().split() and (country is None or p.country == country):
                if best is None or i > best[0]:
                    best = (i, canonical)
        if best is None:
            return None
        return self.persons[best[1]].renamed(self._phrase_text(tok))

    def _pronoun(self, tok: Token, depth: int = 0) -> Actor | None:
        """He/she: the person who was last the subject, in this sentence or the three before."""
        if depth > 3:
            return None
        for subj in self._subjects_before(tok, 4):
            found = self._pronoun(subj, depth + 1) if subj.lower_ in PRONOUNS else self.actor_for(subj)
            if found is not None and found.kind == "person":
                return found.renamed(tok.text)
        earlier = [i for i in self.person_at if i < tok.i]
        if earlier:
            return self.persons[self.person_at[max(earlier)]].renamed(tok.text)
        # "The Moroccan king said he would not meet ...": the speaker, named by office only.
        for anc in tok.ancestors:
            speaker = next((c for c in anc.children if c.dep_ == "nsubj" and c.i < tok.i
                            and c.lower_ not in PRONOUNS), None)
            if speaker is not None and self._is_role_head(speaker):
                found = self.actor_for(speaker)
                if found is not None:
                    return found.renamed(tok.text)
        return None

    def _group_pronoun(self, tok: Token) -> Actor | None:
        """It/they: the non-person actor that governs the clause ("Syria says it will not
        accept"), else the latest non-person subject in this sentence or the two before.
        An object pronoun ("expelled three diplomats, accusing them") is the object before it."""
        if tok.dep_ in {"dobj", "pobj"} and tok.lower_ in {"them", "it"}:
            for anc in list(tok.ancestors)[1:]:
                obj = next((c for c in anc.children if c.dep_ == "dobj" and c.i < tok.i), None)
                found = self.actor_for(obj) if obj is not None else None
                if found is not None:
                    return found.renamed(tok.text)
        for anc in tok.ancestors:
            if anc.pos_ not in {"VERB", "AUX"}:
                continue
            subj = next((c for c in anc.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i != tok.i
                         and c.lower_ not in GROUP_PRONOUNS), None)
            if subj is not None and subj.i < tok.i:
                found = self.actor_for(subj)
                if found is not None and found.kind != "person":
                    return found.renamed(tok.text)
        for subj in self._subjects_before(tok, 3):
            if subj.lower_ not in GROUP_PRONOUNS | PRONOUNS:
                found = self.actor_for(subj)
                if found is not None and found.kind != "person":
                    return found.renamed(tok.text)
        return None

    def _subjects_before(self, tok: Token, n_sentences: int) -> Iterator[Token]:
        """Subjects before ``tok``, nearest first, in its sentence and the ones before."""
        for sent in reversed(self.sentences_before(tok.i, n_sentences)):
            yield from reversed([t for t in sent if t.dep_ in {"nsubj", "nsubjpass"} and t.i < tok.i])

    def _recent_country(self, tok: Token) -> Actor | None:
        prior = [m for m in self.mentions if m.end <= tok.idx and m.actor.kind == "state" and m.actor.country]
        if not prior:
            return None
        a = prior[-1].actor
        return Actor(self._phrase_text(tok), a.canonical, a.country, None, a.sector, None, "state")

    def _org_entity(self, tok: Token) -> Actor | None:
        """A named organisation the dictionaries do not know is kept under its own name."""
        if tok.ent_type_ not in {"ORG", "NORP"}:
            return None
        ent = self.ent_at.get(tok.i)
        if ent is None:
            return None
        sector = self.dictionary.sector_of(ent.text)
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        known = self.knowledge.lookup(text)
        # "the Organisation of African Unity": the dictionary knows the name whatever word heads it
        known_org = (tok.i == ent.end - 1 or tok == ent.root) and known is not None
        if sector is None and not known_org and (ent.label_ != "ORG" or tok.i != ent.end - 1):
            return None
        held = known.role_on(self.day) if known is not None and known.kind in KNOWN_KINDS else None
        if known is not None and held is not None:
            return Actor(text, known.name, held.country, held.igo, sector or held.sector, held.role,
                         KNOWN_KINDS[known.kind])
        if known is not None and known.kind == "person" and tok.i == ent.end - 1 and len(ent) == 1:
            person = known.role_on(self.day)  # a listed surname the tagger took for an organisation
            if person is not None:
                return Actor(text, known.name, person.country, person.igo, person.sector, person.role, "person")
        if known is not None and known.kind == "person" and OFFICE_WORDS & set(text.lower().split()):
            office = known.role_on(self.day)  # "the Bush administration" is the state Bush led
            if office is not None and (office.country or office.igo):
                return Actor(text, text, office.country, office.igo, "GOV", None, "org")
        place = self._attached_place(tok)
        return Actor(text, text, place.actor.country if place else None, None, sector, None, "org")
