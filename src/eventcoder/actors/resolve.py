"""Mentions in one document, the build side: gazetteer, places, persons with roles.

`ActorResolver.resolve(doc, date)` finds every mention once and returns a `DocActors`
(`doc_actors.py`, the read side) that the event coder asks "who is this noun phrase?".
Persons get their country and role from the text first (the title phrase before the
name, "Chilean interior minister Ana Rojas"; a possessive or demonym on it), then from
the dictionaries with the role valid on the document's date (`knowledge.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..records import Actor, Mention
from .dictionary import ActorDictionary, Entry
from .doc_actors import DocActors
from .knowledge import Knowledge, KnownActor

__all__ = ["ActorResolver", "DocActors"]

PLACE_LABELS = {"GPE", "LOC", "FAC"}


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class ActorResolver:
    """Finds actor mentions in a parsed document."""

    def __init__(self, dictionary: ActorDictionary, nlp: Language, knowledge: Knowledge | None = None) -> None:
        self.dictionary = dictionary
        self.knowledge = knowledge or Knowledge.empty()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.tokenizer = nlp.tokenizer
        self._entries: dict[str, Entry] = {}
        for surface, entry in dictionary.entries.items():
            key = f"{entry.kind}:{surface}"
            self._entries[key] = entry
            self.matcher.add(key, [nlp.make_doc(surface)])
        t = dictionary.titles
        self._strip = {w.lower() for w in t.ranks | t.honorifics} | {a.lower() for a in t.abbreviations}

    def resolve(self, doc: Doc, pub_date: str | None = None, skipped: Sequence[tuple[int, str]] = ()
                ) -> DocActors:
        """Every actor mention of ``doc``; dated roles are read as of ``pub_date``.

        ``skipped`` are the (offset, text) stretches the first pass blanked: the model never
        read them, but the states, capitals and groups they name still tell which countries
        the document is about, so the gazetteer reads them (tokens only, no NER).
        """
        state = DocActors(doc, self.dictionary, knowledge=self.knowledge, day=_parse_day(pub_date),
                          skipped=len(skipped))
        state.index()
        self._gazetteer(doc, state)
        for offset, text in skipped:
            self._context(offset, text, state)
        self._places(doc, state)
        self._persons(doc, state)
        state.mentions.sort(key=lambda m: m.start)
        return state

    # ---- gazetteer ------------------------------------------------------------------

    def _gazetteer(self, doc: Doc, state: DocActors) -> None:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            spans.append(Span(doc, start, end, label=key))
        for span in filter_spans(spans):
            # "Jordan" inside the person "Michael Jordan" is not the country; "Sri Lanka's" that the
            # tagger swept into a PERSON with what follows is still the country (a possessive).
            possessive = span.end < len(doc) and doc[span.end].tag_ == "POS"
            if not possessive and any(e.label_ == "PERSON" and e.start <= span.start and span.end <= e.end
                                      and len(e) > len(span) for e in state.ents):
                continue
            mention = self._mention(span, 0)
            state.mentions.append(mention)
            for i in range(span.start, span.end):
                state.by_token[i] = mention

    def _context(self, offset: int, text: str, state: DocActors) -> None:
        """Gazetteer mentions in a stretch the model skipped; no token of the parse holds them."""
        doc = self.tokenizer(text)
        spans = [Span(doc, start, end, label=doc.vocab.strings[match_id])
                 for match_id, start, end in self.matcher(doc)]
        state.mentions.extend(self._mention(span, offset) for span in filter_spans(spans))

    def _mention(self, span: Span, offset: int) -> Mention:
        entry = self._entries[span.label_]
        doc = span.doc
        if entry.kind == "demonym" and span.start > 0 and doc[span.start - 1].lower_ == "ethnic":
            # "ethnic Hungarians in Romania" are a group of that state's residents, not Albania.
            name = f"ethnic {span.text}"
            actor = Actor(name, name, None, None, "CVL", None, "group")
        elif entry.kind in ("name", "demonym", "capital"):
            actor = Actor(span.text, entry.canonical, entry.country, None,
                          "GOV" if entry.kind == "capital" else None, None, "state")
        elif entry.kind == "igo":
            actor = Actor(span.text, entry.canonical, None, entry.igo, entry.sector, None, "igo")
        else:
            actor = Actor(span.text, entry.canonical, entry.country, None, entry.sector, None, "group")
        return Mention(span.text, span.start_char + offset, span.end_char + offset, actor, entry.kind)

    def _places(self, doc: Doc, state: DocActors) -> None:
        """Cities and regions the gazetteer lacks name their country ("arrived in Nairobi")."""
        for ent in state.ents:
            if ent.label_ not in PLACE_LABELS or any(i in state.by_token for i in range(ent.start, ent.end)):
                continue
            text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            country = self.knowledge.place(text)
            if country is None:
                continue
            actor = Actor(text, text, country, None, None, None, "state")
            mention = Mention(text, ent.start_char + (len(ent.text) - len(text)), ent.end_char, actor, "place")
            state.mentions.append(mention)
            for i in range(ent.start, ent.end):
                state.by_token[i] = mention

    # ---- persons --------------------------------------------------------------------

    def _persons(self, doc: Doc, state: DocActors) -> None:
        titles = self.dictionary.titles
        for ent in state.ents:
            if ent.label_ != "PERSON":
                continue
            span = self._clean_name(doc, ent)
            if span is None:
                continue
            if any(i in state.by_token for i in range(span.start, span.end)):
                continue  # "Azerbaijan" mis-tagged as a person is the country
            role_span = self._title_phrase(doc, span.start)
            country = None
            igo = None
            for t in role_span:
                m = state.by_token.get(t.i)
                if m is not None and m.actor.country and m.actor.kind == "state":
                    country = m.actor.country
                elif m is not None and m.actor.kind == "igo" and m.actor.igo and igo is None:
                    igo = m.actor.igo  # "Arab League Secretary-General X" serves the organisation
            if country is None:
                country = self._name_country(span, state)
            role = self._role_text(role_span, state) if len(role_span) else None
            sector = self.dictionary.sector_of(role_span.text) if len(role_span) else None
            # Evidence in rank order: the text (title phrase, modifiers) first, then the dictionaries.
            known = self._known_person(span.text)
            held = known.role_on(state.day) if known is not None else None
            if country is not None:
                igo = None
            name = span.text
            if known is not None and held is not None:
                crossed = any(t.text == "," for t in role_span)
                if country is None and igo is None or (crossed and held.country and held.country != country):
                    # A title across a comma ("... as US President, Tony Blair said") is weaker
                    # evidence than the dictionary; an adjacent one ("French President X") is stronger.
                    country, igo = held.country, held.igo
                    sector = held.sector if crossed else sector or held.sector
                    role = held.role if crossed else role or held.role
                elif country == held.country:
                    sector = sector or held.sector
                    role = role or held.role
                if len(name.split()) == 1:
                    name = known.name  # "Putin" is Vladimir Putin
            canonical = self._merge_person(state, name, country, role, sector, igo)
            person = state.persons[canonical]
            via = "person+dictionary" if known is not None and held is not None else "person"
            mention = Mention(span.text, span.start_char, span.end_char, person, via)
            state.mentions.append(mention)
            for i in range(span.start, span.end):
                state.person_at[i] = canonical
                state.by_token[i] = mention
        # Delegations: whoever joins or accompanies a person is on that person's side.
        for tok in doc:
            if tok.lemma_ in titles.companion_verbs and tok.pos_ == "VERB":
                self._share_country(tok, state)

    def _known_person(self, text: str) -> KnownActor | None:
        known = self.knowledge.lookup(text)
        if known is None and len(text.split()) > 2:  # "Recep Tayyip Erdogan" listed as "Tayyip Erdogan"
            known = self.knowledge.lookup(" ".join(text.split()[-2:]))
        return known if known is not None and known.kind == "person" else None

    @staticmethod
    def _name_country(span: Span, state: DocActors) -> str | None:
        """A country attached to the name itself: "Jordan's visiting King Abdullah",
        "Queen Rania of Jordan", "Okafor, Nigeria's best-known lawyer"."""
        head = span.root
        # Anything that modifies the name from the left, nearest first: "Chile's newly elected President X".
        cands = [t for t in reversed(span.doc[head.left_edge.i:span.start])
                 if t.dep_ in {"poss", "amod", "compound", "nmod"}]
        cands += [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" and c.i == span.end
                  for g in c.children if g.dep_ == "pobj"]
        for appos in (c for c in head.children if c.dep_ == "appos"):
            cands += [c for c in appos.children if c.dep_ in {"poss", "amod", "compound"}]
        for c in cands:
            m = state.by_token.get(c.i)
            if m is not None and m.actor.kind == "state" and m.actor.country:
                return m.actor.country
        return None

    def _clean_name(self, doc: Doc, ent: Span) -> Span | None:
        start, end = ent.start, ent.end
        while start < end and (doc[start].lower_ in self._strip or doc[start].lower_ in
                               self.dictionary.titles.role_words or not doc[start].text[:1].isalpha()):
            start += 1
        while end < len(doc) and (
            doc[end].lower_ in self.dictionary.titles.name_particles
            or (doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper() and doc[end].ent_type_ in {"", "PERSON"}
                and doc[end].lower_ not in self._strip and doc[end].is_alpha)
        ):
            end += 1
        while end > start and not doc[end - 1].is_alpha:
            end -= 1
        if end <= start:
            return None
        words = [t for t in doc[start:end] if t.is_alpha]
        if not words or all(t.lower_ in self._strip for t in words):
            return None
        if len(words) == 1 and (len(words[0]) < 3 or words[0].text.isupper()):
            return None
        return doc[start:end]

    def _title_phrase(self, doc: Doc, name_start: int) -> Span:
        """The run of title words before a name: "the President of Azerbaijan", "MOD Director General"."""
        titles = self.dictionary.titles
        i = name_start - 1
        start = name_start
        crossed_comma = False
        while i >= 0:
            t = doc[i]
            low = t.lower_
            if t.is_space or (t.is_punct and t.text in "()"):
                i -= 1
                continue
            if t.text == "," and not crossed_comma and i > 0 and (
                doc[i - 1].lower_ in titles.role_words or doc[i - 1].text[:1].isupper()
            ) and doc[i - 1].lower_ not in {"and"}:
                crossed_comma = True
                i -= 1
                continue
            is_title = (
                low in titles.role_words
                or low in self._strip
                or (t.text[:1].isupper() and t.pos_ in {"PROPN", "NOUN", "ADJ"} and t.ent_type_ != "PERSON")
                or t.text == "-"
                or t.tag_ == "POS"
                or (low == "and" and i > 0 and doc[i - 1].text[:1].isupper() and doc[i + 1].text[:1].isupper())
            )
            if not is_title or (t.ent_type_ == "PERSON" and i < name_start - 1):
                break
            start = i
            i -= 1
        while start < name_start and doc[start].lower_ in {"the", "of", "and", ","}:
            start += 1
        return doc[start:name_start]

    def _role_text(self, role_span: Span, state: DocActors) -> str | None:
        ranks = {w.lower() for w in self.dictionary.titles.ranks}
        words: list[str] = []
        for t in role_span:
            if t.i in state.by_token or t.lower_ in ranks or t.text in "()" or t.is_space:
                continue
            words.append(t.lower_ if t.lower_ in self.dictionary.titles.role_words else t.text)
        while words and words[-1] in {"of", "the", ",", "and"}:
            words.pop()
        while words and words[0] in {"of", "the", ",", "and"}:
            words.pop(0)
        text = " ".join(words).replace(" ,", ",").replace(" - ", "-")
        if "," in text:
            # "counterpart, minister of defence": the last titled part is the office.
            text = text.rsplit(",", 1)[1].strip()
        return text or None

    def _merge_person(self, state: DocActors, name: str, country: str | None,
                      role: str | None, sector: str | None, igo: str | None = None) -> str:
        surname = name.split()[-1]
        for canonical, p in state.persons.items():
            parts = canonical.split()
            if name == canonical or (surname in parts and (len(name.split()) == 1 or len(parts) == 1)):
                best = canonical if len(canonical) >= len(name) else name
                merged = Actor(best, best, p.country or country, p.igo or igo, p.sector or sector, p.role or role,
                               "person")
                if best != canonical:
                    del state.persons[canonical]
                    for i, c in list(state.person_at.items()):
                        if c == canonical:
                            state.person_at[i] = best
                state.persons[best] = merged
                return best
        state.persons[name] = Actor(name, name, country, igo, sector, role, "person")
        return name

    def _share_country(self, verb: Token, state: DocActors) -> None:
        in_sentence = [c for i, c in state.person_at.items() if verb.sent.start <= i < verb.sent.end]
        known = [c for c in in_sentence if state.persons[c].country]
        if not known:
            return
        country = state.persons[known[0]].country
        for c in dict.fromkeys(in_sentence):
            if not state.persons[c].country:
                state.persons[c] = replace(state.persons[c], country=country)
