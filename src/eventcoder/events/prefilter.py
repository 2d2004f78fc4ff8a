"""The cheap first pass: which sentences of a text can yield an event at all.

Every event starts at a lexicon trigger (a verb or event noun, with the particle, object
or neighbouring words its entry names) or at a speech verb whose clause states a demand
or blame ("said Iran must ...", "said Kyiv was responsible"). A sentence holding none of
these surface forms cannot be coded, so the tagger, parser and NER need not read it.

`SentenceFilter.mask` blanks such sentences to spaces (line breaks kept), so the text
keeps its length: every character offset the coder reports is an offset into the original
text, and a blanked sentence costs the model one whitespace token. The test for a trigger
is a superset of the coder's own: each word's candidate lemmas come from the model's own
lemmatizer rules and exceptions, for every part of speech that could carry the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .lexicon import Lexicon, Pattern

# A sentence ends at a line break, or after . ! ? (and closing quotes or brackets) before
# an upper-case letter, digit or opening quote. Splitting too rarely only keeps more text;
# splitting too often could cut a sentence, so abbreviations never end one.
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?[A-Z0-9])|(\n\s*)")
_TOKEN = re.compile(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]")
# Before these a word is a noun, never the verb the tagger would need ("the pound", "its tax",
# "three stocks"); before a preposition, a plain or -s form is a noun too ("in trade").
_DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "this", "these",
                          "those", "each", "every", "any", "no", "some", "per", "two", "three", "four", "five",
                          "six", "seven", "eight", "nine", "ten", "dozen", "hundred", "thousand", "million",
                          "billion", "bn", "m"})
_PREPOSITIONS = frozenset({"for", "in", "on", "with", "by", "from", "of", "at", "into", "about", "over", "under",
                           "after", "before", "between", "against", "without", "through", "during", "across",
                           "via", "than"})
# "he's agreed": after these, "'s" is "is" or "has", not a possessive
_CONTRACTING = frozenset({"he", "she", "it", "that", "there", "what", "who", "here", "where", "let"})
# "A.", "U.S.": a single letter or a word with a period inside.
_ABBREVIATION = re.compile(r"(?:^|[^A-Za-z])(?:[A-Za-z]|[A-Za-z]+\.[A-Za-z.]*)\.$")
_EMPTY_TITLES = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "prof", "rev"})  # name no role
_COMMON_ABBREVIATIONS = frozenset({
    "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "no.", "co.", "corp.", "inc.", "ltd.", "vs.", "etc.",
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "mt.",
    "ft.", "fig.", "approx.", "dept.", "est.", "gov.", "sen.", "rep.", "gen.", "col.", "lt.", "maj.",
    "capt.", "sgt.", "adm.", "prof.", "rev.", "pres.", "amb.", "cmdr.", "brig.", "op.", "art.", "para."})
# Clause words that make a reported statement a demand or an accusation (`EventCoder._demands`).
_MODAL_TO = frozenset({"have", "has", "had", "need", "needs", "needed"})
_BLAME = frozenset({"responsible", "guilty", "culpable", "liable", "behind", "blame"})
_ORDER_VERBS = frozenset({"tell"})  # "told them to leave": an order through an object and "to"
# "insisted that the firm pay": a mandative verb states a demand in the subjunctive, with no cue word
_MANDATIVE = frozenset({"insist", "suggest", "demand", "propose", "recommend", "urge", "ask", "require"})


@dataclass(frozen=True)
class _Entry:
    """What a trigger lemma needs besides itself for one lexicon pattern to fit."""

    pos: str
    objects: frozenset[str] | None
    particle: str | None
    before: tuple[str, ...]
    then: tuple[str, ...]
    speech: bool  # a speech verb: only a demand or blame clause makes it an event
    order: bool


class SentenceFilter:
    """Decides, from surface words alone, which sentences the model must parse."""

    def __init__(self, lexicon: Lexicon, rules: Mapping[str, Sequence[tuple[str, str]]],
                 exceptions: Mapping[str, Mapping[str, Sequence[str]]], obligation: Iterable[str],
                 keep_known_abbreviations: Iterable[str] = (), person_titles: Iterable[str] = ()) -> None:
        self.entries: dict[str, list[_Entry]] = {}
        for p in lexicon.patterns:
            if p.event_type is None and p.frame != "speech":
                continue
            self.entries.setdefault(p.lemma, []).append(_entry(p))
        self.rules = {pos: tuple(rules.get(pos, ())) for pos in ("verb", "noun")}
        self.exceptions = {pos: exceptions.get(pos, {}) for pos in ("verb", "noun")}
        self.cues = frozenset(obligation) | _BLAME
        self.abbreviations = frozenset(a.lower() for a in keep_known_abbreviations) | _COMMON_ABBREVIATIONS
        self.person_titles = frozenset(w.lower().rstrip(".") for w in person_titles) - _EMPTY_TITLES
        self._lemmas: dict[str, frozenset[str]] = {}  # word -> its candidate lemmas the lexicon lists (memo)
        self._candidates: dict[str, frozenset[str]] = {}  # word -> every candidate lemma (memo)

    # ---- the public pass ----------------------------------------------------------------

    def mask(self, text: str) -> tuple[str, list[tuple[int, str]]]:
        """The text with every sentence that cannot hold an event blanked (same length), and
        the blanked stretches as (offset, original text): the actor stage still reads them
        for the countries a document is about."""
        pieces: list[str] = []
        skipped: list[tuple[int, str]] = []
        for start, end, keep in self.sentences(text):
            chunk = text[start:end]
            if keep:
                pieces.append(chunk)
                continue
            pieces.append(_blank(chunk))
            if skipped and skipped[-1][0] + len(skipped[-1][1]) == start:
                skipped[-1] = (skipped[-1][0], skipped[-1][1] + chunk)
            else:
                skipped.append((start, chunk))
        return "".join(pieces), skipped

    def sentences(self, text: str) -> Iterator[tuple[int, int, bool]]:
        """(start, end, may hold an event) for each rough sentence; the spans tile the text."""
        start = 0
        for m in _BOUNDARY.finditer(text):
            cut = m.start(1) if m.group(1) is not None else m.start(2)
            if cut <= start or (m.group(1) is not None and self._abbreviation_before(text, cut)):
                continue
            yield start, cut, self.needed(text[start:cut])
            start = cut
        if start < len(text):
            yield start, len(text), self.needed(text[start:])

    def needed(self, sentence: str) -> bool:
        """Whether the model must read the sentence: it may hold an event or names a person's role."""
        return self.may_hold_event(sentence) or self.names_role(sentence)

    def names_role(self, sentence: str) -> bool:
        """ "Defence Minister Lena Berg", "Maj. Gen. Dan Oren": a title before a name, which
        teaches the actor stage who someone is even where nothing happens."""
        tokens = _TOKEN.findall(sentence)
        for k, token in enumerate(tokens[:-1]):
            if token.lower() in self.person_titles:
                after = tokens[k + 2] if tokens[k + 1] == "." and k + 2 < len(tokens) else tokens[k + 1]
                if after[0].isupper():
                    return True
        return False

    def may_hold_event(self, sentence: str) -> bool:
        tokens = _TOKEN.findall(sentence)
        words = [t.lower() for t in tokens if t[0].isalpha()]
        title_case = sum(1 for t in tokens if t[0].isupper()) > 0.6 * len(words)
        context: _Context | None = None
        i = -1
        for k, token in enumerate(tokens):
            if not token[0].isalpha():
                continue
            i += 1
            lemmas = self.lemmas(words[i])
            if not lemmas:
                continue
            nominal = _nominal(tokens, k, title_case)
            for lemma in lemmas:
                for entry in self.entries[lemma]:
                    if nominal and entry.pos == "verb":
                        continue
                    context = context or _Context(words, self)
                    if self._fits(entry, words, i, context):
                        return True
        return False

    # ---- words and entries --------------------------------------------------------------

    def candidates(self, word: str) -> frozenset[str]:
        """Every lemma the model's lemmatizer could give ``word`` as a verb or a noun."""
        found = self._candidates.get(word)
        if found is None:
            cands = {word}
            if word.endswith("ed"):
                cands.add(word[:-1])  # the coder's own repair of odd participle lemmas
            for pos in ("verb", "noun"):
                cands.update(self.exceptions[pos].get(word, ()))
                cands.update(word[: len(word) - len(old)] + new for old, new in self.rules[pos] if word.endswith(old))
            found = frozenset(cands)
            if len(self._candidates) < 500_000:
                self._candidates[word] = found
        return found

    def lemmas(self, word: str) -> frozenset[str]:
        """The candidate lemmas of ``word`` that head a lexicon entry."""
        found = self._lemmas.get(word)
        if found is None:
            found = frozenset(c for c in self.candidates(word) if c in self.entries)
            if len(self._lemmas) < 500_000:
                self._lemmas[word] = found
        return found

    def _fits(self, entry: _Entry, words: list[str], i: int, context: _Context) -> bool:
        if entry.particle is not None and entry.particle not in context.words:
            return False
        if entry.objects is not None and not entry.objects & context.lemmas:
            return False
        if entry.before and tuple(words[max(0, i - len(entry.before)):i]) != entry.before:
            return False
        if entry.then and tuple(words[i + 1:i + 1 + len(entry.then)]) != entry.then:
            return False
        if entry.speech:
            return bool(context.words & self.cues) or (entry.order and "to" in context.words) or any(
                words[j] in _MODAL_TO and words[j + 1] == "to" for j in range(len(words) - 1))
        return True

    def _abbreviation_before(self, text: str, end: int) -> bool:
        """ "Mr. Smith", "U.S. troops", "Gen. Ali": the period is no sentence end."""
        head = text[max(0, end - 12):end].rstrip("\"'”’)]")
        if not head.endswith("."):
            return False
        last = head.split()[-1] if head.split() else ""
        return last.lower() in self.abbreviations or bool(_ABBREVIATION.search(last))


def _nominal(tokens: list[str], k: int, title_case: bool) -> bool:
    """Whether the word at ``k`` can only be a noun here: after a determiner, number or
    possessive ("the pound", "600m pounds", "Iran's trade"), a plain form after a
    preposition ("in trade"), or a capital inside running text ("the United Nations")."""
    if not k:
        return False
    token, prev = tokens[k], tokens[k - 1].lower()
    if prev in _DETERMINERS or prev.isdigit():
        return True
    if prev in _PREPOSITIONS and not token.lower().endswith(("ing", "ed")):
        return True
    if prev == "s" and k >= 3 and tokens[k - 2] in {"'", "’"} and tokens[k - 3].lower() not in _CONTRACTING:
        return True
    return token[0].isupper() and prev[:1].isalpha() and not title_case


class _Context:
    """A sentence's words and all their candidate lemmas, computed once it holds a trigger."""

    def __init__(self, words: list[str], owner: SentenceFilter) -> None:
        self.words = frozenset(words)
        self.lemmas = frozenset(c for w in self.words for c in owner.candidates(w))


def _entry(p: Pattern) -> _Entry:
    return _Entry(p.pos, p.objects, p.particle, p.before, p.then,
                  p.event_type is None and p.lemma not in _MANDATIVE, p.lemma in _ORDER_VERBS)


def _blank(chunk: str) -> str:
    return re.sub(r"[^\n]", " ", chunk)
