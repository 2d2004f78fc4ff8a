"""Triggers: which lexicon entry, if any, a token of the parse stands for."""

from __future__ import annotations

from spacy.tokens import Token

from .lexicon import Lexicon, Pattern


class Triggers:
    """Matches tokens against the lexicon: lemma, particle, object and the words around a noun."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def match(self, tok: Token) -> Pattern | None:
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
            # "pull its forces back": the small model often tags the particle as an adverb
            has = any(c.dep_ in {"prt", "prep", "agent", "advmod"} and c.lower_ == p.particle and not _temporal(c)
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


def _temporal(prep: Token) -> bool:
    """A preposition whose object is a date or time ("on Friday", "in March")."""
    return any(g.dep_ == "pobj" and g.ent_type_ in {"DATE", "TIME"} for g in prep.children)
